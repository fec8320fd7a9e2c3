import { HomelabCluster } from '../../estate/cluster.js';
import { INGRESS, IngressProvider, RouteSpec, TUNNEL } from '../../estate/services.js';

import { EXPOSURE_LABEL } from '../../estate/route-facts.js';

export { EXPOSURE_LABEL };
/** external-dns annotation naming the record target (external-dns ≤ 0.21 reads the `alpha` prefix). */
export const EXTERNAL_DNS_TARGET = 'external-dns.alpha.kubernetes.io/target';
/** external-dns annotation making a Cloudflare record proxied (required for tunnel CNAMEs). */
export const CLOUDFLARE_PROXIED = 'external-dns.alpha.kubernetes.io/cloudflare-proxied';

/** The route objects an ingress renders (see {@link IngressProvider.routeObjects}). */
export type RouteObjects = NonNullable<IngressProvider['routeObjects']>;

/** networking.k8s.io Ingresses: what an ingress that says nothing else renders. */
export const KUBERNETES_INGRESSES: RouteObjects = { kind: 'Ingress', description: 'Ingresses', externalDnsSources: ['ingress'] };

/** The route objects of the cluster's ingress; {@link KUBERNETES_INGRESSES} without one, or when it does not say. */
export function routeObjectsOf(cluster: HomelabCluster): RouteObjects {
  return cluster.service(INGRESS)?.routeObjects ?? KUBERNETES_INGRESSES;
}

/** In-cluster URL of a Service port. */
export function serviceUrl(scheme: 'http' | 'https', name: string, namespace: string, port: number): string {
  return `${scheme}://${name}.${namespace}.svc.cluster.local:${port}`;
}

/** Pods to run for a small controller: 1 on a single-node cluster, 2 otherwise. */
export function defaultReplicas(cluster: HomelabCluster): number {
  return cluster.singleNode ? 1 : 2;
}

/**
 * Labels and annotations the library gives a route object: the exposure label, and for a public route
 * behind a tunnel whose DNS name is known, the external-dns target (a proxied CNAME to the tunnel).
 */
export function libraryRouteMetadata(cluster: HomelabCluster, route: RouteSpec): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const labels = { [EXPOSURE_LABEL]: route.exposure };
  const target = route.exposure === 'public' ? cluster.service(TUNNEL)?.dnsTarget : undefined;
  return target ? { labels, annotations: { [EXTERNAL_DNS_TARGET]: target, [CLOUDFLARE_PROXIED]: 'true' } } : { labels };
}

/**
 * Labels and annotations of a route object: the library's ({@link libraryRouteMetadata}), then the
 * route's own. A key of the route's that the library sets is left out here (exposure.ts reports it).
 */
export function routeMetadata(cluster: HomelabCluster, route: RouteSpec): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const own = libraryRouteMetadata(cluster, route);
  const labels = { ...own.labels, ...without(route.labels, own.labels) };
  const annotations = { ...own.annotations, ...without(route.annotations, own.annotations) };
  return Object.keys(annotations).length > 0 ? { labels, annotations } : { labels };
}

function without(given: Readonly<Record<string, string>> | undefined, taken: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(given ?? {}).filter(([k]) => !(taken && k in taken)));
}
