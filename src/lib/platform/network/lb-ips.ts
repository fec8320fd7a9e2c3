import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Capability, LOAD_BALANCER, service } from '../../estate/capabilities.js';
import type { HomelabCluster } from '../../estate/cluster.js';
import type { Component } from '../../estate/component.js';
import { FactKind } from '../../model/ledger.js';

/**
 * Provided by the component that hands out LoadBalancer IPs (Cilium LB IPAM with declared pools).
 * On k3s it also means the bundled ServiceLB is disabled.
 */
export const LOAD_BALANCER_IPAM: Capability = service('load-balancer', 'ipam');

/** Whether LoadBalancer Services of the cluster get an address (see {@link LOAD_BALANCER}). Valid once every component is constructed. */
export function hasLoadBalancer(cluster: HomelabCluster): boolean {
  return cluster.builtins.has(LOAD_BALANCER) || cluster.components.some((c) => c.provides.has(LOAD_BALANCER));
}

/**
 * The Service type of an ingress controller that sets none: `LoadBalancer` where something assigns
 * addresses, else `NodePort` (the LAN reaches it on every node's address; a tunnel reaches it inside
 * the cluster), never a LoadBalancer that would stay `<pending>` and time out the release.
 */
export function defaultIngressServiceType(cluster: HomelabCluster): 'LoadBalancer' | 'NodePort' {
  return hasLoadBalancer(cluster) ? 'LoadBalancer' : 'NodePort';
}

/** Annotations through which a Service (or a Gateway's generated Service) asks Cilium for addresses. */
export const LB_IPS_ANNOTATIONS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips'] as const;
/** Services carrying the same value here may share one address. */
export const LB_SHARING_KEY_ANNOTATION = 'lbipam.cilium.io/sharing-key';

/** One LoadBalancer address some object asks for. */
export interface LoadBalancerIpRequest {
  /** The address as written. */
  readonly ip: string;
  readonly component: Component;
  /** Construct reported in problems (the object asking). */
  readonly scope: IConstruct;
  /** Where in the object, e.g. `spec.loadBalancerIP`. */
  readonly field: string;
  /** What asks, e.g. `Service 'k8s-gateway'`. */
  readonly what: string;
  /** Requests with the same sharing key may use the same address. @default - none */
  readonly sharingKey?: string;
}

/** A LoadBalancer address declared with {@link declareLoadBalancerIp}, owned by the declaring component. */
export const DECLARED_LOAD_BALANCER_IP = new FactKind<LoadBalancerIpRequest>('declared-load-balancer-ip');

/**
 * Declares an address a component will ask for in a way the scan cannot see (inside a raw manifest
 * string, a chart's computed values…). Most requests need no declaration: Services, Gateways and
 * HelmRelease values are scanned.
 */
export function declareLoadBalancerIp(component: Component, ip: string, what: string, sharingKey?: string): void {
  component.cluster.ledger.record(DECLARED_LOAD_BALANCER_IP, { ip, component, scope: component, field: 'loadBalancerIp', what, sharingKey }, component);
}

type Manifest = Record<string, any>;

/**
 * Every LoadBalancer address the cluster's components ask for: Service `spec.loadBalancerIP` and
 * LB-IPAM annotations, Gateway `spec.addresses` (and annotations it passes to its Service via
 * `spec.infrastructure`), `loadBalancerIP` keys and LB-IPAM annotations anywhere in HelmRelease
 * values (charts put them on their Services), plus {@link declareLoadBalancerIp} declarations.
 */
export function collectLoadBalancerIpRequests(cluster: HomelabCluster): LoadBalancerIpRequest[] {
  const out: LoadBalancerIpRequest[] = [];
  for (const component of cluster.components) {
    for (const obj of component.renderedObjects()) out.push(...requestsOf(component, obj, obj.toJson() as Manifest));
  }
  return [...out, ...cluster.ledger.all(DECLARED_LOAD_BALANCER_IP)];
}

function requestsOf(component: Component, scope: ApiObject, o: Manifest): LoadBalancerIpRequest[] {
  const what = `${o.kind} '${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}'`;
  const req = (ip: string, field: string, sharingKey?: string): LoadBalancerIpRequest => ({ ip: ip.trim(), component, scope, field, what, sharingKey });
  const fromAnnotations = (annotations: Record<string, string> | undefined, at: string): LoadBalancerIpRequest[] => {
    const sharing = annotations?.[LB_SHARING_KEY_ANNOTATION];
    return LB_IPS_ANNOTATIONS.flatMap((key) => splitIps(annotations?.[key]).map((ip) => req(ip, `${at}["${key}"]`, sharing)));
  };
  const group = String(o.apiVersion ?? '').split('/')[0];
  if (o.kind === 'Service' && o.apiVersion === 'v1') {
    const sharing = o.metadata?.annotations?.[LB_SHARING_KEY_ANNOTATION];
    return [
      ...(typeof o.spec?.loadBalancerIP === 'string' ? [req(o.spec.loadBalancerIP, 'spec.loadBalancerIP', sharing)] : []),
      ...fromAnnotations(o.metadata?.annotations, 'metadata.annotations'),
    ];
  }
  if (o.kind === 'Gateway' && group === 'gateway.networking.k8s.io') {
    const addresses: Manifest[] = o.spec?.addresses ?? [];
    return [
      ...addresses.flatMap((a, i) => ((a.type ?? 'IPAddress') === 'IPAddress' && typeof a.value === 'string' ? [req(a.value, `spec.addresses[${i}].value`)] : [])),
      ...fromAnnotations(o.spec?.infrastructure?.annotations, 'spec.infrastructure.annotations'),
    ];
  }
  if (o.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') return scanValues(o.spec?.values, 'spec.values', req);
  return [];
}

/** Finds `loadBalancerIP` keys and LB-IPAM annotations at any depth of Helm values. */
function scanValues(v: unknown, at: string, req: (ip: string, field: string, sharingKey?: string) => LoadBalancerIpRequest): LoadBalancerIpRequest[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => scanValues(x, `${at}[${i}]`, req));
  if (typeof v !== 'object' || v === null) return [];
  const out: LoadBalancerIpRequest[] = [];
  const record = v as Record<string, unknown>;
  const sharing = typeof record[LB_SHARING_KEY_ANNOTATION] === 'string' ? (record[LB_SHARING_KEY_ANNOTATION] as string) : undefined;
  for (const [k, child] of Object.entries(record)) {
    const path = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${at}.${k}` : `${at}["${k}"]`;
    if (k === 'loadBalancerIP' && typeof child === 'string' && child !== '') out.push(req(child, path));
    else if ((LB_IPS_ANNOTATIONS as readonly string[]).includes(k) && typeof child === 'string') out.push(...splitIps(child).map((ip) => req(ip, path, sharing)));
    else out.push(...scanValues(child, path, req));
  }
  return out;
}

function splitIps(s: string | undefined): string[] {
  return (s ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
}
