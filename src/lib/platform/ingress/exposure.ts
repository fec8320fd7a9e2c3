import { HomelabCluster } from '../../estate/cluster.js';
import { FactKind } from '../../model/ledger.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { Exposure, INGRESS, RouteSpec, TUNNEL } from '../../estate/services.js';
import { inDomain, isHostname } from '../../estate/hostnames.js';
import { ROUTE } from '../../estate/route-facts.js';

/** How an app asks to be reached. Nothing here names an ingress implementation. */
export interface ExposeOptions {
  /** `internal` (home network, through the ingress), `public` (internet, through the tunnel and/or external gateway) or `none`. */
  readonly expose: Exposure;
  /** Fully qualified hostname, inside the cluster's domain. Give this or `subdomain`, not both. @default - from `subdomain` */
  readonly hostname?: string;
  /** Label(s) under the cluster's domain: `vault` → `vault.<domain>`. @default - the component's name */
  readonly subdomain?: string;
  /** The app's Service. */
  readonly serviceName: string;
  /** Port of that Service. */
  readonly port: number;
  /** Name of the route object (Ingress / IngressRoute / HTTPRoute). @default - `serviceName` */
  readonly name?: string;
}

/** A route name taken in a component (route objects of one component need distinct names); recorded with the component as owner. */
export const ROUTE_NAME = new FactKind<string>('route-name');

/** A hostname claimed by one route of the cluster. */
export interface HostnameClaim {
  readonly hostname: string;
  readonly component: Component;
  /** The route's name. */
  readonly name: string;
}

/** Hostnames claimed by routes, in claim order (see {@link claimHostname}). */
export const HOSTNAME_CLAIM = new FactKind<HostnameClaim>('hostname-claim');

/**
 * Exposes an app's Service under a hostname of the cluster's domain. In the wire phase it hands the
 * route to the cluster's ingress (which renders an `Ingress`, `IngressRoute` or `HTTPRoute` into
 * `component`, whichever the cluster uses) and, for `public`, to the tunnel. Switching the cluster's
 * ingress therefore changes no app code.
 *
 * Reports a hostname outside the domain, a hostname exposed twice in the cluster, and an exposure
 * the cluster cannot serve (no ingress for `internal`; neither ingress nor tunnel for `public`).
 * Returns the hostname (undefined for `none`).
 */
export function exposeService(component: Component, options: ExposeOptions): string | undefined {
  if (options.expose === 'none') return undefined;
  const cluster = component.cluster;
  const d = Diagnostics.of(component);
  const hostname = hostnameOf(component, options);
  if (!hostname) return undefined;
  if (!isDnsLabel(options.serviceName)) {
    d.error(component, 'serviceName', `'${options.serviceName}' is not a valid Service name`, "use the name of the app's Service (lowercase letters, digits and '-')");
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    d.error(component, 'port', `port ${options.port} is not a TCP port`, 'use the Service port, 1-65535');
  }
  const name = options.name ?? options.serviceName;
  if (cluster.ledger.of(ROUTE_NAME, component).includes(name)) {
    d.error(component, 'name', `'${component.name}' already has a route named '${name}'`, `give this route its own name (name: '${name}-2'), e.g. when one Service is exposed under two hostnames`);
    return hostname;
  }
  cluster.ledger.record(ROUTE_NAME, name, component);
  if (!claimHostname(cluster, hostname, component, name)) return hostname;
  const route: RouteSpec = {
    component,
    name,
    hostname,
    serviceName: options.serviceName,
    servicePort: options.port,
    exposure: options.expose,
  };
  cluster.onPhase('wire', () => wire(component, route));
  return hostname;
}

/** The hostname asked for, validated; undefined after reporting a problem. */
function hostnameOf(component: Component, options: ExposeOptions): string | undefined {
  const d = Diagnostics.of(component);
  const domain = component.cluster.domain;
  if (options.hostname !== undefined && options.subdomain !== undefined) {
    d.error(component, 'hostname', `both hostname '${options.hostname}' and subdomain '${options.subdomain}' are given`, 'give either the full hostname or the subdomain');
    return undefined;
  }
  if (options.hostname !== undefined) {
    const h = options.hostname;
    if (!isHostname(h)) {
      d.error(component, 'hostname', `'${h}' is not a valid hostname`, "use lowercase letters, digits, '-' and '.' (no scheme, port or path)");
      return undefined;
    }
    if (!inDomain(h, domain)) {
      d.error(component, 'hostname', `hostname '${h}' is outside the cluster's domain '${domain}'`, `use a hostname ending in '.${domain}', or give only the subdomain (subdomain: '${h.split('.')[0]}')`);
      return undefined;
    }
    return h;
  }
  const sub = options.subdomain ?? component.name;
  const h = `${sub}.${domain}`;
  if (!isHostname(h) || sub.endsWith(`.${domain}`) || sub === domain) {
    d.error(component, 'subdomain', `'${sub}' is not a valid subdomain of '${domain}'`, `give the label(s) before '.${domain}', e.g. '${component.name}'`);
    return undefined;
  }
  return h;
}

/**
 * Records that route `name` of `component` serves `hostname`; false (and a problem) if another route
 * of the cluster has it. Ingress providers call it too, so routes added without {@link exposeService}
 * are checked as well; the same route claiming twice is fine.
 */
export function claimHostname(cluster: HomelabCluster, hostname: string, component: Component, name: string): boolean {
  const other = cluster.ledger.all(HOSTNAME_CLAIM).find((c) => c.hostname === hostname);
  if (!other) cluster.ledger.record(HOSTNAME_CLAIM, { hostname, component, name }, component);
  else if (other.component !== component || other.name !== name) {
    Diagnostics.of(component).error(component, 'hostname', `hostname '${hostname}' is already exposed by '${other.component.name}' (route '${other.name}') in cluster '${cluster.name}'`, 'give each route its own hostname or subdomain');
    return false;
  }
  return true;
}

/**
 * Claims the hostname of `route` ({@link claimHostname}) for an ingress provider about to render it
 * as a `kind` object, and records the route (`ROUTE`, estate/route-facts.ts) so checks and docs
 * read it from the ledger. False (and a problem) when another route has the hostname.
 */
export function acceptRoute(route: RouteSpec, kind: string): boolean {
  const cluster = route.component.cluster;
  if (!claimHostname(cluster, route.hostname, route.component, route.name)) return false;
  cluster.ledger.record(ROUTE, { ...route, kind }, route.component);
  return true;
}

/** Hands the route to the cluster's ingress and tunnel (wire phase). */
function wire(component: Component, route: RouteSpec): void {
  const cluster = component.cluster;
  const ingress = cluster.service(INGRESS);
  const tunnel = cluster.service(TUNNEL);
  const d = Diagnostics.of(component);
  if (route.exposure === 'internal' && !ingress) {
    d.error(component, 'expose', `'${route.hostname}' should be exposed internally, but cluster '${cluster.name}' has no ingress`, "add an ingress to the cluster (IngressNginx, Traefik or Gateways), or set expose: 'none'");
    return;
  }
  if (route.exposure === 'public' && !ingress && !tunnel) {
    d.error(component, 'expose', `'${route.hostname}' should be exposed publicly, but cluster '${cluster.name}' has no ingress and no tunnel`, "add an ingress (IngressNginx, Traefik or Gateways) and/or a tunnel (Cloudflared) to the cluster, or set expose: 'internal' or 'none'");
    return;
  }
  ingress?.addRoute(route);
  if (route.exposure === 'public') tunnel?.addPublicHostname(route);
}
