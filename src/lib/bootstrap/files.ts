import { generatedHeader, yamlFile } from '../output/yaml.js';
import type { ContributedFile } from '../tree/tree.js';
import type { ClusterTree } from '../tree/tree.js';
import { withComments } from '../talos/files.js';
import { HELMFILE_SCHEMA_URL, helmfileDocument } from './helmfile.js';
import { K3S_TOKEN_FILE, k3sNodeConfigs } from './k3s.js';
import { bootstrapPlan } from './plan.js';
import { runbook } from './runbook.js';
import { prerequisites } from '../docs/prerequisites.js';

/** Folder of a cluster's bootstrap files: beside the Flux tree, never applied by Flux. */
export function bootstrapDir(clusterName: string): string {
  return `clusters/${clusterName}/bootstrap`;
}

/**
 * The bootstrap files of every cluster:
 * - `bootstrap/helmfile.yaml`: what must run before Flux (CNI, CoreDNS, flux-operator), in order,
 *   with the chart versions and values of the HelmReleases Flux adopts afterwards;
 * - `bootstrap/README.md`: the runbook from bare nodes to a reconciling cluster;
 * - `k3s/<node>.yaml` on k3s clusters: each node's k3s configuration.
 */
export function bootstrapFiles(tree: ClusterTree): ContributedFile[] {
  const cluster = tree.cluster;
  const dir = bootstrapDir(cluster.name);
  const source = cluster.sourceFile;
  const plan = bootstrapPlan(tree);
  const k3s = k3sNodeConfigs(cluster);
  const files: ContributedFile[] = [
    {
      path: `${dir}/helmfile.yaml`,
      content: withComments(yamlFile(source, HELMFILE_SCHEMA_URL, [helmfileDocument(plan)]), [
        `Bootstrap of cluster '${cluster.name}': what must run before Flux can, in order (see README.md beside this file).`,
        'Chart versions and values are those of the HelmReleases Flux adopts afterwards; change them in the source, not here.',
        `Run from anywhere in the repository: helmfile --file ${dir}/helmfile.yaml sync`,
      ]),
    },
    {
      path: `${dir}/README.md`,
      content: `${generatedHeader(source, '<!--')} -->\n${runbook({ cluster, plan, dir, k3s, prerequisites: prerequisites(tree) })}`,
    },
  ];
  for (const c of k3s) {
    const nix = c.nixPackages.length + c.hostServices.length > 0
      ? [`Host prerequisites: packages ${c.nixPackages.join(', ') || 'none'} (NixOS names); services ${c.hostServices.join(', ') || 'none'}.`]
      : [];
    files.push({
      path: c.file,
      content: withComments(yamlFile(source, undefined, [c.config]), [
        `k3s ${c.role} '${c.node.name}' of cluster '${cluster.name}'${c.first && c.role === 'server' ? ' (first server: start it first)' : ''}.`,
        `NixOS: services.k3s = { enable = true; role = "${c.role}"; configPath = ./${c.file}; };`,
        `Elsewhere: copy to /etc/rancher/k3s/config.yaml. The join token is read from ${K3S_TOKEN_FILE} (never in Git).`,
        ...nix,
      ]),
    });
  }
  return files;
}
