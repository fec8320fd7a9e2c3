import { LOAD_BALANCER } from '../../../../src/lib/estate/capabilities.js';
import { ExternalDns, Gateways, IngressNginx, K8sGateway, Traefik } from '../../../../src/lib/platform/ingress/index.js';
import { testCluster } from '../../../helpers.js';
import { Synthesized, gatewayApiCrds, problemsOf, tinyApp } from './support.js';

describe('K8sGateway', () => {
  test('split DNS for the cluster domain on its LoadBalancer IP (seed 003), watching what the Gateways render', () => {
    const { estate, cluster } = testCluster({ domain: 'tosih.org' });
    gatewayApiCrds(cluster);
    new Gateways(cluster, 'gateways', { internal: { address: '10.0.50.101' }, external: { address: '10.0.50.102' } });
    const dns = new K8sGateway(cluster, 'k8s-gateway', { address: '10.0.50.100' });
    const s = new Synthesized(estate);
    const hr = s.one('HelmRelease', 'k8s-gateway');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'k8s-gateway', version: '2.4.0' });
    expect(hr.metadata.namespace).toBe('network');
    expect(hr.spec.values).toEqual({
      domain: 'tosih.org',
      watchedResources: ['HTTPRoute', 'Service'],
      ttl: 300,
      fallthrough: { enabled: false, zones: [] },
      replicaCount: 1,
      resources: { requests: { cpu: '25m', memory: '64Mi' } },
      service: { type: 'LoadBalancer', port: 53, loadBalancerIP: '10.0.50.100' },
    });
    // Shared with the Gateways, the namespace takes the more permissive level k8s_gateway needs.
    expect(s.one('Namespace', 'network').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(dns.loadBalancerIps).toEqual({ 'k8s-gateway': '10.0.50.100' });
  });

  test('the address can be requested by annotation instead (never both)', () => {
    const { estate, cluster } = testCluster({ builtins: [LOAD_BALANCER] });
    new K8sGateway(cluster, 'k8s-gateway', { address: '10.0.50.100', addressAnnotation: 'lbipam.cilium.io/ips' });
    expect(new Synthesized(estate).values('k8s-gateway').service).toEqual({ type: 'LoadBalancer', port: 53, annotations: { 'lbipam.cilium.io/ips': '10.0.50.100' } });
  });

  test('with ingress-nginx it watches Ingresses; with Traefik it warns that IngressRoutes are invisible to it', () => {
    const a = testCluster({ builtins: [LOAD_BALANCER] });
    new IngressNginx(a.cluster, 'ingress-nginx');
    new K8sGateway(a.cluster, 'k8s-gateway', { address: '10.0.50.100' });
    expect(new Synthesized(a.estate).values('k8s-gateway').watchedResources).toEqual(['Ingress', 'Service']);

    const b = testCluster({ builtins: [LOAD_BALANCER] });
    new Traefik(b.cluster, 'traefik');
    new K8sGateway(b.cluster, 'k8s-gateway', { address: '10.0.50.100' });
    const s = new Synthesized(b.estate);
    expect(s.values('k8s-gateway').watchedResources).toEqual(['Service']);
    expect(s.result.warnings.map((w) => w.code)).toContain('k8s-gateway-traefik');
  });

  test('a bad address or a domain outside the cluster\'s is an error', () => {
    const { estate, cluster } = testCluster({ builtins: [LOAD_BALANCER] });
    new K8sGateway(cluster, 'k8s-gateway', { address: 'dns.local', domain: 'other.org' });
    expect(problemsOf(estate).map((p) => [p.path, p.field])).toEqual([['test/k8s-gateway', 'address'], ['test/k8s-gateway', 'domain']]);
  });
});

describe('ExternalDns', () => {
  test('Cloudflare provider, token by reference, only public routes, owner = cluster, source from the ingress', () => {
    const { estate, cluster } = testCluster({ name: 'cloud', domain: 'funoffshore.com' });
    new Traefik(cluster, 'traefik');
    new ExternalDns(cluster, 'external-dns', { apiToken: { name: 'cloudflare-api-token' } });
    tinyApp(cluster, 'blog', { expose: 'public' });
    const s = new Synthesized(estate);
    const v = s.values('external-dns');
    expect(v.provider).toEqual({ name: 'cloudflare' });
    expect(v.env).toEqual([{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } } }]);
    expect(v.sources).toEqual(['traefik-proxy']);
    expect(v.domainFilters).toEqual(['funoffshore.com']);
    expect(v.txtOwnerId).toBe('cloud');
    expect(v.policy).toBe('upsert-only');
    expect(v.labelFilter).toBe('homelab/exposure=public');
    expect(s.one('IngressRoute', 'blog').metadata.labels).toEqual({ 'homelab/exposure': 'public' });
    expect(s.one('Namespace', 'external-dns').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('sources follow the ingress: HTTPRoutes with Gateways, Ingresses with ingress-nginx', () => {
    const a = testCluster({ builtins: [LOAD_BALANCER] });
    gatewayApiCrds(a.cluster);
    new Gateways(a.cluster, 'gateways');
    new ExternalDns(a.cluster, 'external-dns', { apiToken: { name: 'cf' }, publicOnly: false, policy: 'sync' });
    const va = new Synthesized(a.estate).values('external-dns');
    expect([va.sources, va.labelFilter, va.policy]).toEqual([['gateway-httproute'], undefined, 'sync']);

    const b = testCluster({ builtins: [LOAD_BALANCER] });
    new IngressNginx(b.cluster, 'ingress-nginx');
    new ExternalDns(b.cluster, 'external-dns', { apiToken: { name: 'cf' } });
    expect(new Synthesized(b.estate).values('external-dns').sources).toEqual(['ingress']);
  });

  test('a wrong values type is an error naming the key', () => {
    const { estate, cluster } = testCluster({ builtins: [LOAD_BALANCER] });
    new ExternalDns(cluster, 'external-dns', { apiToken: { name: 'cf' }, values: { policy: 'delete-everything' } });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({ path: 'test/external-dns/chart', field: 'values.policy' })]);
  });
});
