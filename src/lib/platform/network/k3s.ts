import { Capability, DEFAULT_STORAGE_CLASS, ingressClass } from '../../estate/capabilities.js';
import { k3sLocalStorageEnabled } from '../../estate/builtins.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { nodeRequirements } from '../../estate/node-requirements.js';
import { INGRESS } from '../../estate/services.js';
import { LOAD_BALANCER_IPAM } from './lb-ips.js';

/** A k3s built-in a cluster's constructs can make unnecessary (or conflicting). */
export type K3sBuiltin = 'traefik' | 'servicelb' | 'local-storage' | 'flannel' | 'network-policy' | 'kube-proxy';

/** Why each built-in is disabled, for generated comments. */
export interface K3sDisabledComponent {
  readonly name: K3sBuiltin;
  readonly reason: string;
  /** The k3s server flag that disables it. */
  readonly flag: string;
}

/**
 * Which of k3s's bundled components the cluster's own constructs replace, derived from the model
 * (never listed by hand), in a fixed order:
 * - `traefik`: the cluster has an ingress provider (ingress-nginx, its own Traefik release, Gateway
 *   API…) or a component provides IngressClass `traefik`; the bundled one would fight it for ports 80/443;
 * - `servicelb`: a component hands out LoadBalancer IPs (Cilium LB IPAM);
 * - `local-storage`: a component provides the default StorageClass (k3s's local-path is default too);
 * - `flannel` and `network-policy`: a component replaces the CNI (Cilium: `cni: 'none'`);
 * - `kube-proxy`: a component replaces kube-proxy.
 * Call it after the cluster's components are declared (the bootstrap/k3s-config generator does).
 */
export function k3sDisabledComponents(cluster: HomelabCluster): K3sDisabledComponent[] {
  const out: K3sDisabledComponent[] = [];
  const providers = (cap: Capability) => cluster.components.filter((c) => c.provides.has(cap)).map((c) => c.name);
  const ingress = cluster.service(INGRESS);
  const traefikClass = providers(ingressClass('traefik'));
  if (ingress || traefikClass.length > 0) {
    const by = ingress ? `'${ingress.component.name}' (${ingress.implementation})` : `'${traefikClass[0]}'`;
    out.push({ name: 'traefik', reason: `the cluster's ingress is ${by}`, flag: '--disable=traefik' });
  }
  const lb = providers(LOAD_BALANCER_IPAM);
  if (lb.length > 0) out.push({ name: 'servicelb', reason: `'${lb[0]}' assigns LoadBalancer IPs`, flag: '--disable=servicelb' });
  if (!k3sLocalStorageEnabled(cluster.components)) {
    const by = cluster.components.find((c) => c.provides.has(DEFAULT_STORAGE_CLASS))!.name;
    out.push({ name: 'local-storage', reason: `'${by}' provides the default StorageClass`, flag: '--disable=local-storage' });
  }
  const req = nodeRequirements(cluster);
  const cniBy = req.sources.find((s) => s.requirements.cni === 'none')?.component;
  if (cniBy) {
    out.push({ name: 'flannel', reason: `'${cniBy}' is the CNI`, flag: '--flannel-backend=none' });
    out.push({ name: 'network-policy', reason: `'${cniBy}' enforces NetworkPolicies`, flag: '--disable-network-policy' });
  }
  const kpBy = req.sources.find((s) => s.requirements.disableKubeProxy)?.component;
  if (kpBy) out.push({ name: 'kube-proxy', reason: `'${kpBy}' replaces kube-proxy`, flag: '--disable-kube-proxy' });
  return out;
}
