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
  /**
   * The network port carrying the node IP (and the control-plane VIP). Talos and modern Linux name
   * links after their bus position (`eno1`, `enp2s0`, `ens18`), never `eth0`, so the library cannot
   * guess it: a Talos control plane holding the VIP must say which port it is.
   * @default - unknown: the VIP cannot be placed (synth error on Talos control planes when the
   * cluster has a VIP) and Cilium announces LoadBalancer IPs on every interface
   */
  readonly nic?: NodeNic;
}

/**
 * How to find a node's network port. Give what you know: the MAC address is the most stable (it
 * survives a new kernel, a BIOS update or a PCI slot change); a driver suits a VM with one virtual
 * NIC; the kernel name is what `ip link` / `talosctl get links --insecure -n <ip>` shows.
 */
export interface NodeNic {
  /** Kernel link name (`enp2s0`). Used as is, and by Cilium to pick the announcing interface. @default - unknown */
  readonly name?: string;
  /**
   * Permanent MAC address (`aa:bb:cc:dd:ee:ff`). On Talos the port is aliased `lan0` by it
   * (a `LinkAliasConfig`), so nothing depends on the kernel's name. @default - unknown
   */
  readonly mac?: string;
  /**
   * Kernel driver of the port (`virtio_net` for a Proxmox VirtIO NIC, `igc`, `r8169`). On Talos the
   * port is aliased `lan0` by it: only right when the node has exactly one port with that driver.
   * @default - unknown
   */
  readonly driver?: string;
}
