import { LOAD_BALANCER } from '../../../../src/lib/estate/capabilities.js';
import { CertManager, Cloudflared, Gateways } from '../../../../src/lib/platform/ingress/index.js';
import { testCluster } from '../../../helpers.js';
import { Synthesized, gatewayApiCrds, problemsOf, tinyApp } from './support.js';

const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

/** Seed 003's gateways. */
function seed003(withCerts: boolean) {
  const { estate, cluster } = testCluster({ domain: 'tosih.org' });
  gatewayApiCrds(cluster);
  if (withCerts) new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'acme-cloudflare', email: 'ops@tosih.org', apiToken: { name: 'cloudflare-api-token' } }] });
  const gateways = new Gateways(cluster, 'gateways', { internal: { address: '10.0.50.101' }, external: { address: '10.0.50.102' } });
  return { estate, cluster, gateways };
}

describe('Gateways', () => {
  test('internal and external Gateways: class cilium, LB IPs as spec.addresses, HTTPS listeners for *.domain and the domain', () => {
    const { estate, gateways } = seed003(true);
    const s = new Synthesized(estate);
    const internal = s.one('Gateway', 'internal');
    const external = s.one('Gateway', 'external');
    expect(internal.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(internal.metadata.namespace).toBe('network');
    expect(internal.spec.gatewayClassName).toBe('cilium');
    expect(internal.spec.addresses).toEqual([{ type: 'IPAddress', value: '10.0.50.101' }]);
    expect(external.spec.addresses).toEqual([{ type: 'IPAddress', value: '10.0.50.102' }]);
    expect(internal.spec.listeners.map((l: any) => [l.name, l.protocol, l.port, l.hostname])).toEqual([
      ['http', 'HTTP', 80, '*.tosih.org'],
      ['http-apex', 'HTTP', 80, 'tosih.org'],
      ['https', 'HTTPS', 443, '*.tosih.org'],
      ['https-apex', 'HTTPS', 443, 'tosih.org'],
    ]);
    const https = internal.spec.listeners[2];
    expect(https.tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'wildcard-tls' }] });
    expect(https.allowedRoutes).toEqual({ namespaces: { from: 'All' } });
    expect(s.one('Certificate', 'wildcard').spec.dnsNames).toEqual(['*.tosih.org', 'tosih.org']);
    expect(s.dependsOn('gateways')).toEqual(['cert-manager-config', 'gateway-api-crds']);
    expect(gateways.loadBalancerIps).toEqual({ internal: '10.0.50.101', external: '10.0.50.102' });
    expect(s.one('Namespace', 'network').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('without cert-manager only HTTP listeners are rendered and no Certificate', () => {
    const { estate } = seed003(false);
    const s = new Synthesized(estate);
    expect(s.one('Gateway', 'internal').spec.listeners.map((l: any) => l.name)).toEqual(['http', 'http-apex']);
    expect(s.objects.some((o) => o.object.kind === 'Certificate')).toBe(false);
  });

  test('the tunnel forwards public hostnames to the external Gateway\'s Service; the external Gateway carries the DNS target', () => {
    const { estate, cluster } = seed003(true);
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
    tinyApp(cluster, 'echo', { expose: 'public' });
    const s = new Synthesized(estate);
    expect(s.values('cloudflared').ingress).toEqual([
      { hostname: 'echo.tosih.org', service: 'http://cilium-gateway-external.network.svc.cluster.local:80' },
      { service: 'http_status:404' },
    ]);
    expect(s.one('Gateway', 'external').metadata.annotations).toEqual({
      'external-dns.alpha.kubernetes.io/target': `${TUNNEL_ID}.cfargotunnel.com`,
      'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true',
    });
    expect(s.one('Gateway', 'internal').metadata.annotations).toBeUndefined();
  });

  test('another GatewayClass: the tunnel falls back to the Gateway address, or to the Service name given', () => {
    const { estate, cluster } = testCluster();
    gatewayApiCrds(cluster, 'envoy');
    new Gateways(cluster, 'gateways', { gatewayClassName: 'envoy', external: { address: '10.0.50.102' } });
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
    tinyApp(cluster, 'echo', { expose: 'public' });
    const s = new Synthesized(estate);
    expect(s.values('cloudflared').ingress[0].service).toBe('http://10.0.50.102:80');
    expect(s.one('Gateway', 'external').spec.gatewayClassName).toBe('envoy');
  });

  test('a Gateway without Service name or address behind a tunnel, bad addresses and clashing names are errors', () => {
    const { estate, cluster } = testCluster();
    gatewayApiCrds(cluster);
    new Gateways(cluster, 'gateways', { gatewayClassName: 'envoy', internal: { name: 'edge', address: '10.0.50.300' }, external: { name: 'edge' } });
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
    tinyApp(cluster, 'echo', { expose: 'public' });
    const problems = problemsOf(estate);
    expect(problems.map((p) => [p.path, p.field])).toEqual(expect.arrayContaining([
      ['test/gateways', 'internal.address'],
      ['test/gateways', 'external.name'],
      ['test/gateways', 'external.serviceName'],
    ]));
    expect(problems.find((p) => p.field === 'external.serviceName')?.message).toContain("GatewayClass 'envoy'");
  });

  test('routes need the Gateway API CRDs: without their provider the route\'s component reports the missing capability', () => {
    const { estate, cluster } = testCluster({ builtins: [LOAD_BALANCER] });
    new Gateways(cluster, 'gateways');
    tinyApp(cluster, 'echo', {});
    const problems = problemsOf(estate);
    expect(problems.map((p) => [p.path, p.field])).toEqual([['test/gateways', 'requires'], ['test/echo', 'requires']]);
    expect(problems[0].message).toContain("API group 'gateway.networking.k8s.io'");
  });
});
