import type { k8s } from 'cdk8s-plus-28';
import type { Arch, NodeSpec, Taint } from './node.js';

/**
 * Where a pod may run, decided once: the node labels the scheduler matches, which taints a
 * toleration covers, which nodes admit a pod, and the pod-spec fields (node selector, tolerations,
 * architecture affinity, anti-affinity, spread) that say so. Pure functions over {@link NodeSpec}
 * and a pod's {@link PodPlacement}, so the App construct (which renders and checks placement) and
 * the capacity check (which packs pods onto nodes) answer the same question the same way.
 */

/** A toleration of a node taint (phone workers, ARM boards set aside). */
export interface Toleration {
  readonly key: string;
  /** @default - 'Equal' when a value is given, else 'Exists' */
  readonly operator?: 'Equal' | 'Exists';
  /** @default - any value */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: Taint['effect'];
}

/** How a workload's replicas spread over nodes (or zones): a topologySpreadConstraint. */
export interface SpreadConstraint {
  /** @default 'kubernetes.io/hostname' */
  readonly topologyKey?: string;
  /** @default 1 */
  readonly maxSkew?: number;
  /** @default 'ScheduleAnyway' */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
}

/** A taint as the scheduler compares it (a {@link Taint}, or one read from a rendered Node). */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** What a pod asks of the node it lands on. */
export interface PodPlacement {
  /** Node labels the pod requires. @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** CPU architectures the pod's images exist for. @default - any */
  readonly archs?: readonly Arch[];
}

/** A node's architecture (`amd64` when the model does not say). */
export function nodeArch(node: NodeSpec): Arch {
  return node.arch ?? 'amd64';
}

/**
 * The labels a node carries as the scheduler sees them: its own, then the ones kubelet sets
 * (`kubernetes.io/arch`, `kubernetes.io/hostname`, `kubernetes.io/os`), which win.
 */
export function nodeLabels(node: NodeSpec): Record<string, string> {
  return { ...node.labels, 'kubernetes.io/arch': nodeArch(node), 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux' };
}

/** The operator a toleration means: as written, else `Equal` with a value and `Exists` without. */
export function tolerationOperator(t: Toleration): 'Equal' | 'Exists' {
  return t.operator ?? (t.value !== undefined ? 'Equal' : 'Exists');
}

/**
 * Whether toleration `t` covers `taint`: same key, same effect (or none named), and any value
 * (`Exists`) or the taint's (`Equal`). The key is compared as written, as the App construct always
 * has: an empty key matches only an empty taint key, where Kubernetes reads an empty key with
 * `Exists` as tolerating every taint (the capacity check, which reads pod specs, applies that
 * reading before it asks this module: safety/capacity/placement.ts).
 */
export function toleratesTaint(t: Toleration, taint: NodeTaint): boolean {
  if (t.key !== taint.key) return false;
  if (t.effect && t.effect !== taint.effect) return false;
  return tolerationOperator(t) === 'Exists' || t.value === (taint.value ?? '');
}

/** The first taint of `taints` that keeps the pod off (NoSchedule, NoExecute, not tolerated); undefined when none does. */
export function repellingTaint<T extends NodeTaint>(taints: readonly T[], tolerations: readonly Toleration[]): T | undefined {
  return taints.find((taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** The first label `selector` asks for that the node lacks (or has with another value), as `[key, value]`; undefined when it matches. */
export function selectorMismatch(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): [string, string] | undefined {
  return Object.entries(selector).find(([k, v]) => labels[k] !== v);
}

/** Whether every label `selector` asks for is on the node, with that value. */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return selectorMismatch(selector, labels) === undefined;
}

/** Whether `node` admits the pod by labels and taints (its architecture is a separate question: {@link archsAdmitted}). */
export function admitsPod(node: NodeSpec, placement: PodPlacement): boolean {
  if (!selectorMatches(placement.nodeSelector ?? {}, nodeLabels(node))) return false;
  return repellingTaint(node.taints ?? [], placement.tolerations ?? []) === undefined;
}

/** The nodes of `nodes` that admit the pod by labels and taints. */
export function eligibleNodes(nodes: readonly NodeSpec[], placement: PodPlacement): NodeSpec[] {
  return nodes.filter((n) => admitsPod(n, placement));
}

/** The architectures of `nodes`, once each, sorted. */
export function nodeArchs(nodes: readonly NodeSpec[]): Arch[] {
  return [...new Set(nodes.map(nodeArch))].sort();
}

/** Whether some node of `nodes` has an architecture the pod's images exist for (any, when the pod names none). */
export function archsAdmitted(nodes: readonly NodeSpec[], placement: PodPlacement): boolean {
  const archs = placement.archs;
  return archs === undefined || nodeArchs(nodes).some((a) => archs.includes(a));
}

/** A toleration as the pod spec writes it, the operator made explicit. */
export function renderToleration(t: Toleration): k8s.Toleration {
  return { key: t.key, operator: tolerationOperator(t), value: t.value, effect: t.effect };
}

/**
 * The pod's affinity: a required node affinity on `kubernetes.io/arch` (always written, so the pod
 * lands only on nodes its image is built for) and, for more than one replica, a preferred
 * anti-affinity on the hostname among pods selected by `selectorLabels`.
 */
export function renderAffinity(archs: readonly Arch[], replicas: number, selectorLabels: Readonly<Record<string, string>>): k8s.Affinity {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: [...archs] }] }],
      },
    },
    podAntiAffinity: replicas > 1
      ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...selectorLabels } } } }] }
      : undefined,
  };
}

/** The topologySpreadConstraint of `spread` over the pods selected by `selectorLabels`, defaults filled in. */
export function renderSpread(spread: SpreadConstraint, selectorLabels: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint {
  return {
    maxSkew: spread.maxSkew ?? 1,
    topologyKey: spread.topologyKey ?? 'kubernetes.io/hostname',
    whenUnsatisfiable: spread.whenUnsatisfiable ?? 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selectorLabels } },
  };
}

/** The scheduling fields of a pod spec: node selector, tolerations, affinity and spread (empty ones left out). */
export function renderPlacement(
  placement: PodPlacement & { readonly archs: readonly Arch[] },
  replicas: number,
  selectorLabels: Readonly<Record<string, string>>,
  spread: SpreadConstraint | undefined,
): Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations' | 'affinity' | 'topologySpreadConstraints'> {
  const selector = placement.nodeSelector ?? {};
  const tolerations = placement.tolerations ?? [];
  return {
    nodeSelector: Object.keys(selector).length > 0 ? { ...selector } : undefined,
    tolerations: tolerations.length > 0 ? tolerations.map(renderToleration) : undefined,
    affinity: renderAffinity(placement.archs, replicas, selectorLabels),
    topologySpreadConstraints: spread ? [renderSpread(spread, selectorLabels)] : undefined,
  };
}
