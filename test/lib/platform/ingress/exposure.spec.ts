import { HomelabCluster } from '../../../../src/lib/estate/cluster.js';
import { Cloudflared, Gateways, IngressNginx, Traefik, exposeService } from '../../../../src/lib/platform/ingress/index.js';
import { clusterProps, testCluster } from '../../../helpers.js';
import { Synthesized, gatewayApiCrds, problemsOf, tinyApp } from './support.js';

type IngressChoice = 'ingress-nginx' | 'traefik' | 'gateway-api';

/** The same cluster and the same app; only the ingress construct differs. */
function clusterWith(choice: IngressChoice, app: (cluster: HomelabCluster) => void) {
  const { estate, cluster } = testCluster({ domain: 'home.example.org' });
  app(cluster);
  if (choice === 'ingress-nginx') new IngressNginx(cluster, 'ingress-nginx');
  if (choice === 'traefik') new Traefik(cluster, 'traefik');
  if (choice === 'gateway-api') {
    gatewayApiCrds(cluster);
    new Gateways(cluster, 'gateways', { internal: { address: '10.0.50.101' }, external: { address: '10.0.50.102' } });
  }
  return estate;
}

/** The app code, written once. */
const vaultApp = (cluster: HomelabCluster) => tinyApp(cluster, 'vault', { expose: 'public', subdomain: 'vault' });

describe('exposeService', () => {
  test('the same app becomes an Ingress, an IngressRoute or an HTTPRoute by changing only the cluster\'s ingress', () => {
    const nginx = new Synthesized(clusterWith('ingress-nginx', vaultApp));
    const ingress = nginx.one('Ingress', 'vault');
    expect(nginx.fileOf('Ingress', 'vault')).toBe('clusters/test/vault/vault/app/ingress.yaml');
    expect(ingress.metadata).toMatchObject({ namespace: 'vault', labels: { 'homelab/exposure': 'public' } });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'vault.home.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'vault', port: { number: 8080 } } } }] } }],
    });
    expect(nginx.dependsOn('vault')).toEqual(['ingress-nginx']);

    const traefik = new Synthesized(clusterWith('traefik', vaultApp));
    const route = traefik.one('IngressRoute', 'vault');
    expect(route.apiVersion).toBe('traefik.io/v1alpha1');
    expect(route.metadata.namespace).toBe('vault');
    expect(route.spec).toEqual({
      ingressClassName: 'traefik',
      entryPoints: ['web'],
      routes: [{ kind: 'Rule', match: 'Host(`vault.home.example.org`)', services: [{ name: 'vault', port: 8080 }] }],
    });
    expect(traefik.objects.some((o) => o.object.kind === 'Ingress')).toBe(false);
    expect(traefik.dependsOn('vault')).toEqual(['traefik']);

    const gw = new Synthesized(clusterWith('gateway-api', vaultApp));
    const http = gw.one('HTTPRoute', 'vault');
    expect(http.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(http.spec.hostnames).toEqual(['vault.home.example.org']);
    expect(http.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'external', namespace: 'network' }]);
    expect(http.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'vault', port: 8080, weight: 1 }]);
    expect(gw.dependsOn('vault')).toEqual(['gateway-api-crds', 'gateways']);
  });

  test('internal routes attach to the internal Gateway, public ones to the external Gateway', () => {
    const s = new Synthesized(clusterWith('gateway-api', (c) => {
      tinyApp(c, 'jellyfin', { expose: 'internal' });
      tinyApp(c, 'blog', { expose: 'public', hostname: 'home.example.org' });
    }));
    expect(s.one('HTTPRoute', 'jellyfin').spec.parentRefs[0].name).toBe('internal');
    expect(s.one('HTTPRoute', 'jellyfin').spec.hostnames).toEqual(['jellyfin.home.example.org']);
    expect(s.one('HTTPRoute', 'blog').spec.parentRefs[0].name).toBe('external');
    expect(s.one('HTTPRoute', 'blog').spec.hostnames).toEqual(['home.example.org']);
  });

  test('expose none renders no route; the subdomain defaults to the component name', () => {
    const s = new Synthesized(clusterWith('ingress-nginx', (c) => {
      tinyApp(c, 'hidden', { expose: 'none' });
      tinyApp(c, 'grocy', {});
    }));
    expect(s.objects.filter((o) => o.object.kind === 'Ingress').map((o) => o.object.spec.rules[0].host)).toEqual(['grocy.home.example.org']);
  });

  test('a hostname outside the cluster domain is an error naming the field', () => {
    const problems = problemsOf(clusterWith('traefik', (c) => tinyApp(c, 'vault', { hostname: 'vault.other.net' })));
    expect(problems).toEqual([expect.objectContaining({
      cluster: 'test', path: 'test/vault', field: 'hostname',
      message: "hostname 'vault.other.net' is outside the cluster's domain 'home.example.org'",
    })]);
    expect(problems[0].fix).toContain("'.home.example.org'");
  });

  test('a hostname that merely ends like the domain is outside it', () => {
    const problems = problemsOf(clusterWith('traefik', (c) => tinyApp(c, 'vault', { hostname: 'evilhome.example.org' })));
    expect(problems.map((p) => [p.field, p.message])).toEqual([['hostname', "hostname 'evilhome.example.org' is outside the cluster's domain 'home.example.org'"]]);
  });

  test('the same hostname exposed twice in a cluster is an error on the second app', () => {
    const problems = problemsOf(clusterWith('gateway-api', (c) => {
      tinyApp(c, 'vault', { subdomain: 'pw' });
      tinyApp(c, 'bitwarden', { hostname: 'pw.home.example.org' });
    }));
    expect(problems).toEqual([expect.objectContaining({
      path: 'test/bitwarden', field: 'hostname',
      message: "hostname 'pw.home.example.org' is already exposed by 'vault' (route 'vault') in cluster 'test'",
    })]);
  });

  test('a route added straight to the ingress provider is checked for duplicates too', () => {
    const problems = problemsOf(clusterWith('ingress-nginx', (c) => {
      const app = tinyApp(c, 'vault', {});
      c.onPhase('wire', () => (c.component('ingress-nginx') as IngressNginx).addRoute({ component: app, name: 'other', hostname: 'vault.home.example.org', serviceName: 'vault', servicePort: 8080, exposure: 'internal' }));
    }));
    expect(problems.map((p) => [p.path, p.field, p.message])).toEqual([
      ['test/vault', 'hostname', "hostname 'vault.home.example.org' is already exposed by 'vault' (route 'vault') in cluster 'test'"],
    ]);
  });

  test('one Service under two hostnames needs two route names', () => {
    const problems = problemsOf(clusterWith('ingress-nginx', (c) => {
      const app = tinyApp(c, 'vault', {});
      exposeService(app, { expose: 'internal', subdomain: 'pw', serviceName: 'vault', port: 8080 });
    }));
    expect(problems).toEqual([expect.objectContaining({ path: 'test/vault', field: 'name', message: "'vault' already has a route named 'vault'" })]);

    const s = new Synthesized(clusterWith('ingress-nginx', (c) => {
      const app = tinyApp(c, 'vault', {});
      exposeService(app, { expose: 'internal', subdomain: 'pw', serviceName: 'vault', port: 8080, name: 'vault-pw' });
    }));
    expect(s.objects.filter((o) => o.object.kind === 'Ingress').map((o) => [o.object.metadata.name, o.object.spec.rules[0].host]).sort()).toEqual([
      ['vault', 'vault.home.example.org'],
      ['vault-pw', 'pw.home.example.org'],
    ]);
  });

  test('the same hostname in two different clusters is fine', () => {
    const { estate, cluster } = testCluster({ domain: 'home.example.org' });
    const second = new HomelabCluster(estate, clusterProps({ name: 'second', domain: 'home.example.org' }));
    for (const c of [cluster, second]) {
      new Traefik(c, 'traefik');
      tinyApp(c, 'vault', {});
    }
    expect(problemsOf(estate)).toEqual([]);
  });

  test('public exposure on a cluster with neither ingress nor tunnel is an error', () => {
    const { estate, cluster } = testCluster();
    tinyApp(cluster, 'vault', { expose: 'public' });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({
      path: 'test/vault', field: 'expose',
      message: "'vault.example.com' should be exposed publicly, but cluster 'test' has no ingress and no tunnel",
    })]);
  });

  test('internal exposure without an ingress is an error; public exposure with only a tunnel goes straight to the app', () => {
    const { estate, cluster } = testCluster();
    tinyApp(cluster, 'wiki', { expose: 'internal' });
    expect(problemsOf(estate).map((p) => [p.path, p.field, p.message])).toEqual([
      ['test/wiki', 'expose', "'wiki.example.com' should be exposed internally, but cluster 'test' has no ingress"],
    ]);

    const other = testCluster();
    tinyApp(other.cluster, 'blog', { expose: 'public' });
    const tunnel = new Cloudflared(other.cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef', credentials: { name: 'tunnel-credentials' } } });
    const s = new Synthesized(other.estate);
    expect(s.values('cloudflared').ingress).toEqual([
      { hostname: 'blog.example.com', service: 'http://blog.blog.svc.cluster.local:8080' },
      { service: 'http_status:404' },
    ]);
    expect(tunnel.rules).toHaveLength(2);
  });

  test('giving both hostname and subdomain, or a malformed hostname, is an error', () => {
    const problems = problemsOf(clusterWith('traefik', (c) => {
      tinyApp(c, 'a', { hostname: 'a.home.example.org', subdomain: 'a' });
      tinyApp(c, 'b', { hostname: 'B_bad.home.example.org' });
      tinyApp(c, 'c', { subdomain: 'c.home.example.org' });
      tinyApp(c, 'd', { port: 70000 });
    }));
    expect(problems.map((p) => [p.path, p.field])).toEqual([['test/a', 'hostname'], ['test/b', 'hostname'], ['test/c', 'subdomain'], ['test/d', 'port']]);
    expect(problems[0].message).toBe("both hostname 'a.home.example.org' and subdomain 'a' are given");
  });
});
