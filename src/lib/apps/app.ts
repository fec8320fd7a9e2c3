import { HomelabCluster } from '../estate/cluster.js';
import { Component, NamespaceOptions, PodSecurityLevel } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { Arch } from '../estate/node.js';
import { recordSelfCheck } from '../estate/self-checks.js';
import { Exposure } from '../estate/services.js';
import { checkApp } from './app-checks.js';
import { usableAppProps } from './app-input.js';
import { APP_BRAND, AppPolicyRules, claimDefaultDeny, connectPeers, renderAppNetworkPolicy } from './app-network-policy.js';
import { allPodPorts, AppProps, appVolumes, runningExtras } from './app-props.js';
import { allowRouteProxies, DerivedEnv, exposeApp, requestPostgres, requestStoreSecrets, RoutePort, wireMetrics, wireRedis } from './app-wiring.js';
import type { RouteTarget } from './app-routes.js';
import { renderWorkload } from './app-workload.js';
import { DEFAULT_RESOURCES, podTotals, SIDECAR_RESOURCES, withDefaults } from './container-resources.js';
import { checkDevices, withDevices, deviceOnlyPrivilege } from './devices.js';
import type { StoreSecrets } from './env.js';
import { DEFAULT_ARCHS, ImageRef } from './image.js';
import { imageRuntime } from './image-runtime.js';
import { dnsRule, PeerApp, PeerPort, PolicyRule } from './network.js';
import { checkExtraServices, checkLoadBalancing, extraServiceRules, renderNodeForwardingPolicy } from './extra-services.js';
import { runsToCompletion, workloadKind } from './workload-props.js';
import { unprivilegedPortStart } from './privileged-ports.js';
import { podSecurityLevelOf, resolveSecurity, ResolvedSecurity } from './security.js';
import { AppVolume, declareVolumeNodeRequirements } from './volumes.js';

export type {
  AppDevice, AppDnsConfig, AppNetwork, AppPort, AppProps, AppSpread, EnvSource, ExtraContainer, PostgresEnv, PostgresRequest, ProbeSpec, Probes,
  RedisEnv, RedisRequest, Resources, Toleration,
} from './app-props.js';
export { POSTGRES_ENV, REDIS_ENV } from './app-props.js';
export type { AppRoute, AppRouteRule } from './route-props.js';
export { withDefaults } from './container-resources.js';

const LEVEL_RANK: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/**
 * A generic application: Deployment, Service, claims, route, NetworkPolicy and PodDisruptionBudget as
 * plain objects (each validated against its schema and counted by the capacity check), wired to the
 * cluster's ingress, tunnel, Postgres, Redis and secret store. Hardened by default; every relaxation
 * is an explicit prop with a reason. The named apps are small subclasses.
 *
 * The construct orchestrates; each job lives in its own module: props (app-props.ts), checks
 * (app-checks.ts, app-input.ts), scheduling (estate/scheduling.ts), the NetworkPolicy graph
 * (app-network-policy.ts), wiring to services (app-wiring.ts) and the workload (app-workload.ts).
 */
export class App extends Component implements PeerApp {
  /** Whether `x` is an App (or a subclass): `instanceof`, which Component answers by the prototype chain. */
  public static isApp(x: unknown): x is App {
    return x instanceof App;
  }

  public readonly image: ImageRef;
  public readonly archs: readonly Arch[];
  /** Labels selecting the app's pods. */
  public readonly selectorLabels: Record<string, string>;
  public readonly portMap: ReadonlyMap<string, PeerPort>;
  public readonly publishedPorts: readonly string[];
  public readonly exposure: Exposure;
  /** The app's public or LAN hostname (else the first of its `routes`); undefined when not exposed (or the hostname was refused). */
  public readonly hostname?: string;
  /** Replicas rendered (0 for heavy apps while the cluster is scaled down). */
  public readonly replicas: number;
  public readonly heavy: boolean;
  public readonly security: ResolvedSecurity;

  /** Lets app-network-policy.ts recognise an App without importing this module (app.ts imports it). */
  public readonly [APP_BRAND] = true;
  private readonly props: AppProps;
  private readonly volumes: Record<string, AppVolume>;
  private readonly rules = new AppPolicyRules();
  private readonly derivedEnv: DerivedEnv = [];
  private readonly podSecurityNeeded: PodSecurityLevel;
  private readonly storeSecrets: StoreSecrets;
  /** Device volumes that alone make a container privileged (devices.ts). */
  private readonly deviceVolumes: readonly string[];
  /** The ports the app's routes send traffic to, with their exposures. */
  private readonly routeTargets: readonly RouteTarget[];

  constructor(cluster: HomelabCluster, id: string, givenProps: AppProps) {
    // Input that bypassed the type checker (`as any`) is reported, then left out, so it cannot crash the construct.
    const { props: usable, problems: shapeProblems } = usableAppProps(givenProps);
    // Devices become a hostPath volume, a node selector and a privileged relaxation each (devices.ts).
    const props = withDevices(usable);
    const hostPath = Object.values(props.persistence ?? {}).some((v) => v.type === 'hostPath');
    const level = podSecurityLevelOf(props.security, hostPath);
    super(cluster, {
      name: id,
      namespace: namespaceWithLevel(props.namespace ?? id, level),
      group: props.group,
      layer: props.layer ?? 'apps',
      dependsOn: props.dependsOn,
    });
    this.props = props;
    this.deviceVolumes = deviceOnlyPrivilege(usable);
    for (const [field, message, fix] of shapeProblems) Diagnostics.of(this).error(this, field, message, fix);
    this.podSecurityNeeded = level;
    this.image = props.image;
    this.archs = props.image.archs ?? DEFAULT_ARCHS;
    this.selectorLabels = { 'app.kubernetes.io/name': this.name };
    const podPorts = allPodPorts(props);
    this.portMap = new Map(podPorts.map((p) => [p.name, { port: p.port, protocol: p.protocol ?? 'TCP' }]));
    this.publishedPorts = podPorts.filter((p) => p.service ?? true).map((p) => p.name);
    this.exposure = props.expose ?? 'none';
    this.heavy = props.heavy ?? false;
    this.replicas = this.heavy && cluster.scaledDown ? 0 : props.replicas ?? 1;
    const security = resolveSecurity(this, props.security, imageRuntime(props.image)?.user);
    this.security = { ...security, unprivilegedPortStart: unprivilegedPortStart(this, podPorts, security) };
    this.volumes = appVolumes(props);

    checkApp(this, props, this.volumes);
    checkExtraServices(this, props, runsToCompletion(workloadKind(props.workload)));
    // checkApp checked the pins of every image the app renders (its own and its containers').
    recordSelfCheck({ kind: 'images', component: this });
    checkDevices(this, cluster, usable);
    declareVolumeNodeRequirements(this, this.volumes);
    const exposed = exposeApp(this, props, this.exposure, this.routePort());
    this.hostname = exposed.hostname;
    this.routeTargets = exposed.targets;
    requestPostgres(this, props.database?.postgres, this.rules, this.derivedEnv);
    this.storeSecrets = requestStoreSecrets(this, props);
    connectPeers(this, props.network, this.rules);
    this.declareFootprint();
    if (cluster.defaultDenyNetworkPolicies) claimDefaultDeny(this);
    // Registered after the platform helpers above, so their wire hooks (database connection) run first.
    cluster.onPhase('wire', () => this.wire());
    cluster.onPhase('finalize', () => this.finalize());
  }

  /** In-cluster DNS name of the app's Service. */
  public get serviceHost(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The port number of a named port (throws on an unknown name: a construct bug, not a user mistake). */
  public port(name: string): number {
    const p = this.portMap.get(name);
    if (!p) throw new Error(`app '${this.name}' has no port '${name}'`);
    return p.port;
  }

  /** `http(s)://<hostname>` when exposed, else the in-cluster URL of the route port. */
  public get url(): string {
    if (this.hostname) return `https://${this.hostname}`;
    const port = this.routePort();
    return `http://${this.serviceHost}${port ? `:${port.servicePort}` : ''}`;
  }

  /** Service port of a named port. */
  public servicePort(name: string): number {
    const p = allPodPorts(this.props).find((x) => x.name === name);
    if (!p) throw new Error(`app '${this.name}' has no port '${name}'`);
    return p.servicePort ?? p.port;
  }

  /** @internal allow rules, for tests and docs: who may reach the app and what it may reach. */
  public get networkRules(): { ingress: readonly PolicyRule[]; egress: readonly PolicyRule[] } {
    return { ingress: this.rules.ingress, egress: [dnsRule(), ...this.rules.egress] };
  }

  /** @internal the Pod Security level the app needs. */
  public get podSecurityLevel(): PodSecurityLevel {
    return this.podSecurityNeeded;
  }

  /** @internal records an egress rule from `this` to another app (used by connect). */
  public addEgress(rule: PolicyRule): void {
    this.rules.egress.push(rule);
  }

  /** The port the route targets: `exposePort`, else `http`, else the first port. */
  private routePort(): RoutePort | undefined {
    const name = this.props.exposePort ?? (this.portMap.has('http') ? 'http' : [...this.portMap.keys()][0]);
    const p = name ? this.portMap.get(name) : undefined;
    return p && name ? { name, port: p.port, servicePort: this.servicePort(name) } : undefined;
  }

  /** Declares what the pods ask of the nodes (main container, native sidecars and sidecars), for the capacity check. */
  private declareFootprint(): void {
    const totals = podTotals([
      withDefaults(this.props.resources, DEFAULT_RESOURCES),
      ...runningExtras(this.props).map((s) => withDefaults(s.resources, SIDECAR_RESOURCES)),
    ]);
    this.addWorkload({
      name: this.name,
      replicas: this.props.replicas ?? 1,
      ...(this.props.workload === 'DaemonSet' ? { perNode: true } : {}),
      ...totals,
      nodeSelector: { ...this.props.nodeSelector },
      tolerates: (this.props.tolerations ?? []).map((t) => ({ key: t.key })),
      arch: this.archs,
      heavy: this.heavy,
    });
  }

  /** Wire phase: routes, Redis and metrics are known, so the workload is rendered. */
  private wire(): void {
    allowRouteProxies(this, this.routeTargets, this.rules);
    wireRedis(this, this.props.redis, this.rules, this.derivedEnv);
    wireMetrics(this, this.props.metrics, this.rules);
    checkLoadBalancing(this, this.props);
    extraServiceRules(this, this.props, this.rules);
    renderWorkload(this, { props: this.props, volumes: this.volumes, derivedEnv: this.derivedEnv, storeSecrets: this.storeSecrets, routePortName: this.routePort()?.name, deviceVolumes: this.deviceVolumes });
  }

  /** Finalize phase: every connection into the app is known, so its NetworkPolicy is rendered. */
  private finalize(): void {
    if (!this.cluster.defaultDenyNetworkPolicies) return;
    renderAppNetworkPolicy(this, this.rules);
    renderNodeForwardingPolicy(this, this.props);
  }
}

/** The namespace options with the Pod Security level raised to what the app needs. */
function namespaceWithLevel(ns: string | NamespaceOptions, level: PodSecurityLevel): NamespaceOptions {
  const opts = typeof ns === 'string' ? { name: ns } : ns;
  const asked = opts.podSecurity ?? 'restricted';
  return { ...opts, podSecurity: LEVEL_RANK[level] > LEVEL_RANK[asked] ? level : asked };
}
