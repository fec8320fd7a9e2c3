/**
 * Hostnames, for the whole library: what a hostname the model derives must be, whether it lies in
 * the cluster's domain, and how a route object of the rendered tree may write one (a leading `*.`
 * wildcard, any case). Object names (namespaces, Services…) are names.ts's business.
 */
import { isDnsSubdomain } from './names.js';

/** A hostname the model gives out: a DNS-1123 subdomain, lowercase, every label at most 63 characters. */
export function isHostname(s: string): boolean {
  return s.length <= 253 && s.split('.').every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
}

/** Whether `hostname` is the domain itself or inside it, compared exactly (both as the model writes them). */
export function inDomain(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

/** A route's hostname without its leading `*.` wildcard, if any. */
export function withoutWildcard(host: string): string {
  return host.replace(/^\*\./, '');
}

/** Whether a hostname of a rendered route (Ingress, HTTPRoute, IngressRoute) is a DNS name; a leading `*.` is allowed. */
export function isRouteHostname(host: string): boolean {
  return isDnsSubdomain(withoutWildcard(host));
}

/** {@link inDomain} for a rendered route's hostname: a leading `*.` counts as its parent domain, and case is ignored. */
export function routeHostInDomain(host: string, domain: string): boolean {
  return inDomain(withoutWildcard(host).toLowerCase(), domain.toLowerCase());
}
