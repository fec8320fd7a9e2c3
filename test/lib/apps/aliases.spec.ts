import { App, AppProps } from '../../../src/lib/apps/app.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { withPlatform } from './fakes.js';
import { policyLines, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const web = (c: HomelabCluster, id = 'web', props: Partial<AppProps> = {}) =>
  new App(c, id, { image: IMAGE, ports: [{ name: 'http', port: 8080 }], ...props });

describe('App: several hostnames (aliases)', () => {
  test('each alias is a route of its own to the same port, with the app\'s exposure or its own', () => {
    let routes: string[] = [];
    const s = synth((c) => {
      const p = withPlatform(c);
      web(c, 'web', { expose: 'internal', subdomain: 'portal', aliases: ['intranet.example.com', { hostname: 'www.example.com', expose: 'public' }] });
      c.onPhase('finalize', () => { routes = p.ingress!.routes.map((r) => `${r.name} ${r.hostname}->${r.serviceName}:${r.servicePort}/${r.exposure}`); });
    });
    expect(routes).toEqual([
      'web portal.example.com->web:8080/internal',
      'web-alias-1 intranet.example.com->web:8080/internal',
      'web-alias-2 www.example.com->web:8080/public',
    ]);
    expect(s.get('Ingress', 'web-alias-2', 'web').metadata.labels['homelab/exposure']).toBe('public');
    expect(s.get('ConfigMap', 'tunnel', 'tunnel').data.hostnames).toBe('www.example.com');
  });

  test('a public alias lets the tunnel reach the port, though the main route is internal', () => {
    const s = synth((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'internal', aliases: [{ hostname: 'www.example.com', expose: 'public' }] });
    }, { defaultDenyNetworkPolicies: true });
    const lines = policyLines(s.get('NetworkPolicy', 'web', 'web'));
    expect(lines.some((l) => l.includes('tunnel'))).toBe(true);
    expect(lines.some((l) => l.includes('ingress'))).toBe(true);
    const internalOnly = synth((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'internal' });
    }, { defaultDenyNetworkPolicies: true });
    expect(policyLines(internalOnly.get('NetworkPolicy', 'web', 'web')).some((l) => l.includes('tunnel'))).toBe(false);
  });

  test('an alias outside the domain, or already taken, is a problem like the main hostname', () => {
    const p = problems((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'internal', aliases: ['web.other.org'] });
      web(c, 'other', { expose: 'internal', aliases: ['web.example.com'] });
    });
    problemAt(p, 'hostname', "'web.other.org' is outside the cluster's domain 'example.com'");
    expect(problemAt(p, 'hostname', "'web.example.com' is already exposed by 'web'").path).toBe('test/other');
  });

  test('aliases without exposure are a problem naming the fix', () => {
    const p = problems((c) => {
      withPlatform(c);
      web(c, 'web', { aliases: ['web2.example.com'] });
    });
    expect(problemAt(p, 'aliases', "expose is 'none'").fix).toContain("set expose to 'internal' or 'public'");
  });
});
