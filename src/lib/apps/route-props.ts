import type { HeaderFilters, PathMatch } from '../estate/services.js';

/**
 * The types of App's `routes` prop: route objects of an app beyond its main hostname and aliases,
 * each with several hostnames, path rules to the app's ports, header filters, labels and
 * annotations. How they are exposed is app-routes.ts's business.
 */

/** One path rule of an {@link AppRoute}. */
export interface AppRouteRule {
  /** Path the rule matches, starting with `/`, e.g. `/api`. */
  readonly path: string;
  /**
   * `PathPrefix` matches the path and everything below it, element-wise (`/api` matches `/api` and
   * `/api/v1`, not `/apis`); `Exact` the path alone. @default 'PathPrefix'
   */
  readonly match?: PathMatch;
  /** Port (by name) of the app the rule sends requests to; it must be published on the app's Service. @default - the route port (`exposePort`, else 'http', else the first port) */
  readonly port?: string;
  /** Header changes of this rule, in place of the route's `headers`. @default - the route's `headers` */
  readonly headers?: HeaderFilters;
}

/**
 * A route object of its own: one Ingress / IngressRoute / HTTPRoute (whichever the cluster's ingress
 * renders) serving several hostnames, with one exposure. An app that is internal under one name
 * and public under another has two routes (or its main route and one here).
 */
export interface AppRoute {
  /** Name of the route object. @default - `<app>-route-<n>`, n counting this list from 1 */
  readonly name?: string;
  /**
   * Hostnames the route object serves, at least one, each claimed in the cluster like the main
   * hostname (inside the domain, one route per hostname): a name with a dot is a full hostname
   * (`photos.example.com`), a single label a subdomain of the cluster's domain (`photos`).
   */
  readonly hostnames: readonly string[];
  /** `internal` (LAN through the ingress) or `public` (internet through the tunnel or ingress). */
  readonly expose: 'internal' | 'public';
  /**
   * Path rules, each to a port of the app; written most specific first (longest path, `Exact` before
   * `PathPrefix`), whatever the order here. @default [{ path: '/' }] — every path to the route port
   */
  readonly rules?: readonly AppRouteRule[];
  /**
   * Header changes on every rule that has none of its own: request headers set, appended or removed
   * before the app sees them, response headers before the client does. Traefik cannot append
   * (`add`), ingress-nginx cannot change headers at all, the tunnel alone neither. @default - none
   */
  readonly headers?: HeaderFilters;
  /** Annotations of the route object, beside the library's (a key the library sets is a problem). @default {} */
  readonly annotations?: Record<string, string>;
  /** Labels of the route object, beside the library's `homelab/exposure` (which cannot be set here). @default {} */
  readonly labels?: Record<string, string>;
}
