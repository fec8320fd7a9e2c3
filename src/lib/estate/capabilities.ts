/**
 * Capabilities are how dependsOn is derived: a component provides some (a CRD group, a
 * StorageClass, an ingress class, a namespace…) and requires others; the cluster links each
 * requirement to the one component that provides it.
 */
export type CapabilityKind = 'crd' | 'storage-class' | 'ingress-class' | 'gateway' | 'namespace' | 'service';

/**
 * One thing a component can provide or require. Capabilities are values: asking twice for the same
 * kind and value gives the same object, so they work as Set and Map keys. Each one says in words
 * what it is and how to fix its absence, so no check has to parse it back.
 */
export class Capability {
  /** The one object per key (capabilities are immutable values, shared by every estate). */
  private static readonly values = new Map<string, Capability>();

  /** The capability of `kind` named `value`. */
  public static of(kind: CapabilityKind, value: string): Capability {
    const key = `${kind}:${value}`;
    let cap = Capability.values.get(key);
    if (!cap) {
      cap = new Capability(kind, value);
      Capability.values.set(key, cap);
    }
    return cap;
  }

  /** `kind:value`, e.g. `crd:postgresql.cnpg.io`; what messages print. */
  public readonly key: string;

  private constructor(public readonly kind: CapabilityKind, public readonly value: string) {
    this.key = `${kind}:${value}`;
  }

  /** Human wording for error messages, e.g. `the CRDs of API group 'postgresql.cnpg.io'`. */
  public describe(): string {
    switch (this.kind) {
      case 'crd': return `the CRDs of API group '${this.value}'`;
      case 'storage-class': return this === DEFAULT_STORAGE_CLASS ? 'a default StorageClass' : `StorageClass '${this.value}'`;
      case 'ingress-class': return `IngressClass '${this.value}'`;
      case 'gateway': return `Gateway '${this.value}'`;
      case 'namespace': return `namespace '${this.value}'`;
      default: return `${this.kind} '${this.value}'`;
    }
  }

  /** What to do when a component requires this and nothing provides it. */
  public fixWhenMissing(): string {
    switch (this.kind) {
      case 'crd': return 'add the operator component that installs these CRDs to the cluster, or remove the objects that use them';
      case 'storage-class': return 'add a storage component providing it (Longhorn, NFS, ZFS…) or use a StorageClass the cluster has';
      case 'ingress-class': return 'add the ingress controller component or choose the ingress class the cluster has';
      default: return 'add the component that provides it, or remove the requirement';
    }
  }

  /** What to do when several components provide this. */
  public fixWhenAmbiguous(): string {
    if (this === DEFAULT_STORAGE_CLASS) return 'mark exactly one StorageClass as the default (set default: false on the others)';
    return 'keep exactly one provider, or name the one you mean explicitly';
  }

  public toString(): string {
    return this.key;
  }
}

/** The CRDs of an API group, e.g. `postgresql.cnpg.io`. */
export const crdGroup = (group: string): Capability => Capability.of('crd', group);
/** A StorageClass by name. */
export const storageClass = (name: string): Capability => Capability.of('storage-class', name);
/** Whichever StorageClass is the cluster default. */
export const DEFAULT_STORAGE_CLASS: Capability = storageClass('(default)');
/**
 * Something gives LoadBalancer Services an address: a component (Cilium LB IPAM with pools, MetalLB)
 * or the distribution (OKE's cloud controller, k3s ServiceLB). Without it a LoadBalancer Service
 * stays `<pending>` and a HelmRelease waiting on it times out. Declare one running outside the tree
 * in the cluster's `builtins`.
 */
export const LOAD_BALANCER: Capability = Capability.of('service', 'load-balancer/controller');
/**
 * Something enforces NetworkPolicies: the distribution's CNI (Talos's flannel with
 * kube-network-policies, k3s's embedded controller) or a CNI component (Cilium). Without it every
 * NetworkPolicy is accepted by the API server and silently ignored.
 */
export const NETWORK_POLICY_ENFORCEMENT: Capability = Capability.of('service', 'network-policy/enforcement');
/** An IngressClass by name. */
export const ingressClass = (name: string): Capability => Capability.of('ingress-class', name);
/** A Gateway API Gateway, by namespace and name. */
export const gateway = (namespace: string, name: string): Capability => Capability.of('gateway', `${namespace}/${name}`);
/** A Namespace object, created by exactly one component. */
export const namespaceCap = (name: string): Capability => Capability.of('namespace', name);
/** A named service other components consume (a Postgres cluster, an ObjectStore, a secret store…). */
export const service = (kind: string, name: string): Capability => Capability.of('service', `${kind}/${name}`);

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

