/**
 * The capacity check's model: resources, nodes with what placement put on them, workloads as the
 * scheduler sees them, findings and the per-cluster report. Types and arithmetic only.
 */
import type { Distribution } from '../../estate/cluster.js';
import type { Arch } from '../../estate/node.js';
import type { Site } from '../report.js';

/** Requests above this share of a node group's allocatable CPU or memory are a warning (`capacity-high`). */
export const CAPACITY_WARN_THRESHOLD = 0.85;

/** CPU in millicores and memory in bytes. */
export interface Resources {
  readonly cpu: number;
  readonly memory: number;
}


/** A mebibyte and a gibibyte, in bytes. */
export const Mi = 2 ** 20;
export const Gi = 2 ** 30;
/** No CPU, no memory. */
export const ZERO: Resources = { cpu: 0, memory: 0 };
/** `a + b × times`, CPU and memory apart. */
export const add = (a: Resources, b: Resources, times = 1): Resources => ({ cpu: a.cpu + b.cpu * times, memory: a.memory + b.memory * times });

/** What a node keeps for itself, with the reasoning printed in docs/safety.md. */
export interface SystemReserve extends Resources {
  readonly why: string;
}

/** A toleration as in a pod spec. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: string;
}

/** A node selector requirement (required node affinity). */
export interface Requirement {
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
  /** The cluster's scale-down profile: its name, and whether heavy workloads are stopped now. */
  readonly scaleDown: { readonly name: string; readonly active: boolean };
  readonly nodes: readonly NodeCapacity[];
  readonly groups: readonly NodeGroupCapacity[];
  readonly workloads: readonly WorkloadModel[];
  /** Heavy workloads and their requests: stopped (freed) while the scale-down profile is active. */
  readonly heavy: { readonly workloads: readonly string[]; readonly requests: Resources };
  readonly errors: readonly CapacityFinding[];
  readonly warnings: readonly CapacityFinding[];
}
