import { Distribution, HomelabCluster } from '../estate/cluster.js';
import { Component } from '../estate/component.js';
import { WorkloadFootprint } from '../estate/footprint.js';
import { Arch, NodeSpec } from '../estate/node.js';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../estate/quantity.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { apiGroup, containersOf, Manifest, podTemplateOf } from '../tree/manifests.js';
import { Site, sitePath } from './report.js';

/** Requests above this share of a node group's allocatable CPU or memory are a warning (`capacity-high`). */
export const CAPACITY_WARN_THRESHOLD = 0.85;

/** CPU in millicores and memory in bytes. */
export interface Resources {
  readonly cpu: number;
  readonly memory: number;
}

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const ZERO: Resources = { cpu: 0, memory: 0 };
const add = (a: Resources, b: Resources, times = 1): Resources => ({ cpu: a.cpu + b.cpu * times, memory: a.memory + b.memory * times });

/** What a node keeps for itself, with the reasoning printed in docs/safety.md. */
export interface SystemReserve extends Resources {
  readonly why: string;
}

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

/** A toleration as in a pod spec. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: string;
}

/** A node selector requirement (required node affinity). */
interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** One workload as the capacity check sees it: pods, per-pod requests and where it may run. */
export interface WorkloadModel {
  readonly name: string;
  /** Component name, or `(system)` for what every cluster runs (Flux, CoreDNS, CNI). */
  readonly component: string;
  readonly site: Site | undefined;
  readonly kind: string;
  readonly replicas: number;
  readonly perNode: boolean;
  /** Jobs: checked to fit, not summed. */
  readonly transient: boolean;
  readonly requests: Resources;
  readonly limits: Resources;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Required node affinity: any term matches when all its requirements do. */
  readonly affinity: readonly (readonly Requirement[])[];
  readonly tolerations: readonly Toleration[];
  readonly arch?: readonly Arch[];
  readonly heavy: boolean;
  /** Required pod anti-affinity on the hostname: at most one pod per node. */
  readonly onePerNode: boolean;
}

/** One node with what the placement put on it. */
export interface NodeCapacity {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly arch: Arch;
  readonly capacity: Resources;
  readonly reserve: SystemReserve;
  readonly allocatable: Resources;
  requests: Resources;
  limits: Resources;
  readonly pods: string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  /** Key grouping identical nodes (role, size, arch, labels, taints). */
  readonly groupKey: string;
}

/** A row of the capacity table: nodes that look alike. */
export interface NodeGroupCapacity {
  readonly nodes: readonly string[];
  readonly role: 'control-plane' | 'worker';
  readonly arch: Arch;
  readonly schedulable: boolean;
  readonly allocatable: Resources;
  readonly requests: Resources;
  readonly limits: Resources;
}

/** A finding of the capacity check, located at the workload's construct or manifest. */
export interface CapacityFinding {
  readonly site: Site | undefined;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
  /** Warning code when the finding is a warning. */
  readonly code?: string;
  /** `placement`: no node may run the workload at all (arch, selector, affinity, taints). */
  readonly kind?: 'placement';
}

export interface CapacityReport {
  readonly cluster: string;
  readonly distribution: Distribution;
  readonly gamingMode: boolean;
  readonly nodes: readonly NodeCapacity[];
  readonly groups: readonly NodeGroupCapacity[];
  readonly workloads: readonly WorkloadModel[];
  /** Heavy workloads and their requests: stopped (freed) in gaming mode. */
  readonly heavy: { readonly workloads: readonly string[]; readonly requests: Resources };
  readonly errors: readonly CapacityFinding[];
  readonly warnings: readonly CapacityFinding[];
}

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
  const active = cluster.gamingMode ? all.filter((w) => !w.heavy) : all;
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
    gamingMode: cluster.gamingMode,
    nodes,
    groups,
    workloads: all,
    heavy: { workloads: heavy.map((w) => `${w.component}/${w.name}`), requests: heavyRequests },
    errors,
    warnings,
  };
}

function podCount(w: WorkloadModel, nodes: readonly NodeCapacity[]): number {
  if (w.transient) return 0;
  return w.perNode ? nodes.filter((n) => eligible(w, n).ok).length : w.replicas;
}

// ---------------------------------------------------------------------------------------------
// Nodes

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

function nodeModels(cluster: HomelabCluster): NodeCapacity[] {
  const schedulable = new Set(cluster.schedulableNodes);
  return cluster.nodes.map((n) => {
    const controlPlane = n.role === 'control-plane';
    const capacity = { cpu: Math.max(0, parseCpu(n.cpu) ?? 0), memory: Math.max(0, parseMemory(n.memory) ?? 0) };
    const reserve = systemReserve(cluster.distribution, n, controlPlane);
    const arch = n.arch ?? 'amd64';
    const labels: Record<string, string> = {
      ...(n.labels ?? {}),
      'kubernetes.io/hostname': n.name,
      'kubernetes.io/arch': arch,
      'kubernetes.io/os': 'linux',
      ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
    };
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

function groupNodes(cluster: HomelabCluster, nodes: readonly NodeCapacity[]): NodeGroupCapacity[] {
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

// ---------------------------------------------------------------------------------------------
// Workloads

/**
 * What every cluster runs without a component declaring it: the Flux controllers (and
 * flux-operator), CoreDNS and, on Talos without Cilium, flannel. Requests are the upstream defaults.
 */
export function systemWorkloads(cluster: HomelabCluster, tree: ClusterTree): WorkloadModel[] {
  const sys = (name: string, cpu: number, memoryMi: number, extra: Partial<WorkloadModel> = {}): WorkloadModel => ({
    name, component: '(system)', site: undefined, kind: 'Deployment', replicas: 1, perNode: false, transient: false,
    requests: { cpu, memory: memoryMi * Mi }, limits: { cpu: 1000, memory: Gi }, nodeSelector: {}, affinity: [],
    tolerations: [], heavy: false, onePerNode: false, ...extra,
  });
  const controlPlaneToleration = cluster.distribution === 'oke' ? [] : [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists' as const, effect: 'NoSchedule' }];
  const list = [
    sys('source-controller', 50, 64),
    sys('kustomize-controller', 100, 64),
    sys('helm-controller', 100, 64),
    sys('notification-controller', 100, 64),
    sys('coredns', 100, 70, { replicas: cluster.distribution === 'k3s' ? 1 : 2, limits: { cpu: 0, memory: 170 * Mi }, tolerations: controlPlaneToleration }),
  ];
  if (cluster.flux.bootstrap === 'operator') list.push(sys('flux-operator', 100, 64));
  const hasCilium = tree.manifests.some((m) => m.object.kind === 'HelmRelease' && m.object.spec?.chart?.spec?.chart === 'cilium');
  if (cluster.distribution === 'talos' && !hasCilium) {
    list.push(sys('kube-flannel', 100, 50, { kind: 'DaemonSet', perNode: true, limits: ZERO, tolerations: [{ operator: 'Exists' }] }));
  }
  return list;
}

/** Declared footprints plus workloads found in rendered objects; a footprint replaces a rendered workload of the same name. */
function clusterWorkloads(cluster: HomelabCluster, tree: ClusterTree, errors: CapacityFinding[]): WorkloadModel[] {
  const out: WorkloadModel[] = [];
  const byComponent = manifestsByComponentPath(cluster, tree);
  for (const c of cluster.components) {
    const declared = c.workloads.map((w, i) => fromFootprint(c, w, i, errors));
    const names = new Set(c.workloads.map((w) => w.name));
    const rendered = (byComponent.get(c.node.path) ?? [])
      .filter((m) => !names.has(m.object.metadata?.name))
      .flatMap((m) => fromManifest(c, m, errors));
    out.push(...declared, ...rendered);
  }
  return out;
}

/**
 * The manifests at or under each component's construct path, in tree order, indexed in one pass
 * (filtering every manifest per component made the check quadratic: 1000 apps took seconds).
 */
function manifestsByComponentPath(cluster: HomelabCluster, tree: ClusterTree): Map<string, RenderedManifest[]> {
  const paths = new Set(cluster.components.map((c) => c.node.path));
  const out = new Map<string, RenderedManifest[]>();
  for (const m of tree.manifests) {
    for (let p = m.path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (paths.has(p)) {
        const list = out.get(p);
        if (list) list.push(m);
        else out.set(p, [m]);
      }
      if (!p.includes('/')) break;
    }
  }
  return out;
}

function quantity(kind: 'cpu' | 'memory', value: unknown, required: boolean, site: Site, field: string, errors: CapacityFinding[]): number {
  if (value === undefined || value === null) {
    if (required) errors.push({ site, field, message: `${kind} request is missing`, fix: kind === 'cpu' ? "set it, e.g. '100m'" : "set it, e.g. '128Mi'" });
    return 0;
  }
  const text = String(value).trim();
  const parsed = kind === 'cpu' ? parseCpu(value as string | number) : parseMemory(value as string | number);
  const example = kind === 'cpu' ? "'250m' or '0.5'" : "'256Mi' or '1Gi'";
  if (text.startsWith('-') || (parsed !== undefined && parsed < 0)) {
    errors.push({ site, field, message: `${kind} ${JSON.stringify(value)} is negative`, fix: `use a positive quantity such as ${example}` });
    return 0;
  }
  if (parsed === undefined) {
    errors.push({ site, field, message: `${kind} ${JSON.stringify(value)} is not a Kubernetes quantity`, fix: `write it like ${example}` });
    return 0;
  }
  if (parsed === 0) {
    errors.push({ site, field, message: `${kind} ${JSON.stringify(value)} is zero`, fix: `give a real ${kind} amount such as ${example}, or leave it out` });
  }
  return parsed;
}

function fromFootprint(c: Component, w: WorkloadFootprint, i: number, errors: CapacityFinding[]): WorkloadModel {
  const at = `workloads[${i}]`;
  const replicas = w.replicas ?? 1;
  if (!w.perNode && (!Number.isInteger(replicas) || replicas < 0)) {
    errors.push({ site: c, field: `${at}.replicas`, message: `workload '${w.name}' has ${replicas} replicas`, fix: 'use a whole number of replicas, 0 or more' });
  }
  return {
    name: w.name,
    component: c.name,
    site: c,
    kind: w.perNode ? 'DaemonSet' : 'Deployment',
    replicas: Math.max(0, Math.floor(replicas)),
    perNode: w.perNode ?? false,
    transient: false,
    requests: { cpu: quantity('cpu', w.cpuRequest, true, c, `${at}.cpuRequest`, errors), memory: quantity('memory', w.memoryRequest, true, c, `${at}.memoryRequest`, errors) },
    limits: { cpu: quantity('cpu', w.cpuLimit, false, c, `${at}.cpuLimit`, errors), memory: quantity('memory', w.memoryLimit, false, c, `${at}.memoryLimit`, errors) },
    nodeSelector: w.nodeSelector ?? {},
    affinity: [],
    tolerations: (w.tolerates ?? []).map((t) => (t.key === '' || t.key === '*' ? { operator: 'Exists' as const } : { key: t.key, operator: 'Exists' as const })),
    arch: w.arch,
    heavy: w.heavy ?? false,
    onePerNode: false,
  };
}

function fromManifest(c: Component, m: RenderedManifest, errors: CapacityFinding[]): WorkloadModel[] {
  const o: Manifest = m.object;
  const t = podTemplateOf(o);
  if (!t) return [];
  const group = apiGroup(o);
  const perNode = o.kind === 'DaemonSet';
  const transient = group === 'batch';
  const replicas = perNode || transient || o.kind === 'Pod' ? 1 : o.spec?.replicas ?? 1;
  let requests = ZERO;
  let limits = ZERO;
  let initMax = ZERO;
  for (const { container, at, init } of containersOf(t.spec)) {
    const field = `${t.at}.${at}.resources`;
    const r = container.resources ?? {};
    const req = { cpu: quantity('cpu', r.requests?.cpu, false, m, `${field}.requests.cpu`, errors), memory: quantity('memory', r.requests?.memory, false, m, `${field}.requests.memory`, errors) };
    const lim = { cpu: quantity('cpu', r.limits?.cpu, false, m, `${field}.limits.cpu`, errors), memory: quantity('memory', r.limits?.memory, false, m, `${field}.limits.memory`, errors) };
    // Requests default to limits when only limits are set, as the API server does.
    const effective = { cpu: r.requests?.cpu === undefined ? lim.cpu : req.cpu, memory: r.requests?.memory === undefined ? lim.memory : req.memory };
    if (init && container.restartPolicy !== 'Always') {
      initMax = { cpu: Math.max(initMax.cpu, effective.cpu), memory: Math.max(initMax.memory, effective.memory) };
    } else {
      requests = add(requests, effective);
      limits = add(limits, lim);
    }
  }
  requests = { cpu: Math.max(requests.cpu, initMax.cpu), memory: Math.max(requests.memory, initMax.memory) };
  const affinity = t.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const antiAffinity = t.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return [{
    name: String(o.metadata?.name),
    component: c.name,
    site: m,
    kind: String(o.kind),
    replicas: typeof replicas === 'number' ? Math.max(0, replicas) : 1,
    perNode,
    transient,
    requests,
    limits,
    nodeSelector: t.spec.nodeSelector ?? {},
    affinity: affinity.map((term: Manifest) => (term.matchExpressions ?? []) as Requirement[]),
    tolerations: t.spec.tolerations ?? [],
    heavy: false,
    onePerNode: antiAffinity.some((a: Manifest) => a.topologyKey === 'kubernetes.io/hostname'),
  }];
}

// ---------------------------------------------------------------------------------------------
// Placement

function tolerates(w: WorkloadModel, taint: { key: string; value?: string; effect: string }): boolean {
  if (w.perNode && taint.key.startsWith('node.kubernetes.io/')) return true; // DaemonSets tolerate node conditions
  return w.tolerations.some((t) =>
    (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key && (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')))
    && (!t.effect || t.effect === taint.effect));
}

function matches(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[req.key];
  switch (req.operator) {
    case 'In': return v !== undefined && (req.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(req.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(req.values?.[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(req.values?.[0]);
    default: return true;
  }
}

/**
 * Whether a workload may run on a node, and if not, why: `why` is a sentence about `{nodes}`, so
 * nodes refused for the same reason are listed together.
 */
function eligible(w: WorkloadModel, n: NodeCapacity): { ok: boolean; why?: string } {
  if (w.arch && !w.arch.includes(n.arch)) return { ok: false, why: `its image exists for ${w.arch.join('/')} only, and {nodes} {is} ${n.arch}` };
  for (const [k, v] of Object.entries(w.nodeSelector)) if (n.labels[k] !== v) return { ok: false, why: `its nodeSelector ${k}=${v} does not match {nodes}` };
  if (w.affinity.length > 0 && !w.affinity.some((term) => term.every((r) => matches(r, n.labels)))) return { ok: false, why: 'its required node affinity excludes {nodes}' };
  const taint = n.taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(w, t));
  if (taint) return { ok: false, why: `{nodes} {has} taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}, which it does not tolerate` };
  return { ok: true };
}

/** Why no node accepts a workload, one sentence per reason. */
function refusals(w: WorkloadModel, nodes: readonly NodeCapacity[]): string {
  const byReason = new Map<string, string[]>();
  for (const n of nodes) {
    const why = eligible(w, n).why;
    if (why) byReason.set(why, [...(byReason.get(why) ?? []), n.name]);
  }
  return [...byReason].map(([why, names]) => why
    .replace('{nodes}', `${names.length > 1 ? 'nodes' : 'node'} ${names.map((x) => `'${x}'`).join(', ')}`)
    .replace('{is}', names.length > 1 ? 'are' : 'is')
    .replace('{has}', names.length > 1 ? 'have' : 'has')).join('; ');
}

function describe(r: Resources): string {
  return `${formatCpu(r.cpu)} CPU / ${formatMemory(r.memory)}`;
}

function free(n: NodeCapacity): Resources {
  return { cpu: n.allocatable.cpu - n.requests.cpu, memory: n.allocatable.memory - n.requests.memory };
}

function fits(r: Resources, n: NodeCapacity): boolean {
  const f = free(n);
  return r.cpu <= f.cpu && r.memory <= f.memory;
}

function put(w: WorkloadModel, n: NodeCapacity): void {
  n.requests = add(n.requests, w.requests);
  n.limits = add(n.limits, w.limits);
  n.pods.push(`${w.component}/${w.name}`);
}

/**
 * Places every pod the way the scheduler would at best: per-node pods first, then the largest
 * pods on the eligible node with the most free memory. A pod that fits nowhere is an error.
 */
function place(workloads: readonly WorkloadModel[], nodes: NodeCapacity[], errors: CapacityFinding[]): void {
  const where = (w: WorkloadModel): string => (w.component === '(system)' ? `system workload '${w.name}'` : `${w.kind} '${w.name}'`);
  const noNode = (w: WorkloadModel): void => {
    errors.push({
      site: w.site,
      kind: 'placement',
      field: fieldOf(w, 'placement'),
      message: `${where(w)} can run on no node of the cluster: ${refusals(w, nodes)}`,
      fix: w.arch ? `use an image built for ${[...new Set(nodes.map((n) => n.arch))].join('/')}, or add a node of a matching architecture` : 'fix its nodeSelector/affinity or tolerations, or add a matching node',
    });
  };
  for (const w of workloads.filter((x) => x.perNode && !x.transient)) {
    const targets = nodes.filter((n) => eligible(w, n).ok);
    if (targets.length === 0) noNode(w);
    for (const n of targets) {
      if (!fits(w.requests, n)) {
        errors.push({
          site: w.site,
          field: fieldOf(w, 'requests'),
          message: `${where(w)} runs one pod per node, and on '${n.name}' it needs ${describe(w.requests)} but only ${describe(free(n))} of ${describe(n.allocatable)} allocatable is left`,
          fix: `lower its requests, keep it off '${n.name}' (nodeSelector/taint), or give '${n.name}' more resources`,
        });
      }
      put(w, n);
    }
  }
  const pods = workloads.filter((w) => !w.perNode && !w.transient).flatMap((w) => Array.from({ length: w.replicas }, (_, i) => ({ w, i })));
  pods.sort((a, b) => b.w.requests.memory - a.w.requests.memory || b.w.requests.cpu - a.w.requests.cpu);
  const failed = new Set<WorkloadModel>();
  const placedOn = new Map<WorkloadModel, Set<string>>();
  for (const { w } of pods) {
    if (failed.has(w)) continue;
    const targets = nodes.filter((n) => eligible(w, n).ok);
    if (targets.length === 0) {
      noNode(w);
      failed.add(w);
      continue;
    }
    const used = placedOn.get(w) ?? new Set<string>();
    const candidates = targets.filter((n) => !(w.onePerNode && used.has(n.name)) && fits(w.requests, n));
    if (candidates.length === 0) {
      failed.add(w);
      errors.push(unplaceable(w, targets, used, where(w)));
      continue;
    }
    const best = candidates.reduce((a, b) => (freeShare(b) > freeShare(a) ? b : a));
    put(w, best);
    placedOn.set(w, new Set([...used, best.name]));
  }
  for (const w of workloads.filter((x) => x.transient)) {
    const targets = nodes.filter((n) => eligible(w, n).ok);
    if (targets.length === 0) noNode(w);
    else if (!targets.some((n) => w.requests.cpu <= n.allocatable.cpu && w.requests.memory <= n.allocatable.memory)) {
      errors.push({ site: w.site, field: fieldOf(w, 'requests'), message: `${where(w)} requests ${describe(w.requests)} per pod, more than any node it may run on allocates`, fix: 'lower its requests or add a bigger node' });
    }
  }
}

function freeShare(n: NodeCapacity): number {
  const f = free(n);
  return Math.min(n.allocatable.cpu > 0 ? f.cpu / n.allocatable.cpu : 0, n.allocatable.memory > 0 ? f.memory / n.allocatable.memory : 0);
}

function unplaceable(w: WorkloadModel, targets: NodeCapacity[], used: Set<string>, where: string): CapacityFinding {
  const largest = targets.reduce((a, b) => (b.allocatable.memory > a.allocatable.memory ? b : a));
  if (w.requests.memory > largest.allocatable.memory || !targets.some((n) => w.requests.cpu <= n.allocatable.cpu)) {
    return {
      site: w.site,
      field: fieldOf(w, 'requests'),
      message: `${where} requests ${describe(w.requests)} per pod, more than any node it may run on can ever give (largest: '${largest.name}' with ${describe(largest.allocatable)} allocatable)`,
      fix: 'lower its requests, or run it on a bigger node',
    };
  }
  if (w.onePerNode && used.size >= targets.length) {
    return {
      site: w.site,
      field: fieldOf(w, 'replicas'),
      message: `${where} wants ${w.replicas} replicas on distinct nodes (required anti-affinity) but only ${targets.length} node(s) may run it: ${targets.map((n) => n.name).join(', ')}`,
      fix: `lower replicas to ${targets.length} or fewer (derive it from the schedulable nodes), or relax the anti-affinity to preferred`,
    };
  }
  const left = targets.map((n) => `${n.name} ${describe(free(n))}`).join(', ');
  return {
    site: w.site,
    field: fieldOf(w, 'requests'),
    message: `${where} cannot be scheduled: its ${w.replicas} pod(s) of ${describe(w.requests)} exceed what is left on the nodes it may run on (${left})`,
    fix: 'lower requests or replicas of this or other workloads, stop heavy workloads (gaming mode), or add capacity',
  };
}

function fieldOf(w: WorkloadModel, what: 'placement' | 'requests' | 'replicas'): string {
  if (w.component === '(system)') return 'nodes';
  if (w.site && 'object' in (w.site as object)) {
    return what === 'replicas' ? 'spec.replicas' : what === 'requests' ? `${podTemplateOf((w.site as RenderedManifest).object)?.at ?? 'spec'}.containers[*].resources.requests` : 'spec.template.spec (nodeSelector, affinity, tolerations)';
  }
  return `workloads.${w.name}.${what === 'placement' ? 'arch/nodeSelector/tolerates' : what === 'replicas' ? 'replicas' : 'cpuRequest/memoryRequest'}`;
}

// ---------------------------------------------------------------------------------------------
// Printing

const pct = (used: number, of: number): string => (of > 0 ? `${Math.round((used / of) * 100)}%` : '-');

/** The per-cluster capacity table synth prints (and the generated docs embed). */
export function formatCapacityTable(r: CapacityReport): string[] {
  const header = ['nodes', 'role', 'arch', 'allocatable', 'requests CPU', 'requests memory', 'limits CPU', 'limits memory'];
  const rows = r.groups.map((g) => [
    g.nodes.length > 1 ? `${g.nodes.join(', ')} (×${g.nodes.length})` : g.nodes[0],
    g.schedulable ? g.role : `${g.role} (tainted)`,
    g.arch,
    `${formatCpu(g.allocatable.cpu)} CPU / ${formatMemory(g.allocatable.memory)}`,
    `${formatCpu(g.requests.cpu)} (${pct(g.requests.cpu, g.allocatable.cpu)})`,
    `${formatMemory(g.requests.memory)} (${pct(g.requests.memory, g.allocatable.memory)})`,
    `${formatCpu(g.limits.cpu)} (${pct(g.limits.cpu, g.allocatable.cpu)})`,
    `${formatMemory(g.limits.memory)} (${pct(g.limits.memory, g.allocatable.memory)})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`capacity ${r.cluster} (${r.distribution}; allocatable = capacity − system reserve, see docs/safety.md):`, line(header), ...rows.map(line)];
  if (r.heavy.workloads.length > 0) {
    const freed = `${formatCpu(r.heavy.requests.cpu)} CPU / ${formatMemory(r.heavy.requests.memory)} of requests`;
    out.push(r.gamingMode
      ? `  gaming mode: ${r.heavy.workloads.length} heavy workload(s) stopped (${r.heavy.workloads.join(', ')}), freeing ${freed}`
      : `  heavy workloads (${r.heavy.workloads.join(', ')}) hold ${freed}; gaming mode would free them`);
  } else if (r.gamingMode) {
    out.push('  gaming mode: no heavy workload to stop, nothing freed');
  }
  return out;
}

/** Same table as Markdown, for generated READMEs. */
export function capacityMarkdown(r: CapacityReport): string {
  const rows = r.groups.map((g) => `| ${g.nodes.join(', ')} | ${g.role}${g.schedulable ? '' : ' (tainted)'} | ${g.arch} | ${formatCpu(g.allocatable.cpu)} CPU / ${formatMemory(g.allocatable.memory)} | ${formatCpu(g.requests.cpu)} (${pct(g.requests.cpu, g.allocatable.cpu)}) / ${formatMemory(g.requests.memory)} (${pct(g.requests.memory, g.allocatable.memory)}) | ${formatCpu(g.limits.cpu)} / ${formatMemory(g.limits.memory)} |`);
  return ['| Nodes | Role | Arch | Allocatable | Requests (CPU / memory) | Limits (CPU / memory) |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** Location string for a finding without a workload (cluster-level). */
export function findingPath(f: CapacityFinding, cluster: HomelabCluster): string {
  return f.site ? sitePath(f.site) : cluster.node.path;
}
