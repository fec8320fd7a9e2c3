import { imageName } from '../../../src/lib/apps/image.js';
import { Paperless, PAPERLESS_IMAGE } from '../../../src/lib/apps/paperless.js';
import { crdGroup } from '../../../src/lib/estate/capabilities.js';
import { Redis } from '../../../src/lib/platform/databases/redis.js';
import { rawComponent } from '../../helpers.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, mountsOf, synth } from './harness.js';

const KEY = { secretKeyRef: { name: 'paperless-secret-key', key: 'secret-key' } };
const NAS = (path: string) => ({ nfs: { server: 'nas.lan', path } });

describe('Paperless', () => {
  const s = synth((c) => {
    withPlatform(c);
    new Paperless(c, 'paperless', { secretKey: KEY, media: NAS('/export/paperless/media'), consume: NAS('/export/paperless/consume') });
  });
  const d = s.get('Deployment', 'paperless', 'documents');
  const main = mainContainer(d);
  const env = envOf(main);

  test('rootless as the image\'s paperless user, read-only root, no relaxation', () => {
    expect(main.image).toBe(imageName(PAPERLESS_IMAGE));
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(main.securityContext).toMatchObject({ readOnlyRootFilesystem: true, privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(d.metadata.annotations).toBeUndefined();
    expect(s.get('Namespace', 'documents').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
  });

  test("s6-overlay's /run, fontconfig and scratch on emptyDirs; data, media and consume mounted", () => {
    expect(mountsOf(main)).toEqual({
      '/usr/src/paperless/data': 'data', '/usr/src/paperless/media': 'media', '/usr/src/paperless/consume': 'consume',
      '/run': 'run', '/var/cache/fontconfig': 'fontconfig', '/tmp': 'tmp',
    });
    expect(env).toMatchObject({ S6_READ_ONLY_ROOT: '1', S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES: '1' });
  });

  test('media and consume on the NAS; the consume folder polled (no inotify over NFS)', () => {
    expect(s.get('PersistentVolume', 'documents-paperless-media').spec.nfs).toMatchObject({ server: 'nas.lan', path: '/export/paperless/media' });
    expect(s.get('PersistentVolume', 'documents-paperless-consume').spec.nfs).toMatchObject({ server: 'nas.lan', path: '/export/paperless/consume' });
    expect(env.PAPERLESS_CONSUMER_POLLING_INTERVAL).toBe('60');
  });

  test('Postgres from the database Secret, Redis as one URL with the password, the secret key from a Secret', () => {
    expect(env).toMatchObject({
      PAPERLESS_DBHOST: 'pg-rw.databases.svc.cluster.local', PAPERLESS_DBNAME: 'paperless',
      PAPERLESS_DBUSER: expect.stringMatching(/^secret:.+\/username$/), PAPERLESS_DBPASS: expect.stringMatching(/^secret:.+\/password$/),
      PAPERLESS_REDIS_PASSWORD: 'secret:redis-auth/password',
      PAPERLESS_REDIS: 'redis://:$(PAPERLESS_REDIS_PASSWORD)@redis.databases.svc.cluster.local:6379',
      PAPERLESS_SECRET_KEY: 'secret:paperless-secret-key/secret-key',
      PAPERLESS_URL: 'https://paperless.example.com', PAPERLESS_PORT: '8000',
    });
    // $(…) resolves only against variables defined before it.
    const names = main.env.map((e: { name: string }) => e.name);
    expect(names.indexOf('PAPERLESS_REDIS_PASSWORD')).toBeLessThan(names.indexOf('PAPERLESS_REDIS'));
  });

  test("Redis without a password (auth: 'none'): the URL carries none, and no password variable is set", () => {
    const s = synth((c) => {
      withPlatform(c, { redis: false, secrets: false });
      const eso = rawComponent(c, { name: 'external-secrets', namespace: 'external-secrets' });
      eso.provide(crdGroup('external-secrets.io'));
      eso.provide(crdGroup('generators.external-secrets.io'));
      new Redis(c, 'redis', { auth: 'none' });
      new Paperless(c, 'paperless', { secretKey: KEY });
    });
    const e = envOf(mainContainer(s.get('Deployment', 'paperless')));
    expect(e.PAPERLESS_REDIS).toBe('redis://redis.redis.svc:6379');
    expect(e).not.toHaveProperty('PAPERLESS_REDIS_PASSWORD');
  });

});
