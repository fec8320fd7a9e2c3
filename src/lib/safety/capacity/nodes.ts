/**
 * The capacity check's nodes: each node's allocatable (capacity minus the distribution's system
 * reserve), labels and taints as the scheduler sees them, and the groups of alike nodes the table prints.
 */
import type { Distribution, HomelabCluster } from '../../estate/cluster.js';
import type { NodeSpec } from '../../estate/node.js';
import { nodeArch, nodeLabels } from '../../estate/scheduling.js';
import { parseCpu, parseMemory } from '../../estate/quantity.js';
import { add, Gi, Mi, NodeCapacity, NodeGroupCapacity, Resources, SystemReserve, ZERO } from './model.js';

/**
 * System reserve of a node: what the OS, kubelet, container runtime, eviction threshold and (on
 * control-plane nodes) the static control-plane pods take before any workload is scheduled.
 * These are documented estimates of each distribution's defaults (docs/safety.md), not measurements.
 */
export function systemReserve(distribution: Distribution, node: NodeSpec, controlPlane: boolean): SystemReserve {
  const capacity = { cpu: parseCpu(node.cpu) ?? 0, memory: parseMemory(node.memory) ?? 0 };
  switch (distribution) {
    case 'talos':
      // kubelet systemReserved 50m/192Mi + hard eviction 100Mi; control plane: the requests of the
      // kube-apiserver (200m/512Mi), controller-manager (50m/256Mi) and scheduler (10m/64Mi) static pods.
      return controlPlane
        ? { cpu: 310, memory: 1124 * Mi, why: 'Talos: kubelet systemReserved 50m/192Mi, eviction 100Mi, control-plane static pods 260m/832Mi' }
        : { cpu: 50, memory: 292 * Mi, why: 'Talos: kubelet systemReserved 50m/192Mi, eviction 100Mi' };
    case 'k3s':
      // k3s reserves nothing by default, but its single binary really uses it: the server embeds the
      // API server, controllers and datastore; an agent runs kubelet, containerd and flannel.
      return controlPlane
        ? { cpu: 250, memory: 612 * Mi, why: 'k3s server process (API server, controllers, datastore) ~250m/512Mi, eviction 100Mi' }
        : { cpu: 100, memory: 228 * Mi, why: 'k3s agent (kubelet, containerd, flannel) ~100m/128Mi, eviction 100Mi' };
    case 'oke':
      return { ...okeReserve(capacity), why: 'OKE kube-reserved by node size (tiered), eviction 100Mi' };
    default:
      // An unknown distribution is reported by the cluster; count nothing rather than fail here.
      return { cpu: 0, memory: 0, why: `unknown distribution '${String(distribution)}'` };
  }
}

/** OKE's tiered kube-reserved: a share of each slice of memory and CPU, plus the 100Mi eviction threshold. */
function okeReserve(capacity: Resources): Resources {
  const tiers = (amount: number, slices: [number, number][]): number => {
    let left = amount;
    let reserved = 0;
    for (const [size, share] of slices) {
      const take = Math.min(left, size);
      reserved += take * share;
      left -= take;
      if (left <= 0) break;
    }
    return reserved;
  };
  const memory = tiers(capacity.memory, [[4 * Gi, 0.25], [4 * Gi, 0.2], [8 * Gi, 0.1], [112 * Gi, 0.06], [Infinity, 0.02]]) + 100 * Mi;
  const cpu = tiers(capacity.cpu, [[1000, 0.06], [1000, 0.01], [2000, 0.005], [Infinity, 0.0025]]);
  return { cpu: Math.round(cpu), memory: Math.round(memory) };
}

/** The taint kubeadm-style control-plane nodes carry when workloads may not run there. */
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** One model per node of the cluster, nothing placed yet. */
export function nodeModels(cluster: HomelabCluster): NodeCapacity[] {
  const schedulable = new Set(cluster.schedulableNodes);
  return cluster.nodes.map((n) => {
    const controlPlane = n.role === 'control-plane';
    const capacity = { cpu: Math.max(0, parseCpu(n.cpu) ?? 0), memory: Math.max(0, parseMemory(n.memory) ?? 0) };
    const reserve = systemReserve(cluster.distribution, n, controlPlane);
    const arch = nodeArch(n);
    // The scheduler's labels, plus the role label control-plane nodes carry (required affinities may name it).
    const labels: Record<string, string> = { ...nodeLabels(n), ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) };
    const taints = [...(n.taints ?? []).map((t) => ({ ...t })), ...(!schedulable.has(n) && controlPlane ? [CONTROL_PLANE_TAINT] : [])];
    if (!schedulable.has(n) && !controlPlane) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    const groupLabels = Object.entries(n.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
    return {
      name: n.name,
      role: n.role,
      arch,
      capacity,
      reserve,
      allocatable: { cpu: Math.max(0, capacity.cpu - reserve.cpu), memory: Math.max(0, capacity.memory - reserve.memory) },
      requests: ZERO,
      limits: ZERO,
      pods: [],
      labels,
      taints,
      groupKey: JSON.stringify([n.role, schedulable.has(n), arch, capacity, groupLabels, taints]),
    };
  });
}

/** Nodes that look alike (role, schedulability, arch, size, labels, taints), with their summed resources. */
export function groupNodes(cluster: HomelabCluster, nodes: readonly NodeCapacity[]): NodeGroupCapacity[] {
  const schedulable = new Set(cluster.schedulableNodes.map((n) => n.name));
  const groups = new Map<string, NodeCapacity[]>();
  for (const n of nodes) groups.set(n.groupKey, [...(groups.get(n.groupKey) ?? []), n]);
  return [...groups.values()].map((list) => ({
    nodes: list.map((n) => n.name),
    role: list[0].role,
    arch: list[0].arch,
    schedulable: schedulable.has(list[0].name),
    allocatable: list.reduce((a, n) => add(a, n.allocatable), ZERO),
    requests: list.reduce((a, n) => add(a, n.requests), ZERO),
    limits: list.reduce((a, n) => add(a, n.limits), ZERO),
  }));
}
