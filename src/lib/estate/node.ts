/** CPU architecture of a node, as Kubernetes labels it (`kubernetes.io/arch`). */
export type Arch = 'amd64' | 'arm64' | 'arm';

/** What a node does in the cluster. */
export type NodeRole = 'control-plane' | 'worker';

/** A taint, as in the Kubernetes Node spec. */
export interface Taint {
  readonly key: string;
  /** @default - no value */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One machine of a cluster. */
export interface NodeSpec {
  /** Hostname, a DNS-1123 label. */
  readonly name: string;
  readonly role: NodeRole;
  /** Whole or fractional CPU cores (`2`, `0.5`). */
  readonly cpu: number;
  /** Memory as a Kubernetes quantity (`8Gi`, `4096Mi`). */
  readonly memory: string;
  /** @default 'amd64' */
  readonly arch?: Arch;
  /** IPv4 address on the node network. @default - assigned by DHCP, not known to the model */
  readonly ip?: string;
  /** Extra node labels (VLANs, hardware). @default {} */
  readonly labels?: Record<string, string>;
  /** Taints keeping ordinary workloads away (phone workers). @default [] */
  readonly taints?: readonly Taint[];
  /**
   * Whether ordinary workloads may run on this node.
   * @default - workers: true; control-plane nodes: true only when the cluster has no worker
   * (a single-node cluster runs its workloads on its control plane)
   */
  readonly schedulable?: boolean;
  /** Disk the OS installs to (Talos `installDisk`). @default '/dev/sda' on Talos, unused elsewhere */
  readonly installDisk?: string;
  /** Network interface carrying the node IP (and the VIP on Talos HA). @default 'eth0' */
  readonly interface?: string;
}
