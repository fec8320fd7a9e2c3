import { Capability, DEFAULT_STORAGE_CLASS, LOAD_BALANCER, NETWORK_POLICY_ENFORCEMENT, storageClass } from './capabilities.js';
import type { Distribution } from './distribution.js';


/** What the derivation reads of a component: the capabilities it provides. */
export interface CapabilityProvider {
  readonly provides: ReadonlySet<Capability>;
}

/** StorageClass every OKE cluster has: the OCI Block Volume CSI driver's, marked default by OKE. */
export const OKE_BLOCK_VOLUME_CLASS = 'oci-bv';
/** StorageClass of k3s's bundled local-path provisioner (the `local-storage` add-on), default on k3s. */
export const K3S_LOCAL_PATH_CLASS = 'local-path';

/**
 * Whether k3s's bundled `local-storage` add-on (local-path StorageClass, marked default) stays on:
 * it is disabled as soon as a component provides a default StorageClass, because a cluster has
 * exactly one default. `k3sDisabledComponents` (platform/network/k3s.ts) uses the same rule.
 */
export function k3sLocalStorageEnabled(components: readonly CapabilityProvider[]): boolean {
  return !components.some((c) => c.provides.has(DEFAULT_STORAGE_CLASS));
}

/**
 * Capabilities a distribution gives without any component, known to the model but never deployed:
 * - OKE: the `oci-bv` block-volume StorageClass, the cluster default; LoadBalancer Services (the
 *   OCI cloud controller creates an OCI load balancer);
 * - k3s: the `local-path` StorageClass (default) unless a component brings its own default class,
 *   in which case the k3s config disables `local-storage`; LoadBalancer Services (ServiceLB, or the
 *   component replacing it); NetworkPolicy enforcement (its embedded controller, or the CNI replacing flannel);
 * - Talos: NetworkPolicy enforcement (the generated config deploys flannel with kube-network-policies;
 *   a CNI replacing it, Cilium, enforces too). No load balancer.
 * OKE's flannel (and VCN-native pod networking) enforces no NetworkPolicy: a CNI component must.
 * A cluster's explicit `builtins` prop replaces this list.
 */
export function distributionBuiltins(distribution: Distribution, components: readonly CapabilityProvider[]): Capability[] {
  switch (distribution) {
    case 'oke':
      return [storageClass(OKE_BLOCK_VOLUME_CLASS), DEFAULT_STORAGE_CLASS, LOAD_BALANCER];
    case 'k3s':
      return [...(k3sLocalStorageEnabled(components) ? [storageClass(K3S_LOCAL_PATH_CLASS), DEFAULT_STORAGE_CLASS] : []), LOAD_BALANCER, NETWORK_POLICY_ENFORCEMENT];
    case 'talos':
      return [NETWORK_POLICY_ENFORCEMENT];
  }
}
