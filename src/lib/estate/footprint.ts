import type { Arch, Taint } from './node.js';

/**
 * What a workload asks of the nodes, declared by the construct that deploys it (Helm charts hide
 * their pods, so the construct states the requests it sets in values). The capacity check sums these.
 */
export interface WorkloadFootprint {
  /** Workload name, e.g. `longhorn-manager`. */
  readonly name: string;
  /** Pods per workload; ignored when `perNode` is set. @default 1 */
  readonly replicas?: number;
  /** One pod on every eligible node (DaemonSet). @default false */
  readonly perNode?: boolean;
  /** CPU request per pod, a Kubernetes quantity (`100m`). */
  readonly cpuRequest: string;
  /** Memory request per pod (`128Mi`). */
  readonly memoryRequest: string;
  /** @default - no limit */
  readonly cpuLimit?: string;
  /** @default - no limit */
  readonly memoryLimit?: string;
  /** Node labels the pods require. @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** Taint keys the pods tolerate. @default [] */
  readonly tolerates?: readonly Pick<Taint, 'key'>[];
  /** Architectures the image exists for. @default ['amd64', 'arm64'] */
  readonly arch?: readonly Arch[];
  /** Stopped while the cluster's scale-down profile is active. @default false */
  readonly heavy?: boolean;
}
