import type { HomelabCluster } from '../../estate/cluster.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { walkValues } from '../../tree/manifests.js';

/**
 * Cilium's L2 announcer before 1.20.2 elects the node answering ARP for a LoadBalancer address
 * without looking at `externalTrafficPolicy`; with `Local` the elected node drops the traffic
 * unless it runs one of the Service's pods (cilium/cilium#27800). 1.20.2 backports the fix
 * (cilium/cilium#46399: only nodes with a local backend announce). The check reads the pinned
 * chart version, so a Renovate bump past the fix lifts it. A fact about Cilium, not a pin.
 */
export const L2_LOCAL_POLICY_FIX = { ciliumRelease: '1.20.2', issue: 'cilium/cilium#27800' } as const;
export const L2_LOCAL_POLICY_FIXED_IN: string = L2_LOCAL_POLICY_FIX.ciliumRelease;

/** Whether semver `a` is older than `b` (major.minor.patch; a pre-release counts as its release). */
export function olderThan(a: string, b: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
  return false;
}

/** Paths (`a.b[0].c`) in Helm values where `externalTrafficPolicy` is `Local`: a chart writes it on its Service. */
export function localPolicyPaths(values: unknown): string[] {
  const out: string[] = [];
  walkValues(values, '', (path, value, parent) => {
    if (parent && value === 'Local' && path.endsWith('.externalTrafficPolicy')) out.push(path.slice(1));
  });
  return out;
}

/**
 * Reports every LoadBalancer Service of the cluster (apps' and raw objects alike), and every Flux
 * HelmRelease whose values ask a chart for `externalTrafficPolicy: Local`, while the pinned Cilium
 * announces over L2 with the old election and more than one node could win it. Check phase:
 * every object has rendered.
 */
export function checkL2LocalTrafficPolicy(cluster: HomelabCluster, ciliumVersion: string): void {
  if (cluster.nodes.length <= 1 || !olderThan(ciliumVersion, L2_LOCAL_POLICY_FIXED_IN)) return;
  for (const component of cluster.components) {
    for (const obj of component.renderedObjects()) {
      const o = obj.toJson();
      if (o.kind === 'HelmRelease' && String(o.apiVersion).startsWith('helm.toolkit.fluxcd.io/')) {
        for (const path of localPolicyPaths(o.spec?.values)) {
          Diagnostics.of(component).error(obj, `spec.values.${path}`, `HelmRelease '${o.metadata?.namespace}/${o.metadata?.name}' asks its chart's Service for externalTrafficPolicy: Local, but Cilium ${ciliumVersion} elects the node announcing its address over L2 without regard to where its pods run: on ${cluster.nodes.length} nodes the address answers on a node without a pod, which drops the connections (${L2_LOCAL_POLICY_FIX.issue}, fixed in ${L2_LOCAL_POLICY_FIXED_IN})`, `drop the override (Cluster), or bump the Cilium chart to ${L2_LOCAL_POLICY_FIXED_IN} or later`);
        }
        continue;
      }
      if (o.kind !== 'Service' || o.spec?.type !== 'LoadBalancer' || o.spec?.externalTrafficPolicy !== 'Local') continue;
      Diagnostics.of(component).error(obj, 'spec.externalTrafficPolicy', `Service '${o.metadata?.namespace}/${o.metadata?.name}' keeps traffic on the receiving node (Local), but Cilium ${ciliumVersion} elects the node announcing its address over L2 without regard to where its pods run: on ${cluster.nodes.length} nodes the address answers on a node without a pod, which drops the connections (${L2_LOCAL_POLICY_FIX.issue}, fixed in ${L2_LOCAL_POLICY_FIXED_IN})`, `use externalTrafficPolicy: 'Cluster' (the NetworkPolicy admits the forwarding nodes), or bump the Cilium chart to ${L2_LOCAL_POLICY_FIXED_IN} or later`);
    }
  }
}
