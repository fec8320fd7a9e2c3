import { CertManager, Cloudflared, SECURITY_HEADERS, Traefik, TraefikMiddleware } from '../../../../src/lib/platform/ingress/index.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { Synthesized, problemsOf, tinyApp } from './support.js';

describe('Traefik', () => {
  test('entry points web/websecure, IngressClass, providers, Service and requests; restricted namespace', () => {
    const { estate, cluster } = testCluster({ distribution: 'oke', nodes: [{ name: 'w1', role: 'worker', cpu: 2, memory: '12Gi' }, { name: 'w2', role: 'worker', cpu: 2, memory: '12Gi' }] });
    const traefik = new Traefik(cluster, 'traefik', { loadBalancerIp: '10.0.10.5' });
    const s = new Synthesized(estate);
    const hr = s.one('HelmRelease', 'traefik');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'traefik', version: '41.3.0' });
    const v = hr.spec.values;
    expect(v.ingressClass).toEqual({ enabled: true, isDefaultClass: true, name: 'traefik' });
    expect(v.ports.web).toEqual({ port: 8000, exposedPort: 80, expose: { default: true }, http: { middlewares: [] } });
    expect(v.ports.websecure).toEqual({ port: 8443, exposedPort: 443, expose: { default: true }, http: { tls: { enabled: true }, middlewares: [] } });
    expect(v.providers.kubernetesCRD).toEqual({ enabled: true, allowCrossNamespace: false, ingressClass: 'traefik' });
    expect(v.service).toEqual({ enabled: true, spec: { type: 'LoadBalancer', loadBalancerIP: '10.0.10.5' } });
    expect(v.deployment).toEqual({ kind: 'Deployment', replicas: 2 });
    expect(v.tlsStore).toEqual({});
    expect(s.one('Namespace', 'traefik').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(traefik.routeEntryPoint).toBe('web');
    expect(traefik.workloads).toEqual([{ name: 'traefik', replicas: 2, cpuRequest: '100m', memoryRequest: '128Mi' }]);
  });

  test('default TLS: the default TLSStore serves the wildcard certificate, web redirects to websecure, routes use websecure', () => {
    const { estate, cluster } = testCluster();
    new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'self-signed' }] });
    new Traefik(cluster, 'traefik');
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef', credentials: { name: 'tunnel-credentials' } } });
    tinyApp(cluster, 'vaultwarden', { expose: 'public', subdomain: 'vault' });
    const s = new Synthesized(estate);
    const v = s.values('traefik');
    expect(v.tlsStore).toEqual({ default: { defaultCertificate: { secretName: 'wildcard-tls' } } });
    expect(v.ports.web.http).toEqual({ redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } });
    const route = s.one('IngressRoute', 'vaultwarden');
    expect(route.spec.entryPoints).toEqual(['websecure']);
    expect(route.spec.tls).toEqual({});
    expect(s.one('Certificate', 'wildcard').metadata.namespace).toBe('traefik');
    expect(s.values('cloudflared').ingress[0]).toEqual({
      hostname: 'vault.example.com',
      service: 'https://traefik.traefik.svc.cluster.local:443',
      originRequest: { originServerName: 'vault.example.com', noTLSVerify: true },
    });
  });

  test('entry-point middlewares are Middleware objects applied after the CRDs and referenced by the entry points', () => {
    const { estate, cluster } = testCluster();
    new Traefik(cluster, 'traefik', { entryPointMiddlewares: { 'security-headers': SECURITY_HEADERS } });
    const s = new Synthesized(estate);
    const mw = s.one('Middleware', 'security-headers');
    expect(mw.apiVersion).toBe('traefik.io/v1alpha1');
    expect(mw.metadata.namespace).toBe('traefik');
    expect(mw.spec.headers).toMatchObject({ stsSeconds: 31536000, contentTypeNosniff: true });
    expect(s.fileOf('Middleware', 'security-headers')).toBe('clusters/test/ingress/traefik/config/middleware.yaml');
    expect(s.dependsOn('traefik-config')).toEqual(['traefik']);
    expect(s.values('traefik').ports.websecure.http.middlewares).toEqual(['traefik-security-headers@kubernetescrd']);
  });

  test('a TraefikMiddleware in an app component makes the app depend on Traefik', () => {
    const { estate, cluster } = testCluster();
    new Traefik(cluster, 'traefik');
    const app = rawComponent(cluster, { name: 'wiki', namespace: 'wiki', layer: 'apps' });
    const mw = new TraefikMiddleware(app, 'strip', { spec: { stripPrefix: { prefixes: ['/wiki'] } } });
    const s = new Synthesized(estate);
    expect(mw.providerReference).toBe('wiki-strip@kubernetescrd');
    expect(s.one('Middleware', 'strip').metadata.namespace).toBe('wiki');
    expect(s.dependsOn('wiki')).toEqual(['traefik']);
  });

  test('an empty middleware and a wrong values type are errors', () => {
    const { estate, cluster } = testCluster();
    new Traefik(cluster, 'traefik', { entryPointMiddlewares: { nothing: {} }, values: { deployment: { replicas: 'two' } } });
    const problems = problemsOf(estate);
    expect(problems.map((p) => [p.path, p.field])).toEqual([
      ['test/traefik/middleware-nothing', 'spec'],
      ['test/traefik/chart', 'values.deployment.replicas'],
    ]);
  });

  test('an unknown values key is an error naming it', () => {
    const { estate, cluster } = testCluster();
    new Traefik(cluster, 'traefik', { values: { ports: { websecure: { tlss: true } } } });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({ path: 'test/traefik/chart', field: 'values.ports.websecure.tlss' })]);
  });
});
