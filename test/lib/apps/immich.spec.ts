import { imageName } from '../../../src/lib/apps/image.js';
import { Immich, IMMICH_EXTENSIONS, IMMICH_ML_IMAGE, IMMICH_SERVER_IMAGE } from '../../../src/lib/apps/immich.js';
import { crdGroup } from '../../../src/lib/estate/capabilities.js';
import type { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { CloudNativePg, PostgresCluster, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD } from '../../../src/lib/platform/databases/index.js';
import { rawComponent } from '../../helpers.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, mountsOf, policyLines, problemAt, problems, synth } from './harness.js';

/** Fake ingress, tunnel, storage and Redis; a real CNPG with the default cluster and a VectorChord one. */
function platform(c: HomelabCluster): void {
  withPlatform(c, { postgres: false, secrets: false });
  rawComponent(c, { name: 'cert-manager', namespace: 'cert-manager' }).provide(crdGroup('cert-manager.io'));
  const eso = rawComponent(c, { name: 'external-secrets', namespace: 'external-secrets' });
  eso.provide(crdGroup('external-secrets.io'));
  eso.provide(crdGroup('generators.external-secrets.io'));
  new CloudNativePg(c, 'cnpg');
  new PostgresCluster(c, 'postgres');
  new PostgresCluster(c, 'photos-db', { image: VECTORCHORD_IMAGE, sharedPreloadLibraries: [VECTORCHORD_PRELOAD], registerService: false });
}

describe('Immich', () => {
  const s = synth((c) => {
    platform(c);
    new Immich(c, 'immich', { postgres: { cluster: 'photos-db' } });
  }, { defaultDenyNetworkPolicies: true });
  const server = s.get('Deployment', 'immich', 'photos');
  const main = mainContainer(server);
  const ml = s.get('Deployment', 'immich-machine-learning', 'photos');
  const mlMain = mainContainer(ml);

  test('pinned images, each on its own port, health endpoints from the images', () => {
    expect(main.image).toBe(imageName(IMMICH_SERVER_IMAGE));
    expect(mlMain.image).toBe(imageName(IMMICH_ML_IMAGE));
    expect(IMMICH_ML_IMAGE.tag).toBe(IMMICH_SERVER_IMAGE.tag);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 2283, protocol: 'TCP' }]);
    expect(mlMain.ports).toEqual([{ name: 'http', containerPort: 3003, protocol: 'TCP' }]);
    expect(main.readinessProbe.httpGet.path).toBe('/api/server/ping');
    expect(main.startupProbe.failureThreshold).toBe(60);
    expect(mlMain.readinessProbe.httpGet.path).toBe('/ping');
  });

  test('both run as 1000:1000 with a read-only root; volumes where the images write', () => {
    for (const d of [server, ml]) {
      expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
      const c = mainContainer(d);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    }
    expect(mountsOf(main)).toEqual({ '/data': 'data', '/tmp': 'tmp' });
    expect(mountsOf(mlMain)).toEqual({ '/cache': 'cache', '/.cache': 'home-cache', '/.config': 'home-config', '/tmp': 'tmp' });
    expect(s.get('PersistentVolumeClaim', 'immich-data').spec.resources.requests.storage).toBe('50Gi');
    expect(s.get('PersistentVolumeClaim', 'immich-machine-learning-cache').spec.resources.requests.storage).toBe('10Gi');
    expect(s.get('Namespace', 'photos').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('bound to the VectorChord cluster, which gets every extension Immich needs', () => {
    const env = envOf(main);
    expect(env).toMatchObject({
      DB_HOSTNAME: 'photos-db-rw.databases.svc', DB_PORT: '5432', DB_DATABASE_NAME: 'immich',
      DB_USERNAME: 'secret:photos-db-immich-credentials/username', DB_PASSWORD: 'secret:photos-db-immich-credentials/password',
      DB_VECTOR_EXTENSION: 'vectorchord', IMMICH_PORT: '2283',
      REDIS_HOSTNAME: 'redis.databases.svc.cluster.local', REDIS_PORT: '6379', REDIS_PASSWORD: 'secret:redis-auth/password',
      IMMICH_MACHINE_LEARNING_URL: 'http://immich-machine-learning.photos.svc.cluster.local:3003',
    });
    expect(s.get('Database', 'photos-db-immich').spec.extensions).toEqual(IMMICH_EXTENSIONS.map((e) => ({ name: e.name, ensure: 'present' })));
    expect(s.get('Cluster', 'photos-db').spec.postgresql.shared_preload_libraries).toEqual(['vchord.so']);
    expect(s.dependsOn('immich')).toEqual(expect.arrayContaining(['photos-db', 'redis']));
  });

  test('only the server reaches machine learning; both fetch from the internet', () => {
    const mlPolicy = policyLines(s.get('NetworkPolicy', 'immich-machine-learning'));
    expect(mlPolicy).toContain('in photos/app.kubernetes.io/name=immich :3003/TCP');
    expect(mlPolicy.filter((l) => l.startsWith('in '))).toHaveLength(1);
    expect(policyLines(s.get('NetworkPolicy', 'immich'))).toContain('out photos/app.kubernetes.io/name=immich-machine-learning :3003/TCP');
  });

  test('machineLearning: false renders the server alone', () => {
    const one = synth((c) => {
      platform(c);
      new Immich(c, 'immich', { postgres: { cluster: 'photos-db' }, machineLearning: false });
    });
    expect(one.find('Deployment', 'immich-machine-learning')).toBeUndefined();
    expect(envOf(mainContainer(one.get('Deployment', 'immich'))).IMMICH_MACHINE_LEARNING_URL).toBeUndefined();
  });

  test('a library on the NAS replaces the data claim', () => {
    const nas = synth((c) => {
      platform(c);
      new Immich(c, 'immich', { postgres: { cluster: 'photos-db' }, library: { nfs: { server: 'nas.lan', path: '/export/photos' } } });
    });
    expect(nas.get('PersistentVolume', 'photos-immich-data').spec.nfs).toMatchObject({ server: 'nas.lan', path: '/export/photos' });
  });

  test('an unknown database cluster is reported at the app', () => {
    const list = problems((c) => {
      platform(c);
      new Immich(c, 'immich', { postgres: { cluster: 'photo-db' } });
    });
    problemAt(list, 'database.cluster', /photo-db/);
  });
});
