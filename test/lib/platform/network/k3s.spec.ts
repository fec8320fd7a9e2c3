import { ingressClass } from '../../../../src/lib/estate/capabilities.js';
import { INGRESS } from '../../../../src/lib/estate/services.js';
import { Cilium } from '../../../../src/lib/platform/network/cilium.js';
import { k3sDisabledComponents } from '../../../../src/lib/platform/network/k3s.js';
import { Longhorn } from '../../../../src/lib/platform/storage/longhorn.js';
import { rawComponent, testCluster } from '../../../helpers.js';

const k3s = { distribution: 'k3s' as const, network: { nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' } };

describe('k3sDisabledComponents', () => {
  test('a bare k3s cluster keeps every built-in', () => {
    expect(k3sDisabledComponents(testCluster(k3s).cluster)).toEqual([]);
  });

  test('follows from the constructs: Cilium, a default StorageClass and an ingress provider', () => {
    const { cluster } = testCluster(k3s);
    new Cilium(cluster, 'cilium', { gatewayApi: false, loadBalancerPools: [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.120'] }] });
    new Longhorn(cluster, 'longhorn', { default: true });
    const ingress = rawComponent(cluster, { name: 'ingress-nginx', namespace: 'ingress-nginx' });
    cluster.registerService(INGRESS, { implementation: 'ingress-nginx', component: ingress, proxyPeer: { namespace: 'ingress-nginx', podLabels: {} }, addRoute: () => undefined }, ingress);
    expect(k3sDisabledComponents(cluster)).toEqual([
      { name: 'traefik', reason: "the cluster's ingress is 'ingress-nginx' (ingress-nginx)", flag: '--disable=traefik' },
      { name: 'servicelb', reason: "'cilium' assigns LoadBalancer IPs", flag: '--disable=servicelb' },
      { name: 'local-storage', reason: "'longhorn' provides the default StorageClass", flag: '--disable=local-storage' },
      { name: 'flannel', reason: "'cilium' is the CNI", flag: '--flannel-backend=none' },
      { name: 'network-policy', reason: "'cilium' enforces NetworkPolicies", flag: '--disable-network-policy' },
      { name: 'kube-proxy', reason: "'cilium' replaces kube-proxy", flag: '--disable-kube-proxy' },
    ]);
  });

  test('Cilium without pools or kube-proxy replacement leaves ServiceLB and kube-proxy alone', () => {
    const { cluster } = testCluster(k3s);
    new Cilium(cluster, 'cilium', { gatewayApi: false, kubeProxyReplacement: false });
    expect(k3sDisabledComponents(cluster).map((c) => c.name)).toEqual(['flannel', 'network-policy']);
  });

  test('a component providing IngressClass traefik (its own Traefik release) disables the bundled one', () => {
    const { cluster } = testCluster(k3s);
    rawComponent(cluster, { name: 'traefik', namespace: 'traefik' }).provide(ingressClass('traefik'));
    expect(k3sDisabledComponents(cluster)).toEqual([{ name: 'traefik', reason: "the cluster's ingress is 'traefik'", flag: '--disable=traefik' }]);
  });
});
