import { DatabaseConnection } from '../../../../src/lib/estate/services.js';
import {
  BarmanCloudPlugin, CloudNativePg, POSTGRES_IMAGE, PostgresCluster, PostgresClusterProps, requestDatabase,
} from '../../../../src/lib/platform/databases/index.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { monitoringStub, platformStubs, problemsOf, singleNode, synth } from './fixtures.js';

type Cluster = ReturnType<typeof testCluster>['cluster'];

/** Operator + stubs + a PostgresCluster; returns the cluster, estate and the Postgres component. */
function withPostgres(make: () => ReturnType<typeof testCluster>, props: PostgresClusterProps = {}) {
  const { estate, cluster } = make();
  platformStubs(cluster);
  new CloudNativePg(cluster, 'cnpg');
  new BarmanCloudPlugin(cluster, 'barman-cloud');
  const postgres = new PostgresCluster(cluster, 'postgres', props);
  return { estate, cluster, postgres };
}

const workers = (n: number) => testCluster({
  nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi' }, ...Array.from({ length: n }, (_, i) => ({ name: `w${i + 1}`, role: 'worker' as const, cpu: 4, memory: '8Gi' }))],
});

function app(cluster: Cluster, name: string, namespace = name) {
  return rawComponent(cluster, { name, namespace, layer: 'apps' });
}

describe('PostgresCluster: the CNPG Cluster', () => {
  test('instances derive from the schedulable nodes: 1 on a single node (no PDB), up to 3 with workers', () => {
    const rendered = (make: () => ReturnType<typeof testCluster>) => synth(withPostgres(make).estate).get('Cluster', 'postgres').spec;
    const single = rendered(() => singleNode());
    expect([single.instances, single.enablePDB]).toEqual([1, false]);
    expect(rendered(() => workers(2)).instances).toBe(2);
    const three = rendered(() => workers(3));
    expect([three.instances, three.enablePDB]).toEqual([3, true]);
    expect(rendered(() => workers(5)).instances).toBe(3);
    expect(three.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: 'preferred', topologyKey: 'kubernetes.io/hostname' });
  });

  test('an explicit instance count wins; a nonsensical one is a problem at instances', () => {
    expect(synth(withPostgres(() => workers(3), { instances: 1 }).estate).get('Cluster', 'postgres').spec.instances).toBe(1);
    const problems = problemsOf(withPostgres(() => workers(3), { instances: 0 }).estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'test/postgres', field: 'instances', message: expect.stringContaining('0 is not a positive') })]);
  });

  test('storage: the default StorageClass leaves storageClass out (dependsOn the default provider); a named class is set', () => {
    const dflt = synth(withPostgres(() => singleNode()).estate);
    expect(dflt.get('Cluster', 'postgres').spec.storage).toEqual({ size: '10Gi', resizeInUseVolumes: true });
    expect(dflt.ks('postgres').spec.dependsOn.map((d: any) => d.name)).toContain('storage');
    const named = synth(withPostgres(() => singleNode(), { storageClass: 'longhorn', storageSize: '20Gi', walStorageSize: '2Gi' }).estate);
    const spec = named.get('Cluster', 'postgres').spec;
    expect(spec.storage).toEqual({ size: '20Gi', storageClass: 'longhorn', resizeInUseVolumes: true });
    expect(spec.walStorage).toEqual({ size: '2Gi', storageClass: 'longhorn', resizeInUseVolumes: true });
  });

  test('a StorageClass nobody provides is a problem naming it', () => {
    const problems = problemsOf(withPostgres(() => singleNode(), { storageClass: 'zfs' }).estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'home/postgres', field: 'requires', message: expect.stringContaining("StorageClass 'zfs'") })]);
  });

  test('PostgreSQL major version pinned by image tag; resources explicit; superuser off; initdb explicit', () => {
    expect(POSTGRES_IMAGE.tag).toMatch(/^17\.\d+-/);
    const spec = synth(withPostgres(() => singleNode()).estate).get('Cluster', 'postgres').spec;
    expect(spec.imageName).toBe(`ghcr.io/cloudnative-pg/postgresql:${POSTGRES_IMAGE.tag}`);
    expect(spec.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(spec.enableSuperuserAccess).toBe(false);
    expect(spec.bootstrap).toEqual({ initdb: { database: 'app', owner: 'app', dataChecksums: true } });
    expect(spec.primaryUpdateStrategy).toBe('unsupervised');
    expect(spec.postgresql).toEqual({ parameters: {} });
  });

  test('bad pins and quantities are problems at their fields', () => {
    const problems = problemsOf(withPostgres(() => singleNode(), {
      image: { repository: 'ghcr.io/cloudnative-pg/postgresql', tag: 'latest' },
      storageSize: 'big',
      resources: { memoryRequest: '2Gi', memoryLimit: '1Gi' },
    }).estate);
    expect(problems.map((p) => p.field).sort()).toEqual(['image.tag', 'resources.memoryLimit', 'storageSize']);
    expect(problems.find((p) => p.field === 'image.tag')!.message).toContain("'latest' does not start with a PostgreSQL version");
  });

  test('the namespace is restricted and prune-protected (it holds data), and the component lives in databases/', () => {
    const out = synth(withPostgres(() => singleNode()).estate);
    const ns = out.get('Namespace', 'databases');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    expect(out.ks('postgres').spec.path).toBe('./clusters/home/databases/postgres/app');
    expect(out.ks('postgres').spec.dependsOn.map((d: any) => d.name)).toEqual(['cnpg', 'storage']);
  });

  test('workloads declared for the capacity check: instances × (requests + backup sidecar)', () => {
    const plain = withPostgres(() => workers(3)).postgres;
    expect(plain.workloads).toEqual([{ name: 'postgres-postgres', replicas: 3, cpuRequest: '100m', memoryRequest: '256Mi', cpuLimit: undefined, memoryLimit: '1024Mi', heavy: true }]);
    const backed = withPostgres(() => singleNode(), { backup: { destinationPath: 's3://backups/pg', credentials: { secretName: 's3' } }, hibernate: false }).postgres;
    expect(backed.workloads[0]).toMatchObject({ replicas: 1, cpuRequest: '150m', memoryRequest: '320Mi', memoryLimit: '1280Mi', heavy: false });
  });

  test('a PodMonitor for the instances only when the cluster collects metrics', () => {
    expect(synth(withPostgres(() => singleNode()).estate).all('PodMonitor')).toEqual([]);
    const { estate, cluster } = withPostgres(() => singleNode());
    monitoringStub(cluster);
    const out = synth(estate);
    const pm = out.get('PodMonitor', 'postgres', 'databases');
    expect(pm.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(pm.spec).toEqual({ selector: { matchLabels: { 'cnpg.io/cluster': 'postgres', 'cnpg.io/podRole': 'instance' } }, podMetricsEndpoints: [{ port: 'metrics' }] });
    expect(out.ks('postgres').spec.dependsOn.map((d: any) => d.name)).toContain('kube-prometheus-stack');
  });
});

describe('PostgresCluster: one database per consumer (seed 002)', () => {
  function twoApps() {
    const { estate, cluster, postgres } = withPostgres(() => singleNode());
    const n8n = app(cluster, 'n8n');
    const nextcloud = app(cluster, 'nextcloud');
    const got: Record<string, DatabaseConnection> = {};
    requestDatabase(n8n, 'n8n', { onConnected: (c) => { got.n8n = c; } });
    const req = requestDatabase(nextcloud, 'nextcloud');
    return { estate, cluster, postgres, n8n, nextcloud, got, req };
  }

  test('each consumer gets a Database, a managed login role and a generated password Secret', () => {
    const { estate } = twoApps();
    const out = synth(estate);
    expect(out.get('Database', 'postgres-n8n', 'databases').spec).toEqual({
      name: 'n8n', owner: 'n8n', cluster: { name: 'postgres' }, ensure: 'present', databaseReclaimPolicy: 'retain',
    });
    expect(out.get('Database', 'postgres-nextcloud', 'databases').spec.owner).toBe('nextcloud');
    const roles = out.get('Cluster', 'postgres').spec.managed.roles;
    expect(roles.map((r: any) => [r.name, r.passwordSecret.name, r.login, r.superuser, r.createdb, r.ensure])).toEqual([
      ['n8n', 'postgres-role-n8n', true, false, false, 'present'],
      ['nextcloud', 'postgres-role-nextcloud', true, false, false, 'present'],
    ]);
    const generated = out.get('ExternalSecret', 'postgres-role-n8n', 'databases');
    expect(generated.spec.refreshPolicy).toBe('CreatedOnce');
    expect(generated.spec.dataFrom).toEqual([{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'postgres-password' } } }]);
    expect(generated.spec.target.template).toMatchObject({ type: 'kubernetes.io/basic-auth', metadata: { labels: { 'cnpg.io/reload': 'true' } }, data: { username: 'n8n', password: '{{ .password }}' } });
    expect(out.get('Password', 'postgres-password', 'databases').spec).toMatchObject({ length: 32, symbols: 0 });
    // Nothing secret in Git: no Secret object anywhere.
    expect(out.all('Secret')).toEqual([]);
  });

  test("the consumer's Secret is copied into its namespace, reading only its own role Secret", () => {
    const { estate } = twoApps();
    const out = synth(estate);
    const role = out.get('Role', 'postgres-n8n-credentials-reader', 'databases');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['postgres-role-n8n'], verbs: ['get'] }]);
    expect(out.get('RoleBinding', 'postgres-n8n-credentials-reader', 'databases').subjects).toEqual([{ kind: 'ServiceAccount', name: 'postgres-n8n-credentials-reader', namespace: 'n8n' }]);
    expect(out.get('ServiceAccount', 'postgres-n8n-credentials-reader', 'n8n').automountServiceAccountToken).toBe(false);
    expect(out.get('SecretStore', 'postgres-n8n-credentials-reader', 'n8n').spec.provider.kubernetes).toMatchObject({
      remoteNamespace: 'databases', auth: { serviceAccount: { name: 'postgres-n8n-credentials-reader' } },
    });
    const copy = out.get('ExternalSecret', 'postgres-n8n-credentials', 'n8n');
    expect(copy.spec.data.map((d: any) => [d.secretKey, d.remoteRef])).toEqual([
      ['username', { key: 'postgres-role-n8n', property: 'username' }],
      ['password', { key: 'postgres-role-n8n', property: 'password' }],
    ]);
    expect(copy.spec.target.template.data).toEqual({
      dbname: 'n8n', host: 'postgres-rw.databases.svc', password: '{{ .password }}', port: '5432',
      uri: 'postgresql://{{ .username }}:{{ .password }}@postgres-rw.databases.svc:5432/n8n', username: '{{ .username }}',
    });
    const files = [...out.tree.keys()];
    expect(files).toContain('clusters/home/n8n/n8n/app/externalsecret.yaml');
  });

  test('the connection names the Secret, host, port and server peer; the consumer depends on the Postgres component', () => {
    const { estate, got, req, postgres } = twoApps();
    const out = synth(estate);
    expect(got.n8n).toEqual({
      host: 'postgres-rw.databases.svc', port: 5432, database: 'n8n', secretName: 'postgres-n8n-credentials', server: postgres,
      serverPeer: { namespace: 'databases', podLabels: { 'cnpg.io/cluster': 'postgres' } },
    });
    expect(req.connection?.secretName).toBe('postgres-nextcloud-credentials');
    expect(out.ks('n8n').spec.dependsOn.map((d: any) => d.name)).toEqual(['external-secrets', 'postgres']);
    expect(postgres.databaseConsumers).toEqual(new Map([['n8n', 'n8n'], ['nextcloud', 'nextcloud']]));
  });

  test('declaration order does not matter: an app declared before the database server is wired', () => {
    const { estate, cluster } = singleNode();
    const n8n = app(cluster, 'n8n');
    const req = requestDatabase(n8n, 'n8n');
    platformStubs(cluster);
    new CloudNativePg(cluster, 'cnpg');
    new PostgresCluster(cluster, 'postgres');
    const out = synth(estate);
    expect(req.connection?.host).toBe('postgres-rw.databases.svc');
    expect(out.get('Database', 'postgres-n8n').spec.name).toBe('n8n');
  });

  test('two consumers asking for the same database name is a problem at the second consumer', () => {
    const { estate, cluster } = withPostgres(() => singleNode());
    requestDatabase(app(cluster, 'nextcloud'), 'shared');
    requestDatabase(app(cluster, 'keycloak'), 'shared');
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({
      path: 'home/keycloak', field: 'database',
      message: "database 'shared' on PostgreSQL cluster 'postgres' is already used by 'nextcloud'",
      fix: expect.stringContaining("e.g. database: 'keycloak'"),
    })]);
  });

  test('the same consumer asking twice gets the same connection, rendered once', () => {
    const { estate, cluster, postgres } = withPostgres(() => singleNode());
    const n8n = app(cluster, 'n8n');
    const a = requestDatabase(n8n, 'n8n');
    const b = requestDatabase(n8n, 'n8n');
    const out = synth(estate);
    expect(b.connection).toBe(a.connection);
    expect(out.all('Database')).toHaveLength(1);
    expect(postgres.databaseConsumers.size).toBe(1);
  });

  test('a database on a cluster without PostgreSQL is a problem at the consumer', () => {
    const { estate, cluster } = singleNode();
    platformStubs(cluster);
    const n8n = app(cluster, 'n8n');
    const req = requestDatabase(n8n, 'n8n');
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({
      cluster: 'home', path: 'home/n8n', field: 'database',
      message: "asks for PostgreSQL database 'n8n' but cluster 'home' has no PostgreSQL service",
      fix: expect.stringContaining('PostgresCluster'),
    })]);
    expect(req.connection).toBeUndefined();
  });

  test('a role already owning another consumer\'s database is a problem', () => {
    const { estate, cluster } = withPostgres(() => singleNode());
    requestDatabase(app(cluster, 'a'), 'a_db', { owner: 'shared_owner' });
    requestDatabase(app(cluster, 'b'), 'b_db', { owner: 'shared_owner' });
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'home/b', field: 'owner', message: expect.stringContaining("role 'shared_owner' on PostgreSQL cluster 'postgres' already owns database 'a_db' of 'a'") })]);
  });

  test('one consumer may own two databases with one role; underscores become dashes in object names', () => {
    const { estate, cluster } = withPostgres(() => singleNode());
    const kc = app(cluster, 'keycloak');
    requestDatabase(kc, 'keycloak');
    requestDatabase(kc, 'keycloak_audit', { owner: 'keycloak' });
    const out = synth(estate);
    expect(out.get('Database', 'postgres-keycloak-audit').spec).toMatchObject({ name: 'keycloak_audit', owner: 'keycloak' });
    expect(out.get('Cluster', 'postgres').spec.managed.roles.map((r: any) => r.name)).toEqual(['keycloak']);
    expect(out.get('ExternalSecret', 'postgres-keycloak-audit-credentials', 'keycloak').spec.data[0].remoteRef.key).toBe('postgres-role-keycloak');
  });

  test('reserved or malformed database and role names are problems', () => {
    const { estate, cluster } = withPostgres(() => singleNode());
    requestDatabase(app(cluster, 'x'), 'postgres');
    requestDatabase(app(cluster, 'y'), 'My-DB');
    requestDatabase(app(cluster, 'z'), 'zdb', { owner: 'pg_admin' });
    requestDatabase(app(cluster, 'w'), 'streaming_replica');
    const problems = problemsOf(estate);
    expect(problems.map((p) => [p.path, p.field, p.message])).toEqual([
      ['home/x', 'database', "database name 'postgres' is reserved"],
      ['home/y', 'database', "'My-DB' is not a plain PostgreSQL identifier"],
      ['home/z', 'owner', "role name 'pg_admin' is reserved"],
      ['home/w', 'database', "role name 'streaming_replica' is reserved"],
    ]);
  });

  test('with default-deny policies, an ingress NetworkPolicy admits instances, the operator, consumers and monitoring only', () => {
    const { estate, cluster } = withPostgres(() => singleNode({ defaultDenyNetworkPolicies: true }));
    monitoringStub(cluster);
    requestDatabase(app(cluster, 'n8n'), 'n8n');
    requestDatabase(app(cluster, 'nextcloud'), 'nextcloud');
    const np = synth(estate).get('NetworkPolicy', 'postgres', 'databases');
    const ns = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'postgres' } });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'postgres' } } }] },
      { from: [ns('cnpg-system')], ports: [{ protocol: 'TCP', port: 8000 }, { protocol: 'TCP', port: 5432 }] },
      { from: [ns('n8n'), ns('nextcloud')], ports: [{ protocol: 'TCP', port: 5432 }] },
      { from: [ns('monitoring')], ports: [{ protocol: 'TCP', port: 9187 }] },
    ]);
    expect(synth(withPostgres(() => singleNode()).estate).all('NetworkPolicy')).toEqual([]);
  });

  test('a consumer in the database namespace works too (no name clashes); without consumers no ESO object is rendered', () => {
    const { estate, cluster } = withPostgres(() => singleNode());
    const admin = rawComponent(cluster, { name: 'pgadmin', namespace: 'databases' });
    requestDatabase(admin, 'pgadmin');
    const out = synth(estate);
    expect(out.get('ServiceAccount', 'postgres-pgadmin-credentials-reader', 'databases')).toBeDefined();
    expect(out.get('ExternalSecret', 'postgres-pgadmin-credentials', 'databases').spec.secretStoreRef.name).toBe('postgres-pgadmin-credentials-reader');
    const bare = synth(withPostgres(() => singleNode()).estate);
    expect([...bare.all('Password'), ...bare.all('ExternalSecret'), ...bare.all('SecretStore')]).toEqual([]);
    expect(bare.ks('postgres').spec.dependsOn.map((d: any) => d.name)).not.toContain('external-secrets');
  });

  test('the layered layout puts the PostgreSQL component in the apps layer (its CRDs come from the platform layer)', () => {
    const { postgres } = withPostgres(() => singleNode({ flux: { layout: 'layered' } }));
    expect(postgres.layer).toBe('apps');
    expect(withPostgres(() => singleNode()).postgres.layer).toBe('platform');
  });
});
