/**
 * Capabilities are how dependsOn is derived: a component provides some (a CRD group, a
 * StorageClass, an ingress class, a namespace…) and requires others; the cluster links each
 * requirement to the one component that provides it.
 */
export type Capability = string;

/** The CRDs of an API group, e.g. `postgresql.cnpg.io`. */
export const crdGroup = (group: string): Capability => `crd:${group}`;
/** A StorageClass by name. */
export const storageClass = (name: string): Capability => `storage-class:${name}`;
/** Whichever StorageClass is the cluster default. */
export const DEFAULT_STORAGE_CLASS: Capability = 'storage-class:(default)';
/**
 * Something gives LoadBalancer Services an address: a component (Cilium LB IPAM with pools, MetalLB)
 * or the distribution (OKE's cloud controller, k3s ServiceLB). Without it a LoadBalancer Service
 * stays `<pending>` and a HelmRelease waiting on it times out. Declare one running outside the tree
 * in the cluster's `builtins`.
 */
export const LOAD_BALANCER: Capability = 'service:load-balancer/controller';
/**
 * Something enforces NetworkPolicies: the distribution's CNI (Talos's flannel with
 * kube-network-policies, k3s's embedded controller) or a CNI component (Cilium). Without it every
 * NetworkPolicy is accepted by the API server and silently ignored.
 */
export const NETWORK_POLICY_ENFORCEMENT: Capability = 'service:network-policy/enforcement';
/** An IngressClass by name. */
export const ingressClass = (name: string): Capability => `ingress-class:${name}`;
/** A Gateway API Gateway, by namespace and name. */
export const gateway = (namespace: string, name: string): Capability => `gateway:${namespace}/${name}`;
/** A Namespace object, created by exactly one component. */
export const namespaceCap = (name: string): Capability => `namespace:${name}`;
/** A named service other components consume (a Postgres cluster, an ObjectStore, a secret store…). */
export const service = (kind: string, name: string): Capability => `service:${kind}/${name}`;

/** API groups every cluster serves without any component: Kubernetes itself and Flux. */
export const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'networking.k8s.io', 'storage.k8s.io',
  'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io',
  'discovery.k8s.io', 'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'certificates.k8s.io',
  'source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io', 'fluxcd.controlplane.io',
]);

/** The API group of an `apiVersion` (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Human wording for a capability in error messages. */
export function describeCapability(cap: Capability): string {
  const [kind, ...rest] = cap.split(':');
  const value = rest.join(':');
  switch (kind) {
    case 'crd': return `the CRDs of API group '${value}'`;
    case 'storage-class': return value === '(default)' ? 'a default StorageClass' : `StorageClass '${value}'`;
    case 'ingress-class': return `IngressClass '${value}'`;
    case 'gateway': return `Gateway '${value}'`;
    case 'namespace': return `namespace '${value}'`;
    default: return `${kind} '${value}'`;
  }
}
