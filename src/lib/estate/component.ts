import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Capability, namespaceCap } from './capabilities.js';
import { Diagnostics } from './diagnostics.js';
import { kustomizationTimeout } from '../flux/kustomization.js';
import { dnsLabelFix, isDnsLabel } from './names.js';
import { SynthError, pathOf } from './problems.js';
import { WorkloadFootprint } from './footprint.js';
import type { HomelabCluster } from './cluster.js';
import { declareUserSecret, UserSecret } from './user-secrets.js';

/** Pod Security Admission level of a namespace. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Which of the layered layout's Flux Kustomizations applies a component. */
export type Layer = 'platform' | 'apps';

/** The namespace a component deploys into and, if it owns it, how the Namespace object looks. */
export interface NamespaceOptions {
  readonly name: string;
  /**
   * Pod Security Admission level enforced on the namespace.
   * @default 'restricted' (use 'privileged' only for components needing host access)
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Keep the namespace when Flux prunes, because deleting it would delete the data inside.
   * @default false
   */
  readonly pruneProtected?: boolean;
  /** Extra labels on the Namespace (VLAN zones, policy selectors). @default {} */
  readonly labels?: Record<string, string>;
  /** Whether this component creates the Namespace object. @default - the first component using the namespace creates it */
  readonly owner?: boolean;
}

/** A Flux health check on an object this component's Kustomization applies. */
export interface HealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
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
  /** Create the Kustomization suspended (restore drills, gaming mode). @default false */
  readonly suspend?: boolean;
  /** Source of the component, shown in generated headers. @default - the cluster's source file */
  readonly description?: string;
}

/** A user-provided SOPS-encrypted file the component's folder carries. */
export interface SopsFile {
  /** Path relative to the component's manifest folder, ending in `.sops.yaml`. */
  readonly path: string;
}

/**
 * One deployable unit of a cluster: one folder, one Flux Kustomization (`ks.yaml`) and the objects
 * it applies (`app/`). Platform and app constructs are Components or add objects to one.
 */
export class Component extends Chart {
  /** Returns the Component a construct belongs to. */
  public static containing(scope: Construct): Component {
    // Chart overrides instanceof to match any chart, so check for a Component's own field too.
    for (const s of [...scope.node.scopes].reverse()) if (s instanceof Component && 'layer' in s) return s as Component;
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

  private checkNames(): void {
    const d = Diagnostics.of(this);
    if (!isDnsLabel(this.name)) d.error(this, 'name', `component name '${this.name}' is not a DNS-1123 label`, dnsLabelFix(this.name));
    if (!isDnsLabel(this.namespace)) d.error(this, 'namespace', `namespace '${this.namespace}' is not a DNS-1123 label`, dnsLabelFix(this.namespace));
    if (!isDnsLabel(this.group)) d.error(this, 'group', `group '${this.group}' is not a DNS-1123 label`, dnsLabelFix(this.group));
  }

  /** Declares a Secret a person creates for this component (README Prerequisites); see user-secrets.ts. */
  public declareUserSecret(secret: UserSecret): void {
    declareUserSecret(this, secret);
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
