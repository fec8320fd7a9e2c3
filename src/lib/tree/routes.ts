/**
 * Hostnames of the rendered route objects (Ingress, Gateway API HTTPRoute, Traefik IngressRoute).
 *
 * A route the cluster's ingress renders is a ledger fact (`ROUTE`, estate/route-facts.ts): its
 * hostnames, paths and exposure are read from there ({@link recordedRoute}). Route objects written by hand
 * (raw objects in a component, a chart's values) have no fact: {@link routeHosts} reads them, the
 * only place that does, down to Traefik's rule string (`Host(`app.example.com`)`).
 */
import type { Component } from '../estate/component.js';
import { EXPOSURE_LABEL, ROUTE, RouteFact } from '../estate/route-facts.js';
import { hostnamesOf, rulesOf } from '../estate/services.js';
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

/**
 * Field of hostname `i` of a provider's route object, by kind: an Ingress has a rule per hostname, an
 * HTTPRoute lists them, an IngressRoute names them all in the match of each of its routes.
 */
const RECORDED_HOST_FIELD: Readonly<Record<string, (i: number) => string>> = {
  Ingress: (i) => `spec.rules[${i}].host`,
  HTTPRoute: (i) => `spec.hostnames[${i}]`,
  IngressRoute: () => 'spec.routes[0].match',
};

/**
 * The route the cluster's ingress recorded for route object `o` of `component` (same kind, name
 * and namespace), or `undefined` for a route object written by hand.
 */
export function recordedRoute(component: Component | undefined, o: Manifest): RouteFact | undefined {
  if (!component || ROUTE_GROUPS[o.kind] !== apiGroup(o) || o.metadata?.namespace !== component.namespace) return undefined;
  return component.cluster.ledger.of(ROUTE, component).find((r) => r.kind === o.kind && r.name === o.metadata?.name);
}

/**
 * Every hostname and path a rendered route object of a known API group serves: from its `ROUTE`
 * fact when the cluster's ingress rendered it (`component` is the component rendering `m`), read
 * from the object otherwise.
 */
export function hostUses(m: RenderedManifest, component?: Component): HostUse[] {
  if (ROUTE_GROUPS[m.object.kind] !== apiGroup(m.object)) return [];
  const recorded = recordedRoute(component, m.object);
  if (recorded) {
    const paths = [...new Set(rulesOf(recorded).map((r) => r.path))];
    return hostnamesOf(recorded).flatMap((host, i) => paths.map((path) => ({ host, path, m, field: RECORDED_HOST_FIELD[recorded.kind](i) })));
  }
  return routeHosts(m.object).flatMap((h) => h.paths.map((path) => ({ host: h.host, path, m, field: h.field })));
}

/**
 * Hostnames of a route object as the docs list them: its `ROUTE` fact's hostnames when the
 * cluster's ingress rendered it, else read from the object (Ingress rules, HTTPRoute hostnames,
 * non-empty IngressRoute `Host(...)` matches).
 */
export function routeHostnames(o: Manifest, component?: Component): string[] {
  const recorded = recordedRoute(component, o);
  if (recorded) return [...hostnamesOf(recorded)];
  return routeHosts(o).filter((h) => !(o.kind === 'IngressRoute' && h.host === '')).map((h) => h.host);
}

/** The exposure a hand-written route object states with its exposure label; `internal` when unlabelled. */
export function labelledExposure(o: Manifest): 'internal' | 'public' {
  return o.metadata?.labels?.[EXPOSURE_LABEL] === 'public' ? 'public' : 'internal';
}

/** Gateway API Gateways of the tree, by `namespace/name`. */
export function gatewaysByKey(all: readonly Manifest[]): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const o of all) if (o.kind === 'Gateway' && String(o.apiVersion).startsWith('gateway.networking.k8s.io/')) out.set(`${o.metadata?.namespace}/${o.metadata?.name}`, o);
  return out;
}

/** The Gateway an HTTPRoute attaches to (its first Gateway parentRef), with the namespace defaulted to the route's. */
export function routeGateway(o: Manifest): { readonly namespace: string; readonly name: string } | undefined {
  if (o.kind !== 'HTTPRoute') return undefined;
  const ref = (o.spec?.parentRefs ?? []).find((r: Manifest) => (r.kind ?? 'Gateway') === 'Gateway');
  return ref ? { namespace: String(ref.namespace ?? o.metadata?.namespace ?? ''), name: String(ref.name) } : undefined;
}

/** The IngressClass an Ingress names, if any. */
export function ingressClassOf(o: Manifest): string | undefined {
  return o.kind === 'Ingress' && typeof o.spec?.ingressClassName === 'string' ? o.spec.ingressClassName : undefined;
}
