import { REDIS } from '../../../../src/lib/estate/services.js';
import { REDIS_IMAGE, Redis, RedisProps } from '../../../../src/lib/platform/databases/index.js';
import { rawComponent } from '../../../helpers.js';
import { platformStubs, problemsOf, singleNode, synth } from './fixtures.js';

type Client = ReturnType<Redis['addClient']>;

/** A cluster with Redis and consumers that ask for it in the wire phase, as apps do. */
function withRedis(props: RedisProps = {}, consumers: [string, string][] = [['nextcloud', 'nextcloud']]) {
  const { estate, cluster } = singleNode();
  platformStubs(cluster);
  const redis = new Redis(cluster, 'redis', props);
  const clients: Record<string, Client> = {};
  for (const [name, ns] of consumers) {
    const c = rawComponent(cluster, { name, namespace: ns, layer: 'apps' });
    cluster.onPhase('wire', () => { clients[name] = cluster.service(REDIS)!.addClient({ consumer: c }); });
  }
  return { estate, cluster, redis, clients };
}

describe('Redis', () => {
  test('a hardened StatefulSet: pinned image, non-root, read-only root filesystem, writable /data volume, no token', () => {
    const out = synth(withRedis().estate);
    const sts = out.get('StatefulSet', 'redis', 'redis');
    const pod = sts.spec.template.spec;
    const [c] = pod.containers;
    expect(REDIS_IMAGE.tag).not.toBe('latest');
    expect(c.image).toBe(`docker.io/library/redis:${REDIS_IMAGE.tag}`);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(sts.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }]);
    expect(c.command).toEqual(['redis-server']);
    expect(c.args.join(' ')).toBe('--port 6379 --dir /data --protected-mode yes --maxmemory 192mb --maxmemory-policy noeviction --appendonly no --save 300 10 --requirepass $(REDIS_PASSWORD)');
    expect(c.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-password', key: 'password' } } }]);
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(out.get('Service', 'redis', 'redis').spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' }]);
    const ns = out.get('Namespace', 'redis');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    // The claim template needs the default StorageClass: derived dependsOn.
    expect(out.ks('redis').spec.dependsOn.map((d: any) => d.name)).toEqual(['external-secrets', 'storage']);
  });

  test('shared: one instance; each consumer gets its own copy of the generated password and a NetworkPolicy opening', () => {
    const { estate, redis, clients } = withRedis({}, [['nextcloud', 'nextcloud'], ['immich', 'media']]);
    const out = synth(estate);
    expect(redis.instanceNames).toEqual(['redis']);
    expect(out.get('ExternalSecret', 'redis-password', 'redis').spec).toMatchObject({ refreshPolicy: 'CreatedOnce', target: { template: { type: 'Opaque' } } });
    expect(clients.nextcloud).toEqual({ host: 'redis.redis.svc', port: 6379, secretName: 'redis-nextcloud-credentials', serverPeer: { namespace: 'redis', podLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'redis' } } });
    const copy = out.get('ExternalSecret', 'redis-immich-credentials', 'media');
    expect(copy.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'redis-password', property: 'password' } }]);
    expect(copy.spec.target.template.data).toEqual({ host: 'redis.redis.svc', password: '{{ index . "password" }}', port: '6379', uri: 'redis://:{{ index . "password" }}@redis.redis.svc:6379' });
    const np = out.get('NetworkPolicy', 'redis', 'redis');
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'media' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nextcloud' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    }]);
    expect(out.ks('immich').spec.dependsOn.map((d: any) => d.name)).toEqual(['external-secrets', 'redis']);
    expect(out.all('Secret')).toEqual([]);
  });

  test('per-consumer: one instance each, each reachable only from its consumer', () => {
    const { estate, redis, clients } = withRedis({ mode: 'per-consumer' }, [['nextcloud', 'nextcloud'], ['paperless', 'paperless']]);
    const out = synth(estate);
    expect(redis.instanceNames).toEqual(['redis-nextcloud', 'redis-paperless']);
    expect(out.all('StatefulSet').map((s) => s.metadata.name)).toEqual(['redis-nextcloud', 'redis-paperless']);
    expect(clients.paperless.host).toBe('redis-paperless.redis.svc');
    expect(out.get('NetworkPolicy', 'redis-paperless').spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'paperless' } } }]);
    expect(redis.workloads.map((w) => w.name)).toEqual(['redis-redis-nextcloud', 'redis-redis-paperless']);
  });

  test("auth 'none': no password anywhere, protected mode off, only the NetworkPolicy guards it", () => {
    const { estate, clients } = withRedis({ auth: 'none', persistence: false });
    const out = synth(estate);
    const c = out.get('StatefulSet', 'redis').spec.template.spec.containers[0];
    expect(c.env).toEqual([]);
    expect(c.args).toEqual(expect.arrayContaining(['--protected-mode', 'no']));
    expect(c.args).not.toContain('--requirepass');
    expect(out.get('StatefulSet', 'redis').spec.volumeClaimTemplates).toBeUndefined();
    expect(out.get('StatefulSet', 'redis').spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(clients.nextcloud.secretName).toBeUndefined();
    expect(out.all('ExternalSecret')).toEqual([]);
    expect(out.get('NetworkPolicy', 'redis').spec.ingress).toHaveLength(1);
  });

  test('an existing Secret (or SOPS file) holds the password; it is referenced, never rendered', () => {
    const { estate, redis } = withRedis({ auth: { secretName: 'redis-auth', key: 'redis-password', sopsFile: 'redis-auth.sops.yaml' } });
    expect(redis.sopsFiles).toEqual([{ path: 'redis-auth.sops.yaml' }]);
    const { estate: plain } = withRedis({ auth: { secretName: 'redis-auth', key: 'redis-password' } });
    const out = synth(plain);
    expect(out.get('StatefulSet', 'redis').spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef).toEqual({ name: 'redis-auth', key: 'redis-password' });
    expect(out.get('ExternalSecret', 'redis-nextcloud-credentials').spec.data[0].remoteRef).toEqual({ key: 'redis-auth', property: 'redis-password' });
    expect(out.all('Password')).toEqual([]);
    expect(estate).toBeDefined();
  });

  test('maxmemory at or above the memory limit, and an unpinned image, are problems', () => {
    const problems = problemsOf(withRedis({ maxMemory: '512mb', image: { repository: 'redis', tag: 'latest' } }).estate);
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['image.tag', "Redis image tag 'latest' is not a pinned version"],
      ['maxMemory', expect.stringContaining('maxmemory 512mb is not below the memory limit 256Mi')],
    ]);
  });

  test('declared workload for the capacity check; not heavy', () => {
    const { redis } = withRedis();
    expect(redis.workloads).toEqual([{ name: 'redis-redis', replicas: 1, cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: undefined, memoryLimit: '256Mi' }]);
  });
});
