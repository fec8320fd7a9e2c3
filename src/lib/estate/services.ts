import type { Component } from './component.js';

export { PHASES, ServiceKey } from './service-key.js';
export type { Phase } from './service-key.js';
import { ServiceKey } from './service-key.js';

/** How an app is reached. */
export type Exposure = 'internal' | 'public' | 'none';

/** How a route rule matches the request path. */
export type PathMatch = 'PathPrefix' | 'Exact';

/** Changes to one direction's HTTP headers (names compare case-insensitively). */
export interface HeaderChanges {
  /** Headers written, replacing any value they had. @default {} */
  readonly set?: Readonly<Record<string, string>>;
  /** Headers appended to (a value added beside any the header has). @default {} */
  readonly add?: Readonly<Record<string, string>>;
  /** Headers removed. @default [] */
  readonly remove?: readonly string[];
}

/** Header filters of a route rule: on the request before it reaches the app, on the response before the client sees it. */
export interface HeaderFilters {
  /** @default - the request's headers unchanged */
  readonly request?: HeaderChanges;
  /** @default - the response's headers unchanged */
  readonly response?: HeaderChanges;
}

/** One path rule of a route: requests whose path matches go to one port of the Service. */
export interface RouteRule {
  /** Path, starting with `/`. */
  readonly path: string;
  /** `PathPrefix` matches the path and everything under it, element-wise (`/api` matches `/api` and `/api/x`, not `/apix`). */
  readonly match: PathMatch;
  readonly servicePort: number;
  /** @default - no header changes */
  readonly headers?: HeaderFilters;
  /** The prop that gave `headers`, for messages (e.g. `routes[0].headers`). @default 'headers' */
  readonly headersField?: string;
}

/** Hostnames routed to ports of one Service of an app: one route object. */
export interface RouteSpec {
  /** Component the route objects are rendered into (the app's). */
  readonly component: Component;
  /** Name for the route objects (Ingress / IngressRoute / HTTPRoute). */
  readonly name: string;
  /** Fully qualified hostname, inside the cluster's domain: the first of {@link hostnames}. */
  readonly hostname: string;
  /** Every hostname the route object serves, `hostname` first, each claimed in the cluster. @default [hostname] */
  readonly hostnames?: readonly string[];
  readonly serviceName: string;
  /** The port of a route without {@link rules}. */
  readonly servicePort: number;
  readonly exposure: 'internal' | 'public';
  /** Path rules, most specific first (see {@link rulesOf}). @default - one `PathPrefix` rule for `/` to `servicePort` */
  readonly rules?: readonly RouteRule[];
  /** Annotations of the route object beside the library's (none of the same key). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Labels of the route object beside the library's (none of the same key). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** The prop that asked for the route, for messages (e.g. `routes[0]`). @default - the app's `expose` / `hostname` */
  readonly field?: string;
}

/** Every hostname of a route, the first one first. */
export function hostnamesOf(route: RouteSpec): readonly string[] {
  return route.hostnames ?? [route.hostname];
}

/** The path rules of a route: its own, or one `PathPrefix` rule for `/` to its port. */
export function rulesOf(route: RouteSpec): readonly RouteRule[] {
  return route.rules ?? [{ path: '/', match: 'PathPrefix', servicePort: route.servicePort }];
}

/** Whether a rule matches every path (`PathPrefix` `/`), so the route object needs no path match for it. */
export function matchesEveryPath(rule: RouteRule): boolean {
  return rule.path === '/' && rule.match === 'PathPrefix';
}

/**
 * Rules in the order every renderer writes them: longer paths first, `Exact` before `PathPrefix` on
 * the same path (the precedence Gateway API prescribes; first-match renderers need it spelled out).
 */
export function byPrecedence(a: RouteRule, b: RouteRule): number {
  return b.path.length - a.path.length || (a.match === b.match ? 0 : a.match === 'Exact' ? -1 : 1) || a.path.localeCompare(b.path);
}

/** The cluster's ingress: turns routes into Ingress, IngressRoute or HTTPRoute objects. */
export interface IngressProvider {
  /** `ingress-nginx`, `traefik`, `gateway-api`…: what messages call the implementation. Nothing switches on it. */
  readonly implementation: string;
  /** The component running the controller (dependsOn and NetworkPolicy peers derive from it). */
  readonly component: Component;
  /** Namespace and pod labels of the proxy pods that connect to apps, for NetworkPolicies. */
  readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  addRoute(route: RouteSpec): void;
  /**
   * The objects {@link addRoute} renders, for DNS servers that read hostnames from them (external-dns, k8s_gateway).
   * @default - networking.k8s.io Ingresses: kind `Ingress`, external-dns source `ingress`
   */
  readonly routeObjects?: {
    /** Kind of the route objects: `Ingress`, `HTTPRoute`, `IngressRoute`… */
    readonly kind: string;
    /** What messages call them, e.g. `Traefik IngressRoutes`. */
    readonly description: string;
    /** external-dns sources that read their hostnames: `ingress`, `gateway-httproute`, `traefik-proxy`… */
    readonly externalDnsSources: readonly string[];
  };
  /**
   * Named container port of the proxy pods serving Prometheus metrics, or `false` when the
   * controller's metrics are turned off. Asked in the finalize phase. Optional: without it no
   * metrics target is known for the ingress, and the cluster's monitoring warns instead.
   */
  metricsPort?(): string | false;
  /**
   * Where a tunnel sends a public route's traffic for `hostname` (default: the route's first) inside
   * the cluster: the controller's (or external gateway's) Service. Optional: without it a tunnel
   * targets the app's Service directly.
   */
  originFor?(route: RouteSpec, hostname?: string): TunnelOrigin;
}

/** An in-cluster origin a tunnel forwards one public hostname to. */
export interface TunnelOrigin {
  /** `http://svc.ns.svc.cluster.local:80` or `https://…:443`. */
  readonly url: string;
  /** TLS server name (SNI) to present to an https origin; the public hostname. @default - none */
  readonly originServerName?: string;
  /** Skip verifying the origin's certificate (an in-cluster hop to a privately issued certificate). @default false */
  readonly noTLSVerify?: boolean;
}

/** Public exposure through a tunnel (Cloudflare Tunnel). */
export interface TunnelProvider {
  readonly component: Component;
  readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  /** Takes a public route: every one of its hostnames (and, without an ingress, its path rules) goes through the tunnel. */
  addPublicHostname(route: RouteSpec): void;
  /** DNS name public hostnames should be CNAMEs of (`<tunnel id>.cfargotunnel.com`), when known. @default - unknown */
  readonly dnsTarget?: string;
}

/** Connection details handed to a consumer of a database. */
export interface DatabaseConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Secret in the consumer's namespace with keys `username` and `password` (and `uri` when available). */
  readonly secretName: string;
  /** Component serving the database (for dependsOn and NetworkPolicy egress). */
  readonly server: Component;
  /** Pod labels of the database server pods (for NetworkPolicy egress). */
  readonly serverPeer: { namespace: string; podLabels: Record<string, string> };
}

/** A PostgreSQL service offering one database (and role) per consumer. */
export interface PostgresProvider {
  readonly component: Component;
  addDatabase(request: { consumer: Component; database: string; owner?: string }): DatabaseConnection;
}

/** A Redis service. */
export interface RedisProvider {
  readonly component: Component;
  addClient(request: { consumer: Component }): { host: string; port: number; secretName?: string; serverPeer: { namespace: string; podLabels: Record<string, string> } };
}

/** A secret store apps read secrets from (External Secrets Operator + OpenBao). */
export interface SecretStoreProvider {
  readonly component: Component;
  /**
   * Renders an ExternalSecret into the consumer's namespace, mapping each Secret key to a key
   * (path/property) in the store; returns the name of the Secret it materialises.
   */
  externalSecret(request: { consumer: Component; name: string; data: Record<string, { key: string; property?: string }> }): string;
}

/** Metrics collection (kube-prometheus-stack): components add monitors when it exists. */
export interface MonitoringProvider {
  readonly component: Component;
  /** Label the Prometheus selects ServiceMonitors/PodMonitors by, if any. */
  readonly selectorLabels: Record<string, string>;
}

export const INGRESS = new ServiceKey<IngressProvider>('ingress', 'an ingress controller or Gateway (ingress-nginx, Traefik, Gateway API)');
export const TUNNEL = new ServiceKey<TunnelProvider>('tunnel', 'a public tunnel (cloudflared)');
export const POSTGRES = new ServiceKey<PostgresProvider>('postgres', 'a PostgreSQL cluster (CloudNativePG)');
export const REDIS = new ServiceKey<RedisProvider>('redis', 'a Redis service');
export const SECRET_STORE = new ServiceKey<SecretStoreProvider>('secret-store', 'a secret store (an External Secrets ClusterSecretStore)');
export const MONITORING = new ServiceKey<MonitoringProvider>('monitoring', 'metrics collection (kube-prometheus-stack)');

