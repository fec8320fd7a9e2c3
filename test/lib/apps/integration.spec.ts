import { parseAllDocuments } from 'yaml';
import * as apps from '../../../src/lib/apps/index.js';
import { DEFAULT_STORAGE_CLASS } from '../../../src/lib/estate/capabilities.js';
import { ClusterProps } from '../../../src/lib/estate/cluster.js';
import { SynthResult, synthesize } from '../../../src/lib/synth/synth.js';
import { CloudNativePg, PostgresCluster, Redis } from '../../../src/lib/platform/databases/index.js';
import { CertManager, Cloudflared, IngressNginx } from '../../../src/lib/platform/ingress/index.js';
import { ExternalSecrets, OpenBao } from '../../../src/lib/platform/secrets/index.js';
import { KubePrometheusStack } from '../../../src/lib/platform/observability/kube-prometheus-stack.js';
import { rawComponent, readTree, tempRoot, testCluster } from '../../helpers.js';
import { fluxAppliedFolders, kustomizeBuildAll } from '../../kustomize.js';
import { policyLines } from './harness.js';

const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const secret = (key: string) => ({ secretKeyRef: { name: 'app-secrets', key } });

/**
 * The seeds' apps on a cluster built from the real platform constructs (ingress-nginx, cloudflared,
 * CloudNativePG, Redis, OpenBao + External Secrets): synth validates every object against its schema,
 * every Flux-applied folder must build with kustomize, and dependsOn / NetworkPolicy peers come from
 * the real providers.
 */
function estate(overrides: Partial<ClusterProps> = {}) {
  const { estate, cluster } = testCluster({ defaultDenyNetworkPolicies: true, ...overrides });
  const storage = rawComponent(cluster, { name: 'local-storage', namespace: 'storage' });
  storage.provide(DEFAULT_STORAGE_CLASS);
  new CertManager(cluster, 'cert-manager');
  new IngressNginx(cluster, 'ingress-nginx');
  new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
  new OpenBao(cluster, 'openbao');
  new ExternalSecrets(cluster, 'external-secrets');
  new CloudNativePg(cluster, 'cnpg');
  new PostgresCluster(cluster, 'postgres');
  new Redis(cluster, 'redis');
  new KubePrometheusStack(cluster, 'kube-prometheus-stack');

  const postfix = new apps.Postfix(cluster, 'postfix', { relay: { host: 'smtp.example.net', username: 'homelab', password: secret('relay') } });
  new apps.Whoami(cluster, 'whoami', { expose: 'public' });
  new apps.Vaultwarden(cluster, 'vaultwarden', { expose: 'public', database: 'postgres', adminToken: { fromStore: { key: 'apps/vaultwarden', property: 'admin-token' } }, smtp: postfix.relay });
  new apps.N8n(cluster, 'n8n', { encryptionKey: { fromStore: { key: 'apps/n8n', property: 'encryption-key' } }, smtp: postfix.relay });
  new apps.Nextcloud(cluster, 'nextcloud', { data: { nfs: { server: '10.0.0.5', path: '/volume1/nextcloud' } }, smtp: postfix.relay });
  const ldap = new apps.OpenLdap(cluster, 'openldap', { adminPassword: secret('ldap') });
  new apps.Keycloak(cluster, 'keycloak', { bootstrapAdminPassword: secret('keycloak'), realm: { name: 'homelab', ldap }, smtp: postfix.relay });
  const media = { nfs: { server: '10.0.0.5', path: '/volume1/media' } };
  const jellyfin = new apps.Jellyfin(cluster, 'jellyfin', { media });
  const qbittorrent = new apps.Qbittorrent(cluster, 'qbittorrent', { media });
  const prowlarr = new apps.Prowlarr(cluster, 'prowlarr');
  const sonarr = new apps.Sonarr(cluster, 'sonarr', { media, downloadClient: qbittorrent, prowlarr });
  const radarr = new apps.Radarr(cluster, 'radarr', { media, downloadClient: qbittorrent, prowlarr });
  new apps.Jellyseerr(cluster, 'jellyseerr', { mediaServer: jellyfin, managers: [sonarr, radarr] });
  new apps.Grafana(cluster, 'grafana', { subdomain: 'dashboards', adminPassword: secret('grafana'), postgres: true, datasources: [] });
  new apps.Blog(cluster, 'blog');
  return estate;
}

function objectsOf(files: Map<string, string>): Record<string, any>[] {
  return [...files.values()].flatMap((c) => parseAllDocuments(c).map((d) => d.toJSON())).filter((o) => o && typeof o === 'object');
}

function deps(result: SynthResult, name: string): string[] {
  const tree = result.trees[0];
  return tree.dependencies.get(tree.cluster.component(name)!)!.map((e) => e.to.name);
}

describe('apps on the real platform (components layout)', () => {
  const root = tempRoot('apps-real-');
  const result = synthesize(estate(), { root });
  const files = readTree(root);
  const objects = objectsOf(files);
  const get = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name)!;

  test('synth passes (schemas, values, references) and every Flux-applied folder builds with kustomize', async () => {
    await kustomizeBuildAll(root, fluxAppliedFolders(files));
    const appNames = result.trees[0].cluster.components.filter((c) => apps.App.isApp(c)).map((c) => c.name);
    expect(appNames).toHaveLength(15);
    expect(result.warnings.filter((w) => appNames.some((n) => w.path.startsWith(`test/${n}`)))).toEqual([]);
  });

  test('dependsOn is derived from what each app uses', () => {
    expect(deps(result, 'vaultwarden')).toEqual(expect.arrayContaining(['ingress-nginx', 'local-storage', 'postgres']));
    expect(deps(result, 'n8n')).toEqual(expect.arrayContaining(['postgres', 'external-secrets']));
    expect(deps(result, 'nextcloud')).toEqual(expect.arrayContaining(['postgres', 'redis']));
    expect(deps(result, 'whoami')).toEqual(['ingress-nginx']);
  });

  test('database env points at the real PostgreSQL service and its per-consumer credentials Secret', () => {
    const env = Object.fromEntries(get('Deployment', 'n8n').spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));
    expect(env.DB_POSTGRESDB_HOST.value).toMatch(/^postgres-rw\.databases\.svc/);
    const secretName = env.DB_POSTGRESDB_PASSWORD.valueFrom.secretKeyRef.name;
    expect(objects.some((o) => o.metadata?.namespace === 'automation' && o.metadata?.name === secretName && /ExternalSecret|Secret/.test(o.kind)) ||
      objects.some((o) => o.kind === 'ExternalSecret' && o.spec?.target?.name === secretName)).toBe(true);
  });

  test('NetworkPolicies use the real proxy, tunnel and database pod labels', () => {
    const vw = policyLines(get('NetworkPolicy', 'vaultwarden'));
    expect(vw.filter((l) => l.startsWith('in ')).map((l) => l.split('/')[0])).toEqual(['in ingress-nginx', 'in cloudflared']);
    expect(vw.some((l) => l.startsWith('out databases/') && l.endsWith(':5432/TCP'))).toBe(true);
    const nc = policyLines(get('NetworkPolicy', 'nextcloud'));
    expect(nc.some((l) => l.includes(':6379/TCP'))).toBe(true);
  });

  test('apps serving metrics get a ServiceMonitor the real Prometheus selects', () => {
    expect(objects.filter((o) => o.kind === 'ServiceMonitor' && ['keycloak', 'grafana', 'n8n'].includes(o.metadata.name)).map((o) => o.metadata.name).sort()).toEqual(['grafana', 'keycloak', 'n8n']);
    // The ServiceMonitor needs the CRDs only: the app never waits for the monitoring stack itself.
    expect(deps(result, 'keycloak')).toContain('prometheus-operator-crds');
    expect(deps(result, 'keycloak')).not.toContain('kube-prometheus-stack');
  });

  test('the tunnel routes every public app and nothing internal', () => {
    const hr = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'cloudflared')!;
    const hosts = (hr.spec.values.ingress as any[]).map((r) => r.hostname).filter(Boolean);
    expect(hosts.sort()).toEqual(['blog.example.com', 'vaultwarden.example.com', 'whoami.example.com']);
  });
});

describe('apps on the real platform (seed 004 layered layout)', () => {
  test('apps land in the apps layer and everything builds', async () => {
    const root = tempRoot('apps-layered-');
    const result = synthesize(estate({ name: 'prox', domain: 'funoffshore.com', flux: { layout: 'layered', bootstrap: 'classic' } }), { root });
    const files = readTree(root);
    expect(files.has('clusters/prox/apps/vaultwarden/vaultwarden/deployment.yaml')).toBe(true);
    expect(files.has('clusters/prox/apps/media/jellyfin/deployment.yaml')).toBe(true);
    await kustomizeBuildAll(root, fluxAppliedFolders(files));
    expect(result.trees[0].cluster.components.filter((c) => apps.App.isApp(c)).every((c) => c.layer === 'apps')).toBe(true);
  });
});
