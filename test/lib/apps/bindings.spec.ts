import { App } from '../../../src/lib/apps/app.js';
import { DEFAULT_STORAGE_CLASS } from '../../../src/lib/estate/capabilities.js';
import { CloudNativePg, PostgresCluster, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD } from '../../../src/lib/platform/databases/index.js';
import { CertManager } from '../../../src/lib/platform/ingress/cert-manager.js';
import { ExternalSecrets, OnePasswordConnectStore, OpenBao } from '../../../src/lib/platform/secrets/index.js';
import type { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { rawComponent } from '../../helpers.js';
import { platformStubs } from '../platform/databases/fixtures.js';
import { envOf, mainContainer, problemAt, problems, synth } from './harness.js';

/**
 * An app binds to a chosen PostgresCluster (with the extensions it needs) and reads keys from a
 * chosen secret store, with nothing but App props (issue #16, "Data and secrets").
 */
const IMAGE = { repository: 'ghcr.io/example/photos', tag: '2.3.1' };

function withTwoPostgres(cluster: HomelabCluster): void {
  platformStubs(cluster);
  new CloudNativePg(cluster, 'cnpg');
  new PostgresCluster(cluster, 'postgres');
  new PostgresCluster(cluster, 'photos-db', {
    imageName: `${VECTORCHORD_IMAGE.repository}:${VECTORCHORD_IMAGE.tag}`,
    sharedPreloadLibraries: [VECTORCHORD_PRELOAD],
    registerService: false,
  });
}

function withTwoStores(cluster: HomelabCluster): void {
  rawComponent(cluster, { name: 'storage', namespace: 'storage' }).provide(DEFAULT_STORAGE_CLASS);
  new CertManager(cluster, 'cert-manager');
  new OpenBao(cluster, 'openbao');
  const eso = new ExternalSecrets(cluster, 'external-secrets');
  new OnePasswordConnectStore(cluster, 'onepassword', { operator: eso, connectHost: 'http://op-connect.lan:8080', vaults: ['homelab'], registerService: false });
}

describe('App bound to a chosen PostgresCluster', () => {
  test('database.postgres.cluster picks the cluster; extensions land on its Database', () => {
    const s = synth((c) => {
      withTwoPostgres(c);
      new App(c, 'photos', { namespace: 'photos', image: IMAGE, ports: [{ name: 'http', port: 2283 }], database: { postgres: { cluster: 'photos-db', extensions: [{ name: 'vector' }, { name: 'vchord' }] } } });
      new App(c, 'notes', { namespace: 'notes', image: IMAGE, ports: [{ name: 'http', port: 8080 }], database: { postgres: {} } });
    });
    const photosEnv = envOf(mainContainer(s.get('Deployment', 'photos')));
    expect(photosEnv.POSTGRES_HOST).toBe('photos-db-rw.databases.svc');
    expect(envOf(mainContainer(s.get('Deployment', 'notes'))).POSTGRES_HOST).toBe('postgres-rw.databases.svc');
    expect(s.get('Database', 'photos-db-photos').spec.extensions).toEqual([
      { name: 'vector', ensure: 'present' },
      { name: 'vchord', ensure: 'present' },
    ]);
    expect(s.dependsOn('photos')).toContain('photos-db');
    expect(s.dependsOn('notes')).toContain('postgres');
  });

  test('an unknown cluster name is an error on the app, listing the clusters there are', () => {
    const list = problems((c) => {
      withTwoPostgres(c);
      new App(c, 'photos', { namespace: 'photos', image: IMAGE, ports: [{ name: 'http', port: 2283 }], database: { postgres: { cluster: 'photo-db' } } });
    });
    const p = problemAt(list, 'database.cluster', /photo-db/);
    expect(p.path).toContain('photos');
    expect(`${p.message} ${p.fix}`).toMatch(/photos-db/);
  });

  test('extensions are checked like a bare requestDatabase: a bad name is an error at database.extensions', () => {
    const list = problems((c) => {
      withTwoPostgres(c);
      new App(c, 'photos', { namespace: 'photos', image: IMAGE, ports: [{ name: 'http', port: 2283 }], database: { postgres: { cluster: 'photos-db', extensions: [{ name: 'Vector Chord' }] } } });
    });
    expect(problemAt(list, 'database.extensions[0].name', /Vector Chord/).cluster).toBe('test');
  });
});

describe('App reading keys from a chosen secret store', () => {
  test('one ExternalSecret per store: <app>-env for the default, <app>-env-<store> for a named one', () => {
    const s = synth((c) => {
      withTwoStores(c);
      new App(c, 'photos', {
        namespace: 'photos', image: IMAGE, ports: [{ name: 'http', port: 2283 }],
        env: {
          API_KEY: { fromStore: { key: 'apps/photos', property: 'api-key' } },
          MAPS_TOKEN: { fromStore: { key: 'Maps', property: 'token', store: 'onepassword' } },
        },
      });
    });
    expect(s.get('ExternalSecret', 'photos-env').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'openbao' });
    expect(s.get('ExternalSecret', 'photos-env-onepassword').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'onepassword' });
    const env = mainContainer(s.get('Deployment', 'photos')).env as { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
    const secretOf = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.name;
    expect(secretOf('API_KEY')).toBe('photos-env');
    expect(secretOf('MAPS_TOKEN')).toBe('photos-env-onepassword');
  });

  test('an unknown store name is an error naming the stores there are', () => {
    const list = problems((c) => {
      withTwoStores(c);
      new App(c, 'photos', { namespace: 'photos', image: IMAGE, ports: [{ name: 'http', port: 2283 }], env: { TOKEN: { fromStore: { key: 'x', store: '1password' } } } });
    });
    expect(list.map((p) => `${p.message} ${p.fix}`).join('\n')).toMatch(/1password[\s\S]*onepassword|onepassword[\s\S]*1password/);
  });
});
