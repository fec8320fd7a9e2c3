import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Capability, LOAD_BALANCER, service } from '../../estate/capabilities.js';
import type { HomelabCluster } from '../../estate/cluster.js';
import type { Component } from '../../estate/component.js';
import { FactKind } from '../../model/ledger.js';
import { addressAsks, FieldPath } from '../../tree/load-balancers.js';

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

/**
 * Every LoadBalancer address the cluster's components ask for in a way Cilium reads: any v1
 * Service's `spec.loadBalancerIP` and LB-IPAM annotations, Gateway `spec.addresses` (and
 * annotations it passes to its Service via `spec.infrastructure`), `loadBalancerIP` keys and
 * LB-IPAM annotations anywhere in Flux HelmRelease values (charts put them on their Services),
 * plus {@link declareLoadBalancerIp} declarations. The objects are read before they are rendered,
 * with the tree's reader of addresses ({@link addressAsks}).
 */
export function collectLoadBalancerIpRequests(cluster: HomelabCluster): LoadBalancerIpRequest[] {
  const out: LoadBalancerIpRequest[] = [];
  for (const component of cluster.components) {
    for (const obj of component.renderedObjects()) out.push(...requestsOf(component, obj, obj.toJson()));
  }
  return [...out, ...cluster.ledger.all(DECLARED_LOAD_BALANCER_IP)];
}

/** The asks of one object Cilium reads, worded as its problems cite them (`metadata.annotations["lbipam.cilium.io/ips"]`). */
function requestsOf(component: Component, scope: ApiObject, o: Record<string, any>): LoadBalancerIpRequest[] {
  const what = `${o.kind} '${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}'`;
  return addressAsks(o).flatMap((a): LoadBalancerIpRequest[] => {
    if (a.annotation !== undefined && !(LB_IPS_ANNOTATIONS as readonly string[]).includes(a.annotation)) return [];
    if (a.from === 'values' && !a.fluxRelease) return [];
    const field = a.annotation ? `${bracketedField(a.at)}["${a.annotation}"]` : bracketedField(a.at);
    const key = a.from === 'values' && a.annotation === undefined ? undefined : a.sharing?.[LB_SHARING_KEY_ANNOTATION];
    const sharingKey = a.from === 'values' ? (typeof key === 'string' ? key : undefined) : (key as string | undefined);
    return [{ ip: a.ip.trim(), component, scope, field, what, sharingKey }];
  });
}

/** A field path as Cilium's problems write it: `.key` for identifiers, `["key"]` for other keys, `[i]` for indexes. */
function bracketedField(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `["${p}"]`)).join('');
}
