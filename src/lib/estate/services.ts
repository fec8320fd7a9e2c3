import type { Component } from './component.js';

export { PHASES, ServiceKey } from './service-key.js';
export type { Phase } from './service-key.js';
import { ServiceKey } from './service-key.js';

/** How an app is reached. */
export type Exposure = 'internal' | 'public' | 'none';

/** One hostname routed to one Service port of an app. */
export interface RouteSpec {
  /** Component the route objects are rendered into (the app's). */
  readonly component: Component;
  /** Name for the route objects (Ingress / IngressRoute / HTTPRoute). */
  readonly name: string;
  /** Fully qualified hostname, inside the cluster's domain. */
  readonly hostname: string;
  readonly serviceName: string;
  readonly servicePort: number;
  readonly exposure: 'internal' | 'public';
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
   * Where a tunnel sends a public route's traffic inside the cluster: the controller's (or external
   * gateway's) Service. Optional: without it a tunnel targets the app's Service directly.
   */
  originFor?(route: RouteSpec): TunnelOrigin;
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

