export { clusterReadme, clustersIndex, docsContributor, markdownHeader, CLUSTER_README, CLUSTERS_INDEX } from './readme.js';
export type { ClusterReadmeOptions } from './readme.js';
export { treeFacts, routeHostnames, componentIndex } from './facts.js';
export type { TreeFacts, RouteFact, EntryFact, ChartFact } from './facts.js';
export { trafficDiagram, MAX_APPS_PER_NAMESPACE } from './traffic.js';
export { fluxGraphDiagram, transitiveReduction, MAX_COMPONENTS_PER_GROUP } from './flux-graph.js';
export { restoreDrills, runbookLines } from './runbook.js';
export { Flowchart, label as mermaidLabel } from './mermaid.js';
