import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { HomelabCluster } from '../estate/cluster.js';
import { Component, Layer, NamespaceOptions, PodSecurityLevel } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { isDnsLabel } from '../estate/names.js';
import { Arch, NodeSpec, Taint } from '../estate/node.js';
import { formatCpu, parseCpu, parseMemory } from '../estate/quantity.js';
import { DatabaseConnection, Exposure, INGRESS, MONITORING, REDIS, TUNNEL } from '../estate/services.js';
import { requestDatabase } from '../platform/databases/request-database.js';
import { exposeService } from '../platform/ingress/exposure.js';
import { requestExternalSecret } from '../platform/secrets/request.js';
import { checkEnv, EnvValue, isStoreRef, renderEnv } from './env.js';
import { checkImage, DEFAULT_ARCHS, ImageRef, imageName } from './image.js';
import { checkImageRuntime } from './image-runtime.js';
import {
  AppPeer, defaultDenyPolicy, dnsRule, egressRules, ingressRules, NetworkPeer, peerRule, PeerApp, PeerPort, podsIn,
  policyPorts, PolicyRule,
} from './network.js';
import { checkAppInput, usableAppProps } from './app-input.js';
import { AppSecurity, containerSecurityContext, podSecurityContext, podSecurityLevelOf, RELAXATIONS_ANNOTATION, resolveSecurity, ResolvedSecurity } from './security.js';
import { AppVolume, checkVolumes, declareVolumeNodeRequirements, renderVolumes } from './volumes.js';

/** A port the app listens on. */
export interface AppPort {
  /** IANA service name: lowercase, at most 15 characters, e.g. `http`. */
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Publish the port on the app's Service. @default true */
  readonly service?: boolean;
  /** Port number on the Service (LDAP's 389 in front of an unprivileged 1389). @default - the container port */
  readonly servicePort?: number;
  /**
   * The application protocol on the Service port (`kubernetes.io/h2c`, `kubernetes.io/ws`, or a
   * `domain/name` such as `example.com/grpc`): ingress controllers and Gateways read it to speak
   * HTTP/2 cleartext or WebSocket to the app. @default - none (HTTP/1.1)
   */
  readonly appProtocol?: string;
}

/** Environment variable names a Postgres connection is written into. Only the names given are set. */
export interface PostgresEnv {
  readonly host?: string;
  readonly port?: string;
  /** `host:port` in one variable (Nextcloud, Grafana). */
  readonly hostPort?: string;
  readonly database?: string;
  readonly username?: string;
  readonly password?: string;
  /**
   * A connection URL `<scheme>://$(user):$(password)@host:port/db`, composed from the username and
   * password variables (which default to POSTGRES_USER / POSTGRES_PASSWORD when not named).
   */
  readonly url?: string;
}

/** The default Postgres variables, used when `env` is not given. */
export const POSTGRES_ENV: PostgresEnv = { host: 'POSTGRES_HOST', port: 'POSTGRES_PORT', database: 'POSTGRES_DB', username: 'POSTGRES_USER', password: 'POSTGRES_PASSWORD' };

/** A database (and owner role) on the cluster's PostgreSQL service. */
export interface PostgresRequest {
  /** Database name. @default - the app name with '-' replaced by '_' */
  readonly database?: string;
  /** Role owning the database. @default - the provider's choice (one role per consumer) */
  readonly owner?: string;
  /** Where the connection goes. @default POSTGRES_ENV */
  readonly env?: PostgresEnv;
  /** Scheme of `env.url`. @default 'postgresql' */
  readonly urlScheme?: string;
}

/** Environment variable names a Redis connection is written into. */
export interface RedisEnv {
  readonly host?: string;
  readonly port?: string;
  readonly hostPort?: string;
  /** Set only when the provider hands out a password Secret (key `password`). */
  readonly password?: string;
}

/** The default Redis variables. */
export const REDIS_ENV: RedisEnv = { host: 'REDIS_HOST', port: 'REDIS_PORT', password: 'REDIS_PASSWORD' };

/** A client of the cluster's Redis service. */
export interface RedisRequest {
  /** @default REDIS_ENV */
  readonly env?: RedisEnv;
}

/**
 * Every key of a Secret or ConfigMap as environment variables (`envFrom`). The Secret must have a
 * provider in the cluster (SOPS file, ExternalSecret, user-declared…), as for `secretKeyRef`.
 */
export type EnvSource =
  | { readonly secret: string; readonly prefix?: string; readonly optional?: boolean }
  | { readonly configMap: string; readonly prefix?: string; readonly optional?: boolean };

/** How an App's replicas spread (see {@link AppProps.spread}). */
export interface AppSpread {
  /** @default 'kubernetes.io/hostname' */
  readonly topologyKey?: string;
  /** @default 1 */
  readonly maxSkew?: number;
  /** @default 'ScheduleAnyway' */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
}

/** Extra resolver settings of an App's pods (see {@link AppProps.dnsConfig}). */
export interface AppDnsConfig {
  /** @default [] */
  readonly nameservers?: readonly string[];
  /** @default [] */
  readonly searches?: readonly string[];
  /** @default [] */
  readonly options?: readonly { readonly name: string; readonly value?: string }[];
}

/** CPU and memory of one container. */
export interface Resources {
  /** @default '50m' */
  readonly cpuRequest?: string;
  /**
   * @default '128Mi' (32Mi for a sidecar), or the memoryLimit when that is lower: a limit given
   * alone is accepted, as the API server accepts it (it sets the request to the limit)
   */
  readonly memoryRequest?: string;
  /** @default - no CPU limit (CPU is shared fairly; limits only throttle) */
  readonly cpuLimit?: string;
  /** @default '512Mi' */
  readonly memoryLimit?: string;
  /** Extended resources (device plugins), requested and limited alike, e.g. `{ 'gpu.intel.com/i915': '1' }`. @default {} */
  readonly extended?: Record<string, string>;
}

/** One probe; exactly one of http, tcp or exec. */
export interface ProbeSpec {
  /** HTTP GET on a path of one of the app's ports (by name). */
  readonly http?: { readonly path: string; readonly port?: string; readonly scheme?: 'HTTP' | 'HTTPS'; readonly headers?: Record<string, string> };
  /** TCP connect to a port (by name). */
  readonly tcp?: { readonly port?: string };
  readonly exec?: readonly string[];
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly timeoutSeconds?: number;
  /** @default 3 (30 for the startup probe: five minutes to start) */
  readonly failureThreshold?: number;
}

/** The container's probes; `false` switches one off. */
export interface Probes {
  /** @default - derived from healthCheck (HTTP) or the first port (TCP) */
  readonly liveness?: ProbeSpec | false;
  /** @default - as liveness */
  readonly readiness?: ProbeSpec | false;
  /** @default - as liveness, with failureThreshold 30 */
  readonly startup?: ProbeSpec | false;
}

/** A toleration of a node taint (phone workers, ARM boards set aside). */
export interface Toleration {
  readonly key: string;
  /** @default - 'Equal' when a value is given, else 'Exists' */
  readonly operator?: 'Equal' | 'Exists';
  /** @default - any value */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: Taint['effect'];
}

/** An init container or sidecar sharing the app's pod. */
export interface ExtraContainer {
  /** A DNS-1123 label, unique in the pod. */
  readonly name: string;
  /** @default - the app's image */
  readonly image?: ImageRef;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** Extra variables, after the app's own when `inheritEnv`. @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Receive the app's variables (database, secrets…). @default true */
  readonly inheritEnv?: boolean;
  /** Secrets and ConfigMaps whose every key becomes a variable. @default [] */
  readonly envFrom?: readonly EnvSource[];
  /** Names of the app's volumes to mount at the same paths. @default - every volume */
  readonly volumes?: readonly string[];
  /** @default - cpu 10m, memory 32Mi requested, memory limited to 128Mi */
  readonly resources?: Resources;
  /**
   * Ports this container listens on (a sidecar's metrics or admin port). They share the pod's
   * network, so their names and numbers are unique across the pod; published on the app's Service
   * like the main container's unless `service: false`. Sidecars only: init containers listen on
   * nothing anyone reaches. @default []
   */
  readonly ports?: readonly AppPort[];
  /** Probes of this container (sidecars only); no default probe, unlike the main container. @default - none */
  readonly probes?: Probes;
}

/** Extra peers the app talks to, beyond what is derived (DNS, its database, its routes). */
export interface AppNetwork {
  /** What the app connects to: other apps, pods, the internet (`internet(443)`), the NAS. @default [] */
  readonly egress?: readonly NetworkPeer[];
  /** Who may connect to the app beyond its ingress/tunnel route. @default [] */
  readonly ingress?: readonly NetworkPeer[];
}

export interface AppProps {
  /** Namespace. A string means `{ name }`; the Pod Security level is raised to what the app needs. @default - the app's name */
  readonly namespace?: string | NamespaceOptions;
  /** Folder grouping the component. @default - the namespace */
  readonly group?: string;
  /** @default 'apps' */
  readonly layer?: Layer;
  /** Components this one needs beyond the derived ones. @default [] */
  readonly dependsOn?: Component[];
  /** The pinned image. */
  readonly image: ImageRef;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Secrets and ConfigMaps whose every key becomes a variable of the main container. @default [] */
  readonly envFrom?: readonly EnvSource[];
  /** @default [] (no Service) */
  readonly ports?: readonly AppPort[];
  /** Volumes by name. @default {} */
  readonly persistence?: Record<string, AppVolume>;
  /** An emptyDir at /tmp (images write temp files there; the root filesystem is read-only). @default true */
  readonly tmp?: boolean;
  /** `internal` (LAN through the ingress), `public` (internet through the tunnel or ingress) or `none`. @default 'none' */
  readonly expose?: Exposure;
  /** Full hostname, inside the cluster's domain. @default - `<subdomain>.<cluster domain>` */
  readonly hostname?: string;
  /** @default - the app's name */
  readonly subdomain?: string;
  /** Port (by name) the route targets. @default - 'http' if present, else the first port */
  readonly exposePort?: string;
  /** Databases on the cluster's data services. @default - none */
  readonly database?: { readonly postgres?: PostgresRequest };
  /** A client of the cluster's Redis. @default - none */
  readonly redis?: RedisRequest;
  /** Identity and relaxations of the hardened defaults. @default - uid/gid 65534, every hardening on */
  readonly security?: AppSecurity;
  /** @default - 50m / 128Mi requested, 512Mi memory limit */
  readonly resources?: Resources;
  /** Shorthand for HTTP probes on a path. @default - TCP probes on the first port */
  readonly healthCheck?: { readonly path: string; readonly port?: string };
  /** @default - derived from healthCheck */
  readonly probes?: Probes;
  /** @default 1 */
  readonly replicas?: number;
  /** Node labels the pods require (e.g. `{ 'kubernetes.io/hostname': 'rpi4-2' }`). @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** Stopped (0 replicas) in the cluster's gaming mode (seed 000). @default false */
  readonly heavy?: boolean;
  /** @default - derived peers only */
  readonly network?: AppNetwork;
  /** @default [] */
  readonly initContainers?: readonly ExtraContainer[];
  /** @default [] */
  readonly sidecars?: readonly ExtraContainer[];
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Spreads the app's replicas over nodes (or zones) with a topologySpreadConstraint whose selector
   * is the app's own pod labels. `topologyKey` @default 'kubernetes.io/hostname'; `maxSkew` @default 1;
   * `whenUnsatisfiable` @default 'ScheduleAnyway' (a soft spread: a node down never blocks a rollout).
   * @default - no constraint (the scheduler's own spreading)
   */
  readonly spread?: AppSpread;
  /**
   * Resolver settings merged into the pod's DNS (Kubernetes appends nameservers and searches to the
   * cluster's, at most 3 nameservers and 32 search domains in all), e.g. `options: [{ name: 'ndots', value: '2' }]`
   * for an app resolving many external names. @default - the cluster DNS only
   */
  readonly dnsConfig?: AppDnsConfig;
  /** @default {} */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Annotations on the Deployment itself (a tool that reads controllers, e.g. a backup or update
   * operator). The relaxations annotation is the library's. @default {}
   */
  readonly annotations?: Record<string, string>;
  /**
   * Extra labels on the pods (and the Deployment), e.g. for a policy engine or a dashboard. The
   * labels the app selects its pods by (`app.kubernetes.io/name`, `app.kubernetes.io/instance`) are
   * the library's and cannot be set here. @default {}
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Prometheus metrics served on one of the app's Service ports. When the cluster has monitoring,
   * a ServiceMonitor is rendered and the monitoring namespace may reach that port.
   * @default - no metrics
   */
  readonly metrics?: { readonly port: string; /** @default '/metrics' */ readonly path?: string; /** @default '60s' */ readonly interval?: string };
}

const DEFAULT_RESOURCES = { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' } as const;
const SIDECAR_RESOURCES: Resources = { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '128Mi' };
const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
const LEVEL_RANK: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

const APP_BRAND = Symbol.for('cdk8s-homelab.app');

/** Per cluster: namespace → the app rendering its default-deny policy. */
const denyOwners = new WeakMap<HomelabCluster, Map<string, App>>();
/** Connections into an app from other apps. */
const inbound = new WeakMap<PeerApp, { from: PeerApp; ports: PeerPort[] }[]>();

/**
 * A generic application: Deployment, Service, claims, route, NetworkPolicy and PodDisruptionBudget as
 * plain objects (each validated against its schema and counted by the capacity check), wired to the
 * cluster's ingress, tunnel, Postgres, Redis and secret store. Hardened by default; every relaxation
 * is an explicit prop with a reason. The seeds' apps are small subclasses.
 */
export class App extends Component implements PeerApp {
  /** Whether `x` is an App (cdk8s charts answer `instanceof` for any chart, so a brand is checked). */
  public static isApp(x: unknown): x is App {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[APP_BRAND] === true;
  }

  public readonly image: ImageRef;
  public readonly archs: readonly Arch[];
  /** Labels selecting the app's pods. */
  public readonly selectorLabels: Record<string, string>;
  public readonly portMap: ReadonlyMap<string, PeerPort>;
  public readonly publishedPorts: readonly string[];
  public readonly exposure: Exposure;
  /** The app's public or LAN hostname; undefined when not exposed (or the hostname was refused). */
  public readonly hostname?: string;
  /** Replicas rendered (0 in gaming mode for heavy apps). */
  public readonly replicas: number;
  public readonly heavy: boolean;
  public readonly security: ResolvedSecurity;

  public readonly [APP_BRAND] = true;
  private readonly props: AppProps;
  private readonly egressRuleList: PolicyRule[] = [];
  private readonly ingressRuleList: PolicyRule[] = [];
  private readonly derivedEnv: [string, EnvValue][] = [];
  private readonly podSecurityNeeded: PodSecurityLevel;
  private readonly storeSecret?: string;

  constructor(cluster: HomelabCluster, id: string, givenProps: AppProps) {
    // Input that bypassed the type checker (`as any`) is reported, then left out, so it cannot crash the construct.
    const { props, problems: shapeProblems } = usableAppProps(givenProps);
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
    this.replicas = this.heavy && cluster.gamingMode ? 0 : props.replicas ?? 1;
    this.security = resolveSecurity(this, props.security);

    this.validate();
    declareVolumeNodeRequirements(this, this.volumes());
    this.hostname = this.expose();
    this.requestPostgres();
    this.storeSecret = this.requestStoreSecret();
    this.connectPeers();
    this.declareFootprint();
    if (cluster.defaultDenyNetworkPolicies) this.claimDefaultDeny();
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

  // ---------------------------------------------------------------- validation

  private validate(): void {
    const d = Diagnostics.of(this);
    const p = this.props;
    const imageOk = checkImage(this, 'image', p.image);
    checkEnv(this, 'env', p.env ?? {});
    checkVolumes(this, this.volumes());
    checkAppInput(this, this.name, this.namespace, p, this.volumes());
    if (imageOk) {
      checkImageRuntime(this, { image: p.image, security: this.security, volumes: this.volumes(), ports: p.ports ?? [], env: p.env ?? {}, command: p.command, args: p.args });
    }
    const seen = new Set<string>();
    const portSites: [AppPort, string][] = [
      ...(p.ports ?? []).map((port, i): [AppPort, string] => [port, `ports[${i}]`]),
      ...(p.sidecars ?? []).flatMap((c) => (c.ports ?? []).map((port, i): [AppPort, string] => [port, `containers.${c.name}.ports[${i}]`])),
    ];
    for (const c of p.initContainers ?? []) if ((c.ports ?? []).length > 0 || c.probes) d.error(this, `containers.${c.name}`, `init container '${c.name}' declares ports or probes: it runs to completion before the app starts, so nothing reaches or probes it`, 'move it to sidecars, or drop ports/probes');
    portSites.forEach(([port, at]) => {
      if (!PORT_NAME.test(port.name)) d.error(this, `${at}.name`, `port name '${port.name}' is not an IANA service name`, "use at most 15 lowercase letters, digits and '-', e.g. 'http'");
      if (seen.has(port.name)) d.error(this, `${at}.name`, `port name '${port.name}' is used twice`, 'name every port differently');
      seen.add(port.name);
      if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) d.error(this, `${at}.port`, `${port.port} is not a port number`, 'use 1–65535');
      if (port.servicePort !== undefined && (!Number.isInteger(port.servicePort) || port.servicePort < 1 || port.servicePort > 65535)) d.error(this, `${at}.servicePort`, `${port.servicePort} is not a port number`, 'use 1–65535');
      // The API server takes an IANA service name (http, h2c…) or a prefixed name (kubernetes.io/h2c, example.com/x).
      if (port.appProtocol !== undefined && !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(port.appProtocol)) {
        d.error(this, `${at}.appProtocol`, `'${port.appProtocol}' is not an application protocol name`, "use an IANA name like 'http' or a prefixed one like 'kubernetes.io/h2c' or 'kubernetes.io/ws'");
      }
    });
    if (p.replicas !== undefined && (!Number.isInteger(p.replicas) || p.replicas < 0)) d.error(this, 'replicas', `${p.replicas} is not a replica count`, 'use a whole number ≥ 0');
    this.checkResources('resources', p.resources, DEFAULT_RESOURCES);
    for (const c of [...(p.initContainers ?? []), ...(p.sidecars ?? [])]) {
      if (!isDnsLabel(c.name) || c.name === this.name) d.error(this, `containers.${c.name}`, `container name '${c.name}' is not a DNS-1123 label distinct from the app's`, "use a short name like 'cron'");
      if (c.image) checkImage(this, `containers.${c.name}.image`, c.image);
      checkEnv(this, `containers.${c.name}.env`, c.env ?? {});
      for (const v of c.volumes ?? []) if (!(v in this.volumes())) d.error(this, `containers.${c.name}.volumes`, `no volume named '${v}'`, `use one of: ${Object.keys(this.volumes()).join(', ') || '(none)'}`);
      this.checkResources(`containers.${c.name}.resources`, c.resources, SIDECAR_RESOURCES);
    }
    if (this.exposure !== 'none') {
      if (this.portMap.size === 0) d.error(this, 'expose', `the app is exposed '${this.exposure}' but declares no port`, 'add ports: [{ name: \'http\', port: … }] or set expose: \'none\'');
      else if (p.exposePort && !this.portMap.has(p.exposePort)) d.error(this, 'exposePort', `no port named '${p.exposePort}'`, `use one of: ${[...this.portMap.keys()].join(', ')}`);
    }
    this.checkNodes();
    if ((p.replicas ?? 1) > 1 && hasSingleNodeVolume(this.volumes())) {
      d.error(this, 'replicas', `${p.replicas} replicas share a ReadWriteOnce volume, which only one node can mount`, 'use one replica, or ReadWriteMany storage (NFS) for shared data');
    }
  }

  private checkResources(field: string, r: Resources | undefined, dflt: Resources): void {
    const d = Diagnostics.of(this);
    const cpu = (q: string | undefined, f: string) => { if (q !== undefined && parseCpu(q) === undefined) d.error(this, `${field}.${f}`, `'${q}' is not a CPU quantity`, "write it like '100m' or '1'"); };
    const mem = (q: string | undefined, f: string) => { if (q !== undefined && parseMemory(q) === undefined) d.error(this, `${field}.${f}`, `'${q}' is not a memory quantity`, "write it like '256Mi'"); };
    cpu(r?.cpuRequest, 'cpuRequest');
    cpu(r?.cpuLimit, 'cpuLimit');
    mem(r?.memoryRequest, 'memoryRequest');
    mem(r?.memoryLimit, 'memoryLimit');
    const full = withDefaults(r, dflt);
    const req = parseMemory(full.memoryRequest!);
    const lim = parseMemory(full.memoryLimit!);
    if (req !== undefined && lim !== undefined && lim < req) d.error(this, `${field}.memoryLimit`, `memory limit ${full.memoryLimit} is below the request ${full.memoryRequest}`, 'raise the limit to at least the request');
  }

  /** Nodes the pod may land on, by labels and taints (arch is checked separately). */
  private eligibleNodes(): NodeSpec[] {
    const selector = this.props.nodeSelector ?? {};
    const tolerations = this.props.tolerations ?? [];
    return this.cluster.schedulableNodes.filter((n) => {
      const labels: Record<string, string> = { ...n.labels, 'kubernetes.io/arch': n.arch ?? 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux' };
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
      return (n.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerations.some((tol) => tolerates(tol, t)));
    });
  }

  private checkNodes(): void {
    const d = Diagnostics.of(this);
    if (this.cluster.nodes.length === 0) return;
    const nodes = this.eligibleNodes();
    if (nodes.length === 0) {
      d.error(this, 'nodeSelector', `no schedulable node of cluster '${this.cluster.name}' matches the node selector ${JSON.stringify(this.props.nodeSelector ?? {})} and tolerates its taints`, 'fix nodeSelector / tolerations, or label a node to match');
      return;
    }
    const nodeArchs = [...new Set(nodes.map((n) => n.arch ?? 'amd64'))].sort();
    if (!nodeArchs.some((a) => this.archs.includes(a))) {
      d.error(this, 'image.archs', `image '${imageName(this.image)}' is published for ${this.archs.join(', ')} only, but the nodes it may run on are ${nodeArchs.join(', ')}`, `use an image built for ${nodeArchs.join('/')}, or run the app on a cluster (or nodeSelector) with ${this.archs.join('/')} nodes`);
    }
  }

  // ---------------------------------------------------------------- construction-time wiring

  private volumes(): Record<string, AppVolume> {
    const v: Record<string, AppVolume> = { ...this.props.persistence };
    const tmpWanted = (this.props.tmp ?? true) && !Object.values(v).some((x) => x.mountPath === '/tmp');
    if (tmpWanted && !('tmp' in v)) v.tmp = { type: 'emptyDir', mountPath: '/tmp' };
    return v;
  }

  private connectPeers(): void {
    const d = Diagnostics.of(this);
    const resolveApp = (peer: AppPeer, field: string): PeerPort[] | undefined => {
      if (peer.app.cluster !== this.cluster) {
        d.error(this, field, `app '${peer.app.name}' belongs to cluster '${peer.app.cluster.name}'`, `connect only to apps of cluster '${this.cluster.name}' (reach other clusters through their public hostname)`);
        return undefined;
      }
      const names = peer.ports ?? peer.app.publishedPorts;
      const ports: PeerPort[] = [];
      for (const n of names) {
        const port = peer.app.portMap.get(n);
        if (port) ports.push(port);
        else d.error(this, field, `app '${peer.app.name}' has no port '${n}'`, `use one of: ${[...peer.app.portMap.keys()].join(', ')}`);
      }
      return ports;
    };
    (this.props.network?.egress ?? []).forEach((peer, i) => {
      const field = `network.egress[${i}]`;
      if ('app' in peer) {
        const ports = resolveApp(peer, field);
        if (ports) connect(this, peer.app, ports);
      } else {
        this.egressRuleList.push(peerRule(peer, 'cidr' in peer ? `to ${peer.cidr}` : `to pods in ${peer.namespace}`));
      }
    });
    (this.props.network?.ingress ?? []).forEach((peer, i) => {
      const field = `network.ingress[${i}]`;
      if ('app' in peer) {
        // Here `ports` names this app's ports the peer may connect to.
        if (peer.app.cluster !== this.cluster) {
          d.error(this, field, `app '${peer.app.name}' belongs to cluster '${peer.app.cluster.name}'`, `allow only apps of cluster '${this.cluster.name}'`);
          return;
        }
        const ports = resolveApp({ app: this, ports: peer.ports }, field);
        if (ports) connect(peer.app, this, ports);
      } else {
        this.ingressRuleList.push(peerRule(peer, 'cidr' in peer ? `from ${peer.cidr}` : `from pods in ${peer.namespace}`));
      }
    });
  }

  private claimDefaultDeny(): void {
    const map = denyOwners.get(this.cluster) ?? new Map<string, App>();
    denyOwners.set(this.cluster, map);
    if (map.has(this.namespace)) return;
    map.set(this.namespace, this);
    defaultDenyPolicy(this, this.namespace);
  }

  /** Declares what the pods ask of the nodes (main container plus sidecars), for the capacity check. */
  private declareFootprint(): void {
    const containers: Resources[] = [
      withDefaults(this.props.resources, DEFAULT_RESOURCES),
      ...(this.props.sidecars ?? []).map((s) => withDefaults(s.resources, SIDECAR_RESOURCES)),
    ];
    const total = (pick: (r: Resources) => string | undefined, parse: (q: string) => number | undefined): number | undefined =>
      containers.every((r) => pick(r) !== undefined) ? containers.reduce((sum, r) => sum + (parse(pick(r)!) ?? 0), 0) : undefined;
    const mi = (bytes: number) => (bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30}Gi` : `${Math.ceil(bytes / 2 ** 20)}Mi`);
    const cpuLimit = total((r) => r.cpuLimit, parseCpu);
    const memoryLimit = total((r) => r.memoryLimit, parseMemory);
    this.addWorkload({
      name: this.name,
      replicas: this.props.replicas ?? 1,
      cpuRequest: `${total((r) => r.cpuRequest, parseCpu) ?? 0}m`,
      memoryRequest: mi(total((r) => r.memoryRequest, parseMemory) ?? 0),
      cpuLimit: cpuLimit === undefined ? undefined : formatCpu(cpuLimit),
      memoryLimit: memoryLimit === undefined ? undefined : mi(memoryLimit),
      nodeSelector: { ...this.props.nodeSelector },
      tolerates: (this.props.tolerations ?? []).map((t) => ({ key: t.key })),
      arch: this.archs,
      heavy: this.heavy,
    });
  }

  // ---------------------------------------------------------------- wire phase

  /** The port the route targets: its name, container port and Service port. */
  private routePort(): { name: string; port: number; servicePort: number } | undefined {
    const name = this.props.exposePort ?? (this.portMap.has('http') ? 'http' : [...this.portMap.keys()][0]);
    const p = name ? this.portMap.get(name) : undefined;
    return p && name ? { name, port: p.port, servicePort: this.servicePort(name) } : undefined;
  }

  /** Service port of a named port. */
  public servicePort(name: string): number {
    const p = allPodPorts(this.props).find((x) => x.name === name);
    if (!p) throw new Error(`app '${this.name}' has no port '${name}'`);
    return p.servicePort ?? p.port;
  }

  private wire(): void {
    this.wireRoutePeers();
    this.wireRedis();
    this.wireMetrics();
    this.renderWorkload(this.storeSecret);
  }

  /**
   * Hands the route to the cluster's ingress / tunnel through the platform's `exposeService` (which
   * validates the hostname, reports duplicates across every construct of the cluster and an exposure
   * the cluster cannot serve). Returns the hostname.
   */
  private expose(): string | undefined {
    const p = this.props;
    if (this.exposure === 'none') {
      if (p.hostname || p.subdomain) Diagnostics.of(this).warn(this, 'hostname-unused', "hostname/subdomain is set but expose is 'none', so no route is made");
      return undefined;
    }
    const port = this.routePort();
    if (!port) return undefined;
    return exposeService(this, { expose: this.exposure, hostname: p.hostname, subdomain: p.subdomain, serviceName: this.name, port: port.servicePort, name: this.name });
  }

  /** Allows the proxies that carry the route (ingress controller, tunnel) to reach the route port. */
  private wireRoutePeers(): void {
    const port = this.routePort();
    if (this.exposure === 'none' || !this.hostname || !port) return;
    const ports = policyPorts([this.portMap.get(port.name)!]);
    const ingress = this.cluster.service(INGRESS);
    const tunnel = this.cluster.service(TUNNEL);
    if (ingress) this.ingressRuleList.push({ peers: [podsIn(ingress.proxyPeer.namespace, ingress.proxyPeer.podLabels)], ports, reason: `ingress (${ingress.implementation})` });
    if (this.exposure === 'public' && tunnel) this.ingressRuleList.push({ peers: [podsIn(tunnel.proxyPeer.namespace, tunnel.proxyPeer.podLabels)], ports, reason: 'tunnel' });
  }

  /** A ServiceMonitor (and an ingress rule for the scraper) when the cluster has monitoring. */
  private wireMetrics(): void {
    const m = this.props.metrics;
    const monitoring = this.cluster.service(MONITORING);
    if (!m || !monitoring) return;
    const port = this.portMap.get(m.port);
    if (!port || !this.publishedPorts.includes(m.port)) {
      Diagnostics.of(this).error(this, 'metrics.port', `metrics port '${m.port}' is not a port published on the app's Service`, `use one of: ${this.publishedPorts.join(', ') || '(none)'}`);
      return;
    }
    new ApiObject(this, 'service-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: this.name, namespace: this.namespace, labels: { ...monitoring.selectorLabels } },
      spec: {
        selector: { matchLabels: { ...this.selectorLabels } },
        namespaceSelector: { matchNames: [this.namespace] },
        endpoints: [{ port: m.port, path: m.path ?? '/metrics', interval: m.interval ?? '60s' }],
      },
    });
    this.ingressRuleList.push({ peers: [podsIn(monitoring.component.namespace)], ports: policyPorts([port]), reason: 'metrics scraping' });
  }

  /** Asks the platform's PostgreSQL for the app's database; the connection lands in env and egress. */
  private requestPostgres(): void {
    const req = this.props.database?.postgres;
    if (!req) return;
    requestDatabase(this, req.database ?? this.name.replace(/-/g, '_'), { owner: req.owner, onConnected: (conn) => this.onPostgres(req, conn) });
  }

  private onPostgres(req: PostgresRequest, conn: DatabaseConnection): void {
    this.addDependsOn(conn.server, `uses PostgreSQL database '${conn.database}'`);
    this.egressRuleList.push({ peers: [podsIn(conn.serverPeer.namespace, conn.serverPeer.podLabels)], ports: policyPorts([{ port: conn.port }]), reason: 'postgres' });
    const env = req.env ?? POSTGRES_ENV;
    const user = env.username ?? (env.url ? 'POSTGRES_USER' : undefined);
    const password = env.password ?? (env.url ? 'POSTGRES_PASSWORD' : undefined);
    const add = (name: string | undefined, value: EnvValue) => { if (name) this.derivedEnv.push([name, value]); };
    add(env.host, conn.host);
    add(env.port, String(conn.port));
    add(env.hostPort, `${conn.host}:${conn.port}`);
    add(env.database, conn.database);
    add(user, { secretKeyRef: { name: conn.secretName, key: 'username' } });
    add(password, { secretKeyRef: { name: conn.secretName, key: 'password' } });
    add(env.url, `${req.urlScheme ?? 'postgresql'}://$(${user}):$(${password})@${conn.host}:${conn.port}/${conn.database}`);
  }

  private wireRedis(): void {
    const req = this.props.redis;
    if (!req) return;
    const provider = this.cluster.service(REDIS);
    if (!provider) {
      Diagnostics.of(this).error(this, 'redis', `the app asks for Redis but cluster '${this.cluster.name}' has no Redis service`, 'add a Redis component to the cluster, or remove redis');
      return;
    }
    const client = provider.addClient({ consumer: this });
    this.addDependsOn(provider.component, 'uses Redis');
    this.egressRuleList.push({ peers: [podsIn(client.serverPeer.namespace, client.serverPeer.podLabels)], ports: policyPorts([{ port: client.port }]), reason: 'redis' });
    const env = req.env ?? REDIS_ENV;
    if (env.host) this.derivedEnv.push([env.host, client.host]);
    if (env.port) this.derivedEnv.push([env.port, String(client.port)]);
    if (env.hostPort) this.derivedEnv.push([env.hostPort, `${client.host}:${client.port}`]);
    if (env.password && client.secretName) this.derivedEnv.push([env.password, { secretKeyRef: { name: client.secretName, key: 'password' } }]);
  }

  /**
   * One ExternalSecret (through the platform's `requestExternalSecret`) for every store-backed
   * variable of the pod; returns the name of the Secret it materialises.
   */
  private requestStoreSecret(): string | undefined {
    const all: [string, EnvValue][] = [
      ...Object.entries(this.props.env ?? {}),
      ...[...(this.props.initContainers ?? []), ...(this.props.sidecars ?? [])].flatMap((c) => Object.entries(c.env ?? {})),
    ];
    const data: Record<string, { key: string; property?: string }> = {};
    for (const [name, v] of all) if (isStoreRef(v)) data[name] = { key: v.fromStore.key, property: v.fromStore.property };
    if (Object.keys(data).length === 0) return undefined;
    return requestExternalSecret(this, `${this.name}-env`, data);
  }

  // ---------------------------------------------------------------- rendering

  private renderWorkload(storeSecret: string | undefined): void {
    const p = this.props;
    const vols = renderVolumes(this, this.name, this.volumes());
    const mainEnv = mergeEnv([...this.derivedEnv, ...Object.entries(p.env ?? {})]);
    const mounts = [...vols.mounts.values()];
    const containerSecurity = containerSecurityContext(this.security);
    const main: k8s.Container = {
      name: this.name,
      image: imageName(p.image),
      imagePullPolicy: 'IfNotPresent',
      command: p.command ? [...p.command] : undefined,
      args: p.args ? [...p.args] : undefined,
      env: mainEnv.length > 0 ? renderEnv(mainEnv, storeSecret) : undefined,
      envFrom: renderEnvFrom(p.envFrom),
      // On the host network every container port is a host port (the API server would default it):
      // written out, so the host-port clash check sees it.
      ports: (p.ports ?? []).map((port) => ({ name: port.name, containerPort: port.port, hostPort: this.security.hostNetwork ? port.port : undefined, protocol: port.protocol ?? 'TCP' })),
      resources: renderResources(p.resources, DEFAULT_RESOURCES),
      securityContext: containerSecurity,
      volumeMounts: mounts.length > 0 ? mounts : undefined,
      ...this.renderProbes(),
    };
    const extra = (c: ExtraContainer): k8s.Container => {
      const env = mergeEnv([...((c.inheritEnv ?? true) ? mainEnv : []), ...Object.entries(c.env ?? {})]);
      const own = c.volumes ? mounts.filter((m) => c.volumes!.includes(m.name)) : mounts;
      return {
        name: c.name,
        image: imageName(c.image ?? p.image),
        imagePullPolicy: 'IfNotPresent',
        command: c.command ? [...c.command] : undefined,
        args: c.args ? [...c.args] : undefined,
        env: env.length > 0 ? renderEnv(env, storeSecret) : undefined,
        envFrom: renderEnvFrom(c.envFrom),
        ports: (c.ports ?? []).length > 0 ? c.ports!.map((port) => ({ name: port.name, containerPort: port.port, hostPort: this.security.hostNetwork ? port.port : undefined, protocol: port.protocol ?? 'TCP' })) : undefined,
        resources: renderResources(c.resources, SIDECAR_RESOURCES),
        securityContext: containerSecurity,
        volumeMounts: own.length > 0 ? own : undefined,
        livenessProbe: c.probes?.liveness ? this.renderProbe(c.probes.liveness, false) : undefined,
        readinessProbe: c.probes?.readiness ? this.renderProbe(c.probes.readiness, false) : undefined,
        startupProbe: c.probes?.startup ? this.renderProbe(c.probes.startup, true) : undefined,
      };
    };
    const own = { ...p.annotations, ...(this.security.relaxations.length > 0 ? { [RELAXATIONS_ANNOTATION]: this.security.relaxations.join('\n') } : {}) };
    const annotations = Object.keys(own).length > 0 ? own : undefined;
    const podLabels = { ...p.podLabels, ...this.selectorLabels, 'app.kubernetes.io/instance': this.name };
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...podLabels, 'app.kubernetes.io/version': versionLabel(p.image.tag) }, annotations },
      spec: {
        replicas: this.replicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: { ...this.selectorLabels } },
        // A volume one node mounts at a time cannot move while the old pod still holds it.
        strategy: vols.singleNodeClaim
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: podLabels, annotations: p.podAnnotations && Object.keys(p.podAnnotations).length > 0 ? { ...p.podAnnotations } : undefined },
          spec: {
            automountServiceAccountToken: this.security.serviceAccountToken,
            enableServiceLinks: false,
            hostNetwork: this.security.hostNetwork || undefined,
            dnsPolicy: this.security.hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
            securityContext: podSecurityContext(this.security),
            terminationGracePeriodSeconds: p.terminationGracePeriodSeconds ?? 30,
            nodeSelector: p.nodeSelector && Object.keys(p.nodeSelector).length > 0 ? { ...p.nodeSelector } : undefined,
            tolerations: (p.tolerations ?? []).length > 0 ? p.tolerations!.map(renderToleration) : undefined,
            affinity: this.renderAffinity(),
            topologySpreadConstraints: p.spread ? [{
              maxSkew: p.spread.maxSkew ?? 1,
              topologyKey: p.spread.topologyKey ?? 'kubernetes.io/hostname',
              whenUnsatisfiable: p.spread.whenUnsatisfiable ?? 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...this.selectorLabels } },
            }] : undefined,
            dnsConfig: p.dnsConfig ? {
              nameservers: p.dnsConfig.nameservers?.length ? [...p.dnsConfig.nameservers] : undefined,
              searches: p.dnsConfig.searches?.length ? [...p.dnsConfig.searches] : undefined,
              options: p.dnsConfig.options?.length ? p.dnsConfig.options.map((o) => ({ ...o })) : undefined,
            } : undefined,
            initContainers: (p.initContainers ?? []).length > 0 ? p.initContainers!.map(extra) : undefined,
            containers: [main, ...(p.sidecars ?? []).map(extra)],
            volumes: vols.volumes.length > 0 ? vols.volumes : undefined,
          },
        },
      },
    });
    const servicePorts = allPodPorts(p).filter((port) => port.service ?? true);
    if (servicePorts.length > 0) {
      new k8s.KubeService(this, 'service', {
        metadata: { name: this.name, namespace: this.namespace, labels: podLabels },
        spec: {
          type: 'ClusterIP',
          selector: { ...this.selectorLabels },
          ports: servicePorts.map((port) => ({ name: port.name, port: port.servicePort ?? port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: port.protocol ?? 'TCP', appProtocol: port.appProtocol })),
        },
      });
    }
    if (this.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.selectorLabels } } },
      });
    }
  }

  private renderAffinity(): k8s.Affinity {
    return {
      // Always explicit: the pod only lands on nodes its image is built for.
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: [...this.archs] }] }],
        },
      },
      podAntiAffinity: this.replicas > 1
        ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...this.selectorLabels } } } }] }
        : undefined,
    };
  }

  private renderProbes(): Pick<k8s.Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
    const p = this.props;
    const first = [...this.portMap.keys()][0];
    const base: ProbeSpec | undefined = p.healthCheck
      ? { http: { path: p.healthCheck.path, port: p.healthCheck.port ?? this.routePort()?.name ?? first } }
      : first ? { tcp: { port: first } } : undefined;
    const pick = (v: ProbeSpec | false | undefined, startup: boolean): k8s.Probe | undefined => {
      if (v === false) return undefined;
      const spec = v ?? base;
      if (!spec) return undefined;
      return this.renderProbe(spec, startup);
    };
    return {
      livenessProbe: pick(p.probes?.liveness, false),
      readinessProbe: pick(p.probes?.readiness, false),
      startupProbe: pick(p.probes?.startup, true),
    };
  }

  private renderProbe(spec: ProbeSpec, startup: boolean): k8s.Probe {
    const port = (name: string | undefined): k8s.IntOrString => {
      const n = name ?? [...this.portMap.keys()][0];
      if (n && !this.portMap.has(n)) Diagnostics.of(this).error(this, 'probes', `a probe uses port '${n}', which the app does not declare`, `use one of: ${[...this.portMap.keys()].join(', ') || '(none)'}`);
      return k8s.IntOrString.fromString(n ?? 'http');
    };
    return {
      httpGet: spec.http
        ? {
          path: spec.http.path,
          port: port(spec.http.port),
          scheme: spec.http.scheme ?? 'HTTP',
          httpHeaders: spec.http.headers ? Object.entries(spec.http.headers).map(([name, value]) => ({ name, value })) : undefined,
        }
        : undefined,
      tcpSocket: !spec.http && spec.tcp ? { port: port(spec.tcp.port) } : undefined,
      exec: !spec.http && !spec.tcp && spec.exec ? { command: [...spec.exec] } : undefined,
      initialDelaySeconds: spec.initialDelaySeconds ?? 0,
      periodSeconds: spec.periodSeconds ?? 10,
      timeoutSeconds: spec.timeoutSeconds ?? 3,
      failureThreshold: spec.failureThreshold ?? (startup ? 30 : 3),
    };
  }

  // ---------------------------------------------------------------- finalize phase

  private finalize(): void {
    if (!this.cluster.defaultDenyNetworkPolicies) return;
    for (const c of inbound.get(this) ?? []) {
      this.ingressRuleList.push({ peers: [podsIn(c.from.namespace, c.from.selectorLabels)], ports: policyPorts(c.ports), reason: `from app ${c.from.name}` });
    }
    const others = this.cluster.components.filter((c) => c.namespace === this.namespace && !App.isApp(c));
    if (others.length > 0 && denyOwners.get(this.cluster)?.get(this.namespace) === this) {
      Diagnostics.of(this).warn(this, 'default-deny-shared-namespace', `namespace '${this.namespace}' gets a default-deny NetworkPolicy, which also applies to ${others.map((o) => o.name).join(', ')}; give apps their own namespace or allow that traffic explicitly`);
    }
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        podSelector: { matchLabels: { ...this.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: ingressRules(this.ingressRuleList),
        egress: egressRules([dnsRule(), ...this.egressRuleList]),
      },
    });
  }

  /** @internal allow rules, for tests and docs: who may reach the app and what it may reach. */
  public get networkRules(): { ingress: readonly PolicyRule[]; egress: readonly PolicyRule[] } {
    return { ingress: this.ingressRuleList, egress: [dnsRule(), ...this.egressRuleList] };
  }

  /** @internal the Pod Security level the app needs. */
  public get podSecurityLevel(): PodSecurityLevel {
    return this.podSecurityNeeded;
  }

  /** @internal records an egress rule from `this` to `target` (used by connect). */
  public addEgress(rule: PolicyRule): void {
    this.egressRuleList.push(rule);
  }
}

/** Allows `from` to open connections to `to` on `ports`: egress on one side, ingress on the other. */
function connect(from: PeerApp, to: PeerApp, ports: PeerPort[]): void {
  if (App.isApp(from)) from.addEgress({ peers: [podsIn(to.namespace, to.selectorLabels)], ports: policyPorts(ports), reason: `to app ${to.name}` });
  inbound.set(to, [...(inbound.get(to) ?? []), { from, ports }]);
}

/** Drops repeated names: a later value replaces an earlier one in its place (so `$(NAME)` order holds). */
function mergeEnv(entries: readonly (readonly [string, EnvValue])[]): [string, EnvValue][] {
  const merged = new Map<string, EnvValue>();
  for (const [name, value] of entries) merged.set(name, value);
  return [...merged.entries()];
}

function namespaceWithLevel(ns: string | NamespaceOptions, level: PodSecurityLevel): NamespaceOptions {
  const opts = typeof ns === 'string' ? { name: ns } : ns;
  const asked = opts.podSecurity ?? 'restricted';
  return { ...opts, podSecurity: LEVEL_RANK[level] > LEVEL_RANK[asked] ? level : asked };
}

/**
 * A container's resources with the defaults filled in. A memory limit given without a request
 * lowers the default request to it, so `{ memoryLimit: '64Mi' }` means 64Mi requested and limited
 * (what the API server would make of a limit alone), not a request above the limit.
 */
export function withDefaults(r: Resources | undefined, dflt: Resources): Resources {
  // Fields set to undefined (props built by spreading) keep their default.
  const full: Resources = { ...dflt, ...Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== undefined)) };
  if (r?.memoryRequest === undefined && r?.memoryLimit !== undefined) {
    const limit = parseMemory(r.memoryLimit);
    const request = parseMemory(dflt.memoryRequest!);
    if (limit !== undefined && request !== undefined && limit < request) return { ...full, memoryRequest: r.memoryLimit };
  }
  return full;
}

/** The ports of every container of the pod: the main container's, then each sidecar's. */
function allPodPorts(p: AppProps): AppPort[] {
  return [...(p.ports ?? []), ...(p.sidecars ?? []).flatMap((c) => c.ports ?? [])];
}

function renderEnvFrom(sources: readonly EnvSource[] | undefined): k8s.EnvFromSource[] | undefined {
  if (!sources || sources.length === 0) return undefined;
  return sources.map((s) => ('secret' in s
    ? { prefix: s.prefix, secretRef: { name: s.secret, optional: s.optional } }
    : { prefix: s.prefix, configMapRef: { name: s.configMap, optional: s.optional } }));
}

function renderResources(given: Resources | undefined, dflt: Resources): k8s.ResourceRequirements {
  const q = (s: string) => k8s.Quantity.fromString(s);
  const r = withDefaults(given, dflt);
  const ext = Object.fromEntries(Object.entries(r.extended ?? {}).map(([k, v]) => [k, q(v)]));
  const requests: Record<string, k8s.Quantity> = { cpu: q(r.cpuRequest!), memory: q(r.memoryRequest!), ...ext };
  const limits: Record<string, k8s.Quantity> = { memory: q(r.memoryLimit!), ...ext };
  const cpuLimit = r.cpuLimit;
  if (cpuLimit) limits.cpu = q(cpuLimit);
  return { requests, limits };
}

function renderToleration(t: Toleration): k8s.Toleration {
  return { key: t.key, operator: t.operator ?? (t.value !== undefined ? 'Equal' : 'Exists'), value: t.value, effect: t.effect };
}

function tolerates(t: Toleration, taint: Taint): boolean {
  const op = t.operator ?? (t.value !== undefined ? 'Equal' : 'Exists');
  if (t.key !== taint.key) return false;
  if (t.effect && t.effect !== taint.effect) return false;
  return op === 'Exists' || t.value === (taint.value ?? '');
}

/** Whether some volume of the set can be attached to one node only. */
function hasSingleNodeVolume(volumes: Record<string, AppVolume>): boolean {
  return Object.values(volumes).some((v) =>
    (v.type === 'claim' && (v.accessMode ?? 'ReadWriteOnce') !== 'ReadWriteMany') ||
    (v.type === 'existingClaim' && ((v.accessMode ?? 'ReadWriteOnce') === 'ReadWriteOnce' || v.accessMode === 'ReadWriteOncePod')));
}

/** A label value from an image tag (labels allow 63 characters of [A-Za-z0-9._-]). */
function versionLabel(tag: string): string {
  return tag.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unknown';
}
