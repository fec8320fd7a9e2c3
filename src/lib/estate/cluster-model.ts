import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Ledger } from '../model/ledger.js';
import { kustomizationTimeout } from '../flux/kustomization.js';
import { distributionBuiltins } from './builtins.js';
import { Capability, namespaceCap } from './capabilities.js';
import { validateClusterProps } from './cluster-validation.js';
import type { ClusterNetwork, ClusterProps, GitSource, ResolvedFlux, ResolvedScaleDown, SopsSettings } from './cluster-props.js';
import { FLUX_VERSION } from './cluster-props.js';
import type { HealthCheck, Layer, NamespaceOptions, SopsFile } from './component-props.js';
import { CLUSTER_NAME, Diagnostics, uniqueChildId } from './diagnostics.js';
import type { Distribution } from './distribution.js';
import { WorkloadFootprint } from './footprint.js';
import { dnsLabelFix, isDnsLabel } from './names.js';
import { Arch, NodeSpec } from './node.js';
import { SynthError, pathOf } from './problems.js';
import { declareUserSecret, UserSecret } from './secret-declarations.js';
import { Phase, PHASES, ServiceKey } from './service-key.js';
import { callerSourceFile } from './source-file.js';

/*
 * The two classes of the estate model: a cluster and the components it is made of. They refer to
 * each other (a cluster lists its components, a component belongs to its cluster), so they live in
 * one module; cluster.ts and component.ts re-export them with their props.
 */

/** Construct id of a cluster whose name is empty (the name itself is reported). */
const UNNAMED_CLUSTER_ID = '(unnamed)';

/** Props as given, or a SynthError when there are none at all (nothing else can be checked). */
function usableProps(scope: Construct, props: ClusterProps | undefined): ClusterProps {
  if (props !== null && typeof props === 'object') return props;
  throw new SynthError([{ cluster: '(estate)', path: pathOf(scope), field: 'props', message: `new HomelabCluster(scope, props) was given ${String(props)} as props`, fix: 'pass the cluster description: { name, distribution, domain, git, nodes }' }]);
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
  /** The cluster's scale-down profile (see {@link ClusterProps.scaleDown}). */
  public readonly scaleDown: ResolvedScaleDown;
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
    this.scaleDown = { name: props.scaleDown?.name ?? 'scale-down', active: props.scaleDown?.active ?? false };
    this.description = props.description;
    this.seed = props.seed;
    this.sourceFile = props.sourceFile ?? callerSourceFile(props.name) ?? `src/clusters/${props.name}.ts`;
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

  /** Whether the scale-down profile is on: heavy workloads stop and following databases hibernate. */
  public get scaledDown(): boolean {
    return this.scaleDown.active;
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

export interface ComponentProps {
  /** Component name: its folder and its Flux Kustomization's name. A DNS-1123 label, unique in the cluster. */
  readonly name: string;
  /** Namespace the component deploys into. A string means `{ name }` with every default. */
  readonly namespace: string | NamespaceOptions;
  /** Folder grouping components, e.g. `storage`, `network`, `media`. @default - the namespace name */
  readonly group?: string;
  /** Layer in the layered layout. @default 'platform' */
  readonly layer?: Layer;
  /** Components this one needs in addition to the derived ones. @default [] */
  readonly dependsOn?: Component[];
  /** Flux `wait`: health-check everything the Kustomization applies. @default true */
  readonly wait?: boolean;
  /** Reconcile interval. @default - the cluster's `flux.interval` */
  readonly interval?: string;
  /**
   * Reconcile timeout of the component's Kustomization.
   * @default - long enough for the HelmReleases it waits on: their longest timeout plus 5m, at least 5m
   * (`kustomizationTimeout`), so 15m for a ChartRelease at its default 10m
   */
  readonly timeout?: string;
  /** Retry interval after a failed reconcile. @default '1m' */
  readonly retryInterval?: string;
  /** Create the Kustomization suspended (restore drills, a scale-down profile). @default false */
  readonly suspend?: boolean;
  /** Source of the component, shown in generated headers. @default - the cluster's source file */
  readonly description?: string;
}

/**
 * One deployable unit of a cluster: one folder, one Flux Kustomization (`ks.yaml`) and the objects
 * it applies (`app/`). Platform and app constructs are Components or add objects to one.
 */
export class Component extends Chart {
  /**
   * `x instanceof Component` (or any subclass) by the prototype chain. cdk8s' Chart answers
   * `instanceof` for every Chart (any subclass inherits that), which would make
   * `x instanceof Cilium` true for every component; this restores the ordinary meaning.
   */
  public static [Symbol.hasInstance](x: unknown): x is Component {
    return Function.prototype[Symbol.hasInstance].call(this, x);
  }

  /** Returns the Component a construct belongs to. */
  public static containing(scope: Construct): Component {
    for (const s of [...scope.node.scopes].reverse()) if (s instanceof Component) return s;
    throw new Error(`${scope.node.path} is not inside a Component`);
  }

  public readonly cluster: HomelabCluster;
  public readonly name: string;
  /**
   * The component's namespace. It is also the cdk8s chart namespace, so namespaced objects created
   * inside the component land there unless they say otherwise; cluster-scoped kinds never get one.
   */
  public readonly namespace: string;
  public readonly namespaceOptions: NamespaceOptions;
  public readonly group: string;
  public readonly layer: Layer;
  public readonly wait: boolean;
  public readonly interval: string;
  public readonly retryInterval: string;
  public readonly suspend: boolean;

  private readonly timeoutProp: string | undefined;
  private readonly provided = new Set<Capability>();
  private readonly required = new Map<Capability, string>();
  private readonly explicitDeps: { component: Component; reason: string }[] = [];
  private readonly sops: SopsFile[] = [];
  private readonly checks: HealthCheck[] = [];
  private readonly workloadList: WorkloadFootprint[] = [];

  constructor(cluster: HomelabCluster, props: ComponentProps) {
    super(cluster, checkedScope(cluster, props).componentId(props.name), { disableResourceNameHashes: true });
    this.cluster = cluster;
    this.name = props.name;
    this.namespaceOptions = typeof props.namespace === 'string' ? { name: props.namespace } : props.namespace;
    this.namespace = this.namespaceOptions.name;
    this.group = props.group ?? this.namespace;
    this.layer = props.layer ?? 'platform';
    this.wait = props.wait ?? true;
    this.interval = props.interval ?? cluster.flux.interval;
    this.timeoutProp = props.timeout;
    this.retryInterval = props.retryInterval ?? '1m';
    this.suspend = props.suspend ?? false;
    for (const dep of props.dependsOn ?? []) this.addDependsOn(dep, 'declared in dependsOn');
    this.checkNames();
    this.require(namespaceCap(this.namespace), `deploys into namespace '${this.namespace}'`);
    cluster.registerComponent(this);
  }

  /**
   * Reconcile timeout of the component's Kustomization: the `timeout` prop, else derived from the
   * HelmReleases it waits on (all of them with `wait`, else those it health-checks). Read when the
   * tree is rendered, after the component's charts exist.
   */
  public get timeout(): string {
    if (this.timeoutProp !== undefined) return this.timeoutProp;
    const releases = this.renderedObjects().filter((o) => o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/'));
    const waited = this.wait ? releases : releases.filter((o) => this.checks.some((h) => h.kind === 'HelmRelease' && h.name === o.name));
    return kustomizationTimeout(waited.map((o) => (o.toJson() as { spec?: { timeout?: string } }).spec?.timeout));
  }

  /** Declares that this component provides `cap` to the rest of the cluster. */
  public provide(cap: Capability): void {
    this.provided.add(cap);
  }

  /** Declares that this component needs `cap`; the cluster derives the dependsOn. */
  public require(cap: Capability, reason: string): void {
    if (!this.required.has(cap)) this.required.set(cap, reason);
  }

  /** Adds an explicit dependency on another component of the same cluster. */
  public addDependsOn(other: Component, reason: string): void {
    this.explicitDeps.push({ component: other, reason });
  }

  /** Declares a user-provided SOPS-encrypted file this component applies (Flux decrypts it). */
  public addSopsFile(path: string): void {
    if (!this.sops.some((f) => f.path === path)) this.sops.push({ path });
  }

  /** Adds an object Flux should health-check beyond `wait`. */
  public addHealthCheck(check: HealthCheck): void {
    this.checks.push(check);
  }

  /** Declares a workload this component runs, for the capacity check (charts hide their pods). */
  public addWorkload(w: WorkloadFootprint): void {
    this.workloadList.push(w);
  }

  /** Workloads declared with {@link addWorkload}. */
  public get workloads(): readonly WorkloadFootprint[] {
    return this.workloadList;
  }

  public get provides(): ReadonlySet<Capability> {
    return this.provided;
  }

  public get requires(): ReadonlyMap<Capability, string> {
    return this.required;
  }

  public get explicitDependencies(): readonly { component: Component; reason: string }[] {
    return this.explicitDeps;
  }

  public get sopsFiles(): readonly SopsFile[] {
    return this.sops;
  }

  public get healthChecks(): readonly HealthCheck[] {
    return this.checks;
  }

  /** The API objects this component renders (not those of nested components). */
  public renderedObjects(): ApiObject[] {
    return this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && (Chart.of(c) as Chart) === (this as Chart));
  }

  /** Declares a Secret a person creates for this component (README Prerequisites); see secret-declarations.ts. */
  public declareUserSecret(secret: UserSecret): void {
    declareUserSecret(this, secret);
  }

  private checkNames(): void {
    const d = Diagnostics.of(this);
    if (!isDnsLabel(this.name)) d.error(this, 'name', `component name '${this.name}' is not a DNS-1123 label`, dnsLabelFix(this.name));
    if (!isDnsLabel(this.namespace)) d.error(this, 'namespace', `namespace '${this.namespace}' is not a DNS-1123 label`, dnsLabelFix(this.namespace));
    if (!isDnsLabel(this.group)) d.error(this, 'group', `group '${this.group}' is not a DNS-1123 label`, dnsLabelFix(this.group));
  }
}

/**
 * The cluster a component is created in, after checking the constructor got one (and props): a
 * component scoped to the estate or to another construct has no cluster to belong to.
 */
function checkedScope(scope: HomelabCluster, props: ComponentProps | undefined): HomelabCluster {
  const where = (scope as unknown as IConstruct | undefined)?.node ? pathOf(scope as unknown as IConstruct) : String(scope);
  if (typeof (scope as { componentId?: unknown } | undefined)?.componentId !== 'function') {
    throw new SynthError([{ cluster: '(estate)', path: where, field: 'scope', message: `a component (${String(props?.name)}) was created in '${where}', which is not a cluster`, fix: 'create components with a HomelabCluster as their scope: new MyComponent(cluster, …)' }]);
  }
  if (props === null || typeof props !== 'object' || typeof props.name !== 'string' || props.namespace === undefined) {
    throw new SynthError([{ cluster: scope.name, path: where, field: 'props', message: `a component was created in cluster '${scope.name}' without name and namespace`, fix: "pass props with at least { name: 'my-app', namespace: 'my-app' }" }]);
  }
  return scope;
}
