import { crdGroup, LOAD_BALANCER, service } from '../../../../src/lib/estate/capabilities.js';
import { CertManager, Cloudflared, ExternalDns, Gateways, IngressNginx, K8sGateway } from '../../../../src/lib/platform/ingress/index.js';
import { configMap, rawComponent, testCluster } from '../../../helpers.js';
import { fluxAppliedFolders, kustomizeBuildAll } from '../../../kustomize.js';
import { Cilium } from '../../../../src/lib/platform/network/cilium.js';
import { AGE_RECIPIENT, encryptedSecret, Synthesized, problemsOf, tinyApp } from './support.js';

const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

describe('a whole exposure stack', () => {
  test('seed 003 shape (components layout): every folder Flux applies builds with kustomize; dependsOn is derived', async () => {
    const { estate, cluster } = testCluster({ domain: 'tosih.org', sops: { ageRecipients: [AGE_RECIPIENT] } });
    const cilium = rawComponent(cluster, { name: 'cilium', namespace: 'kube-system', group: 'network' }, [configMap('cilium')]);
    cilium.provide(crdGroup('gateway.networking.k8s.io'));
    cilium.provide(service('gateway-class', 'cilium'));
    cilium.provide(LOAD_BALANCER);
    new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'acme-cloudflare', email: 'ops@tosih.org', apiToken: { name: 'cloudflare-api-token', sopsFile: 'cloudflare-api-token.sops.yaml' } }] });
    new Gateways(cluster, 'gateways', { internal: { address: '10.0.50.101' }, external: { address: '10.0.50.102' } });
    new K8sGateway(cluster, 'k8s-gateway', { address: '10.0.50.100' });
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials', sopsFile: 'tunnel-credentials.sops.yaml' } } });
    new ExternalDns(cluster, 'external-dns', { apiToken: { name: 'cloudflare-api-token', sopsFile: 'cloudflare-api-token.sops.yaml' } });
    tinyApp(cluster, 'echo', { expose: 'public' });
    tinyApp(cluster, 'home', { expose: 'internal', subdomain: 'home' });
    const s = new Synthesized(estate, {
      'clusters/test/certs/cert-manager/app/cloudflare-api-token.sops.yaml': encryptedSecret('cloudflare-api-token'),
      'clusters/test/ingress/cloudflared/app/tunnel-credentials.sops.yaml': encryptedSecret('tunnel-credentials'),
      'clusters/test/network/external-dns/app/cloudflare-api-token.sops.yaml': encryptedSecret('cloudflare-api-token'),
    });
    await kustomizeBuildAll(s.root, fluxAppliedFolders(s.files));
    expect(s.dependsOn('gateways')).toEqual(['cert-manager-config', 'cilium']);
    expect(s.dependsOn('echo')).toEqual(['cilium', 'gateways']);
    expect(s.dependsOn('cloudflared')).toEqual([]);
    expect(s.result.warnings.filter((w) => w.path !== 'test')).toEqual([]);
  });

  test('with the real Cilium: its address-pool check accepts k8s-gateway\'s and both Gateways\' LoadBalancer IPs', () => {
    const { estate, cluster } = testCluster({ domain: 'tosih.org', network: { nodeCidr: '10.0.50.0/24' } });
    new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.102'] }] });
    new Gateways(cluster, 'gateways', { internal: { address: '10.0.50.101' }, external: { address: '10.0.50.102' } });
    new K8sGateway(cluster, 'k8s-gateway', { address: '10.0.50.100' });
    tinyApp(cluster, 'echo', { expose: 'internal' });
    const s = new Synthesized(estate);
    expect(s.dependsOn('gateways')).toEqual(['gateway-api-crds']);
    expect(s.one('Gateway', 'internal').spec.addresses).toEqual([{ type: 'IPAddress', value: '10.0.50.101' }]);

    const clash = testCluster({ domain: 'tosih.org', network: { nodeCidr: '10.0.50.0/24' } });
    new Cilium(clash.cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.102'] }] });
    new Gateways(clash.cluster, 'gateways', { internal: { address: '10.0.50.100' } });
    new K8sGateway(clash.cluster, 'k8s-gateway', { address: '10.0.50.100' });
    expect(problemsOf(clash.estate).map((p) => p.message).join('\n')).toMatch(/10\.0\.50\.100, already requested/);
  });

  test('seed 004 shape (layered layout): ingress-nginx + cloudflared in platform, apps in apps; one retirement warning', async () => {
    const { estate, cluster } = testCluster({ name: 'prox', domain: 'funoffshore.com', flux: { layout: 'layered', bootstrap: 'classic' } });
    new IngressNginx(cluster, 'ingress-nginx');
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
    tinyApp(cluster, 'homepage', { expose: 'public', subdomain: 'www' });
    const s = new Synthesized(estate);
    await kustomizeBuildAll(s.root, fluxAppliedFolders(s.files));
    expect(s.fileOf('HelmRelease', 'ingress-nginx')).toBe('clusters/prox/platform/ingress/ingress-nginx/helmrelease.yaml');
    expect(s.fileOf('HelmRelease', 'cloudflared')).toBe('clusters/prox/platform/ingress/cloudflared/helmrelease.yaml');
    expect(s.fileOf('Ingress', 'homepage')).toBe('clusters/prox/apps/homepage/homepage/ingress.yaml');
    expect(s.values('cloudflared').ingress).toEqual([
      { hostname: 'www.funoffshore.com', service: 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80' },
      { service: 'http_status:404' },
    ]);
    expect(s.result.warnings.filter((w) => w.code === 'ingress-nginx-retired')).toHaveLength(1);
  });
});
