import type { Capability } from './capabilities.js';
import type { Distribution } from './distribution.js';
import type { NodeSpec } from './node.js';

/** The Git repository Flux pulls the cluster's tree from. */
export interface GitSource {
  /** Clone URL (`https://…` or `ssh://git@…`). */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /** Secret in flux-system holding Git credentials. @default - none (public repository) */
  readonly secretRef?: string;
}

/** How Flux gets onto the cluster and how the tree is cut into Flux Kustomizations. */
export interface FluxSettings {
  /**
   * `operator`: flux-operator's `FluxInstance` installs and syncs Flux (synth writes it).
   * `classic`: `flux bootstrap` owns `gotk-components.yaml`; synth writes only the sync objects.
   * @default 'operator'
   */
  readonly bootstrap?: 'operator' | 'classic';
  /**
   * `components`: one Flux Kustomization per component (`<group>/<component>/ks.yaml`), dependsOn derived.
   * `layered`: exactly three Kustomizations `flux-system` → `platform` → `apps` (the classic Flux repository layout).
   * @default 'components'
   */
  readonly layout?: 'components' | 'layered';
  /** Reconcile interval of the Kustomizations. @default '10m' */
  readonly interval?: string;
  /** Flux distribution version installed by the FluxInstance. @default FLUX_VERSION */
  readonly version?: string;
}

/** SOPS (age) settings: who can decrypt the cluster's encrypted files. */
export interface SopsSettings {
  /** age public keys (`age1…`) files are encrypted to; the first is the cluster's own key. */
  readonly ageRecipients: readonly string[];
  /** Secret in flux-system holding the age private key, created at bootstrap. @default 'sops-age' */
  readonly secretName?: string;
}

/** Cluster networking facts the platform derives from. */
export interface ClusterNetwork {
  /** @default '10.42.0.0/16' */
  readonly podCidr?: string;
  /** @default '10.43.0.0/16' */
  readonly serviceCidr?: string;
  /** The node subnet, e.g. `10.0.50.0/24`. @default - not modelled */
  readonly nodeCidr?: string;
  /** Control-plane virtual IP (Talos VIP). @default - none: the API is reached on the first control-plane node */
  readonly vip?: string;
}

export interface ClusterProps {
  /** Cluster name: the folder `clusters/<name>/`. A DNS-1123 label. */
  readonly name: string;
  readonly distribution: Distribution;
  readonly nodes: readonly NodeSpec[];
  readonly git: GitSource;
  /** @default - operator bootstrap, components layout, 10m interval */
  readonly flux?: FluxSettings;
  /** DNS domain apps get their hostnames under, e.g. `example.com`. */
  readonly domain: string;
  /** @default - k3s/Talos default CIDRs */
  readonly network?: ClusterNetwork;
  /** SOPS settings, needed as soon as a component carries encrypted files. @default - no SOPS */
  readonly sops?: SopsSettings;
  /**
   * Render a default-deny NetworkPolicy in every app namespace, with allow rules derived from what
   * each app declares. @default false
   */
  readonly defaultDenyNetworkPolicies?: boolean;
  /**
   * A named way to free the machines for something else (a game, a backup window, a power cap):
   * while it is active, every `heavy` workload stops (0 replicas, suspended Jobs) and the
   * databases that follow it hibernate. The generated runbook explains how to switch it.
   * @default - { name: 'scale-down', active: false }
   */
  readonly scaleDown?: ScaleDownProfile;
  /** One line saying what the cluster is, for generated docs. @default - none */
  readonly description?: string;
  /** The design document the cluster implements (a file name, shown in the generated docs). @default - none */
  readonly seed?: string;
  /**
   * Source file describing the cluster, relative to the repository root: named in every generated
   * header, the README and the runbook.
   * @default - the file that calls `new HomelabCluster` (the first stack frame outside the library;
   * compiled build/ or dist/ JavaScript mapped back to its .ts source), else 'src/clusters/<name>.ts'
   */
  readonly sourceFile?: string;
  /**
   * Capabilities the distribution itself provides (e.g. OKE's `oci-bv` StorageClass). Replaces the
   * derived list when given.
   * @default - derived from the distribution (see `distributionBuiltins`): OKE `oci-bv` (default
   * class), k3s `local-path` (default class, unless a component provides a default StorageClass)
   */
  readonly builtins?: readonly Capability[];
  /**
   * Objects holding data that this synth may remove or rename, each acknowledged explicitly as
   * `Kind/namespace/name` (or `Kind/name` for cluster-scoped objects), e.g.
   * `['PersistentVolumeClaim/apps/jellyfin-config']`. Without an entry, synth refuses to drop a
   * PersistentVolumeClaim, a StatefulSet's claim templates, a CNPG Cluster, a Longhorn volume or
   * backup target, a namespace holding any of them, or a StorageClass in use. Remove the entry once
   * the synth that deleted the object is committed (a leftover entry is a warning).
   * @default [] (nothing holding data may disappear)
   */
  readonly allowDataLoss?: readonly string[];
  /**
   * Namespaces whose pods must be fenced by a NetworkPolicy (policy lint `network-policy-missing`).
   * @default [] (and, when `defaultDenyNetworkPolicies` is on, every namespace of an `apps` component)
   */
  readonly sensitiveNamespaces?: readonly string[];
  /**
   * Warnings this cluster accepts, by code, each with the reason: they still print, but `--strict`
   * no longer fails on them, e.g. `{ 'etcd-even-control-planes': 'two control planes for now; a third is planned' }`.
   * @default {} (every warning fails a strict synth)
   */
  readonly acceptedWarnings?: Readonly<Record<string, string>>;
}

/** Flux distribution installed by the FluxInstance. */
// renovate: datasource=github-releases depName=fluxcd/flux2
export const FLUX_VERSION = '2.9.4';

/** A named scale-down profile of a cluster (see {@link ClusterProps.scaleDown}). */
export interface ScaleDownProfile {
  /** What the profile is called in docs and messages, in lower case, e.g. 'power saving'. @default 'scale-down' */
  readonly name?: string;
  /** Whether it is on now. @default false */
  readonly active?: boolean;
}

/** {@link ScaleDownProfile} with its defaults filled in. */
export type ResolvedScaleDown = Required<ScaleDownProfile>;

/** Resolved Flux settings with every default filled in. */
export interface ResolvedFlux {
  readonly bootstrap: 'operator' | 'classic';
  readonly layout: 'components' | 'layered';
  readonly interval: string;
  readonly version: string;
}
