import { parseAllDocuments } from 'yaml';
import { DEFAULT_STORAGE_CLASS } from '../../../../src/lib/estate/capabilities.js';
import { CertManager } from '../../../../src/lib/platform/ingress/cert-manager.js';
import { KubePrometheusStack } from '../../../../src/lib/platform/observability/kube-prometheus-stack.js';
import { ExternalSecrets } from '../../../../src/lib/platform/secrets/external-secrets.js';
import { BarmanCloudPlugin, CloudNativePg, PostgresCluster, Redis, requestDatabase } from '../../../../src/lib/platform/databases/index.js';
import { REDIS } from '../../../../src/lib/estate/services.js';
import { synthesize } from '../../../../src/lib/synth/synth.js';
import { rawComponent, readTree, tempRoot } from '../../../helpers.js';
import { fluxAppliedFolders, kustomizeBuildAll } from '../../../kustomize.js';
import { singleNode } from './fixtures.js';

/**
 * Seed 000's home cluster, data side, with the real neighbouring constructs (cert-manager,
 * External Secrets, kube-prometheus-stack): synth validates every object against its schema and
 * Helm values against the charts, and every folder Flux applies builds with kustomize.
 */
function homeEstate(gamingMode = false) {
  const { estate, cluster } = singleNode({ scaleDown: { name: 'gaming mode', active: gamingMode }, defaultDenyNetworkPolicies: true });
  const storage = rawComponent(cluster, { name: 'local-storage', namespace: 'storage' });
  storage.provide(DEFAULT_STORAGE_CLASS);
  new CertManager(cluster, 'cert-manager');
  new ExternalSecrets(cluster, 'external-secrets', { store: false });
  new KubePrometheusStack(cluster, 'kube-prometheus-stack');
  new CloudNativePg(cluster, 'cnpg');
  new BarmanCloudPlugin(cluster, 'barman-cloud');
  new PostgresCluster(cluster, 'postgres', {
    backup: { destinationPath: 's3://home-backups/postgres', endpointURL: 'https://s3.example.com', credentials: { secretName: 'postgres-s3' } },
    restoreDrill: true,
  });
  new Redis(cluster, 'redis');
  const n8n = rawComponent(cluster, { name: 'n8n', namespace: 'n8n', layer: 'apps' });
  const nextcloud = rawComponent(cluster, { name: 'nextcloud', namespace: 'nextcloud', layer: 'apps' });
  requestDatabase(n8n, 'n8n');
  requestDatabase(nextcloud, 'nextcloud');
  cluster.onPhase('wire', () => cluster.service(REDIS)!.addClient({ consumer: nextcloud }));
  return estate;
}

describe('data services in a whole cluster', () => {
  const root = tempRoot('databases-home-');
  const result = synthesize(homeEstate(), { root });
  const tree = readTree(root);

  test('synth passes: every object validates against its CRD/Kubernetes schema, every chart against its values schema', () => {
    expect(result.files.size).toBeGreaterThan(40);
    const kinds = new Set([...tree.values()].flatMap((c) => parseAllDocuments(c).map((d) => d.toJSON()?.kind)));
    for (const kind of ['Cluster', 'Database', 'ObjectStore', 'ScheduledBackup', 'PodMonitor', 'ExternalSecret', 'SecretStore', 'Password', 'StatefulSet', 'NetworkPolicy']) {
      expect(kinds).toContain(kind);
    }
  });

  test('every folder Flux applies builds with kubectl kustomize', async () => {
    const folders = fluxAppliedFolders(tree);
    expect(folders).toEqual(expect.arrayContaining(['clusters/home/databases/postgres/app', 'clusters/home/databases/postgres-restore/app', 'clusters/home/databases/redis/app']));
    await kustomizeBuildAll(root, folders);
  });

  test('dependsOn is derived end to end: app → postgres → cnpg/barman-cloud/external-secrets; plugin → cert-manager', () => {
    const deps = (name: string) => result.trees[0].dependencies.get(result.trees[0].cluster.component(name)!)!.map((e) => e.to.name);
    expect(deps('n8n')).toEqual(['external-secrets', 'postgres']);
    expect(deps('nextcloud')).toEqual(['external-secrets', 'postgres', 'redis']);
    expect(deps('postgres')).toEqual(expect.arrayContaining(['barman-cloud', 'cnpg', 'external-secrets', 'local-storage', 'prometheus-operator-crds']));
    expect(deps('barman-cloud')).toEqual(expect.arrayContaining(['cert-manager', 'cnpg']));
    expect(deps('postgres-restore')).toEqual(expect.arrayContaining(['postgres']));
  });

  test('no plaintext Secret anywhere in the generated tree', () => {
    const secrets = [...tree.values()].flatMap((c) => parseAllDocuments(c).map((d) => d.toJSON())).filter((o) => o?.kind === 'Secret');
    expect(secrets).toEqual([]);
  });

  test('gaming mode changes only hibernation, backup suspension and waiting, nothing else about the data services', () => {
    const gaming = synthesize(homeEstate(true), { root: tempRoot('databases-gaming-'), check: true });
    const changed = [...gaming.files].filter(([p, c]) => result.files.get(p) !== c).map(([p]) => p).filter((p) => p.includes('/databases/'));
    expect(changed.sort()).toEqual([
      'clusters/home/databases/postgres-restore/app/cluster.yaml',
      'clusters/home/databases/postgres/app/cluster.yaml',
      'clusters/home/databases/postgres/app/scheduledbackup.yaml',
      'clusters/home/databases/postgres/ks.yaml',
    ]);
  });
});
