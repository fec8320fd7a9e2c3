import { BarmanCloudPlugin, CloudNativePg, PostgresBackupOptions, PostgresCluster, PostgresClusterProps, PostgresRestoreDrill } from '../../../../src/lib/platform/databases/index.js';
import { testCluster } from '../../../helpers.js';
import { platformStubs, problemsOf, singleNode, synth } from './fixtures.js';

const BACKUP: PostgresBackupOptions = {
  destinationPath: 's3://homelab-backups/postgres',
  endpointURL: 'https://s3.eu-central-003.backblazeb2.com',
  credentials: { secretName: 'postgres-s3' },
};

function estateWith(props: PostgresClusterProps, make: () => ReturnType<typeof testCluster> = () => singleNode()) {
  const { estate, cluster } = make();
  platformStubs(cluster);
  new CloudNativePg(cluster, 'cnpg');
  new BarmanCloudPlugin(cluster, 'barman-cloud');
  const postgres = new PostgresCluster(cluster, 'postgres', props);
  return { estate, cluster, postgres };
}

describe('backups through the Barman Cloud plugin', () => {
  test('an ObjectStore with credentials by Secret reference, the plugin as WAL archiver, a plugin ScheduledBackup', () => {
    const out = synth(estateWith({ backup: BACKUP }).estate);
    const store = out.get('ObjectStore', 'postgres-backup', 'databases');
    expect(store.apiVersion).toBe('barmancloud.cnpg.io/v1');
    expect(store.spec.retentionPolicy).toBe('30d');
    expect(store.spec.configuration).toEqual({
      destinationPath: 's3://homelab-backups/postgres',
      endpointURL: 'https://s3.eu-central-003.backblazeb2.com',
      s3Credentials: { accessKeyId: { name: 'postgres-s3', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'postgres-s3', key: 'ACCESS_SECRET_KEY' } },
      wal: { compression: 'gzip' },
      data: { compression: 'gzip' },
    });
    const cluster = out.get('Cluster', 'postgres').spec;
    expect(cluster.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', enabled: true, isWALArchiver: true, parameters: { barmanObjectName: 'postgres-backup', serverName: 'postgres' } }]);
    expect(cluster.backup).toBeUndefined(); // no in-tree barmanObjectStore
    expect(out.get('ScheduledBackup', 'postgres-daily', 'databases').spec).toEqual({
      cluster: { name: 'postgres' },
      schedule: '0 0 3 * * *',
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      backupOwnerReference: 'self',
      target: 'prefer-standby',
      immediate: true,
      suspend: false,
    });
    expect(out.ks('postgres').spec.dependsOn.map((d: any) => d.name)).toContain('barman-cloud');
    expect(out.all('Secret')).toEqual([]);
  });

  test('schedule, retention, compression, key names and region are taken as given', () => {
    const out = synth(estateWith({
      backup: {
        ...BACKUP, schedule: '0 30 2 * * 0', retentionPolicy: '4w', walCompression: 'zstd', dataCompression: 'snappy', immediate: false,
        credentials: { secretName: 'garage', accessKeyIdKey: 'access-key', secretAccessKeyKey: 'secret-key', regionKey: 'region' },
      },
    }).estate);
    const store = out.get('ObjectStore', 'postgres-backup').spec;
    expect(store.retentionPolicy).toBe('4w');
    expect(store.configuration.s3Credentials.region).toEqual({ name: 'garage', key: 'region' });
    expect(store.configuration.s3Credentials.accessKeyId).toEqual({ name: 'garage', key: 'access-key' });
    expect([store.configuration.wal.compression, store.configuration.data.compression]).toEqual(['zstd', 'snappy']);
    expect(out.get('ScheduledBackup', 'postgres-daily').spec).toMatchObject({ schedule: '0 30 2 * * 0', immediate: false });
  });

  test('backups without a credentials reference are a problem (and nothing half-configured is rendered)', () => {
    const { estate, postgres } = estateWith({ backup: { destinationPath: 's3://homelab-backups/postgres' } });
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({
      path: 'home/postgres', field: 'backup.credentials',
      message: expect.stringContaining('without a credentials reference'),
      fix: expect.stringContaining('never the keys themselves'),
    })]);
    expect(postgres.objectStoreName).toBeUndefined();
  });

  test('a five-field cron, a non-S3 destination and a malformed retention are problems with fixes', () => {
    const problems = problemsOf(estateWith({ backup: { ...BACKUP, destinationPath: 'https://bucket/x', schedule: '0 3 * * *', retentionPolicy: '30 days' } }).estate);
    expect(problems.map((p) => [p.field, p.fix])).toEqual([
      ['backup.destinationPath', expect.stringContaining("'s3://<bucket>/<prefix>'")],
      ['backup.schedule', "CNPG schedules have a seconds field first: use '0 0 3 * * *'"],
      ['backup.retentionPolicy', expect.stringContaining("'30d'")],
    ]);
  });

  test('a six-field schedule with a value out of range (hour 25) is a problem naming the field', () => {
    const problems = problemsOf(estateWith({ backup: { ...BACKUP, schedule: '0 0 25 * * *' } }).estate);
    expect(problems.map((p) => [p.field, p.message])).toEqual([['backup.schedule', "'0 0 25 * * *' is not a CNPG schedule: its hours field '25' is outside 0–23"]]);
  });

  test('credentials provided as a SOPS file travel with the component', () => {
    const { postgres } = estateWith({ backup: { ...BACKUP, credentials: { secretName: 'postgres-s3', sopsFile: 'postgres-s3.sops.yaml' } } });
    expect(postgres.sopsFiles).toEqual([{ path: 'postgres-s3.sops.yaml' }]);
  });

  test('without the Barman Cloud plugin in the cluster, the ObjectStore is a problem naming its API group', () => {
    const { estate, cluster } = singleNode();
    platformStubs(cluster);
    new CloudNativePg(cluster, 'cnpg');
    new PostgresCluster(cluster, 'postgres', { backup: BACKUP });
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'home/postgres', field: 'requires', message: expect.stringContaining("'barmancloud.cnpg.io'") })]);
  });
});

describe('restore drill (seed 002: restore testable independently of the services)', () => {
  test('a second Cluster recovered from the same ObjectStore, in its own suspended Kustomization', () => {
    const { estate, postgres } = estateWith({ backup: BACKUP, restoreDrill: true });
    const out = synth(estate);
    expect(postgres.restoreDrill).toBeInstanceOf(PostgresRestoreDrill);
    const ks = out.ks('postgres-restore');
    expect(ks.spec.suspend).toBe(true);
    expect(ks.spec.path).toBe('./clusters/home/databases/postgres-restore/app');
    expect(ks.spec.timeout).toBe('30m');
    expect(ks.spec.dependsOn.map((d: any) => d.name)).toEqual(expect.arrayContaining(['postgres', 'cnpg']));
    expect(out.ks('postgres').spec.suspend).toBeUndefined();
    const drill = out.get('Cluster', 'postgres-restore', 'databases');
    expect(out.tree.has('clusters/home/databases/postgres-restore/app/cluster.yaml')).toBe(true);
    expect(drill.spec.bootstrap).toEqual({ recovery: { source: 'origin', database: 'app', owner: 'app' } });
    expect(drill.spec.externalClusters).toEqual([{
      name: 'origin',
      plugin: { name: 'barman-cloud.cloudnative-pg.io', enabled: true, isWALArchiver: false, parameters: { barmanObjectName: 'postgres-backup', serverName: 'postgres' } },
    }]);
    // It never archives into the source's backups and registers nothing consumers could use.
    expect(drill.spec.plugins).toBeUndefined();
    expect(drill.spec.instances).toBe(1);
    expect(drill.spec.imageName).toBe(out.get('Cluster', 'postgres').spec.imageName);
    expect(postgres.restoreDrill!.workloads).toEqual([]);
  });

  test('a point-in-time target, an unsuspended drill, and the standalone construct', () => {
    const { estate, cluster, postgres } = estateWith({ backup: BACKUP, clusterName: 'main' });
    const drill = new PostgresRestoreDrill(cluster, 'drill', { source: postgres, suspend: false, targetTime: '2026-11-02 08:00:00+00', instances: 2 });
    const out = synth(estate);
    expect(out.ks('drill').spec.suspend ?? false).toBe(false);
    const spec = out.get('Cluster', 'main-restore').spec;
    expect(spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: '2026-11-02 08:00:00+00' });
    expect(spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 'main-backup', serverName: 'main' });
    expect(drill.workloads).toEqual([expect.objectContaining({ name: 'postgres-main-restore', replicas: 2 })]);
  });

  test('a restore drill without backups is a problem', () => {
    const problems = problemsOf(estateWith({ restoreDrill: true }).estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'home/postgres', field: 'restoreDrill', message: expect.stringContaining('this cluster has none') })]);
  });
});

describe('hibernation (seed 000 gaming mode)', () => {
  test('gaming mode hibernates every Cluster, suspends scheduled backups and stops Flux waiting on the hibernated cluster', () => {
    const gaming = () => singleNode({ scaleDown: { name: 'gaming mode', active: true } });
    const out = synth(estateWith({ backup: BACKUP, restoreDrill: true }, gaming).estate);
    expect(out.get('Cluster', 'postgres').metadata.annotations['cnpg.io/hibernation']).toBe('on');
    expect(out.get('Cluster', 'postgres-restore').metadata.annotations['cnpg.io/hibernation']).toBe('on');
    expect(out.get('ScheduledBackup', 'postgres-daily').spec.suspend).toBe(true);
    expect(out.ks('postgres').spec.wait).toBe(false);
    // Written quoted, so YAML 1.1 readers (kubectl apply -f) see the string "on", not a boolean.
    expect(out.tree.get('clusters/home/databases/postgres/app/cluster.yaml')).toContain('cnpg.io/hibernation: "on"');
  });

  test('outside gaming mode the annotation is explicitly off; a per-cluster switch overrides both ways', () => {
    const awake = synth(estateWith({ backup: BACKUP }).estate);
    expect(awake.get('Cluster', 'postgres').metadata.annotations['cnpg.io/hibernation']).toBe('off');
    expect(awake.ks('postgres').spec.wait).toBe(true);
    expect(synth(estateWith({ hibernate: true }).estate).get('Cluster', 'postgres').metadata.annotations['cnpg.io/hibernation']).toBe('on');
    const kept = estateWith({ hibernate: false }, () => singleNode({ scaleDown: { name: 'gaming mode', active: true } }));
    expect(synth(kept.estate).get('Cluster', 'postgres').metadata.annotations['cnpg.io/hibernation']).toBe('off');
    expect(kept.postgres.workloads[0].heavy).toBe(false);
  });
});
