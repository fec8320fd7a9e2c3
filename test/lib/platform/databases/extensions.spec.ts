import { POSTGRES } from '../../../../src/lib/estate/services.js';
import {
  BarmanCloudPlugin, CNPG_FIXED_PARAMETERS, CloudNativePg, POSTGRES_IMAGE, PostgresCluster, PostgresClusterProps, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD,
  postgresClusters, requestDatabase,
} from '../../../../src/lib/platform/databases/index.js';
import { rawComponent } from '../../../helpers.js';
import { platformStubs, problemsOf, singleNode, synth } from './fixtures.js';

/** The home cluster with the operator, the default PostgresCluster 'postgres' and Immich's own 'immich-db'. */
function twoClusters(immich: PostgresClusterProps = {}) {
  const { estate, cluster } = singleNode();
  platformStubs(cluster);
  new CloudNativePg(cluster, 'cnpg');
  const main = new PostgresCluster(cluster, 'postgres');
  const photos = new PostgresCluster(cluster, 'immich-db', {
    imageName: `${VECTORCHORD_IMAGE.repository}:${VECTORCHORD_IMAGE.tag}`,
    sharedPreloadLibraries: [VECTORCHORD_PRELOAD],
    parameters: { shared_buffers: '512MB', max_wal_size: '2GB' },
    registerService: false,
    ...immich,
  });
  const app = (name: string) => rawComponent(cluster, { name, namespace: name, layer: 'apps' });
  return { estate, cluster, main, photos, app };
}

describe('several PostgresClusters in one cluster', () => {
  test('each consumer binds to the cluster it names; without a name, to the default (unchanged)', () => {
    const { estate, cluster, main, photos, app } = twoClusters();
    const immich = requestDatabase(app('immich'), 'immich', { cluster: 'immich-db', extensions: [{ name: 'vector' }, { name: 'vchord' }, { name: 'cube' }, { name: 'earthdistance' }] });
    const n8n = requestDatabase(app('n8n'), 'n8n');
    const wiki = requestDatabase(app('wiki'), 'wiki', { cluster: photos });
    const out = synth(estate);
    expect(cluster.service(POSTGRES)).toBe(main);
    expect(postgresClusters(cluster)).toEqual([main, photos]);
    expect(immich.connection).toMatchObject({ host: 'immich-db-rw.databases.svc', database: 'immich', secretName: 'immich-db-immich-credentials', server: photos });
    expect(n8n.connection).toMatchObject({ host: 'postgres-rw.databases.svc', server: main });
    expect(wiki.connection!.server).toBe(photos);
    expect(out.get('Database', 'immich-db-immich', 'databases').spec).toEqual({
      name: 'immich', owner: 'immich', cluster: { name: 'immich-db' }, ensure: 'present', databaseReclaimPolicy: 'retain',
      extensions: [
        { name: 'vector', ensure: 'present' }, { name: 'vchord', ensure: 'present' },
        { name: 'cube', ensure: 'present' }, { name: 'earthdistance', ensure: 'present' },
      ],
    });
    // The default cluster's databases carry no extensions field: the reference tree does not change.
    expect(out.get('Database', 'postgres-n8n', 'databases').spec.extensions).toBeUndefined();
    expect(out.ks('immich').spec.dependsOn.map((d: any) => d.name)).toContain('immich-db');
    expect(out.ks('n8n').spec.dependsOn.map((d: any) => d.name)).not.toContain('immich-db');
  });

  test('the extension image, preloaded libraries and parameters land in the Cluster spec', () => {
    const spec = synth(twoClusters().estate).get('Cluster', 'immich-db', 'databases').spec;
    expect(spec.imageName).toBe('ghcr.io/tensorchord/cloudnative-vectorchord:17.10-1.1.1');
    expect(spec.postgresql).toEqual({ parameters: { shared_buffers: '512MB', max_wal_size: '2GB' }, shared_preload_libraries: ['vchord.so'] });
  });

  test("a restore drill preloads the source's libraries and runs its image, so the restored extensions load", () => {
    const backup = { destinationPath: 's3://home-backups/immich', endpointURL: 'https://s3.example.com', credentials: { secretName: 'immich-s3' } };
    const { estate, cluster } = twoClusters({ backup, restoreDrill: true });
    new BarmanCloudPlugin(cluster, 'barman-cloud');
    const drill = synth(estate).get('Cluster', 'immich-db-restore', 'databases').spec;
    expect(drill.imageName).toBe('ghcr.io/tensorchord/cloudnative-vectorchord:17.10-1.1.1');
    expect(drill.postgresql).toEqual({ shared_preload_libraries: ['vchord.so'] });
  });

  test('defaults unchanged: the image, no preloaded library, empty parameters', () => {
    const spec = synth(twoClusters().estate).get('Cluster', 'postgres', 'databases').spec;
    expect(spec.imageName).toBe(`${POSTGRES_IMAGE.repository}:${POSTGRES_IMAGE.tag}`);
    expect(spec.postgresql).toEqual({ parameters: {} });
  });

  test('a second default PostgresCluster is a problem naming the way out', () => {
    const problems = problemsOf(twoClusters({ registerService: undefined }).estate);
    expect(problems).toContainEqual(expect.objectContaining({
      path: 'home/immich-db', field: 'registerService',
      message: "cluster 'home' already has a default PostgreSQL cluster ('postgres'), and this one would be a second default",
      fix: expect.stringContaining("set registerService: false on 'immich-db'"),
    }));
  });

  test('naming a PostgreSQL cluster that does not exist lists the ones that do', () => {
    const { estate, app } = twoClusters();
    requestDatabase(app('immich'), 'immich', { cluster: 'photos' });
    expect(problemsOf(estate)).toContainEqual(expect.objectContaining({
      path: 'home/immich', field: 'database.cluster',
      message: "asks PostgreSQL cluster 'photos' for database 'immich', but cluster 'home' has only 'postgres', 'immich-db'",
      fix: expect.stringContaining("name one of 'postgres', 'immich-db'"),
    }));
  });

  test('without a default, an unnamed request says which clusters it could name', () => {
    const { estate, cluster } = singleNode();
    platformStubs(cluster);
    new PostgresCluster(cluster, 'immich-db', { registerService: false });
    requestDatabase(rawComponent(cluster, { name: 'n8n', namespace: 'n8n' }), 'n8n');
    expect(problemsOf(estate)).toContainEqual(expect.objectContaining({
      path: 'home/n8n', field: 'database', message: expect.stringContaining("has no default PostgreSQL cluster ('immich-db' set registerService: false)"),
      fix: expect.stringContaining("{ cluster: 'immich-db' }"),
    }));
  });
});

describe('PostgreSQL configuration checks', () => {
  const fieldsOf = (props: PostgresClusterProps) => problemsOf(twoClusters(props).estate).filter((p) => p.path === 'home/immich-db');

  test('shared_preload_libraries among the parameters points to sharedPreloadLibraries', () => {
    expect(fieldsOf({ parameters: { shared_preload_libraries: 'vchord.so, pg_cron' } })).toEqual([expect.objectContaining({
      field: 'parameters.shared_preload_libraries',
      message: expect.stringContaining('CloudNativePG refuses shared_preload_libraries among the parameters'),
      fix: "list the libraries in sharedPreloadLibraries instead, e.g. sharedPreloadLibraries: ['vchord.so', 'pg_cron']",
    })]);
  });

  test.each(['archive_mode', 'port', 'ssl', 'listen_addresses', 'synchronous_standby_names', 'log_destination'])('fixed parameter %s is refused', (name) => {
    expect(CNPG_FIXED_PARAMETERS.has(name)).toBe(true);
    expect(fieldsOf({ parameters: { [name]: 'x' } })).toEqual([expect.objectContaining({ field: `parameters.${name}`, message: `'${name}' is managed by CloudNativePG itself and its webhook refuses it` })]);
  });

  test.each([
    [{ parameters: { 'bad name': '1' } }, 'parameters.bad name', 'is not a PostgreSQL parameter name'],
    [{ parameters: { work_mem: 64 as unknown as string } }, 'parameters.work_mem', 'CloudNativePG takes strings only'],
    [{ sharedPreloadLibraries: ['vchord.so,pg_cron'] }, 'sharedPreloadLibraries[0]', 'is not one library name'],
    [{ sharedPreloadLibraries: ['vchord.so', 'vchord.so'] }, 'sharedPreloadLibraries[1]', "library 'vchord.so' is listed twice"],
    [{ imageName: 'ghcr.io/tensorchord/cloudnative-vectorchord' }, 'imageName', 'has no tag'],
    [{ imageName: 'ghcr.io/x/pg:latest' }, 'imageName', "tag 'latest' does not start with a PostgreSQL version"],
    [{ image: POSTGRES_IMAGE }, 'imageName', 'both image and imageName are set'],
  ] as [PostgresClusterProps, string, string][])('%j is reported at %s', (props, field, message) => {
    expect(fieldsOf(props)).toEqual([expect.objectContaining({ field, message: expect.stringContaining(message) })]);
  });

  test.each([
    [[{ name: 'Vector' }], 'database.extensions[0].name', 'is not an extension name'],
    [[{ name: 'vector' }, { name: 'vector' }], 'database.extensions[1].name', "extension 'vector' is listed twice"],
    [[{ name: 'vector', ensure: 'gone' }], 'database.extensions[0].ensure', "'gone' is neither 'present' nor 'absent'"],
  ])('database extensions %j are reported on the consumer at %s', (extensions, field, message) => {
    const { estate, app } = twoClusters();
    requestDatabase(app('immich'), 'immich', { cluster: 'immich-db', extensions: extensions as any });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({ path: 'home/immich', field, message: expect.stringContaining(message) })]);
  });

  test('version, schema and ensure: absent are rendered as given', () => {
    const { estate, app } = twoClusters();
    requestDatabase(app('geo'), 'geo', { cluster: 'immich-db', extensions: [{ name: 'postgis', version: '3.5.0', schema: 'gis' }, { name: 'hstore', ensure: 'absent' }] });
    expect(synth(estate).get('Database', 'immich-db-geo').spec.extensions).toEqual([
      { name: 'postgis', ensure: 'present', version: '3.5.0', schema: 'gis' },
      { name: 'hstore', ensure: 'absent' },
    ]);
  });
});
