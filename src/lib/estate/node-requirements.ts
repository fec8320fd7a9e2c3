import { FactKind } from '../model/ledger.js';
import type { HomelabCluster } from './cluster.js';
import type { Component } from './component.js';
import type { NodeSpec } from './node.js';

/**
 * What the node operating system must provide for the components a cluster runs, as data.
 *
 * Components running on the host's behalf (storage drivers, the CNI) need things Kubernetes cannot
 * install: a Talos system extension, a kernel module, a kubelet bind mount, a host package, or a
 * cluster-level switch (no default CNI, no kube-proxy). Each component states them with
 * {@link addNodeRequirements}; the OS-config generators (Talos machine config, k3s/NixOS config)
 * read the merged result with {@link nodeRequirements} (whole cluster) or {@link nodeRequirementsFor}
 * (one node), and never need to know which component asked.
 *
 * ```ts
 * // in a construct (e.g. Longhorn):
 * addNodeRequirements(this, {
 *   talosExtensions: ['siderolabs/iscsi-tools', 'siderolabs/util-linux-tools'],
 *   kubeletExtraMounts: [{ destination: '/var/lib/longhorn', source: '/var/lib/longhorn', type: 'bind', options: ['bind', 'rshared', 'rw'] }],
 *   hostPackages: ['open-iscsi'],
 *   hostServices: ['iscsid'],
 * });
 * // in the Talos config generator:
 * const req = nodeRequirementsFor(cluster, node);
 * // req.talosExtensions → machine.install.extensions / image factory schematic
 * // req.kubeletExtraMounts → machine.kubelet.extraMounts
 * // req.kernelModules → machine.kernel.modules
 * // req.cni === 'none' → cluster.network.cni.name: none; req.disableKubeProxy → cluster.proxy.disabled: true
 * // req.talosPatches → merged into the machine config as strategic-merge patches
 * ```
 */

/** A kubelet bind mount (Talos `machine.kubelet.extraMounts`; a plain host directory elsewhere). */
export interface KubeletExtraMount {
  /** Path inside the kubelet's mount namespace. */
  readonly destination: string;
  /** Host path. */
  readonly source: string;
  /** Mount type. @default 'bind' */
  readonly type?: 'bind';
  /** Mount options. @default ['bind', 'rshared', 'rw'] */
  readonly options?: readonly string[];
}

/**
 * Host packages by their generic name. The OS generator maps each to the distribution's package
 * with {@link HOST_PACKAGE_NAMES} (Debian/Ubuntu and NixOS names are listed there).
 */
export type HostPackage = 'open-iscsi' | 'nfs-client' | 'zfs' | 'util-linux' | 'cryptsetup';

/** Package names per OS for each {@link HostPackage}. */
export const HOST_PACKAGE_NAMES: Readonly<Record<HostPackage, { readonly debian: string; readonly nixos: string }>> = {
  'open-iscsi': { debian: 'open-iscsi', nixos: 'openiscsi' },
  'nfs-client': { debian: 'nfs-common', nixos: 'nfs-utils' },
  zfs: { debian: 'zfsutils-linux', nixos: 'zfs' },
  'util-linux': { debian: 'util-linux', nixos: 'util-linux' },
  cryptsetup: { debian: 'cryptsetup', nixos: 'cryptsetup' },
};

/**
 * Something a person must do on the nodes before the component can work, that no generated file
 * does (create a ZFS pool on a spare disk, plug the NIC the VIP lives on). Listed in the cluster
 * README and the bootstrap runbook under "Prerequisites".
 */
export interface NodePrerequisite {
  /** Short name, unique per cluster (`zfs-pool zfspv-pool`). */
  readonly name: string;
  /** Why the component needs it. */
  readonly reason: string;
  /** What to run or check, as a person would (one or more shell lines or a sentence). */
  readonly howTo: string;
}

/** What one component needs from the nodes' OS. Every field is optional. */
export interface NodeRequirements {
  /**
   * Talos system extensions, as `siderolabs/<name>` (the image factory / `machine.install.extensions`
   * name without registry or tag; the Talos generator picks the tag matching the Talos version).
   * @default []
   */
  readonly talosExtensions?: readonly string[];
  /** Kernel modules to load at boot (Talos `machine.kernel.modules`; NixOS `boot.kernelModules`). @default [] */
  readonly kernelModules?: readonly string[];
  /** Kubelet bind mounts (Talos `machine.kubelet.extraMounts`). @default [] */
  readonly kubeletExtraMounts?: readonly KubeletExtraMount[];
  /** Host packages on non-Talos nodes (k3s on Debian/NixOS). @default [] */
  readonly hostPackages?: readonly HostPackage[];
  /** Host services to enable on non-Talos nodes (systemd unit names, e.g. `iscsid`). @default [] */
  readonly hostServices?: readonly string[];
  /** Extra Talos machine-config patches (strategic merge), applied as given. @default [] */
  readonly talosPatches?: readonly Record<string, unknown>[];
  /** The distribution's kube-proxy must be off (a CNI replaces it). Cluster-wide. @default false */
  readonly disableKubeProxy?: boolean;
  /** `none`: the distribution must not install its default CNI (Flannel). Cluster-wide. @default - keep the default CNI */
  readonly cni?: 'none';
  /** Manual steps on the nodes (listed in the README and runbook). @default [] */
  readonly prerequisites?: readonly NodePrerequisite[];
  /**
   * Only nodes whose labels include all of these need the node-level requirements above
   * (a storage driver limited to storage nodes). Cluster-wide fields ignore it.
   * @default {} (every node)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** The merged requirements of a cluster (or of one node), with every field filled in. */
export interface ResolvedNodeRequirements {
  /** Sorted, unique. */
  readonly talosExtensions: readonly string[];
  /** Sorted, unique. */
  readonly kernelModules: readonly string[];
  /** Unique by destination, sorted by destination; `type` and `options` filled in. */
  readonly kubeletExtraMounts: readonly Required<KubeletExtraMount>[];
  /** Sorted, unique. */
  readonly hostPackages: readonly HostPackage[];
  /** Sorted, unique. */
  readonly hostServices: readonly string[];
  /** In component declaration order. */
  readonly talosPatches: readonly Record<string, unknown>[];
  readonly disableKubeProxy: boolean;
  readonly cni: 'default' | 'none';
  /** Unique by name, in declaration order. */
  readonly prerequisites: readonly NodePrerequisite[];
  /** Which component asked for what, in declaration order (for generated comments and docs). */
  readonly sources: readonly { readonly component: string; readonly requirements: NodeRequirements }[];
}

/** Ledger fact: what one component needs from the nodes' OS (recorded under that component). */
export const NODE_REQUIREMENTS = new FactKind<NodeRequirements>('node requirements');

/** Declares what `component` needs from the nodes' OS. May be called several times; requirements add up. */
export function addNodeRequirements(component: Component, requirements: NodeRequirements): void {
  component.cluster.ledger.record(NODE_REQUIREMENTS, requirements, component);
}

/** What one component declared. */
export function componentNodeRequirements(component: Component): readonly NodeRequirements[] {
  return component.cluster.ledger.of(NODE_REQUIREMENTS, component);
}

/** Everything the cluster's components need from the OS of any node (node selectors ignored). */
export function nodeRequirements(cluster: HomelabCluster): ResolvedNodeRequirements {
  return merge(cluster, () => true);
}

/** What `node`'s OS must provide: node-level requirements whose node selector matches it, plus the cluster-wide ones. */
export function nodeRequirementsFor(cluster: HomelabCluster, node: NodeSpec): ResolvedNodeRequirements {
  return merge(cluster, (r) => Object.entries(r.nodeSelector ?? {}).every(([k, v]) => node.labels?.[k] === v));
}

function merge(cluster: HomelabCluster, applies: (r: NodeRequirements) => boolean): ResolvedNodeRequirements {
  const sources: { component: string; requirements: NodeRequirements }[] = [];
  for (const c of cluster.components) for (const r of componentNodeRequirements(c)) sources.push({ component: c.name, requirements: r });
  const local = sources.map((s) => s.requirements).filter(applies);
  const all = sources.map((s) => s.requirements);
  const mounts = new Map<string, Required<KubeletExtraMount>>();
  for (const m of local.flatMap((r) => r.kubeletExtraMounts ?? [])) {
    if (!mounts.has(m.destination)) mounts.set(m.destination, { type: 'bind', options: ['bind', 'rshared', 'rw'], ...m });
  }
  return {
    talosExtensions: uniqueSorted(local.flatMap((r) => r.talosExtensions ?? [])),
    kernelModules: uniqueSorted(local.flatMap((r) => r.kernelModules ?? [])),
    kubeletExtraMounts: [...mounts.values()].sort((a, b) => a.destination.localeCompare(b.destination)),
    hostPackages: uniqueSorted(local.flatMap((r) => r.hostPackages ?? [])),
    hostServices: uniqueSorted(local.flatMap((r) => r.hostServices ?? [])),
    talosPatches: local.flatMap((r) => r.talosPatches ?? []),
    disableKubeProxy: all.some((r) => r.disableKubeProxy === true),
    cni: all.some((r) => r.cni === 'none') ? 'none' : 'default',
    prerequisites: [...new Map(local.flatMap((r) => r.prerequisites ?? []).map((p) => [p.name, p] as const)).values()],
    sources,
  };
}

function uniqueSorted<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)].sort();
}
