import type { HomelabCluster } from '../estate/cluster.js';
import { Estate } from '../estate/estate.js';
import { generatedHeader } from '../output/yaml.js';
import { capacityMarkdown, CapacityReport, treeCapacity } from '../safety/capacity.js';
import type { ContributedFile, FileContributor } from '../tree/tree.js';
import type { ClusterTree } from '../tree/tree.js';
import { fluxGraphDiagram } from './flux-graph.js';
import { treeFacts, TreeFacts } from './facts.js';
import { appTable, chartTable, namespaceTable, storageClassTable } from './inventory.js';
import { code, plural, table } from './markdown.js';
import { mermaidBlock } from './mermaid.js';
import { prerequisites, prerequisitesMarkdown } from './prerequisites.js';
import { runbookLines, syncPathOf } from './runbook.js';
import { trafficDiagram, trafficSummary } from './traffic.js';

/** Where the generated docs go. */
export const CLUSTER_README = (cluster: string): string => `clusters/${cluster}/README.md`;
export const CLUSTERS_INDEX = 'clusters/README.md';

/** First line of a generated Markdown file: the generated header as an HTML comment (synth owns the file). */
export function markdownHeader(source: string): string {
  return `${generatedHeader(source, '<!--')} -->`;
}

const DISTRIBUTIONS: Record<HomelabCluster['distribution'], string> = {
  talos: 'Talos Linux',
  k3s: 'k3s',
  oke: 'Oracle Kubernetes Engine (managed control plane)',
};

/** Options for {@link clusterReadme}. */
export interface ClusterReadmeOptions {
  /** Capacity and placement report to embed. @default - the tree's, from `treeCapacity` */
  readonly capacity?: CapacityReport;
}

/**
 * The generated `clusters/<c>/README.md`: what the cluster is, its nodes, the prerequisites (Secrets
 * to create, manual node steps), the traffic path and Flux dependency graph (mermaid), an inventory
 * (namespaces, storage classes, charts, apps), the capacity table and the operator's runbook lines. Everything is derived from the model and the
 * rendered tree; nothing is typed twice.
 */
export function clusterReadme(tree: ClusterTree, options: ClusterReadmeOptions = {}): string {
  const facts = treeFacts(tree);
  const cluster = tree.cluster;
  const capacity = options.capacity ?? treeCapacity(tree);
  const out: string[] = [markdownHeader(cluster.sourceFile), '', `# Cluster \`${cluster.name}\``, ''];
  if (cluster.description) out.push(cluster.description, '');
  out.push(...overview(facts), '');
  out.push('## Nodes', '', ...nodeTable(cluster), '');

  out.push('## Prerequisites', '');
  const bootstrapReadme = tree.files.has(`clusters/${cluster.name}/bootstrap/README.md`) ? 'bootstrap/README.md' : undefined;
  out.push(...prerequisitesMarkdown(cluster, prerequisites(tree), bootstrapReadme), '');

  out.push('## Traffic', '');
  const traffic = trafficDiagram(facts);
  if (traffic) {
    out.push(...trafficSummary(facts), '', ...mermaidBlock(traffic), '');
  } else {
    out.push('Nothing is exposed: no Ingress, IngressRoute or HTTPRoute in this tree.', '');
  }

  out.push('## Flux dependency graph', '');
  const graph = fluxGraphDiagram(facts);
  out.push(`${plural(cluster.components.length, 'component')}, ${plural(graph.edges, 'derived dependsOn edge')}. An arrow points from a component to the ones that wait for it (Flux \`dependsOn\`); edges implied by a longer path are not drawn (${graph.shown} shown). Dashed: suspended.`, '');
  if (cluster.flux.layout === 'layered') {
    out.push(`Layered layout: Flux applies \`flux-system\` → \`platform\` → \`apps\`; an order inside a layer becomes a HelmRelease \`dependsOn\`.`, '');
  }
  out.push(...mermaidBlock(graph.diagram), '');

  out.push('## Inventory', '');
  out.push('### Namespaces', '', ...namespaceTable(facts), '');
  out.push('### Storage classes', '', ...storageClassTable(facts), '');
  out.push('### Helm charts', '', ...chartTable(facts), '');
  out.push('### Apps', '', ...appTable(facts), '');

  out.push('## Capacity', '');
  out.push(`Requests and limits per node group against allocatable (capacity minus the ${cluster.distribution} system reserve; see docs/safety.md).`, '');
  out.push(capacityMarkdown(capacity).trimEnd(), '');

  out.push('## Runbook', '', ...runbookLines(facts, capacity));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function overview(facts: TreeFacts): string[] {
  const c = facts.cluster;
  const net = c.network;
  const rows: [string, string][] = [
    ['Seed', c.seed ? code(c.seed) : '–'],
    ['Distribution', DISTRIBUTIONS[c.distribution]],
    ['Domain', code(c.domain)],
    ['Flux', `${c.flux.bootstrap === 'operator' ? 'flux-operator (FluxInstance)' : 'classic `flux bootstrap`'}, ${c.flux.layout} layout, every ${c.flux.interval}; Flux ${c.flux.version} syncs ${code(syncPathOf(facts))} from ${c.git.url} (branch ${code(c.git.branch)})`],
    ['Network', [`pods ${net.podCidr}`, `services ${net.serviceCidr}`, net.nodeCidr ? `nodes ${net.nodeCidr}` : '', net.vip ? `API VIP ${net.vip}` : ''].filter(Boolean).join(', ')],
    ['SOPS', c.sops ? `age, decrypted by Flux with Secret ${code(`flux-system/${c.sops.secretName}`)}` : 'none'],
    ['Source', code(c.sourceFile)],
  ];
  return table(['Cluster', code(c.name)], rows.map(([k, v]) => [k, v]), true);
}

function nodeTable(cluster: HomelabCluster): string[] {
  const schedulable = new Set(cluster.schedulableNodes);
  const rows = cluster.nodes.map((n) => [
    n.name,
    n.role,
    String(n.cpu),
    n.memory,
    n.arch ?? 'amd64',
    n.ip ?? '(DHCP)',
    schedulable.has(n) ? 'yes' : 'no',
    [...Object.entries(n.labels ?? {}).map(([k, v]) => `${k}=${v}`), ...(n.taints ?? []).map((t) => `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)].join(', '),
  ]);
  return table(['Node', 'Role', 'CPU', 'Memory', 'Arch', 'IP', 'Runs workloads', 'Labels / taints'], rows);
}

/**
 * The top-level `clusters/README.md`: one row per cluster of the estate, linking its README.
 * Derived from the cluster models only, so every cluster's contributor would produce the same
 * bytes; it is emitted with the estate's first cluster.
 */
export function clustersIndex(clusters: readonly HomelabCluster[]): string {
  const sources = [...new Set(clusters.map((c) => c.sourceFile))];
  const rows = clusters.map((c) => [
    `[${c.name}](${c.name}/README.md)`,
    DISTRIBUTIONS[c.distribution].split(' (')[0],
    c.seed ? code(c.seed) : '–',
    `${c.nodes.length} (${c.controlPlaneNodes.length} control plane)`,
    `${c.flux.layout}, ${c.flux.bootstrap}`,
    String(c.components.length),
    c.scaledDown ? `on (${c.scaleDown.name})` : '–',
    c.description ?? '',
  ]);
  return [
    markdownHeader(sources.join(', ')),
    '',
    '# Clusters',
    '',
    `Each folder is the Flux tree of one cluster, generated by \`npm run synth\` from \`src/clusters/\`; its README describes the cluster (nodes, traffic, dependency graph, inventory, capacity, runbook). Do not edit files here: change the source and synth.`,
    '',
    ...table(['Cluster', 'Distribution', 'Seed', 'Nodes', 'Flux layout, bootstrap', 'Components', 'Scaled down', 'What it is'], rows),
    '',
  ].join('\n');
}

/** The clusters of the estate a cluster belongs to (just itself when built outside an Estate). */
function estateClusters(cluster: HomelabCluster): HomelabCluster[] {
  const scope = cluster.node.scope;
  return scope instanceof Estate ? scope.clusters : [cluster];
}

/**
 * File contributor: `clusters/<c>/README.md` for every cluster, and `clusters/README.md` with the
 * estate's first cluster. Runs last, so it can link the files other contributors wrote.
 */
export const docsContributor: FileContributor = (tree): readonly ContributedFile[] => {
  const files: ContributedFile[] = [{ path: CLUSTER_README(tree.cluster.name), content: clusterReadme(tree) }];
  const clusters = estateClusters(tree.cluster);
  if (clusters[0] === tree.cluster) files.push({ path: CLUSTERS_INDEX, content: clustersIndex(clusters) });
  return files;
};
