import { Ledger } from '../model/ledger.js';
import { Construct } from 'constructs';
import { validateClusterProps } from './cluster-validation.js';
import { Distribution } from './distribution.js';
import { distributionBuiltins } from './builtins.js';
import { Capability } from './capabilities.js';
import { Component } from './component.js';
import { CLUSTER_NAME, Diagnostics, uniqueChildId } from './diagnostics.js';
import { SynthError, pathOf } from './problems.js';
import { Arch, NodeSpec } from './node.js';
import { Phase, PHASES, ServiceKey } from './services.js';

export { DISTRIBUTIONS } from './distribution.js';
export type { Distribution } from './distribution.js';

/** Construct id of a cluster whose name is empty (the name itself is reported). */
const UNNAMED_CLUSTER_ID = '(unnamed)';

/** Props as given, or a SynthError when there are none at all (nothing else can be checked). */
function usableProps(scope: Construct, props: ClusterProps | undefined): ClusterProps {
  if (props !== null && typeof props === 'object') return props;
  throw new SynthError([{ cluster: '(estate)', path: pathOf(scope), field: 'props', message: `new HomelabCluster(scope, props) was given ${String(props)} as props`, fix: 'pass the cluster description: { name, distribution, domain, git, nodes }' }]);
}

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
   * `layered`: exactly three Kustomizations `flux-system` → `platform` → `apps` (seed 004's memo).
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
  /** DNS domain apps get their hostnames under, e.g. `funoffshore.com`. */
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
   * Gaming mode (seed 000): every `heavy` workload is scaled to zero and databases hibernate,
   * freeing the machine. @default false
   */
  readonly gamingMode?: boolean;
  /** One line saying what the cluster is, for generated docs. @default - none */
  readonly description?: string;
  /** The seed document the cluster implements. @default - none */
  readonly seed?: string;
  /** Source file describing the cluster, named in every generated header. @default 'src/clusters/<name>.ts' */
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
   * no longer fails on them, e.g. `{ 'etcd-even-control-planes': 'seed 003 runs two; a third is planned' }`.
   * @default {} (every warning fails a strict synth)
   */
  readonly acceptedWarnings?: Readonly<Record<string, string>>;
}

/** Flux distribution installed by the FluxInstance. */
// renovate: datasource=github-releases depName=fluxcd/flux2
export const FLUX_VERSION = '2.9.4';

/** Resolved Flux settings with every default filled in. */
export interface ResolvedFlux {
  readonly bootstrap: 'operator' | 'classic';
  readonly layout: 'components' | 'layered';
  readonly interval: string;
  readonly version: string;
}

/**
 * One Kubernetes cluster of the estate: its machines, its Git source and its components.
 * Everything the generated tree needs to know about the cluster itself is derived from here.
 */
export class HomelabCluster extends Construct {
  public readonly name: string;
  public readonly distribution: Distribution;
  public readonly nodes: readonly NodeSpec[];
  public readonly git: Required<Pick<GitSource, 'url' | 'branch'>> & GitSource;
  public readonly flux: ResolvedFlux;
  public readonly domain: string;
  public readonly network: Required<Pick<ClusterNetwork, 'podCidr' | 'serviceCidr'>> & ClusterNetwork;
  public readonly sops?: Required<SopsSettings>;
  public readonly defaultDenyNetworkPolicies: boolean;
  public readonly gamingMode: boolean;
  public readonly description?: string;
  public readonly seed?: string;
  public readonly sourceFile: string;
  private readonly explicitBuiltins?: ReadonlySet<Capability>;
  /** Data-holding objects this synth may remove (see {@link ClusterProps.allowDataLoss}). */
  public readonly allowDataLoss: readonly string[];
  /** Namespaces the policy lint requires a NetworkPolicy in (see {@link ClusterProps.sensitiveNamespaces}). */
  public readonly sensitiveNamespaces: readonly string[];
  /** Warning code → reason: accepted warnings do not fail `--strict`. */
  public readonly acceptedWarnings: Readonly<Record<string, string>>;

  /** Typed facts the cluster's constructs record while they build and wire (see {@link Ledger}). */
  public readonly ledger = new Ledger();

  private readonly componentList: Component[] = [];
  private readonly serviceProviders = new Map<ServiceKey<unknown>, { provider: unknown; by: Component }[]>();
  private readonly phaseHooks: Record<Phase, (() => void)[]> = { wire: [], finalize: [], check: [] };
  private prepared = false;

  constructor(scope: Construct, given: ClusterProps) {
    const props = usableProps(scope, given);
    super(scope, uniqueChildId(scope, props.name || UNNAMED_CLUSTER_ID, 'cluster'));
    (this as unknown as Record<symbol, string>)[CLUSTER_NAME] = props.name;
    this.name = props.name;
    this.distribution = props.distribution;
    this.nodes = Array.isArray(props.nodes) ? props.nodes : [];
    this.git = { ...props.git, branch: props.git?.branch ?? 'main' };
    this.flux = {
      bootstrap: props.flux?.bootstrap ?? 'operator',
      layout: props.flux?.layout ?? 'components',
      interval: props.flux?.interval ?? '10m',
      version: props.flux?.version ?? FLUX_VERSION,
    };
    this.domain = props.domain;
    this.network = { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', ...props.network };
    this.sops = props.sops ? { secretName: 'sops-age', ...props.sops } : undefined;
    this.defaultDenyNetworkPolicies = props.defaultDenyNetworkPolicies ?? false;
    this.gamingMode = props.gamingMode ?? false;
    this.description = props.description;
    this.seed = props.seed;
    this.sourceFile = props.sourceFile ?? `src/clusters/${props.name}.ts`;
    this.explicitBuiltins = props.builtins ? new Set(props.builtins) : undefined;
    this.allowDataLoss = props.allowDataLoss ?? [];
    this.sensitiveNamespaces = props.sensitiveNamespaces ?? [];
    this.acceptedWarnings = props.acceptedWarnings ?? {};
    validateClusterProps(this, Diagnostics.of(this));
  }

  /**
   * Capabilities provided by the distribution, not by any component: the `builtins` prop, else
   * derived from the distribution and the components declared so far (see `distributionBuiltins`).
   */
  public get builtins(): ReadonlySet<Capability> {
    return this.explicitBuiltins ?? new Set(distributionBuiltins(this.distribution, this.componentList));
  }

  /** Components in declaration order. */
  public get components(): readonly Component[] {
    return this.componentList;
  }

  /** Nodes ordinary workloads may run on (see {@link NodeSpec.schedulable}). */
  public get schedulableNodes(): readonly NodeSpec[] {
    const hasWorkers = this.nodes.some((n) => n.role === 'worker');
    return this.nodes.filter((n) => n.schedulable ?? (n.role === 'worker' || !hasWorkers));
  }

  public get controlPlaneNodes(): readonly NodeSpec[] {
    return this.nodes.filter((n) => n.role === 'control-plane');
  }

  public get workerNodes(): readonly NodeSpec[] {
    return this.nodes.filter((n) => n.role === 'worker');
  }

  /** Architectures of the schedulable nodes. */
  public get architectures(): ReadonlySet<Arch> {
    return new Set(this.schedulableNodes.map((n) => n.arch ?? 'amd64'));
  }

  /** True when the cluster has a single schedulable node. */
  public get singleNode(): boolean {
    return this.schedulableNodes.length <= 1;
  }

  /** Registers `provider` as this cluster's provider of a service. Two providers of one service is a problem. */
  public registerService<T>(key: ServiceKey<T>, provider: T, by: Component): void {
    const list = this.serviceProviders.get(key) ?? [];
    if (list.length > 0) {
      Diagnostics.of(by).error(by, 'service', `cluster '${this.name}' already has ${key.description}: '${list[0].by.name}'`, `keep one ${key.name} provider per cluster`);
    }
    this.serviceProviders.set(key, [...list, { provider, by }]);
  }

  /** The provider of a service, if the cluster has one. Call it from an `onPhase('wire')` hook. */
  public service<T>(key: ServiceKey<T>): T | undefined {
    return this.serviceProviders.get(key)?.[0]?.provider as T | undefined;
  }

  /** Runs `fn` in a build phase before rendering, once every component has been declared. */
  public onPhase(phase: Phase, fn: () => void): void {
    this.phaseHooks[phase].push(fn);
  }

  /** @internal runs the phases once; hooks added during a phase run in the same phase. */
  public prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    for (const phase of PHASES) {
      this.currentPhase = phase;
      for (let i = 0; i < this.phaseHooks[phase].length; i++) this.phaseHooks[phase][i]();
    }
    this.currentPhase = 'rendered';
  }

  /**
   * `declare` while components are being declared, then the phase running. Components may appear
   * up to the wire phase (platform constructs add their CRD components there); one declared in
   * finalize would miss its own wire hooks, so the Component constructor refuses it.
   */
  public currentPhase: 'declare' | Phase | 'rendered' = 'declare';

  /** Finds a component by name. */
  public component(name: string): Component | undefined {
    return this.componentList.find((c) => c.name === name);
  }

  /** @internal construct id for a new component; a duplicate name or a late declaration is reported, not thrown. */
  public componentId(name: string): string {
    if (this.currentPhase === 'finalize' || this.currentPhase === 'check' || this.currentPhase === 'rendered') {
      Diagnostics.of(this).error(this, `component.${name}`, `component '${name}' was created during the '${this.currentPhase}' phase: the wire phase is over, so its own wiring (and that of what it contains) never runs and it would be written half-wired`, "create components while building the cluster, or at the latest in an onPhase('wire') hook");
    }
    return uniqueChildId(this, name, 'component');
  }

  /** @internal called by Component. */
  public registerComponent(c: Component): void {
    this.componentList.push(c);
  }
}

/** Re-exported for the platform constructs that check addresses. */
export { isIpv4 } from './cluster-validation.js';
