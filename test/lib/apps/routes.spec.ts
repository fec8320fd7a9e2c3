import { App, AppProps, AppRoute } from '../../../src/lib/apps/app.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { ROUTE } from '../../../src/lib/estate/route-facts.js';
import { CertManager, Cloudflared, Gateways, IngressNginx, Traefik } from '../../../src/lib/platform/ingress/index.js';
import { gatewayApiCrds } from '../platform/ingress/support.js';
import { rawComponent } from '../../helpers.js';
import { policyLines, problemAt, problems, synth } from './harness.js';

type Manifest = Record<string, any>;

const IMAGE = { repository: 'ghcr.io/example/photos', tag: '1.4.0' };
const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const PORTS = [{ name: 'http', port: 8080 }, { name: 'api', port: 9000, servicePort: 90 }];

/** Two hostnames, the UI at `/`, the API (another port) under `/api`, its health check exactly, headers on the route and on one rule. */
const ROUTE_PROPS: AppRoute = {
  hostnames: ['photos', 'immich.example.com'],
  expose: 'public',
  rules: [{ path: '/' }, { path: '/api', port: 'api' }, { path: '/api/health', match: 'Exact', port: 'api', headers: { response: { set: { 'Cache-Control': 'no-store' } } } }],
  headers: { request: { set: { 'X-Forwarded-Prefix': '/' }, remove: ['X-Debug'] }, response: { remove: ['Server'] } },
  annotations: { 'example.com/team': 'media' },
  labels: { 'example.com/tier': 'web' },
};

const photos = (c: HomelabCluster, props: Partial<AppProps> = {}) => new App(c, 'photos', { image: IMAGE, ports: PORTS, routes: [ROUTE_PROPS], ...props });

type Provider = 'traefik' | 'ingress-nginx' | 'gateways' | 'none';

/** A cluster with cert-manager (self-signed), the given ingress and a locally-managed tunnel of known ID. */
function platform(c: HomelabCluster, provider: Provider): void {
  new CertManager(c, 'cert-manager', { issuers: [{ type: 'self-signed' }] });
  if (provider === 'traefik') new Traefik(c, 'traefik');
  if (provider === 'ingress-nginx') new IngressNginx(c, 'ingress-nginx');
  if (provider === 'gateways') { gatewayApiCrds(c); new Gateways(c, 'gateways'); }
  new Cloudflared(c, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
}

const withoutHeaders = (r: AppRoute): AppRoute => ({ ...r, headers: undefined, rules: r.rules!.map((x) => ({ ...x, headers: undefined })) });
const tunnelRules = (s: ReturnType<typeof synth>): Manifest[] => s.get('HelmRelease', 'cloudflared').spec.values.ingress;

describe('App routes: one route object, several hostnames, path rules, header filters', () => {
  test('Traefik: one IngressRoute, every host in each match, rules by precedence with explicit priorities, headers as Middlewares', () => {
    const s = synth((c) => { platform(c, 'traefik'); photos(c); });
    const route = s.get('IngressRoute', 'photos-route-1', 'photos');
    const hosts = '(Host(`photos.example.com`) || Host(`immich.example.com`))';
    expect(route.spec.routes.map((r: Manifest) => [r.match, r.services[0].port, r.middlewares?.[0]?.name])).toEqual([
      [`${hosts} && Path(\`/api/health\`)`, 90, 'photos-route-1-headers'],
      [`${hosts} && (Path(\`/api\`) || PathPrefix(\`/api/\`))`, 90, 'photos-route-1-headers-2'],
      [hosts, 8080, 'photos-route-1-headers-2'],
    ]);
    const priorities = route.spec.routes.map((r: Manifest) => r.priority);
    expect([...priorities].sort((a, b) => b - a)).toEqual(priorities);
    expect(Math.min(...priorities)).toBeGreaterThan(Math.max(...route.spec.routes.map((r: Manifest) => r.match.length)));
    expect(route.spec.tls).toEqual({});
    expect(s.get('Middleware', 'photos-route-1-headers', 'photos').spec).toEqual({ headers: { customResponseHeaders: { 'Cache-Control': 'no-store' } } });
    expect(s.get('Middleware', 'photos-route-1-headers-2', 'photos').spec).toEqual({
      headers: { customRequestHeaders: { 'X-Forwarded-Prefix': '/', 'X-Debug': '' }, customResponseHeaders: { Server: '' } },
    });
    expect(route.metadata.labels).toEqual({ 'homelab/exposure': 'public', 'example.com/tier': 'web' });
    expect(route.metadata.annotations).toEqual({
      'external-dns.alpha.kubernetes.io/target': `${TUNNEL_ID}.cfargotunnel.com`,
      'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true',
      'example.com/team': 'media',
    });
    // The tunnel sends each hostname to Traefik, presenting that hostname; Traefik routes the paths.
    expect(tunnelRules(s)).toEqual([
      { hostname: 'immich.example.com', service: 'https://traefik.traefik.svc.cluster.local:443', originRequest: { originServerName: 'immich.example.com', noTLSVerify: true } },
      { hostname: 'photos.example.com', service: 'https://traefik.traefik.svc.cluster.local:443', originRequest: { originServerName: 'photos.example.com', noTLSVerify: true } },
      { service: 'http_status:404' },
    ]);
  });

  test('Traefik cannot append a header: add is a problem naming the field and the fix', () => {
    const p = problems((c) => { platform(c, 'traefik'); photos(c, { routes: [{ hostnames: ['photos'], expose: 'internal', headers: { request: { add: { 'X-Tag': 'a' } } } }] }); });
    const found = problemAt(p, 'routes[0].headers.request.add', "cluster 'test' serves routes with Traefik");
    expect(found.path).toBe('test/photos');
    expect(found.fix).toContain('request.set');
  });

  test('ingress-nginx: a rule per hostname with every path, longest first, Exact / Prefix, both hostnames in the TLS block', () => {
    const s = synth((c) => { platform(c, 'ingress-nginx'); photos(c, { routes: [withoutHeaders(ROUTE_PROPS)] }); });
    const ing = s.get('Ingress', 'photos-route-1', 'photos');
    expect(ing.spec.tls).toEqual([{ hosts: ['photos.example.com', 'immich.example.com'] }]);
    expect(ing.spec.rules.map((r: Manifest) => r.host)).toEqual(['photos.example.com', 'immich.example.com']);
    for (const rule of ing.spec.rules) {
      expect(rule.http.paths.map((p: Manifest) => `${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`)).toEqual([
        'Exact /api/health -> photos:90',
        'Prefix /api -> photos:90',
        'Prefix / -> photos:8080',
      ]);
    }
    expect(ing.metadata.annotations['example.com/team']).toBe('media');
  });

  test('ingress-nginx: header filters are a problem naming cluster, field and the way out', () => {
    const p = problems((c) => { platform(c, 'ingress-nginx'); photos(c); });
    const routeLevel = problemAt(p, 'routes[0].headers', "cluster 'test' serves routes with ingress-nginx");
    expect(routeLevel.path).toBe('test/photos');
    expect(routeLevel.message).toContain('allowSnippetAnnotations: false');
    expect(routeLevel.fix).toContain('Traefik or Gateways');
    problemAt(p, 'routes[0].rules[2].headers', 'ingress-nginx');
  });

  test('Gateway API: one HTTPRoute on the external Gateway, every hostname, a rule per path with header modifiers', () => {
    const s = synth((c) => { platform(c, 'gateways'); photos(c); });
    const route = s.get('HTTPRoute', 'photos-route-1', 'photos');
    expect(route.spec.parentRefs[0]).toMatchObject({ kind: 'Gateway', name: 'external', namespace: 'network' });
    expect(route.spec.hostnames).toEqual(['photos.example.com', 'immich.example.com']);
    expect(route.spec.rules.map((r: Manifest) => [r.matches[0].path.type, r.matches[0].path.value, r.backendRefs[0].port])).toEqual([
      ['Exact', '/api/health', 90],
      ['PathPrefix', '/api', 90],
      ['PathPrefix', '/', 8080],
    ]);
    expect(route.spec.rules[0].filters).toEqual([{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'Cache-Control', value: 'no-store' }] } }]);
    expect(route.spec.rules[2].filters).toEqual([
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Forwarded-Prefix', value: '/' }], remove: ['X-Debug'] } },
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['Server'] } },
    ]);
    expect(route.metadata.labels['example.com/tier']).toBe('web');
    expect(tunnelRules(s).map((r) => r.hostname)).toEqual(['immich.example.com', 'photos.example.com', undefined]);
  });

  test('tunnel alone: each hostname and path rule straight to its Service port, anchored paths first; headers and metadata are problems', () => {
    const route: AppRoute = { ...withoutHeaders(ROUTE_PROPS), annotations: undefined, labels: undefined };
    const s = synth((c) => { platform(c, 'none'); photos(c, { routes: [route] }); });
    const svc = (port: number) => `http://photos.photos.svc.cluster.local:${port}`;
    expect(tunnelRules(s)).toEqual([
      { hostname: 'immich.example.com', path: '^/api/health$', service: svc(90) },
      { hostname: 'immich.example.com', path: '^/api(/|$)', service: svc(90) },
      { hostname: 'immich.example.com', service: svc(8080) },
      { hostname: 'photos.example.com', path: '^/api/health$', service: svc(90) },
      { hostname: 'photos.example.com', path: '^/api(/|$)', service: svc(90) },
      { hostname: 'photos.example.com', service: svc(8080) },
      { service: 'http_status:404' },
    ]);
    const p = problems((c) => { platform(c, 'none'); photos(c); });
    expect(problemAt(p, 'routes[0].headers', 'cloudflared cannot set or remove headers').fix).toContain('Traefik or Gateways');
    problemAt(p, 'routes[0].annotations', 'no route object carries them');
    problemAt(p, 'routes[0].labels', 'no route object carries them');
  });

  test('NetworkPolicy: the ingress and the tunnel reach every port a rule targets (container ports: 9000 behind Service port 90)', () => {
    const s = synth((c) => { platform(c, 'traefik'); photos(c); }, { defaultDenyNetworkPolicies: true });
    const lines = policyLines(s.get('NetworkPolicy', 'photos', 'photos'));
    expect(lines).toContain('in traefik/app.kubernetes.io/instance=traefik,app.kubernetes.io/name=traefik :8080/TCP,9000/TCP');
    expect(lines).toContain('in cloudflared/app.kubernetes.io/instance=cloudflared,app.kubernetes.io/name=cloudflared :8080/TCP,9000/TCP');
  });

  test('an internal route beside the public main route: each exposure on its own object, the tunnel only for the public one', () => {
    const s = synth((c) => {
      platform(c, 'traefik');
      photos(c, { expose: 'public', routes: [{ name: 'photos-lan', hostnames: ['photos-lan', 'pics'], expose: 'internal' }] });
    }, { defaultDenyNetworkPolicies: true });
    expect(s.get('IngressRoute', 'photos', 'photos').metadata.labels['homelab/exposure']).toBe('public');
    const lan = s.get('IngressRoute', 'photos-lan', 'photos');
    expect(lan.metadata.labels['homelab/exposure']).toBe('internal');
    expect(lan.spec.routes).toHaveLength(1);
    expect(lan.spec.routes[0]).not.toHaveProperty('priority');
    expect(lan.spec.routes[0].match).toBe('(Host(`photos-lan.example.com`) || Host(`pics.example.com`))');
    expect(tunnelRules(s).map((r) => r.hostname)).toEqual(['photos.example.com', undefined]);
    const tunnel = policyLines(s.get('NetworkPolicy', 'photos', 'photos')).filter((l) => l.startsWith('in cloudflared/'));
    expect(tunnel).toEqual(['in cloudflared/app.kubernetes.io/instance=cloudflared,app.kubernetes.io/name=cloudflared :8080/TCP']);
  });

  test('the route fact carries every hostname and rule; the checks and the README see both hostnames', () => {
    let fact: Manifest | undefined;
    const s = synth((c) => {
      platform(c, 'gateways');
      const app = photos(c);
      c.onPhase('check', () => { fact = c.ledger.of(ROUTE, app)[0]; });
    });
    expect(fact).toMatchObject({ kind: 'HTTPRoute', name: 'photos-route-1', hostnames: ['photos.example.com', 'immich.example.com'], field: 'routes[0]' });
    expect(fact!.rules.map((r: Manifest) => r.path)).toEqual(['/api/health', '/api', '/']);
    const readme = [...s.files].find(([f]) => f === 'clusters/test/README.md')?.[1] ?? '';
    expect(readme).toContain('photos.example.com');
    expect(readme).toContain('immich.example.com');
  });

  test('a route hostname is claimed like the main one: taken by another app, or by the same app twice, is a problem', () => {
    const p = problems((c) => {
      platform(c, 'traefik');
      new App(c, 'other', { image: IMAGE, ports: PORTS, expose: 'internal', subdomain: 'immich' });
      photos(c, { routes: [{ hostnames: ['photos', 'immich'], expose: 'internal' }, { hostnames: ['photos'], expose: 'public' }] });
    });
    expect(problemAt(p, 'routes[0].hostnames[1]', "'immich.example.com' is already exposed by 'other'").path).toBe('test/photos');
    problemAt(p, 'routes[1].hostnames[0]', "'photos.example.com' is already exposed by 'photos' (route 'photos-route-1')");
  });

  test('the tree checks read each hostname of the route fact: a hand-written route on the second hostname is a duplicate', () => {
    const p = problems((c) => {
      platform(c, 'traefik');
      photos(c, { routes: [withoutHeaders(ROUTE_PROPS)] });
      rawComponent(c, { name: 'extra', namespace: 'extra', layer: 'apps' }, [{
        apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'stray' },
        spec: { routes: [{ kind: 'Rule', match: 'Host(`immich.example.com`)', services: [{ name: 'stray', port: 80 }] }] },
      }]);
    });
    const dup = p.find((x) => /hostname 'immich\.example\.com' is already served by IngressRoute/.test(x.message));
    expect(dup).toBeDefined();
    expect(dup!.message).toMatch(/IngressRoute '(photos\/photos-route-1|extra\/stray)'/);
  });

  test('TLS: the issued wildcard certificate covers one label under the domain; a deeper hostname is warned about', () => {
    const s = synth((c) => { platform(c, 'traefik'); photos(c, { routes: [{ hostnames: ['photos', 'photos.lan.example.com'], expose: 'internal' }] }); });
    const warned = s.warnings.filter((w) => w.code === 'hostname-outside-certificate');
    expect(warned.map((w) => w.message)).toEqual([expect.stringContaining("hostname 'photos.lan.example.com' of route 'photos-route-1' is not covered by the wildcard certificate (*.example.com, example.com)")]);
  });
});
