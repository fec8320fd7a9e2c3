/**
 * The capacity and placement check (its parts in capacity/: model, nodes, workloads, placement,
 * printing): requests against each node group's allocatable, and pods that fit nowhere.
 */
import type { HomelabCluster } from '../estate/cluster.js';
import { DerivedKind } from '../model/ledger.js';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../estate/quantity.js';
import type { ClusterTree } from '../tree/tree.js';
import { add, CAPACITY_WARN_THRESHOLD, CapacityFinding, CapacityReport, ZERO } from './capacity/model.js';
import { groupNodes, nodeModels } from './capacity/nodes.js';
import { place, podCount } from './capacity/placement.js';
import { clusterWorkloads, systemWorkloads } from './capacity/workloads.js';

export { CAPACITY_WARN_THRESHOLD } from './capacity/model.js';
export type {
  CapacityFinding, CapacityReport, NodeCapacity, NodeGroupCapacity, Resources, SystemReserve, Toleration, WorkloadModel,
} from './capacity/model.js';
export { systemReserve } from './capacity/nodes.js';
export { systemWorkloads } from './capacity/workloads.js';
export { capacityMarkdown, findingPath, formatCapacityTable } from './capacity/print.js';

/**
 * Sums the requests (and limits) of every workload of a cluster — declared footprints, workloads
 * found in the rendered objects, and what every cluster runs anyway — places their pods on the
 * nodes that may run them (replicas, per-node, selectors, taints, arch, anti-affinity), and
 * compares with each node's allocatable (capacity minus the distribution's system reserve).
 * Pure: it reports nothing itself; {@link checkCapacity} turns the findings into problems.
 */
export function capacityReport(cluster: HomelabCluster, tree: ClusterTree): CapacityReport {
  const errors: CapacityFinding[] = [];
  const warnings: CapacityFinding[] = [];
  const nodes = nodeModels(cluster);
  const all = [...systemWorkloads(cluster, tree), ...clusterWorkloads(cluster, tree, errors)];
  const heavy = all.filter((w) => w.heavy);
  const active = cluster.scaledDown ? all.filter((w) => !w.heavy) : all;
  // With no nodes, or a node whose size does not parse, the cluster model already reports the
  // mistake; placing pods on it would only add noise.
  const nodesValid = cluster.nodes.length > 0 && cluster.nodes.every((n) => (parseCpu(n.cpu) ?? 0) > 0 && (parseMemory(n.memory) ?? 0) > 0);
  place(active, nodes, nodesValid ? errors : []);
  const groups = groupNodes(cluster, nodes);
  for (const g of groups) {
    if (!g.schedulable || g.allocatable.cpu <= 0 || g.allocatable.memory <= 0) continue;
    for (const [what, used, alloc, fmt] of [['CPU', g.requests.cpu, g.allocatable.cpu, formatCpu], ['memory', g.requests.memory, g.allocatable.memory, formatMemory]] as const) {
      const share = used / alloc;
      if (share > CAPACITY_WARN_THRESHOLD && share <= 1) {
        warnings.push({
          site: undefined,
          field: 'nodes',
          code: 'capacity-high',
          message: `${what} requests on ${g.nodes.join(', ')} are ${Math.round(share * 100)}% of allocatable (${fmt(used)} of ${fmt(alloc)}): little room for rollouts or a node failure`,
          fix: 'lower requests, move workloads, or add capacity',
        });
      }
    }
  }
  const heavyRequests = heavy.reduce((acc, w) => add(acc, w.requests, podCount(w, nodes)), ZERO);
  return {
    cluster: cluster.name,
    distribution: cluster.distribution,
    scaleDown: cluster.scaleDown,
    nodes,
    groups,
    workloads: all,
    heavy: { workloads: heavy.map((w) => `${w.component}/${w.name}`), requests: heavyRequests },
    errors,
    warnings,
  };
}

/** The capacity report of the tree last asked for, per cluster (see {@link treeCapacity}). */
const CAPACITY = new DerivedKind<{ tree: ClusterTree; report: CapacityReport }[]>('capacity');

/**
 * The capacity report of a rendered tree, computed once per tree: the docs embed it and the
 * safety checks report its findings, and both ask here (the placement is the costly part of synth).
 */
export function treeCapacity(tree: ClusterTree): CapacityReport {
  const memo = tree.cluster.ledger.derive(CAPACITY, () => []);
  const hit = memo.find((x) => x.tree === tree);
  if (hit) return hit.report;
  const report = capacityReport(tree.cluster, tree);
  memo.push({ tree, report });
  return report;
}
