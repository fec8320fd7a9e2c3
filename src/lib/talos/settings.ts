import { FactKind } from '../model/ledger.js';
import { HomelabCluster } from '../estate/cluster.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { KUBERNETES_VERSION, TALOS_VERSION } from './versions.js';

/**
 * Talos settings of one cluster that the rest of the model cannot derive. Everything else in
 * `talconfig.yaml` (endpoint, nodes, CIDRs, extensions, patches) comes from the cluster model and
 * the node requirements of its components.
 */
export interface TalosProps {
  /** Talos release the nodes install. @default TALOS_VERSION */
  readonly talosVersion?: string;
  /** Kubernetes release Talos runs. @default KUBERNETES_VERSION */
  readonly kubernetesVersion?: string;
  /**
   * Extra official system extensions for every node, as `siderolabs/<name>` (hardware or
   * hypervisor support no component asks for, e.g. `siderolabs/qemu-guest-agent` on Proxmox or
   * `siderolabs/intel-ucode`). @default []
   */
  readonly extensions?: readonly string[];
  /**
   * Extra Talos machine-config patches (strategic merge, partial `v1alpha1` documents with
   * `machine`/`cluster` keys) for every node, validated against the Talos schema at synth.
   * @default []
   */
  readonly patches?: readonly Record<string, unknown>[];
}

/** {@link TalosProps} with every default filled in. */
export interface ResolvedTalosProps {
  readonly talosVersion: string;
  readonly kubernetesVersion: string;
  readonly extensions: readonly string[];
  readonly patches: readonly Record<string, unknown>[];
}

/** Ledger fact: the Talos settings given to {@link configureTalos} (one per cluster). */
export const TALOS_SETTINGS = new FactKind<TalosProps>('Talos settings');

const VERSION = /^v\d+\.\d+\.\d+$/;
const EXTENSION = /^[a-z0-9-]+\/[a-z0-9][a-z0-9._-]*$/;

/**
 * Sets the Talos settings of a Talos cluster (call it once, next to the cluster's definition).
 * Mistakes — a non-Talos cluster, a malformed version or extension name — are reported as problems.
 */
export function configureTalos(cluster: HomelabCluster, props: TalosProps): void {
  const d = Diagnostics.of(cluster);
  if (cluster.distribution !== 'talos') {
    d.error(cluster, 'talos', `cluster '${cluster.name}' runs ${cluster.distribution}, not Talos: Talos settings have no effect`, 'remove the configureTalos call, or set distribution: \'talos\'');
  }
  if (cluster.ledger.has(TALOS_SETTINGS)) d.error(cluster, 'talos', `Talos settings of cluster '${cluster.name}' are given twice`, 'call configureTalos once per cluster');
  for (const field of ['talosVersion', 'kubernetesVersion'] as const) {
    const v = props[field];
    if (v !== undefined && !VERSION.test(v)) d.error(cluster, `talos.${field}`, `'${v}' is not an exact release`, "write it like 'v1.13.9' (a leading v and three numbers)");
  }
  (props.extensions ?? []).forEach((e, i) => {
    if (!EXTENSION.test(e)) d.error(cluster, `talos.extensions[${i}]`, `'${e}' is not an official extension name`, "write it as 'siderolabs/<name>', e.g. 'siderolabs/qemu-guest-agent' (no registry, no tag)");
  });
  cluster.ledger.record(TALOS_SETTINGS, props);
}

/** The cluster's Talos settings with defaults. */
export function talosSettings(cluster: HomelabCluster): ResolvedTalosProps {
  const p = cluster.ledger.all(TALOS_SETTINGS)[0] ?? {};
  return {
    talosVersion: p.talosVersion ?? TALOS_VERSION,
    kubernetesVersion: p.kubernetesVersion ?? KUBERNETES_VERSION,
    extensions: p.extensions ?? [],
    patches: p.patches ?? [],
  };
}
