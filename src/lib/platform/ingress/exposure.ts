import { HomelabCluster } from '../../estate/cluster.js';
import { FactKind } from '../../model/ledger.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { byPrecedence, Exposure, hostnamesOf, INGRESS, RouteRule, RouteSpec, TUNNEL } from '../../estate/services.js';
import { inDomain, isHostname } from '../../estate/hostnames.js';
import { ROUTE } from '../../estate/route-facts.js';
import { libraryRouteMetadata } from './common.js';
import { checkDistinctRules, checkHeaderFilters, checkRouteMetadata, checkRoutePath, headersFieldOf, rulesWithHeaders } from './route-checks.js';

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

/** One route object with several hostnames and path rules (see {@link exposeRoute}). */
export interface RouteOptions {
  /** `internal` (home network, through the ingress) or `public` (internet, through the tunnel and/or external gateway). */
  readonly expose: 'internal' | 'public';
  /**
   * The hostnames the route object serves, at least one: a name with a dot is a full hostname inside
   * the cluster's domain (`vault.example.com`), a single label a subdomain of it (`vault`).
   */
  readonly hostnames: readonly string[];
  /** The app's Service. */
  readonly serviceName: string;
  /** Port of that Service for a route without rules. */
  readonly port: number;
  /** Name of the route object (Ingress / IngressRoute / HTTPRoute). */
  readonly name: string;
  /** Path rules, in any order (they are written most specific first). @default - one `PathPrefix` rule for `/` to `port` */
  readonly rules?: readonly RouteRule[];
  /** Annotations of the route object beside the library's. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Labels of the route object beside the library's. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** The prop asking for the route, prefixing every field a message names (e.g. `routes[0]`). */
  readonly field: string;
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
  const hostname = hostnameOf(component, options);
  if (!hostname) return undefined;
  if (!checkBackend(component, '', options.serviceName, options.port)) return hostname;
  const route: RouteSpec = {
    component,
    name: options.name ?? options.serviceName,
    hostname,
    serviceName: options.serviceName,
    servicePort: options.port,
    exposure: options.expose,
  };
  register(component, route, [[hostname, 'hostname']]);
  return hostname;
}

/**
 * Exposes an app's Service as one route object serving several hostnames, with path rules (each to
 * a port of the Service, with header filters) and labels and annotations of its own. Every hostname
 * is checked and claimed like {@link exposeService}'s; the route object is handed to the ingress
 * and, for `public`, the tunnel in the wire phase. Returns the hostnames (undefined after a problem).
 */
export function exposeRoute(component: Component, options: RouteOptions): string[] | undefined {
  const d = Diagnostics.of(component);
  const field = options.field;
  if (options.hostnames.length === 0) {
    d.error(component, `${field}.hostnames`, `route '${options.name}' lists no hostname`, `give at least one: a full name in '${component.cluster.domain}' or a single label, e.g. hostnames: ['${component.name}']`);
    return undefined;
  }
  const hostnames: string[] = [];
  const claims: [string, string][] = [];
  options.hostnames.forEach((entry, i) => {
    const at = `${field}.hostnames[${i}]`;
    const h = routeHostname(component, entry, at);
    if (h === undefined) return;
    if (hostnames.includes(h)) d.error(component, at, `hostname '${h}' is listed twice in route '${options.name}'`, 'list each hostname once');
    else { hostnames.push(h); claims.push([h, at]); }
  });
  const given = options.rules ?? [];
  const pathsValid = given.map((r, i) => checkRoutePath(component, `${field}.rules[${i}].path`, r.path)).every(Boolean);
  checkDistinctRules(component, field, given);
  const headerFields = new Set<string>();
  for (const r of given) {
    if (!r.headers || headerFields.has(headersFieldOf(r))) continue;
    headerFields.add(headersFieldOf(r));
    checkHeaderFilters(component, headersFieldOf(r), r.headers);
  }
  checkRouteMetadata(component, field, options.labels, options.annotations);
  const backendValid = checkBackend(component, `${field}.`, options.serviceName, options.port);
  if (hostnames.length !== options.hostnames.length || !pathsValid || !backendValid) return undefined;
  const route: RouteSpec = {
    component,
    name: options.name,
    hostname: hostnames[0],
    hostnames,
    serviceName: options.serviceName,
    servicePort: options.port,
    exposure: options.expose,
    ...(options.rules ? { rules: [...options.rules].sort(byPrecedence) } : {}),
    ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
    ...(options.labels ? { labels: { ...options.labels } } : {}),
    field,
  };
  register(component, route, claims);
  return hostnames;
}

/** The Service name and port a route targets are ones a route object can name. */
function checkBackend(component: Component, prefix: string, serviceName: string, port: number): boolean {
  const d = Diagnostics.of(component);
  let ok = true;
  if (!isDnsLabel(serviceName)) {
    d.error(component, `${prefix}serviceName`, `'${serviceName}' is not a valid Service name`, "use the name of the app's Service (lowercase letters, digits and '-')");
    ok = false;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    d.error(component, `${prefix}port`, `port ${port} is not a TCP port`, 'use the Service port, 1-65535');
    ok = false;
  }
  return ok;
}

/** Takes the route's name in its component, claims each hostname (at the field that named it) and hands the route on in the wire phase. */
function register(component: Component, route: RouteSpec, claims: readonly (readonly [string, string])[]): void {
  const cluster = component.cluster;
  if (cluster.ledger.of(ROUTE_NAME, component).includes(route.name)) {
    Diagnostics.of(component).error(component, route.field ? `${route.field}.name` : 'name', `'${component.name}' already has a route named '${route.name}'`, `give this route its own name (name: '${route.name}-2'), e.g. when one Service is exposed under two hostnames`);
    return;
  }
  cluster.ledger.record(ROUTE_NAME, route.name, component);
  if (!claims.every(([h, at]) => claimHostname(cluster, h, component, route.name, at))) return;
  cluster.onPhase('wire', () => wire(component, route));
}

/**
 * One entry of {@link RouteOptions.hostnames}: a full name in the domain as given, a single label
 * under the domain; undefined after reporting a problem.
 */
function routeHostname(component: Component, entry: string, field: string): string | undefined {
  const d = Diagnostics.of(component);
  const domain = component.cluster.domain;
  const full = entry.includes('.') ? entry : `${entry}.${domain}`;
  if (!isHostname(full)) {
    d.error(component, field, `'${entry}' is not a valid hostname or subdomain`, `use lowercase letters, digits, '-' and '.' (no scheme, port or path), e.g. '${component.name}' or '${component.name}.${domain}'`);
    return undefined;
  }
  if (!inDomain(full, domain)) {
    d.error(component, field, `hostname '${entry}' is outside the cluster's domain '${domain}'`, `write the full name under the domain ('${entry.split('.')[0]}.${domain}'), or a single label ('${entry.split('.')[0]}'); a name with a dot is read as a full hostname`);
    return undefined;
  }
  return full;
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
export function claimHostname(cluster: HomelabCluster, hostname: string, component: Component, name: string, field = 'hostname'): boolean {
  const other = cluster.ledger.all(HOSTNAME_CLAIM).find((c) => c.hostname === hostname);
  if (!other) cluster.ledger.record(HOSTNAME_CLAIM, { hostname, component, name }, component);
  else if (other.component !== component || other.name !== name) {
    Diagnostics.of(component).error(component, field, `hostname '${hostname}' is already exposed by '${other.component.name}' (route '${other.name}') in cluster '${cluster.name}'`, 'give each route its own hostname or subdomain');
    return false;
  }
  return true;
}

/**
 * Claims every hostname of `route` ({@link claimHostname}) for an ingress provider about to render it
 * as a `kind` object, and records the route (`ROUTE`, estate/route-facts.ts) so checks and docs
 * read it from the ledger. False (and a problem) when another route has one of the hostnames.
 */
export function acceptRoute(route: RouteSpec, kind: string): boolean {
  const cluster = route.component.cluster;
  if (!hostnamesOf(route).every((h) => claimHostname(cluster, h, route.component, route.name))) return false;
  cluster.ledger.record(ROUTE, { ...route, kind }, route.component);
  return true;
}

/** Hands the route to the cluster's ingress and tunnel (wire phase), once it is one they can serve. */
function wire(component: Component, route: RouteSpec): void {
  const cluster = component.cluster;
  const ingress = cluster.service(INGRESS);
  const tunnel = cluster.service(TUNNEL);
  const d = Diagnostics.of(component);
  const expose = route.field ? `${route.field}.expose` : 'expose';
  if (route.exposure === 'internal' && !ingress) {
    d.error(component, expose, `'${route.hostname}' should be exposed internally, but cluster '${cluster.name}' has no ingress`, "add an ingress to the cluster (IngressNginx, Traefik or Gateways), or set expose: 'none'");
    return;
  }
  if (route.exposure === 'public' && !ingress && !tunnel) {
    d.error(component, expose, `'${route.hostname}' should be exposed publicly, but cluster '${cluster.name}' has no ingress and no tunnel`, "add an ingress (IngressNginx, Traefik or Gateways) and/or a tunnel (Cloudflared) to the cluster, or set expose: 'internal' or 'none'");
    return;
  }
  if (!ingress && !servableByTunnelAlone(route)) return;
  if (!ownMetadataFree(route)) return;
  ingress?.addRoute(route);
  if (route.exposure === 'public') tunnel?.addPublicHostname(route);
}

/** Without an ingress there is no route object: the tunnel forwards to the Service and can neither change headers nor carry metadata. */
function servableByTunnelAlone(route: RouteSpec): boolean {
  const d = Diagnostics.of(route.component);
  const cluster = route.component.cluster;
  let ok = true;
  for (const r of rulesWithHeaders(route).filter((x, i, all) => all.findIndex((y) => headersFieldOf(y) === headersFieldOf(x)) === i)) {
    d.error(route.component, headersFieldOf(r), `route '${route.name}' changes headers, but cluster '${cluster.name}' has no ingress: the tunnel forwards straight to the Service and cloudflared cannot set or remove headers`, 'add an ingress that can (Traefik or Gateways), or drop the headers');
    ok = false;
  }
  for (const what of ['annotations', 'labels'] as const) {
    if (Object.keys(route[what] ?? {}).length === 0) continue;
    d.error(route.component, `${route.field}.${what}`, `route '${route.name}' has ${what}, but cluster '${cluster.name}' has no ingress, so no route object carries them (the tunnel forwards straight to the Service)`, `add an ingress to the cluster, or drop ${what}`);
    ok = false;
  }
  return ok;
}

/** A label or annotation the route gives that the library sets on its route object is a problem (one of them would be lost). */
function ownMetadataFree(route: RouteSpec): boolean {
  const own = libraryRouteMetadata(route.component.cluster, route);
  let ok = true;
  for (const [what, mine] of [['labels', own.labels], ['annotations', own.annotations ?? {}]] as const) {
    for (const key of Object.keys(route[what] ?? {}).filter((k) => k in mine)) {
      Diagnostics.of(route.component).error(route.component, `${route.field}.${what}.${key}`, `${what === 'labels' ? 'label' : 'annotation'} '${key}' is set by the library on route '${route.name}' (to '${mine[key]}')`, `leave '${key}' out: the library derives it from the route's exposure and the cluster's tunnel`);
      ok = false;
    }
  }
  return ok;
}
