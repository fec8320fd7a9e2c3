/**
 * What the constructs check themselves, read from the constructs, so the checks of the rendered
 * tree (inputs.ts) leave those findings to them and each one is reported once, where the user
 * wrote the value: an App pins its images, Longhorn counts its replicas against the storage
 * nodes, Cilium checks every LoadBalancer address against its pools, Gateways compare their two
 * addresses. The tree checks cover what no construct sees (raw objects, values escape hatches).
 */
import { App } from '../apps/app.js';
import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import { Gateways } from '../platform/ingress/gateways.js';
import { Cilium } from '../platform/network/cilium.js';
import { LB_IPS_ANNOTATIONS } from '../platform/network/lb-ips.js';
import { Longhorn } from '../platform/storage/longhorn.js';
import { LB_IP_ANNOTATIONS, LbAddressUse } from '../tree/load-balancers.js';

/**
 * Whether `c` is a `type` (or a subclass). Not `instanceof`: cdk8s' Chart answers it for every
 * Chart, so every component would pass for every kind.
 */
function isA<T extends Component>(c: Component | undefined, type: abstract new (...args: any[]) => T): c is T {
  return c !== undefined && Object.prototype.isPrototypeOf.call(type.prototype, c);
}

/** Whether `component` already checked that every image it renders is pinned (an App checks its image and its containers'). */
export function checksOwnImages(component: Component | undefined): boolean {
  return isA(component, App);
}

/** Whether `component` already checked replica count `value` against the storage nodes (Longhorn, its own count). */
export function checkedReplicaCount(component: Component | undefined, value: unknown): boolean {
  return isA(component, Longhorn) && Number(value) === component.replicas;
}

/** Annotations other than Cilium's through which an object asks for a LoadBalancer address (MetalLB, kube-vip): Cilium does not read them. */
const FOREIGN_LB_ANNOTATIONS = LB_IP_ANNOTATIONS.filter((a) => !(LB_IPS_ANNOTATIONS as readonly string[]).includes(a));

function isForeignLbAnnotation(field: string): boolean {
  return FOREIGN_LB_ANNOTATIONS.some((a) => field.endsWith(`.${a}`));
}

/**
 * Whether Cilium already checked address use `use` against its pools and the cluster's other
 * requests: it does for every address of the cluster asked in a way it reads (not MetalLB or
 * kube-vip annotations), as soon as the cluster has a Cilium component.
 */
export function ciliumChecksAddress(cluster: HomelabCluster, use: LbAddressUse): boolean {
  return cluster.components.some((c) => isA(c, Cilium)) && !isForeignLbAnnotation(use.field);
}

/** Addresses a Gateways component already reported as asked by both its Gateways (it compares its two addresses). */
export function addressesReportedByGateways(cluster: HomelabCluster): Set<string> {
  const out = new Set<string>();
  for (const c of cluster.components) {
    if (isA(c, Gateways) && c.internal.address && c.internal.address === c.external.address) out.add(c.internal.address);
  }
  return out;
}
