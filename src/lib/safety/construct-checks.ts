/**
 * What the constructs checked themselves, read from the ledger (`SELF_CHECKED`, estate/self-checks.ts),
 * so the checks of the rendered tree (inputs.ts) leave those findings to them and each one is
 * reported once, where the user wrote the value: an App pins its images, Longhorn counts its
 * replicas against the storage nodes, the CNI checks every LoadBalancer address against its pools,
 * Gateways compare their two addresses. The tree checks cover what no construct sees (raw objects,
 * values escape hatches). Nothing here knows a construct: only the facts they record.
 */
import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import { SELF_CHECKED, SelfCheck } from '../estate/self-checks.js';
import { LB_IP_ANNOTATIONS, LbAddressUse } from '../tree/load-balancers.js';

type CheckOf<K extends SelfCheck['kind']> = Extract<SelfCheck, { kind: K }>;

/** The self-checks of kind `kind` recorded by `component`. */
function checksOf<K extends SelfCheck['kind']>(component: Component, kind: K): CheckOf<K>[] {
  return component.cluster.ledger.of(SELF_CHECKED, component).filter((c): c is CheckOf<K> => c.kind === kind);
}

/** The self-checks of kind `kind` recorded in `cluster`. */
function clusterChecks<K extends SelfCheck['kind']>(cluster: HomelabCluster, kind: K): CheckOf<K>[] {
  return cluster.ledger.all(SELF_CHECKED).filter((c): c is CheckOf<K> => c.kind === kind);
}

/** Whether `component` already checked that every image it renders is pinned. */
export function checksOwnImages(component: Component | undefined): boolean {
  return component !== undefined && checksOf(component, 'images').length > 0;
}

/** Whether `component` already checked replica count `value` against the storage nodes (its own count). */
export function checkedReplicaCount(component: Component | undefined, value: unknown): boolean {
  return component !== undefined && checksOf(component, 'replica-count').some((c) => c.count === Number(value));
}

/**
 * Whether a CNI already checked address use `use` against its pools and the cluster's other
 * requests: it does for every address of the cluster asked in a way it reads (not through an
 * annotation of another implementation, such as MetalLB's or kube-vip's).
 */
export function cniChecksAddress(cluster: HomelabCluster, use: LbAddressUse): boolean {
  return clusterChecks(cluster, 'load-balancer-addresses').some((c) => {
    const foreign = LB_IP_ANNOTATIONS.filter((a) => !c.annotations.includes(a));
    return !foreign.some((a) => use.field.endsWith(`.${a}`));
  });
}

/** Addresses a construct already reported a problem about (a Gateways component whose two Gateways ask for one address). */
export function addressesReportedByConstructs(cluster: HomelabCluster): Set<string> {
  return new Set(clusterChecks(cluster, 'address-reported').map((c) => c.address));
}
