import { storageClass } from '../../src/lib/estate/capabilities.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const c = s.cluster('cloud');

const PUBLIC = [
  // app, hostname, namespace
  ['vaultwarden', 'vault.sovereign.example.net', 'vaultwarden'],
  ['blog', 'blog.sovereign.example.net', 'blog'],
] as const;

describe('cloud (seed 000, OCI OKE side)', () => {
  test('implements seed 000, from its own source file', () => {
    expect(s.cluster('cloud').model.seed).toBe('000-talos-snc-plus-oke.md');
    expect(s.cluster('cloud').model.sourceFile).toBe('src/clusters/cloud.ts');
  });
  test('managed OKE: no control-plane node to run, two arm64 Ampere workers', () => {
    expect(c.model.distribution).toBe('oke');
    expect(c.model.controlPlaneNodes).toEqual([]);
    expect(c.model.nodes.map((n) => [n.name, n.role, n.arch])).toEqual([['oke-a1-1', 'worker', 'arm64'], ['oke-a1-2', 'worker', 'arm64']]);
    expect([...c.model.architectures]).toEqual(['arm64']);
    expect(c.paths.some((p) => p.startsWith('talos/'))).toBe(false);
  });

  test("storage is OKE's own oci-bv block-volume class: known to the model, never deployed", () => {
    expect(c.model.builtins.has(storageClass('oci-bv'))).toBe(true);
    expect(c.storageClasses.size).toBe(0);
    const pvc = c.objects('PersistentVolumeClaim');
    expect(pvc.length).toBeGreaterThan(0);
    for (const claim of pvc) expect(claim.spec.storageClassName).toBeUndefined();
  });

  test('Traefik is the ingress, with no public load balancer: the tunnel is the only way in', () => {
    const values = c.helmReleases.get('traefik/traefik')!.spec.values;
    expect(values.service.spec.type).toBe('ClusterIP');
    expect(c.objects('Service').filter((svc) => svc.spec?.type === 'LoadBalancer')).toEqual([]);
  });

  test('Internet → Cloudflare → tunnel → OKE → Traefik → apps: tunnel rules send each public hostname to Traefik, then 404', () => {
    const rules = c.helmReleases.get('cloudflared/cloudflared')!.spec.values.ingress;
    expect(rules.map((r: any) => r.hostname ?? null)).toEqual(['blog.sovereign.example.net', 'vault.sovereign.example.net', null]);
    for (const r of rules.slice(0, -1)) expect(r.service).toBe('https://traefik.traefik.svc.cluster.local:443');
    expect(rules.at(-1)).toEqual({ service: 'http_status:404' });
  });

  test.each(PUBLIC)('%s is public at %s, routed by a Traefik IngressRoute in %s to its Service', (app, host, ns) => {
    const route = c.objects('IngressRoute').find((r) => r.metadata.namespace === ns)!;
    expect(route.spec.routes[0].match).toBe(`Host(\`${host}\`)`);
    expect(route.spec.routes[0].services[0].name).toBe(app);
    expect(c.has('Service', app, ns)).toBe(true);
    expect(c.kustomizations.has(app)).toBe(true);
    expect(c.dependsOn(app).some((d) => d === 'traefik' || d === 'traefik-config')).toBe(true);
  });

  test('every public hostname is served over TLS from a Let\'s Encrypt DNS-01 (Cloudflare) certificate; the token is a Secret reference', () => {
    const issuer = c.objects('ClusterIssuer')[0];
    expect(issuer.spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef).toEqual({ name: 'cloudflare-api-token', key: 'api-token' });
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    for (const r of c.objects('IngressRoute')) expect(r.spec.entryPoints).toEqual(['websecure']);
  });

  test('every app image exists for arm64, and pods are pinned to the nodes\' architecture', () => {
    const apps = c.model.components.filter((comp) => 'archs' in comp) as unknown as { archs: readonly string[]; name: string }[];
    expect(apps.map((a) => a.name).sort()).toEqual(['blog', 'vaultwarden']);
    for (const a of apps) expect(a.archs).toContain('arm64');
    for (const d of c.objects('Deployment')) {
      const terms = d.spec.template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
      expect(JSON.stringify(terms)).toContain('arm64');
    }
  });

  test('Cloudflare DNS: external-dns publishes each public hostname as a proxied CNAME to the tunnel', () => {
    const v = c.helmReleases.get('external-dns/external-dns')!.spec.values;
    expect(v).toMatchObject({ provider: { name: 'cloudflare' }, sources: ['traefik-proxy'], domainFilters: ['sovereign.example.net'], labelFilter: 'homelab/exposure=public' });
    expect(v.env[0].valueFrom.secretKeyRef).toEqual({ name: 'cloudflare-api-token', key: 'api-token' });
    for (const r of c.objects('IngressRoute')) {
      expect(r.metadata.annotations['external-dns.alpha.kubernetes.io/target']).toBe('00000000-0000-4000-8000-000000000000.cfargotunnel.com');
      expect(r.metadata.annotations['external-dns.alpha.kubernetes.io/cloudflare-proxied']).toBe('true');
    }
  });

  test('security headers on every HTTPS response of the public entry point', () => {
    const mw = c.get('Middleware', 'security-headers', 'traefik');
    expect(mw.spec.headers).toMatchObject({ stsSeconds: 31536000, contentTypeNosniff: true, frameDeny: true });
    const ports = c.helmReleases.get('traefik/traefik')!.spec.values.ports;
    expect(ports.websecure.http?.middlewares ?? ports.websecure.middlewares).toEqual(['traefik-security-headers@kubernetescrd']);
  });

  test('the only hostnames are the public ones', () => {
    expect(c.hostnames).toEqual(PUBLIC.map((p) => p[1]).sort());
  });
});
