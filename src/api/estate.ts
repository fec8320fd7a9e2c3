/** `cdk8s-homelab/estate`: the estate, its clusters and components, problems and warnings. */
export * from '../lib/estate/estate.js';
export * from '../lib/estate/cluster.js';
export * from '../lib/estate/component.js';
export * from '../lib/estate/distribution.js';
export * from '../lib/estate/problems.js';
export * from '../lib/estate/service-key.js';
export * from '../lib/estate/quantity.js';
// The node shapes ClusterProps.nodes takes (a cluster file that shares node lists or taints names them).
export type { Arch, NodeNic, NodeRole, NodeSpec, Taint } from '../lib/estate/node.js';
