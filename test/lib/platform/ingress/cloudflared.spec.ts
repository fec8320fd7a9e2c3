import { parse } from 'yaml';
import { CLOUDFLARED_IMAGE, Cloudflared, IngressNginx } from '../../../../src/lib/platform/ingress/index.js';
import { testCluster } from '../../../helpers.js';
import { AGE_RECIPIENT, ENCRYPTED_SOPS, Synthesized, problemsOf, tinyApp } from './support.js';

const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

describe('Cloudflared', () => {
  test('locally managed: rules derived from the public routes, sorted, ending in http_status:404; credentials by reference', () => {
    const { estate, cluster } = testCluster({ domain: 'funoffshore.com', sops: { ageRecipients: [AGE_RECIPIENT] } });
    new IngressNginx(cluster, 'ingress-nginx');
    const tunnel = new Cloudflared(cluster, 'cloudflared', {
      tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials', sopsFile: 'tunnel-credentials.sops.yaml' } },
    });
    tinyApp(cluster, 'vaultwarden', { expose: 'public', subdomain: 'vault' });
    tinyApp(cluster, 'blog', { expose: 'public', hostname: 'funoffshore.com' });
    tinyApp(cluster, 'grafana', { expose: 'internal' });
    const s = new Synthesized(estate, { 'clusters/test/ingress/cloudflared/app/tunnel-credentials.sops.yaml': ENCRYPTED_SOPS });
    const hr = s.one('HelmRelease', 'cloudflared');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'cloudflared', version: '2.2.16', sourceRef: { name: 'cloudflared' } });
    const v = hr.spec.values;
    const nginx = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
    expect(v.ingress).toEqual([
      { hostname: 'funoffshore.com', service: nginx },
      { hostname: 'vault.funoffshore.com', service: nginx },
      { service: 'http_status:404' },
    ]);
    expect(v.tunnelConfig).toMatchObject({ name: TUNNEL_ID, noAutoUpdate: true });
    expect(v.tunnelSecrets.existingConfigJsonFileSecret).toEqual({ name: 'tunnel-credentials', key: 'credentials.json' });
    expect(v.image).toEqual({ repository: 'cloudflare/cloudflared', tag: CLOUDFLARED_IMAGE.tag, pullPolicy: 'IfNotPresent' });
    expect(v.replica).toEqual({ allNodes: false, count: 2 });
    expect(v.podSecurityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(s.one('Namespace', 'cloudflared').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(parse(s.files.get('clusters/test/ingress/cloudflared/app/kustomization.yaml')!).resources).toContain('tunnel-credentials.sops.yaml');
    expect(s.objects.filter((o) => !o.file.endsWith('.sops.yaml')).some((o) => o.object.kind === 'Secret')).toBe(false);
    expect(tunnel.dnsTarget).toBe(`${TUNNEL_ID}.cfargotunnel.com`);
    expect(tunnel.workloads).toEqual([{ name: 'cloudflared', replicas: 2, cpuRequest: '50m', memoryRequest: '64Mi' }]);
  });

  test('remotely managed: token through HelmRelease valuesFrom, image pinned, routes listed in a ConfigMap, baseline namespace', () => {
    const { estate, cluster } = testCluster();
    new IngressNginx(cluster, 'ingress-nginx');
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'remote', token: { name: 'cloudflared-token' } } });
    tinyApp(cluster, 'blog', { expose: 'public' });
    const s = new Synthesized(estate);
    const hr = s.one('HelmRelease', 'cloudflared');
    expect(hr.spec.chart.spec.chart).toBe('cloudflare-tunnel-remote');
    expect(hr.spec.valuesFrom).toEqual([{ kind: 'Secret', name: 'cloudflared-token', valuesKey: 'token', targetPath: 'cloudflare.tunnel_token' }]);
    expect(hr.spec.values).toEqual({
      image: { repository: 'cloudflare/cloudflared', tag: CLOUDFLARED_IMAGE.tag, pullPolicy: 'IfNotPresent' },
      replicaCount: 2,
      resources: { requests: { cpu: '50m', memory: '64Mi' } },
    });
    expect(JSON.stringify(hr.spec.values)).not.toContain('tunnel_token');
    const routes = s.one('ConfigMap', 'cloudflared-routes');
    expect(parse(routes.data['ingress.yaml'])).toEqual({ ingress: [{ hostname: 'blog.example.com', service: 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80' }, { service: 'http_status:404' }] });
    expect(s.one('Namespace', 'cloudflared').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    // No tunnel ID: no DNS target, so routes carry no external-dns annotations.
    expect(s.one('Ingress', 'blog').metadata.annotations).toBeUndefined();
  });

  test('a token from the secret store needs a secret store in the cluster', () => {
    const { estate, cluster } = testCluster();
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'remote', token: { name: 'cloudflared-token', fromStore: { key: 'cloudflare/tunnel', property: 'token' } } } });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({
      path: 'test/cloudflared', field: 'tunnel.token.fromStore',
      message: "Secret 'cloudflared-token' should come from the secret store, but cluster 'test' has none",
    })]);
  });

  test('both a SOPS file and the store for one Secret, and a tunnel ID that is not a UUID, are errors', () => {
    const { estate, cluster } = testCluster();
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: 'my-tunnel', credentials: { name: 'creds', sopsFile: 'creds.sops.yaml', fromStore: { key: 'x' } } } });
    const problems = problemsOf(estate);
    expect(problems.map((p) => [p.path, p.field])).toEqual([['test/cloudflared', 'tunnel.tunnelId'], ['test/cloudflared', 'tunnel.credentials']]);
    expect(problems[0].message).toBe("'my-tunnel' is not a tunnel UUID");
  });

  test('a tunnel no app uses warns that it only answers 404', () => {
    const { estate, cluster } = testCluster();
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
    const s = new Synthesized(estate);
    expect(s.values('cloudflared').ingress).toEqual([{ service: 'http_status:404' }]);
    expect(s.result.warnings.map((w) => w.code)).toContain('tunnel-without-routes');
  });

  test('an unknown values key is an error naming it', () => {
    const { estate, cluster } = testCluster();
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'c' } }, values: { tunnelConfig: { protocl: 'quic' } } });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({ path: 'test/cloudflared/chart', field: 'values.tunnelConfig.protocl' })]);
  });
});
