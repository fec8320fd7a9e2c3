import { declareUserSecret } from '../../../src/lib/estate/user-secrets.js';
import { App, AppProps } from '../../../src/lib/apps/app.js';
import { internet, NON_PUBLIC_RANGES } from '../../../src/lib/apps/network.js';
import { RELAXATIONS_ANNOTATION } from '../../../src/lib/apps/security.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { FakeMonitoring, withPlatform } from './fakes.js';
import { envOf, mainContainer, mountsOf, policyLines, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const web = (c: HomelabCluster, id = 'web', props: Partial<AppProps> = {}) =>
  new App(c, id, { image: IMAGE, ports: [{ name: 'http', port: 8080 }], ...props });

describe('App: rendered objects and hardened defaults', () => {
  const s = synth((c) => {
    withPlatform(c);
    web(c, 'web', { persistence: { data: { type: 'claim', size: '2Gi', mountPath: '/data' } } });
  });
  const deploy = s.get('Deployment', 'web', 'web');
  const pod = deploy.spec.template.spec;
  const main = mainContainer(deploy);

  test('image is pinned and pulled IfNotPresent', () => {
    expect(main.image).toBe('ghcr.io/example/web:1.2.3');
    expect(main.imagePullPolicy).toBe('IfNotPresent');
    expect(deploy.metadata.labels['app.kubernetes.io/version']).toBe('1.2.3');
  });

  test('pod runs non-root with a read-only root filesystem, no capabilities, seccomp, no token', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(main.securityContext).toEqual({
      runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(deploy.metadata.annotations).toBeUndefined();
  });

  test('defaults are explicit: resources, probes, replicas, strategy, arch affinity', () => {
    expect(main.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } });
    expect(main.livenessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(main.startupProbe.failureThreshold).toBe(30);
    expect(deploy.spec.replicas).toBe(1);
    // The claim is ReadWriteOnce: a rolling update would wait forever for the old pod's volume.
    expect(deploy.spec.strategy).toEqual({ type: 'Recreate' });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }]);
    expect(pod.affinity.podAntiAffinity).toBeUndefined();
    expect(s.find('PodDisruptionBudget', 'web')).toBeUndefined();
  });

  test('volumes: a claim on the default class (kept on prune by synth), and /tmp as emptyDir', () => {
    const pvc = s.get('PersistentVolumeClaim', 'web-data', 'web');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } });
    expect(pvc.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(mountsOf(main)).toEqual({ '/data': 'data', '/tmp': 'tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    // The default StorageClass is provided by the storage component: dependsOn is derived.
    expect(s.dependsOn('web')).toEqual(['storage']);
  });

  test('Service publishes the named ports', () => {
    const svc = s.get('Service', 'web', 'web');
    expect(svc.spec).toEqual({ type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
  });

  test('no route and no NetworkPolicy unless asked', () => {
    expect(s.find('Ingress', 'web')).toBeUndefined();
    expect(s.all('NetworkPolicy')).toEqual([]);
  });

  test('the footprint is declared for the capacity check', () => {
    const app = s.cluster.component('web')!;
    expect(app.workloads).toEqual([{
      name: 'web', replicas: 1, cpuRequest: '50m', memoryRequest: '128Mi', cpuLimit: undefined, memoryLimit: '512Mi',
      nodeSelector: {}, tolerates: [], arch: ['amd64', 'arm64'], heavy: false,
    }]);
  });
});

describe('App: image pins', () => {
  test('an image without a tag is a problem', () => {
    const p = problems((c) => web(c, 'web', { image: { repository: 'nginx', tag: '' } }));
    expect(problemAt(p, 'image.tag', 'has no tag').fix).toContain('pin a released version');
  });

  test("an image tagged 'latest' is a problem", () => {
    const p = problems((c) => web(c, 'web', { image: { repository: 'nginx', tag: 'latest' } }));
    problemAt(p, 'image.tag', "moving tag 'latest'");
  });

  test('a tag written into the repository is a problem', () => {
    const p = problems((c) => web(c, 'web', { image: { repository: 'nginx:1.27', tag: '1.27' } }));
    problemAt(p, 'image.repository', 'carries a tag');
  });

  test('a digest is pinned next to the tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const s = synth((c) => web(c, 'web', { image: { ...IMAGE, digest } }));
    expect(mainContainer(s.get('Deployment', 'web')).image).toBe(`ghcr.io/example/web:1.2.3@${digest}`);
  });
});

describe('App: environment and secrets', () => {
  test('plain values, Secret keys and secret-store keys; the store key becomes an ExternalSecret', () => {
    const s = synth((c) => {
      withPlatform(c);
      const app = web(c, 'web', {
        env: {
          MODE: 'production',
          API_TOKEN: { secretKeyRef: { name: 'web-secrets', key: 'token' } },
          SIGNING_KEY: { fromStore: { key: 'apps/web', property: 'signing' } },
          POD_IP: { fieldRef: 'status.podIP' },
        },
      });
      declareUserSecret(app, { name: 'web-secrets', keys: ['token'], reason: 'API token of the web app' });
    });
    expect(envOf(mainContainer(s.get('Deployment', 'web')))).toEqual({
      MODE: 'production', API_TOKEN: 'secret:web-secrets/token', SIGNING_KEY: 'secret:web-env/SIGNING_KEY', POD_IP: 'field:status.podIP',
    });
    const es = s.get('ExternalSecret', 'web-env', 'web');
    expect(es.spec.data).toEqual([{ secretKey: 'SIGNING_KEY', remoteRef: { key: 'apps/web', property: 'signing' } }]);
    expect(s.dependsOn('web')).toContain('secrets');
  });

  test('a credential given as plaintext is a problem', () => {
    const p = problems((c) => web(c, 'web', { env: { DB_PASSWORD: 'hunter2' } }));
    expect(problemAt(p, 'env.DB_PASSWORD', 'plaintext').fix).toContain('secretKeyRef');
  });

  test('a secret-store key on a cluster without a secret store is a problem', () => {
    const p = problems((c) => {
      withPlatform(c, { secrets: false });
      web(c, 'web', { env: { TOKEN: { fromStore: { key: 'apps/web' } } } });
    });
    expect(problemAt(p, 'externalSecrets.web-env', 'has no secret store').fix).toContain('existing Secret');
  });
});

describe('App: persistence', () => {
  const s = synth((c) => {
    withPlatform(c);
    web(c, 'web', {
      persistence: {
        config: { type: 'claim', size: '1Gi', storageClass: 'longhorn', mountPath: '/config', accessMode: 'ReadWriteOncePod' },
        media: { type: 'nfs', server: '10.0.0.5', path: '/volume1/media', mountPath: '/media', readOnly: true },
        shared: { type: 'existingClaim', claimName: 'downloads', accessMode: 'ReadWriteMany', mountPath: '/downloads' },
        cache: { type: 'emptyDir', mountPath: '/cache', sizeLimit: '5Gi' },
      },
    });
  });
  const deploy = s.get('Deployment', 'web');

  test('a claim on a named StorageClass', () => {
    const pvc = s.get('PersistentVolumeClaim', 'web-config');
    expect(pvc.spec).toEqual({ storageClassName: 'longhorn', accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } } });
    expect(deploy.spec.strategy.type).toBe('Recreate');
  });

  test('an NFS share becomes a static PersistentVolume bound to the app claim (namespace stays restricted)', () => {
    const pv = s.get('PersistentVolume', 'web-web-media');
    expect(pv.metadata.namespace).toBeUndefined();
    expect(pv.spec).toMatchObject({
      accessModes: ['ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: '',
      nfs: { server: '10.0.0.5', path: '/volume1/media', readOnly: true }, claimRef: { namespace: 'web', name: 'web-media' },
      mountOptions: ['nfsvers=4.1', 'hard', 'noatime'],
    });
    expect(s.get('PersistentVolumeClaim', 'web-media').spec).toMatchObject({ storageClassName: '', volumeName: 'web-web-media' });
    expect(s.get('Namespace', 'web').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('existing claims, emptyDirs and read-only mounts', () => {
    const pod = deploy.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'shared', persistentVolumeClaim: { claimName: 'downloads', readOnly: false } });
    expect(pod.volumes).toContainEqual({ name: 'cache', emptyDir: { sizeLimit: '5Gi' } });
    const media = mainContainer(deploy).volumeMounts.find((m: any) => m.name === 'media');
    expect(media).toEqual({ name: 'media', mountPath: '/media', readOnly: true });
    expect(mountsOf(mainContainer(deploy))).toEqual({ '/config': 'config', '/media': 'media', '/downloads': 'shared', '/cache': 'cache', '/tmp': 'tmp' });
  });

  test('two volumes on one mount path is a problem', () => {
    const p = problems((c) => web(c, 'web', { persistence: { a: { type: 'emptyDir', mountPath: '/data' }, b: { type: 'emptyDir', mountPath: '/data' } } }));
    problemAt(p, 'persistence.b.mountPath', "also the mount path of volume 'a'");
  });
});

describe('App: exposure', () => {
  test('internal: an Ingress from the cluster ingress, hostname under the domain', () => {
    let ingressRoutes: string[] = [];
    let tunnelHosts: string[] = [];
    const s = synth((c) => {
      const p = withPlatform(c);
      web(c, 'web', { expose: 'internal', subdomain: 'portal' });
      c.onPhase('finalize', () => { ingressRoutes = p.ingress!.routes.map((r) => `${r.hostname}->${r.serviceName}:${r.servicePort}/${r.exposure}`); tunnelHosts = p.tunnel!.hostnames; });
    });
    expect(ingressRoutes).toEqual(['portal.example.com->web:8080/internal']);
    expect(tunnelHosts).toEqual([]);
    expect(s.get('Ingress', 'web', 'web').spec.rules[0].host).toBe('portal.example.com');
    expect(s.dependsOn('web')).toContain('ingress');
  });

  test('public: the route also goes to the tunnel', () => {
    const s = synth((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'public', hostname: 'www.example.com' });
    });
    expect(s.get('ConfigMap', 'tunnel', 'tunnel').data.hostnames).toBe('www.example.com');
    expect(s.get('Ingress', 'web').metadata.labels['homelab/exposure']).toBe('public');
  });

  test('public exposure on a cluster with no ingress and no tunnel is a problem', () => {
    const p = problems((c) => {
      withPlatform(c, { ingress: false, tunnel: false });
      web(c, 'web', { expose: 'public' });
    });
    expect(problemAt(p, 'expose', 'has no ingress and no tunnel').fix).toContain('tunnel (Cloudflared)');
  });

  test('internal exposure on a cluster with only a tunnel is a problem', () => {
    const p = problems((c) => {
      withPlatform(c, { ingress: false });
      web(c, 'web', { expose: 'internal' });
    });
    problemAt(p, 'expose', "should be exposed internally, but cluster 'test' has no ingress");
  });

  test('a hostname outside the cluster domain is a problem', () => {
    const p = problems((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'internal', hostname: 'web.other.org' });
    });
    expect(problemAt(p, 'hostname', "'web.other.org' is outside the cluster's domain 'example.com'").fix).toContain("ending in '.example.com'");
  });

  test('the same hostname on two apps is a problem', () => {
    const p = problems((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'internal', subdomain: 'home' });
      web(c, 'other', { expose: 'public', hostname: 'home.example.com' });
    });
    const problem = problemAt(p, 'hostname', "'home.example.com' is already exposed by 'web'");
    expect(problem.path).toBe('test/other');
  });

  test('both hostname and subdomain is a problem', () => {
    const p = problems((c) => {
      withPlatform(c);
      web(c, 'web', { expose: 'internal', hostname: 'a.example.com', subdomain: 'b' });
    });
    problemAt(p, 'hostname', "both hostname 'a.example.com' and subdomain 'b' are given");
  });
});

describe('App: databases', () => {
  test('Postgres: env from the database Secret, dependsOn the Postgres component', () => {
    let asked: unknown[] = [];
    const s = synth((c) => {
      const p = withPlatform(c);
      web(c, 'my-app', { database: { postgres: {} } });
      c.onPhase('finalize', () => { asked = p.postgres!.requests; });
    });
    expect(asked).toEqual([{ consumer: 'my-app', database: 'my_app', owner: undefined }]);
    expect(envOf(mainContainer(s.get('Deployment', 'my-app')))).toMatchObject({
      POSTGRES_HOST: 'pg-rw.databases.svc.cluster.local', POSTGRES_PORT: '5432', POSTGRES_DB: 'my_app',
      POSTGRES_USER: 'secret:my-app-db/username', POSTGRES_PASSWORD: 'secret:my-app-db/password',
    });
    expect(s.dependsOn('my-app')).toContain('postgres');
  });

  test('Postgres: custom env names and a composed URL (credentials referenced, never inlined)', () => {
    const s = synth((c) => {
      withPlatform(c);
      web(c, 'web', { database: { postgres: { database: 'webdb', env: { url: 'DATABASE_URL', hostPort: 'DB_HOST' } } } });
    });
    const env = mainContainer(s.get('Deployment', 'web')).env.map((e: any) => e.name);
    // The user/password variables come first so that $(…) in the URL resolves.
    expect(env).toEqual(['DB_HOST', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'DATABASE_URL']);
    expect(envOf(mainContainer(s.get('Deployment', 'web'))).DATABASE_URL)
      .toBe('postgresql://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@pg-rw.databases.svc.cluster.local:5432/webdb');
  });

  test('a database on a cluster without Postgres is a problem', () => {
    const p = problems((c) => {
      withPlatform(c, { postgres: false });
      web(c, 'web', { database: { postgres: {} } });
    });
    expect(problemAt(p, 'database', "asks for PostgreSQL database 'web' but cluster 'test' has no PostgreSQL service").fix).toContain('CloudNativePG');
  });

  test('Redis: host, port and password Secret; dependsOn Redis', () => {
    const s = synth((c) => {
      withPlatform(c);
      web(c, 'web', { redis: {} });
    });
    expect(envOf(mainContainer(s.get('Deployment', 'web')))).toMatchObject({ REDIS_HOST: 'redis.databases.svc.cluster.local', REDIS_PORT: '6379', REDIS_PASSWORD: 'secret:redis-auth/password' });
    expect(s.dependsOn('web')).toContain('redis');
  });

  test('Redis on a cluster without Redis is a problem', () => {
    const p = problems((c) => {
      withPlatform(c, { redis: false });
      web(c, 'web', { redis: {} });
    });
    problemAt(p, 'redis', 'no Redis service');
  });
});

describe('App: security relaxations', () => {
  test('root is an explicit relaxation: recorded with its reason, namespace raised to baseline', () => {
    const s = synth((c) => web(c, 'web', { security: { runAsRoot: { reason: 'the entrypoint chowns /data' }, addCapabilities: { capabilities: ['CHOWN'], reason: 'chown' } } }));
    const deploy = s.get('Deployment', 'web');
    expect(deploy.metadata.annotations[RELAXATIONS_ANNOTATION]).toBe('runAsRoot: the entrypoint chowns /data\naddCapabilities: chown');
    expect(deploy.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    expect(mainContainer(deploy).securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN'] });
    expect(s.get('Namespace', 'web').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('NET_BIND_SERVICE alone keeps the namespace restricted', () => {
    const s = synth((c) => web(c, 'web', { security: { addCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: 'binds 80' } } }));
    expect(s.get('Namespace', 'web').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('privileged or host paths make the namespace privileged', () => {
    const s = synth((c) => web(c, 'web', {
      security: { privileged: { reason: 'device access' } },
      persistence: { dev: { type: 'hostPath', path: '/dev/dri', mountPath: '/dev/dri' } },
    }));
    expect(s.get('Namespace', 'web').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(mainContainer(s.get('Deployment', 'web')).securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true });
  });

  test('a relaxation without a reason is a problem', () => {
    const p = problems((c) => web(c, 'web', { security: { writableRootFilesystem: { reason: '' } } }));
    problemAt(p, 'security.writableRootFilesystem.reason', 'needs a reason');
  });

  test('runAsUser 0 without the root relaxation is a problem', () => {
    const p = problems((c) => web(c, 'web', { security: { runAsUser: 0 } }));
    problemAt(p, 'security.runAsUser', 'is root');
  });
});

describe('App: replicas, nodes and gaming mode', () => {
  test('replicas > 1: PodDisruptionBudget and spreading over nodes', () => {
    const s = synth((c) => web(c, 'web', { replicas: 3 }));
    const deploy = s.get('Deployment', 'web');
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deploy.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0])
      .toEqual({ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } } });
    expect(s.get('PodDisruptionBudget', 'web').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } });
  });

  test('several replicas on a ReadWriteOnce claim is a problem', () => {
    const p = problems((c) => {
      withPlatform(c);
      web(c, 'web', { replicas: 2, persistence: { data: { type: 'claim', size: '1Gi', mountPath: '/data' } } });
    });
    problemAt(p, 'replicas', 'ReadWriteOnce');
  });

  test('heavy apps are scaled to zero in gaming mode and declared heavy', () => {
    const s = synth((c) => web(c, 'web', { heavy: true, replicas: 2 }), { scaleDown: { name: 'gaming mode', active: true } });
    expect(s.get('Deployment', 'web').spec.replicas).toBe(0);
    expect(s.find('PodDisruptionBudget', 'web')).toBeUndefined();
    expect(s.cluster.component('web')!.workloads[0]).toMatchObject({ heavy: true, replicas: 2 });
  });

  test('an amd64-only image on an arm-only cluster is a problem', () => {
    const p = problems((c) => web(c, 'web', { image: { ...IMAGE, archs: ['amd64'] } }), {
      nodes: [{ name: 'rpi4-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64' }],
    });
    expect(problemAt(p, 'image.archs', 'published for amd64 only, but the nodes it may run on are arm64').fix).toContain('image built for arm64');
  });

  test('node selection by labels and taints: tolerating phone workers', () => {
    const nodes = [
      { name: 'rpi4-1', role: 'control-plane' as const, cpu: 4, memory: '8Gi', arch: 'arm64' as const },
      { name: 'rpi4-2', role: 'worker' as const, cpu: 4, memory: '8Gi', arch: 'arm64' as const },
      { name: 'phone-1', role: 'worker' as const, cpu: 8, memory: '6Gi', arch: 'arm64' as const, labels: { 'homelab/device': 'phone' }, taints: [{ key: 'homelab/phone', effect: 'NoSchedule' as const }] },
    ];
    const p = problems((c) => web(c, 'web', { nodeSelector: { 'homelab/device': 'phone' } }), { nodes });
    problemAt(p, 'nodeSelector', 'tolerates its taints');
    const s = synth((c) => web(c, 'web', { nodeSelector: { 'homelab/device': 'phone' }, tolerations: [{ key: 'homelab/phone', effect: 'NoSchedule' }] }), { nodes });
    const pod = s.get('Deployment', 'web').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'homelab/device': 'phone' });
    expect(pod.tolerations).toEqual([{ key: 'homelab/phone', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(s.cluster.component('web')!.workloads[0]).toMatchObject({ nodeSelector: { 'homelab/device': 'phone' }, tolerates: [{ key: 'homelab/phone' }] });
  });

  test('a memory limit below the request is a problem', () => {
    const p = problems((c) => web(c, 'web', { resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } }));
    problemAt(p, 'resources.memoryLimit', 'below the request');
  });

  test('a memory limit alone, below the default request, is the request too (main container and sidecar)', () => {
    const s = synth((c) => web(c, 'web', {
      resources: { memoryLimit: '64Mi' },
      sidecars: [{ name: 'exporter', image: { repository: 'ghcr.io/example/exporter', tag: '1.0.0' }, resources: { memoryLimit: '24Mi' } }],
    } as Partial<AppProps>));
    const [main, sidecar] = s.get('Deployment', 'web').spec.template.spec.containers;
    expect(main.resources).toMatchObject({ requests: { memory: '64Mi' }, limits: { memory: '64Mi' } });
    expect(sidecar.resources).toMatchObject({ requests: { memory: '24Mi' }, limits: { memory: '24Mi' } });
    expect(s.cluster.component('web')!.workloads[0]).toMatchObject({ memoryRequest: '88Mi', memoryLimit: '88Mi' });
  });

  test('spread: a topologySpreadConstraint on the app\'s own pods, soft by default; dnsConfig passed through', () => {
    const s = synth((c) => web(c, 'web', { replicas: 3, spread: {}, dnsConfig: { nameservers: ['192.168.1.1'], searches: ['lan.example.com'], options: [{ name: 'ndots', value: '2' }] } }));
    const pod = s.get('Deployment', 'web').spec.template.spec;
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }]);
    expect(pod.dnsConfig).toEqual({ nameservers: ['192.168.1.1'], searches: ['lan.example.com'], options: [{ name: 'ndots', value: '2' }] });
    const zones = synth((c) => web(c, 'web', { spread: { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' } }));
    expect(zones.get('Deployment', 'web').spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
    expect(synth((c) => web(c, 'web')).get('Deployment', 'web').spec.template.spec).not.toHaveProperty('topologySpreadConstraints');
  });

  test('a port\'s appProtocol reaches the Service port (h2c / WebSocket for ingress controllers and Gateways)', () => {
    const s = synth((c) => web(c, 'web', { ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090, appProtocol: 'kubernetes.io/h2c' }] }));
    expect(s.get('Service', 'web').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'grpc', port: 9090, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
    ]);
    problemAt(problems((c) => web(c, 'web', { ports: [{ name: 'http', port: 8080, appProtocol: 'h2c over tls' }] })), 'ports[0].appProtocol', 'is not an application protocol name');
  });

  test('podLabels reach the pods and the Deployment; the selector labels stay the library\'s', () => {
    const s = synth((c) => web(c, 'web', { podLabels: { 'example.com/team': 'media' } }));
    const d = s.get('Deployment', 'web');
    expect(d.spec.template.metadata.labels).toMatchObject({ 'example.com/team': 'media', 'app.kubernetes.io/name': 'web' });
    expect(d.metadata.labels['example.com/team']).toBe('media');
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
    problemAt(problems((c) => web(c, 'web', { podLabels: { 'app.kubernetes.io/name': 'other' } })), 'podLabels.app.kubernetes.io/name', 'would detach them');
    problemAt(problems((c) => web(c, 'web', { podLabels: { 'example.com/team': 'a b' } })), 'podLabels.example.com/team', 'is invalid');
  });

  test('envFrom: every key of a Secret or ConfigMap, on the main container and a sidecar; the Secret needs a provider', () => {
    const s = synth((c) => {
      const app = web(c, 'web', {
        envFrom: [{ secret: 'web-env', prefix: 'APP_' }, { configMap: 'web-settings', optional: true }],
        sidecars: [{ name: 'worker', envFrom: [{ secret: 'web-env' }] }],
      });
      app.declareUserSecret({ name: 'web-env', keys: ['TOKEN'], reason: 'issued by the vendor' });
    });
    const [main, worker] = s.get('Deployment', 'web').spec.template.spec.containers;
    expect(main.envFrom).toEqual([{ prefix: 'APP_', secretRef: { name: 'web-env' } }, { configMapRef: { name: 'web-settings', optional: true } }]);
    expect(worker.envFrom).toEqual([{ secretRef: { name: 'web-env' } }]);
    problemAt(problems((c) => web(c, 'web', { envFrom: [{ secret: 'nobody-makes-this' }] })), 'spec.template.spec.containers[0].envFrom[0].secretRef', 'has no provider');
  });

  test('hostNetwork: ClusterFirstWithHostNet, host ports written out, the namespace privileged, the reason recorded', () => {
    const s = synth((c) => web(c, 'hass', { namespace: 'home', ports: [{ name: 'http', port: 8123 }], security: { hostNetwork: { reason: 'mDNS discovery of devices on the LAN' } } }));
    const d = s.get('Deployment', 'hass');
    const pod = d.spec.template.spec;
    expect(pod).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    expect(pod.containers[0].ports).toEqual([{ name: 'http', containerPort: 8123, hostPort: 8123, protocol: 'TCP' }]);
    expect(d.metadata.annotations[RELAXATIONS_ANNOTATION]).toContain('hostNetwork: mDNS discovery of devices on the LAN');
    expect(s.get('Namespace', 'home').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const plain = synth((c) => web(c, 'web')).get('Deployment', 'web').spec.template.spec;
    expect(plain).not.toHaveProperty('hostNetwork');
    expect(plain).not.toHaveProperty('dnsPolicy');
    problemAt(problems((c) => web(c, 'web', { security: { hostNetwork: { reason: '' } } })), 'security.hostNetwork.reason', 'needs a reason');
  });

  test('a sidecar with its own port and probe: the container port, the Service port, the probe; names unique across the pod', () => {
    const exporter = { name: 'exporter', image: { repository: 'ghcr.io/example/exporter', tag: '1.0.0' }, ports: [{ name: 'metrics', port: 9100 }], probes: { readiness: { http: { path: '/healthz', port: 'metrics' } } } };
    const s = synth((c) => web(c, 'web', { sidecars: [exporter] }));
    const [, side] = s.get('Deployment', 'web').spec.template.spec.containers;
    expect(side.ports).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }]);
    expect(side.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    expect(side).not.toHaveProperty('livenessProbe');
    expect(s.get('Service', 'web').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['http:8080', 'metrics:9100']);
    problemAt(problems((c) => web(c, 'web', { sidecars: [{ ...exporter, ports: [{ name: 'http', port: 9100 }] }] })), 'containers.exporter.ports[0].name', "'http' is used twice");
    problemAt(problems((c) => web(c, 'web', { initContainers: [{ name: 'init', ports: [{ name: 'x', port: 1 }] }] })), 'containers.init', 'runs to completion');
  });

  test('annotations on the Deployment sit beside the library\'s relaxations annotation, which they cannot set', () => {
    const s = synth((c) => web(c, 'web', { annotations: { 'example.com/backup': 'daily' }, security: { writableRootFilesystem: { reason: 'writes /var/cache' } } }));
    expect(s.get('Deployment', 'web').metadata.annotations).toEqual({ 'example.com/backup': 'daily', [RELAXATIONS_ANNOTATION]: 'writableRootFilesystem: writes /var/cache' });
    problemAt(problems((c) => web(c, 'web', { annotations: { [RELAXATIONS_ANNOTATION]: 'none' } })), `annotations.${RELAXATIONS_ANNOTATION}`, 'is written by the library');
  });

  test('spread and dnsConfig mistakes are problems naming the field', () => {
    problemAt(problems((c) => web(c, 'web', { spread: { maxSkew: 0 } })), 'spread.maxSkew', 'is not a skew');
    problemAt(problems((c) => web(c, 'web', { dnsConfig: { nameservers: ['dns.example.com'] } })), 'dnsConfig.nameservers[0]', 'is not an IP address');
    problemAt(problems((c) => web(c, 'web', { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } })), 'dnsConfig.nameservers', 'more than 3');
    problemAt(problems((c) => web(c, 'web', { dnsConfig: { searches: ['bad_domain'] } })), 'dnsConfig.searches[0]', 'is not a DNS domain');
  });

  test('a memory limit alone, above the default request, keeps the default request', () => {
    const s = synth((c) => web(c, 'web', { resources: { memoryLimit: '2Gi' } }));
    expect(mainContainer(s.get('Deployment', 'web')).resources).toMatchObject({ requests: { memory: '128Mi' }, limits: { memory: '2Gi' } });
  });
});

describe('App: NetworkPolicies', () => {
  const s = synth((c) => {
    withPlatform(c);
    const api = web(c, 'api', { namespace: 'shop', ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], database: { postgres: {} }, redis: {} });
    web(c, 'front', { namespace: 'shop', expose: 'public', network: { egress: [{ app: api, ports: ['http'] }, internet(443)] } });
    web(c, 'worker', { namespace: 'jobs' });
  }, { defaultDenyNetworkPolicies: true });

  test('one default-deny per namespace', () => {
    const denies = s.all('NetworkPolicy').filter((p) => p.metadata.name === 'default-deny');
    expect(denies.map((d) => d.metadata.namespace).sort()).toEqual(['jobs', 'shop']);
    expect(denies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('the front: reached from the ingress and the tunnel; talks to DNS, the api and the internet on 443', () => {
    expect(policyLines(s.get('NetworkPolicy', 'front', 'shop'))).toEqual([
      'in ingress/app.kubernetes.io/name=fake-proxy :8080/TCP',
      'in tunnel/app.kubernetes.io/name=fake-tunnel :8080/TCP',
      'out kube-system/k8s-app=kube-dns :53/UDP,53/TCP',
      'out shop/app.kubernetes.io/name=api :8080/TCP',
      `out 0.0.0.0/0 except ${NON_PUBLIC_RANGES.join(',')} :443/TCP`,
    ]);
  });

  test('the api: reached only by the front on the declared port; talks to its database and Redis', () => {
    expect(policyLines(s.get('NetworkPolicy', 'api', 'shop'))).toEqual([
      'in shop/app.kubernetes.io/name=front :8080/TCP',
      'out kube-system/k8s-app=kube-dns :53/UDP,53/TCP',
      'out databases/cnpg.io/cluster=pg :5432/TCP',
      'out databases/app.kubernetes.io/name=redis :6379/TCP',
    ]);
  });

  test('an undeclared peer is not allowed: the worker reaches nothing but DNS, and nothing reaches it', () => {
    expect(policyLines(s.get('NetworkPolicy', 'worker', 'jobs'))).toEqual(['out kube-system/k8s-app=kube-dns :53/UDP,53/TCP']);
    const api = policyLines(s.get('NetworkPolicy', 'api', 'shop'));
    expect(api.some((l) => l.includes('name=worker'))).toBe(false);
    expect(api.some((l) => l.includes('ingress/'))).toBe(false);
  });

  test('a namespace shared with a non-app component is warned about', () => {
    const w = synth((c) => {
      withPlatform(c);
      web(c, 'web', { namespace: 'databases' });
    }, { defaultDenyNetworkPolicies: true }).warnings;
    expect(w.find((x) => x.code === 'default-deny-shared-namespace')?.message).toContain('postgres, redis');
  });

  test('a connection to an unknown port of a peer app is a problem', () => {
    const p = problems((c) => {
      const api = web(c, 'api');
      web(c, 'front', { network: { egress: [{ app: api, ports: ['grpc'] }] } });
    }, { defaultDenyNetworkPolicies: true });
    problemAt(p, 'network.egress[0]', "no port 'grpc'");
  });
});

describe('App: small rules', () => {
  test('a variable given twice keeps one entry, the later value in the earlier place', () => {
    const s = synth((c) => {
      withPlatform(c);
      web(c, 'web', { database: { postgres: {} }, env: { POSTGRES_HOST: 'pg.override.local', EXTRA: '1' } });
    });
    const env = mainContainer(s.get('Deployment', 'web')).env;
    expect(env.filter((e: any) => e.name === 'POSTGRES_HOST')).toEqual([{ name: 'POSTGRES_HOST', value: 'pg.override.local' }]);
    expect(env[0].name).toBe('POSTGRES_HOST');
  });

  test('a Service port out of range is a problem', () => {
    const p = problems((c) => web(c, 'web', { ports: [{ name: 'http', port: 8080, servicePort: 70000 }] }));
    problemAt(p, 'ports[0].servicePort', 'not a port number');
  });

  test('a hostname on an unexposed app is warned about', () => {
    const s = synth((c) => web(c, 'web', { subdomain: 'portal' }));
    expect(s.warnings.find((w) => w.code === 'hostname-unused')?.path).toBe('test/web');
  });
});

describe('App: metrics', () => {
  test('with monitoring: a ServiceMonitor selected by the Prometheus labels, scraping allowed, dependsOn derived', () => {
    const s = synth((c) => {
      withPlatform(c);
      new FakeMonitoring(c);
      web(c, 'web', { ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }], metrics: { port: 'metrics' } });
    }, { defaultDenyNetworkPolicies: true });
    expect(s.get('ServiceMonitor', 'web', 'web')).toMatchObject({
      metadata: { labels: { release: 'kube-prometheus-stack' } },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, namespaceSelector: { matchNames: ['web'] }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '60s' }] },
    });
    expect(policyLines(s.get('NetworkPolicy', 'web'))).toContain('in monitoring/* :9100/TCP');
    expect(s.dependsOn('web')).toContain('monitoring');
  });

  test('without monitoring: no ServiceMonitor, no scrape rule', () => {
    const s = synth((c) => web(c, 'web', { metrics: { port: 'http' } }), { defaultDenyNetworkPolicies: true });
    expect(s.all('ServiceMonitor')).toEqual([]);
    expect(policyLines(s.get('NetworkPolicy', 'web'))).toEqual(['out kube-system/k8s-app=kube-dns :53/UDP,53/TCP']);
  });

  test('a metrics port not on the Service is a problem', () => {
    const p = problems((c) => {
      new FakeMonitoring(c);
      web(c, 'web', { ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000, service: false }], metrics: { port: 'admin' } });
    });
    problemAt(p, 'metrics.port', "'admin' is not a port published");
  });
});
