import type { ContributedFile } from '../tree/tree.js';
import type { ClusterTree } from '../tree/tree.js';
import { generatedHeader, yamlFile } from '../output/yaml.js';
import { talosConfig } from './talconfig.js';
import { IMAGE_FACTORY_URL, TALCONFIG_SCHEMA_URL } from './versions.js';

/** Folder of a cluster's Talos files: beside the Flux tree, never applied by Flux. */
export function talosDir(clusterName: string): string {
  return `clusters/${clusterName}/talos`;
}

/**
 * Adds comment lines after a generated file's header comments (the first line stays the header,
 * so synth still owns the file).
 */
export function withComments(content: string, comments: readonly string[]): string {
  const lines = content.split('\n');
  let i = 0;
  while (i < lines.length && lines[i].startsWith('#')) i++;
  return [...lines.slice(0, i), ...comments.map((c) => (c ? `# ${c}` : '#')), ...lines.slice(i)].join('\n');
}

/**
 * The Talos files of a Talos cluster (none for other distributions):
 * - `talos/talconfig.yaml`: talhelper's input, validated against talhelper's schema;
 * - `talos/schematic.yaml`: the Image Factory schematic with every extension the nodes need;
 * - `talos/.gitignore`: keeps talhelper's output (machine configs hold the cluster's secrets) out of Git.
 */
export function talosFiles(tree: ClusterTree): ContributedFile[] {
  const cluster = tree.cluster;
  if (cluster.distribution !== 'talos') return [];
  const cfg = talosConfig(cluster);
  const dir = talosDir(cluster.name);
  const source = cluster.sourceFile;
  const extensions = (cfg.schematic as { customization: { systemExtensions: { officialExtensions: string[] } } }).customization.systemExtensions.officialExtensions;
  return [
    {
      path: `${dir}/talconfig.yaml`,
      content: withComments(yamlFile(source, TALCONFIG_SCHEMA_URL, [cfg.talconfig]), [
        `talhelper input for cluster '${cluster.name}' (Talos ${cfg.talosVersion}, Kubernetes ${cfg.kubernetesVersion}).`,
        'Derived from the cluster model and what its components need from the nodes; see ../bootstrap/README.md.',
        'In this folder: talhelper genconfig --secret-file talsecret.sops.yaml  (writes clusterconfig/, git-ignored)',
      ]),
    },
    {
      path: `${dir}/schematic.yaml`,
      content: withComments(yamlFile(source, undefined, [cfg.schematic]), [
        `Talos Image Factory schematic: system extensions the nodes of '${cluster.name}' need (${extensions.length > 0 ? extensions.join(', ') : 'none'}).`,
        `Schematic ID: curl -sX POST --data-binary @schematic.yaml ${IMAGE_FACTORY_URL}/schematics`,
        `Boot ISO:     ${IMAGE_FACTORY_URL}/image/<id>/${cfg.talosVersion}/metal-<amd64|arm64>.iso`,
      ]),
    },
    {
      path: `${dir}/.gitignore`,
      content: [
        generatedHeader(source),
        '# talhelper genconfig output: machine configs and talosconfig carry the cluster PKI and tokens.',
        'clusterconfig/',
        '# Decrypted secrets, if you ever write them out.',
        'talsecret.yaml',
        '',
      ].join('\n'),
    },
  ];
}
