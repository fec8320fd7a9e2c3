import { LOAD_BALANCER } from '../../../../src/lib/estate/capabilities.js';
import { INGRESS, IngressProvider } from '../../../../src/lib/estate/services.js';
import { ExternalDns, Gateways, IngressNginx, K8sGateway, Traefik } from '../../../../src/lib/platform/ingress/index.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { Synthesized, gatewayApiCrds } from './support.js';

/** An ingress that renders some other kind of route object, known only by what it says of itself. */
function customIngress(cluster: ReturnType<typeof testCluster>['cluster'], routeObjects: IngressProvider['routeObjects']): void {
  const component = rawComponent(cluster, { name: 'custom-ingress', namespace: 'custom-ingress' });
  cluster.registerService(INGRESS, { implementation: 'custom', component, proxyPeer: { namespace: 'custom-ingress', podLabels: {} }, addRoute: () => undefined, routeObjects }, component);
}

describe('ingress providers answer for themselves', () => {
  test('each says what route objects it renders and which external-dns source reads them', () => {
    const { cluster } = testCluster({ builtins: [LOAD_BALANCER] });
    expect(new IngressNginx(cluster, 'ingress-nginx').routeObjects).toEqual({ kind: 'Ingress', description: 'Ingresses', externalDnsSources: ['ingress'] });
    const b = testCluster({ builtins: [LOAD_BALANCER] });
    expect(new Traefik(b.cluster, 'traefik').routeObjects).toEqual({ kind: 'IngressRoute', description: 'Traefik IngressRoutes', externalDnsSources: ['traefik-proxy'] });
    const c = testCluster();
    gatewayApiCrds(c.cluster);
    expect(new Gateways(c.cluster, 'gateways').routeObjects).toEqual({ kind: 'HTTPRoute', description: 'HTTPRoutes', externalDnsSources: ['gateway-httproute'] });
  });

  test('external-dns and k8s_gateway follow whatever the provider says, with no list of implementations', () => {
    const a = testCluster({ builtins: [LOAD_BALANCER] });
    customIngress(a.cluster, { kind: 'GRPCRoute', description: 'GRPCRoutes', externalDnsSources: ['gateway-grpcroute'] });
    new ExternalDns(a.cluster, 'external-dns', { apiToken: { name: 'cloudflare' } });
    new K8sGateway(a.cluster, 'k8s-gateway', { address: '10.0.50.100' });
    const s = new Synthesized(a.estate);
    expect(s.values('external-dns').sources).toEqual(['gateway-grpcroute']);
    expect(s.values('k8s-gateway').watchedResources).toEqual(['GRPCRoute', 'Service']);

    const b = testCluster({ builtins: [LOAD_BALANCER] });
    customIngress(b.cluster, { kind: 'VirtualRoute', description: 'custom VirtualRoutes', externalDnsSources: ['crd'] });
    new K8sGateway(b.cluster, 'k8s-gateway', { address: '10.0.50.100' });
    const t = new Synthesized(b.estate);
    expect(t.values('k8s-gateway').watchedResources).toEqual(['Service']);
    expect(t.result.warnings.find((w) => w.code === 'k8s-gateway-traefik')?.message).toContain('k8s_gateway cannot read custom VirtualRoutes');
  });

  test('metricsPort: read from the rendered chart values, false when turned off; Gateways know none', () => {
    const built = <T>(make: (cluster: ReturnType<typeof testCluster>['cluster']) => T): T => {
      const { estate, cluster } = testCluster({ builtins: [LOAD_BALANCER] });
      const made = make(cluster);
      new Synthesized(estate);
      return made;
    };
    expect(built((c) => new IngressNginx(c, 'ingress-nginx', { metrics: false })).metricsPort()).toBe(false);
    expect(built((c) => new IngressNginx(c, 'ingress-nginx', { metrics: false, values: { controller: { metrics: { enabled: true } } } })).metricsPort()).toBe('metrics');
    expect(built((c) => new Traefik(c, 'traefik')).metricsPort()).toBe('metrics');
    expect(built((c) => new Traefik(c, 'traefik', { values: { ports: { metrics: null } } })).metricsPort()).toBe(false);
    const g = testCluster();
    gatewayApiCrds(g.cluster);
    expect((new Gateways(g.cluster, 'gateways') as IngressProvider).metricsPort).toBeUndefined();
  });
});
