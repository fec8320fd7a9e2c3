import { IMMICH_EXTENSIONS } from '../../src/lib/apps/immich.js';
import { HOUSEHOLD_DOCUMENTS_NFS, HOUSEHOLD_ZIGBEE_STICK } from '../../src/clusters/settings.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const c = s.cluster('household');

type Manifest = Record<string, any>;
const main = (d: Manifest): Manifest => d.spec.template.spec.containers.find((x: Manifest) => x.name === d.metadata.name);
const env = (x: Manifest): Record<string, string> =>
  Object.fromEntries((x.env ?? []).map((e: Manifest) => [e.name, e.value ?? `secret:${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}`]));
const psa = (ns: string) => c.get('Namespace', ns).metadata.labels['pod-security.kubernetes.io/enforce'];

describe('household (issue 16 example)', () => {
  test('one Talos node, from its own source file', () => {
    expect(c.model.distribution).toBe('talos');
    expect(c.model.singleNode).toBe(true);
    expect(c.model.sourceFile).toBe('src/clusters/household.ts');
  });

  test('Immich is bound to the VectorChord cluster, with its extensions and preloaded library', () => {
    const db = c.get('Cluster', 'immich-db', 'databases');
    expect(db.spec.imageName).toMatch(/^ghcr\.io\/tensorchord\/cloudnative-vectorchord:17\./);
    expect(db.spec.postgresql.shared_preload_libraries).toEqual(['vchord.so']);
    expect(c.get('Database', 'immich-db-immich').spec.extensions.map((e: Manifest) => e.name)).toEqual(IMMICH_EXTENSIONS.map((e) => e.name));
    expect(env(main(c.get('Deployment', 'immich', 'photos')))).toMatchObject({ DB_HOSTNAME: 'immich-db-rw.databases.svc', DB_VECTOR_EXTENSION: 'vectorchord' });
    // Paperless stays on the default PostgreSQL.
    expect(env(main(c.get('Deployment', 'paperless', 'documents'))).PAPERLESS_DBHOST).toBe('postgres-rw.databases.svc');
  });

  test('Home Assistant: host network, cluster DNS, the Zigbee stick on its node, namespace privileged', () => {
    const pod = c.get('Deployment', 'home-assistant', 'home').spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.volumes).toContainEqual({ name: 'device-0', hostPath: { path: HOUSEHOLD_ZIGBEE_STICK, type: 'CharDevice' } });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'household-1' });
    expect(pod.securityContext).toMatchObject({ runAsUser: 65534, runAsNonRoot: true, supplementalGroups: [20] });
    expect(psa('home')).toBe('privileged');
  });

  test('Paperless: Postgres and Redis env, documents on the NAS', () => {
    const d = c.get('Deployment', 'paperless', 'documents');
    expect(env(main(d))).toMatchObject({
      PAPERLESS_DBNAME: 'paperless', PAPERLESS_DBUSER: 'secret:postgres-paperless-credentials/username',
      PAPERLESS_REDIS: 'redis://:$(PAPERLESS_REDIS_PASSWORD)@redis.redis.svc:6379',
      PAPERLESS_REDIS_PASSWORD: 'secret:redis-paperless-credentials/password',
    });
    for (const dir of ['media', 'consume']) {
      expect(c.get('PersistentVolume', `documents-paperless-${dir}`).spec.nfs).toMatchObject({ server: HOUSEHOLD_DOCUMENTS_NFS.server, path: `${HOUSEHOLD_DOCUMENTS_NFS.share}/${dir}` });
    }
    expect(main(d).volumeMounts).toContainEqual(expect.objectContaining({ name: 'media', mountPath: '/usr/src/paperless/media' }));
  });

  test('securityContexts match the image facts: non-root, read-only root, no relaxation but HA\'s', () => {
    for (const [ns, name, uid] of [['photos', 'immich', 1000], ['photos', 'immich-machine-learning', 1000], ['documents', 'paperless', 1000]] as const) {
      const d = c.get('Deployment', name, ns);
      expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid });
      expect(main(d).securityContext).toMatchObject({ readOnlyRootFilesystem: true, privileged: false, allowPrivilegeEscalation: false });
      expect(psa(ns)).toBe('restricted');
    }
    expect(main(c.get('Deployment', 'home-assistant', 'home')).securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('every app is internal, behind Traefik on the LAN', () => {
    const hosts = c.objects('IngressRoute').map((r) => r.spec.routes[0].match);
    for (const app of ['immich', 'home-assistant', 'paperless', 'radarr']) expect(hosts.join(' ')).toContain(`${app}.household.example.net`);
  });

  test('Radarr on port 80: its variable, container port and probes follow, the sysctl lets the non-root process bind it', () => {
    const d = c.get('Deployment', 'radarr', 'media');
    expect(env(main(d)).RADARR__SERVER__PORT).toBe('80');
    expect(main(d).ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 80 })]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] });
    expect(main(d).securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(psa('media')).toBe('restricted');
    expect(c.get('Service', 'radarr', 'media').spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'http' })]);
  });
});
