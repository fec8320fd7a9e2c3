import type { Component } from '../estate/component.js';
import { formatCpu, formatMemory } from '../estate/quantity.js';
import type { CapacityReport } from '../safety/capacity.js';
import { cnpgRecovery, isHibernationManaged } from '../tree/databases.js';
import { TreeFacts } from './facts.js';
import { code, listing, plural } from './markdown.js';
import { prerequisites } from './prerequisites.js';

/** Path Flux syncs for a cluster: its folder, or `flux/` in the layered layout. */
export function syncPathOf(facts: TreeFacts): string {
  const c = facts.cluster;
  return c.flux.layout === 'layered' ? `clusters/${c.name}/flux` : `clusters/${c.name}`;
}

/** Whether the cluster has CloudNativePG clusters that follow the scale-down profile (the `cnpg.io/hibernation` annotation). */
function hibernating(facts: TreeFacts): boolean {
  for (const objects of facts.objects.values()) {
    if (objects.some(isHibernationManaged)) return true;
  }
  return false;
}

/** A restore drill: a suspended component recovering a CloudNativePG cluster from backups. */
export interface RestoreDrillFact {
  readonly component: Component;
  readonly namespace: string;
  /** The Cluster the drill creates. */
  readonly clusterName: string;
  /** ObjectStore and server name it recovers from, when the plugin says. */
  readonly objectStore?: string;
  readonly serverName?: string;
}

/** Suspended components that render a CNPG Cluster bootstrapped by `recovery`. */
export function restoreDrills(facts: TreeFacts): RestoreDrillFact[] {
  const out: RestoreDrillFact[] = [];
  for (const c of facts.cluster.components) {
    // Only a component with its own (suspended) Flux Kustomization can be unsuspended on its own.
    if (!c.suspend || !(facts.kustomizations.get(c) ?? []).includes(c.name)) continue;
    for (const o of facts.objects.get(c) ?? []) {
      const recovery = cnpgRecovery(o);
      if (!recovery) continue;
      const { namespace, ...from } = recovery;
      out.push({ component: c, namespace: namespace ?? c.namespace, ...from });
    }
  }
  return out;
}

/**
 * The operator's runbook lines for this cluster: bootstrap (always), the scale-down profile (where heavy
 * workloads exist), restore drill (where a suspended restore component exists), other suspended
 * components. Each is a Markdown list item or short block, derived from the model and the tree.
 */
export function runbookLines(facts: TreeFacts, capacity: CapacityReport | undefined): string[] {
  const cluster = facts.cluster;
  const files = facts.tree.files;
  const base = `clusters/${cluster.name}`;
  const out: string[] = ['### Bootstrap', ''];
  if (files.has(`${base}/bootstrap/README.md`)) {
    out.push(`Follow [bootstrap/README.md](bootstrap/README.md): from bare nodes to Flux reconciling \`${syncPathOf(facts)}\`. In short:`, '');
  }
  if (files.has(`${base}/talos/talconfig.yaml`)) {
    out.push('- Talos: boot the nodes from the Image Factory image of [talos/schematic.yaml](talos/schematic.yaml), generate the machine configs with talhelper from [talos/talconfig.yaml](talos/talconfig.yaml) (its header has the commands) and apply them.');
  }
  if (cluster.sops) {
    out.push(`- SOPS key: \`kubectl -n flux-system create secret generic ${cluster.sops.secretName} --from-file=age.agekey=$HOME/.config/sops/age/keys.txt\` (the private key of ${code(cluster.sops.ageRecipients[0] ?? '')}).`);
  }
  const prereq = prerequisites(facts.tree);
  const toCreate = prereq.secrets.filter((s) => s.stage === 'before-reconcile' && !s.committed);
  if (toCreate.length > 0 || prereq.nodes.length > 0) {
    const what = [toCreate.length > 0 ? `create ${plural(toCreate.length, 'Secret')} (${listing(toCreate.map((s) => code(`${s.namespace}/${s.name}`)))})` : '', prereq.nodes.length > 0 ? `do ${plural(prereq.nodes.length, 'node step')}` : ''].filter(Boolean);
    out.push(`- Before Flux's first reconcile: ${what.join(' and ')}, see [Prerequisites](#prerequisites).`);
  }
  if (cluster.flux.bootstrap === 'operator') {
    const instance = facts.tree.manifests.find((m) => m.object.kind === 'FluxInstance');
    out.push(`- Flux (flux-operator): install the operator (\`helm install flux-operator oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator -n flux-system --create-namespace\`), then \`kubectl apply -f ${instance?.file ?? `${base}/flux-system/flux-instance.yaml`}\`: Flux ${cluster.flux.version} installs itself and syncs \`${syncPathOf(facts)}\` from ${cluster.git.url} (branch \`${cluster.git.branch}\`).`);
  } else {
    out.push(`- Flux (classic): \`flux bootstrap git --url=${cluster.git.url} --branch=${cluster.git.branch} --path=${syncPathOf(facts)}\`, then \`npm run synth\` and commit: synth keeps the \`gotk-components.yaml\` the CLI writes.`);
  }
  out.push(`- Check: \`flux get kustomizations -A\` until every Kustomization is Ready (${facts.tree.manifests.filter((m) => m.object.kind === 'Kustomization' && String(m.object.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/')).length} in this tree).`, '');

  if (capacity && capacity.heavy.workloads.length > 0) {
    const freed = `${formatCpu(capacity.heavy.requests.cpu)} CPU / ${formatMemory(capacity.heavy.requests.memory)} of requests`;
    const profile = cluster.scaleDown.name;
    const Profile = profile.charAt(0).toUpperCase() + profile.slice(1);
    out.push(`### ${Profile}`, '');
    out.push(cluster.scaledDown
      ? `${Profile} is **on**: ${listing(capacity.heavy.workloads.map((w) => code(w)))} are stopped, freeing ${freed}. To resume them, set \`scaleDown.active: false\` on the cluster in \`${cluster.sourceFile}\`, run \`npm run synth\`, commit and push.`
      : `${Profile} is off. To free ${freed} for the host, set \`scaleDown.active: true\` on the cluster in \`${cluster.sourceFile}\`, run \`npm run synth\`, commit and push: Flux stops ${listing(capacity.heavy.workloads.map((w) => code(w)))}${hibernating(facts) ? ' (CloudNativePG hibernates its clusters, volumes kept)' : ''}. Set it back to \`false\` to resume.`);
    out.push('');
  }

  const drills = restoreDrills(facts);
  for (const d of drills) {
    const from = [d.objectStore ? `ObjectStore \`${d.objectStore}\`` : '', d.serverName ? `server name \`${d.serverName}\`` : ''].filter(Boolean).join(', ');
    out.push(`### Restore drill: ${d.component.name}`, '');
    out.push(`The Flux Kustomization \`${d.component.name}\` is suspended. Unsuspended, it creates the CloudNativePG Cluster \`${d.namespace}/${d.clusterName}\` by recovery from the backups${from ? ` (${from})` : ''}, touching no live service.`, '');
    out.push(
      `1. In \`${cluster.sourceFile}\`, unsuspend it (\`restoreDrill: { suspend: false }\` on its PostgresCluster, or \`suspend: false\` on the component), \`npm run synth\`, commit, push.`,
      `2. Watch it recover: \`kubectl -n ${d.namespace} get cluster ${d.clusterName} -w\` until it reports a healthy state, then check the data: \`kubectl -n ${d.namespace} exec -it ${d.clusterName}-1 -- psql -c '\\l'\`.`,
      `3. Suspend it again the same way and remove what the drill created: \`kubectl -n ${d.namespace} delete cluster ${d.clusterName}\` (suspending removes nothing by itself).`,
      '',
    );
  }
  const drillComponents = new Set(drills.map((d) => d.component));
  const suspended = cluster.components.filter((c) => c.suspend && !drillComponents.has(c));
  if (suspended.length > 0) {
    out.push('### Suspended components', '');
    for (const c of suspended) out.push(`- \`${c.name}\`: its Flux Kustomization is created suspended; set \`suspend: false\` in \`${cluster.sourceFile}\`, synth and commit to run it.`);
    out.push('');
  }
  return out;
}
