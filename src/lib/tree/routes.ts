/**
 * Hostnames of the rendered route objects (Ingress, Gateway API HTTPRoute, Traefik IngressRoute).
 * The only place that reads them: Traefik's IngressRoute writes its hostnames inside the rule
 * string (`Host(`app.example.com`)`), so it is the one place that takes them out of it.
 */
import { apiGroup, Manifest } from './manifests.js';
import type { RenderedManifest } from './tree.js';

/** One hostname a route object names, where, and the paths it routes for it. */
export interface RouteHost {
  readonly host: string;
  /** Field path of the hostname, e.g. `spec.rules[0].host`. */
  readonly field: string;
  /** Paths routed under it; `/` when the object names none. */
  readonly paths: readonly string[];
}

/** One hostname and path a rendered route serves. */
export interface HostUse {
  readonly host: string;
  readonly path: string;
  readonly m: RenderedManifest;
  readonly field: string;
}

const TRAEFIK_HOST = /Host\(`([^`]*)`\)/g;
const TRAEFIK_PATH_PREFIX = /PathPrefix\(`([^`]*)`\)/;
const orRoot = (paths: string[]): string[] => (paths.length > 0 ? paths : ['/']);

/** The hostnames of a route object, by kind (any API group), in the order it names them. */
export function routeHosts(o: Manifest): RouteHost[] {
  switch (o.kind) {
    case 'Ingress':
      return (o.spec?.rules ?? []).flatMap((rule: Manifest, i: number) => (typeof rule.host === 'string'
        ? [{ host: rule.host, field: `spec.rules[${i}].host`, paths: orRoot((rule.http?.paths ?? []).map((p: Manifest) => String(p.path ?? '/'))) }]
        : []));
    case 'HTTPRoute': {
      const paths = orRoot((o.spec?.rules ?? []).flatMap((rule: Manifest) => (rule?.matches ?? []).map((mt: Manifest) => String(mt?.path?.value ?? '/'))));
      return (o.spec?.hostnames ?? []).flatMap((h: unknown, i: number) => (typeof h === 'string' ? [{ host: h, field: `spec.hostnames[${i}]`, paths }] : []));
    }
    case 'IngressRoute':
      return (o.spec?.routes ?? []).flatMap((route: Manifest, i: number) => {
        const match = String(route.match ?? '');
        const paths = [TRAEFIK_PATH_PREFIX.exec(match)?.[1] ?? '/'];
        return [...match.matchAll(TRAEFIK_HOST)].map((h) => ({ host: h[1], field: `spec.routes[${i}].match`, paths }));
      });
    default:
      return [];
  }
}

/** API group each route kind is checked in (other groups' objects of these kinds are not routes the checks know). */
const ROUTE_GROUPS: Readonly<Record<string, string>> = { Ingress: 'networking.k8s.io', HTTPRoute: 'gateway.networking.k8s.io', IngressRoute: 'traefik.io' };

/** Every hostname and path a rendered route object of a known API group serves. */
export function hostUses(m: RenderedManifest): HostUse[] {
  if (ROUTE_GROUPS[m.object.kind] !== apiGroup(m.object)) return [];
  return routeHosts(m.object).flatMap((h) => h.paths.map((path) => ({ host: h.host, path, m, field: h.field })));
}

/** Hostnames of a route object as the docs list them: Ingress rules, HTTPRoute hostnames, non-empty IngressRoute `Host(...)` matches. */
export function routeHostnames(o: Manifest): string[] {
  return routeHosts(o).filter((h) => !(o.kind === 'IngressRoute' && h.host === '')).map((h) => h.host);
}
