import { INTEL_GPU_RESOURCE, Jellyfin, JELLYFIN_IMAGE } from '../../../src/lib/apps/jellyfin.js';
import { Jellyseerr, JELLYSEERR_IMAGE } from '../../../src/lib/apps/jellyseerr.js';
import { imageName } from '../../../src/lib/apps/image.js';
import { NON_PUBLIC_RANGES } from '../../../src/lib/apps/network.js';
import { Prowlarr, PROWLARR_IMAGE } from '../../../src/lib/apps/prowlarr.js';
import { Qbittorrent, QBITTORRENT_IMAGE } from '../../../src/lib/apps/qbittorrent.js';
import { Radarr, RADARR_IMAGE } from '../../../src/lib/apps/radarr.js';
import { RELAXATIONS_ANNOTATION } from '../../../src/lib/apps/security.js';
import { Sonarr, SONARR_IMAGE } from '../../../src/lib/apps/sonarr.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, mountsOf, policyLines, problemAt, problems, synth } from './harness.js';

const MEDIA = { nfs: { server: '10.0.0.5', path: '/volume1/media' } };
const DNS = 'out kube-system/k8s-app=kube-dns :53/UDP,53/TCP';
const WEB = `out 0.0.0.0/0 except ${NON_PUBLIC_RANGES.join(',')} :443/TCP,80/TCP`;
const PROXY = (port: number) => `in ingress/app.kubernetes.io/name=fake-proxy :${port}/TCP`;
const name = (app: string) => `media/app.kubernetes.io/name=${app}`;

/** The seed 000 media stack on one cluster, NetworkPolicies on. */
const s = synth((c) => {
  withPlatform(c);
  const jellyfin = new Jellyfin(c, 'jellyfin', { media: MEDIA });
  const qbittorrent = new Qbittorrent(c, 'qbittorrent', { media: MEDIA });
  const prowlarr = new Prowlarr(c, 'prowlarr');
  const sonarr = new Sonarr(c, 'sonarr', { media: MEDIA, downloadClient: qbittorrent, prowlarr });
  const radarr = new Radarr(c, 'radarr', { media: MEDIA, downloadClient: qbittorrent, prowlarr });
  new Jellyseerr(c, 'jellyseerr', { mediaServer: jellyfin, managers: [sonarr, radarr] });
}, { defaultDenyNetworkPolicies: true });

describe('media stack: shared', () => {
  test('everything lands in the media namespace, which stays restricted, with one default-deny', () => {
    expect(s.get('Namespace', 'media').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(s.all('NetworkPolicy').filter((p) => p.metadata.name === 'default-deny').map((p) => p.metadata.namespace)).toEqual(['media']);
    for (const app of ['jellyfin', 'qbittorrent', 'prowlarr', 'sonarr', 'radarr', 'jellyseerr']) {
      const d = s.get('Deployment', app, 'media');
      expect(d.metadata.annotations?.[RELAXATIONS_ANNOTATION]).toBeUndefined();
      expect(mainContainer(d).securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(s.get('Ingress', app, 'media').spec.rules[0].host).toBe(`${app}.example.com`);
    }
  });

  test('the library is one NFS share, mounted read-only by Jellyfin and read-write by the downloaders', () => {
    expect(s.get('PersistentVolume', 'media-jellyfin-media').spec.nfs).toEqual({ server: '10.0.0.5', path: '/volume1/media', readOnly: true });
    for (const app of ['sonarr', 'radarr', 'qbittorrent']) {
      expect(s.get('PersistentVolume', `media-${app}-media`).spec).toMatchObject({ accessModes: ['ReadWriteMany'], nfs: { path: '/volume1/media', readOnly: false } });
      expect(mountsOf(mainContainer(s.get('Deployment', app)))['/media']).toBe('media');
    }
  });
});

describe('Jellyfin', () => {
  const d = s.get('Deployment', 'jellyfin');
  const main = mainContainer(d);

  test('image, port, user and health', () => {
    expect(main.image).toBe(imageName(JELLYFIN_IMAGE));
    expect(main.image).toMatch(/^ghcr\.io\/jellyfin\/jellyfin:\d+\.\d+\.\d+$/);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8096, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(main.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
  });

  test('writable paths are volumes: /config claim, /cache and /tmp emptyDirs; published URL derived', () => {
    expect(mountsOf(main)).toEqual({ '/config': 'config', '/cache': 'cache', '/media': 'media', '/tmp': 'tmp' });
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'cache', emptyDir: { sizeLimit: '20Gi' } });
    expect(s.get('PersistentVolumeClaim', 'jellyfin-config').spec.resources.requests.storage).toBe('10Gi');
    expect(envOf(main)).toMatchObject({ JELLYFIN_PublishedServerUrl: 'https://jellyfin.example.com', JELLYFIN_CACHE_DIR: '/cache', XDG_CACHE_HOME: '/cache', TZ: 'Etc/UTC' });
  });

  test('heavy: recorded in the footprint', () => {
    expect(s.cluster.component('jellyfin')!.workloads[0]).toMatchObject({ heavy: true, cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '4Gi' });
  });

  test('NetworkPolicy: reached from the ingress and Jellyseerr; reaches DNS and HTTPS metadata only', () => {
    expect(policyLines(s.get('NetworkPolicy', 'jellyfin'))).toEqual([PROXY(8096), DNS, WEB, `in ${name('jellyseerr')} :8096/TCP`].sort(byDirection));
    expect(policyLines(s.get('NetworkPolicy', 'jellyfin')).some((l) => l.includes('qbittorrent'))).toBe(false);
  });

  test('Quick Sync through the device plugin: one i915 per pod, render groups, namespace stays restricted', () => {
    const q = synth((c) => { withPlatform(c); new Jellyfin(c, 'jellyfin', { quickSync: {} }); });
    const jf = q.get('Deployment', 'jellyfin');
    expect(mainContainer(jf).resources).toEqual({ requests: { cpu: '100m', memory: '512Mi', [INTEL_GPU_RESOURCE]: '1' }, limits: { memory: '4Gi', [INTEL_GPU_RESOURCE]: '1' } });
    expect(jf.spec.template.spec.securityContext.supplementalGroups).toEqual([44, 109]);
    expect(q.get('Namespace', 'media').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('Quick Sync through the host path: /dev/dri, privileged with its reason, namespace privileged', () => {
    const q = synth((c) => { withPlatform(c); new Jellyfin(c, 'jellyfin', { quickSync: { via: 'host-path', renderGroups: [993] } }); });
    const jf = q.get('Deployment', 'jellyfin');
    expect(jf.spec.template.spec.volumes).toContainEqual({ name: 'dri', hostPath: { path: '/dev/dri', type: 'Directory' } });
    expect(mainContainer(jf).securityContext.privileged).toBe(true);
    expect(jf.metadata.annotations[RELAXATIONS_ANNOTATION]).toMatch(/^privileged: .*\/dev\/dri/);
    expect(jf.spec.template.spec.securityContext.supplementalGroups).toEqual([993]);
    expect(q.get('Namespace', 'media').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });
});

describe('Sonarr, Radarr, Prowlarr', () => {
  test.each([
    ['sonarr', SONARR_IMAGE, 8989, '5Gi'],
    ['radarr', RADARR_IMAGE, 7878, '5Gi'],
    ['prowlarr', PROWLARR_IMAGE, 9696, '1Gi'],
  ] as const)('%s: rootless image, port, /config claim, /ping probes', (app, image, port, size) => {
    const d = s.get('Deployment', app);
    const main = mainContainer(d);
    expect(main.image).toBe(imageName(image));
    expect(image.repository).toBe(`ghcr.io/home-operations/${app}`);
    expect(main.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 });
    expect(s.get('PersistentVolumeClaim', `${app}-config`).spec.resources.requests.storage).toBe(size);
    expect(main.livenessProbe.httpGet.path).toBe('/ping');
    expect(s.get('Service', app).spec.ports).toEqual([{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);
    expect(envOf(main)[`${app.toUpperCase()}__SERVER__PORT`]).toBe(String(port));
  });

  test('the listening port is a prop: container port, Service, the app variable and its callers follow it', () => {
    const moved = synth((c) => {
      withPlatform(c);
      const prowlarr = new Prowlarr(c, 'prowlarr', { port: 9700 });
      new Sonarr(c, 'sonarr', { port: 8000, prowlarr });
    }, { defaultDenyNetworkPolicies: true });
    const main = mainContainer(moved.get('Deployment', 'sonarr'));
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(envOf(main).SONARR__SERVER__PORT).toBe('8000');
    expect(moved.get('Service', 'sonarr').spec.ports[0].port).toBe(8000);
    expect(envOf(mainContainer(moved.get('Deployment', 'prowlarr'))).PROWLARR__SERVER__PORT).toBe('9700');
    expect(policyLines(moved.get('NetworkPolicy', 'sonarr'))).toEqual(expect.arrayContaining([`in ${name('prowlarr')} :8000/TCP`, `out ${name('prowlarr')} :9700/TCP`]));
    expect(moved.warnings.filter((w) => w.code === 'image-port')).toEqual([]);
  });

  test('qBittorrent and Jellyseerr ports are props too, and their variables follow them', () => {
    const moved = synth((c) => {
      withPlatform(c);
      new Qbittorrent(c, 'qbittorrent', { webPort: 8081, torrentPort: 6881 });
      new Jellyseerr(c, 'jellyseerr', { port: 5056 });
    });
    const qb = mainContainer(moved.get('Deployment', 'qbittorrent'));
    expect(qb.ports.map((p: any) => `${p.name} ${p.containerPort}/${p.protocol}`)).toEqual(['http 8081/TCP', 'bittorrent 6881/TCP', 'bittorrent-udp 6881/UDP']);
    expect(envOf(qb)).toMatchObject({ QBT_WEBUI_PORT: '8081', QBT_TORRENTING_PORT: '6881' });
    expect(envOf(mainContainer(moved.get('Deployment', 'jellyseerr'))).PORT).toBe('5056');
    expect(moved.get('Service', 'jellyseerr').spec.ports[0].port).toBe(5056);
    expect(moved.warnings.filter((w) => w.code === 'image-port')).toEqual([]);
  });

  test('moving the port through the variable alone (the old workaround) warns that the container port no longer matches', () => {
    const w = synth((c) => { withPlatform(c); new Sonarr(c, 'sonarr', { env: { SONARR__SERVER__PORT: '8000' } }); }).warnings;
    expect(w.filter((x) => x.code === 'image-port').map((x) => x.message)).toEqual([expect.stringMatching(/port 'http' \(8989\/TCP\) is not one image .* listens on \(8000\/TCP\)/)]);
  });

  test('Sonarr talks to its download client and Prowlarr; Prowlarr and Jellyseerr may call it', () => {
    expect(policyLines(s.get('NetworkPolicy', 'sonarr'))).toEqual([
      PROXY(8989), `in ${name('prowlarr')} :8989/TCP`, `in ${name('jellyseerr')} :8989/TCP`,
      DNS, WEB, `out ${name('qbittorrent')} :8080/TCP`, `out ${name('prowlarr')} :9696/TCP`,
    ]);
  });

  test('Prowlarr reaches indexers and the two managers; nothing else', () => {
    const lines = policyLines(s.get('NetworkPolicy', 'prowlarr'));
    expect(lines).toEqual([
      PROXY(9696), `in ${name('sonarr')} :9696/TCP`, `in ${name('radarr')} :9696/TCP`,
      DNS, WEB, `out ${name('sonarr')} :8989/TCP`, `out ${name('radarr')} :7878/TCP`,
    ]);
    expect(lines.some((l) => l.includes('jellyfin'))).toBe(false);
  });
});

describe('qBittorrent', () => {
  const d = s.get('Deployment', 'qbittorrent');
  const main = mainContainer(d);

  test('web UI on the Service, BitTorrent ports on the pod only', () => {
    expect(main.image).toBe(imageName(QBITTORRENT_IMAGE));
    expect(main.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'bittorrent', containerPort: 50413, protocol: 'TCP' },
      { name: 'bittorrent-udp', containerPort: 50413, protocol: 'UDP' },
    ]);
    expect(s.get('Service', 'qbittorrent').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    expect(envOf(main)).toMatchObject({ QBT_WEBUI_PORT: '8080', QBT_TORRENTING_PORT: '50413' });
    expect(main.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(s.cluster.component('qbittorrent')!.workloads[0].heavy).toBe(true);
  });

  test('peers anywhere on the internet, but never the LAN or the cluster; only the managers call it', () => {
    expect(policyLines(s.get('NetworkPolicy', 'qbittorrent'))).toEqual([
      PROXY(8080), `in ${name('sonarr')} :8080/TCP`, `in ${name('radarr')} :8080/TCP`,
      DNS, `out 0.0.0.0/0 except ${NON_PUBLIC_RANGES.join(',')} :any`,
    ]);
  });
});

describe('Jellyseerr', () => {
  const d = s.get('Deployment', 'jellyseerr');
  const main = mainContainer(d);

  test('runs the server directly as the node user; config claim and Next.js cache emptyDir', () => {
    expect(main.image).toBe(imageName(JELLYSEERR_IMAGE));
    expect(main.args).toEqual(['node', 'dist/index.js']);
    expect(envOf(main)).toMatchObject({ NODE_ENV: 'production', PORT: '5055' });
    expect(main.ports).toEqual([{ name: 'http', containerPort: 5055, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(mountsOf(main)).toEqual({ '/app/config': 'config', '/app/.next/cache': 'next-cache', '/tmp': 'tmp' });
    expect(main.readinessProbe.httpGet.path).toBe('/api/v1/status');
  });

  test('talks to Jellyfin, Sonarr and Radarr, and TMDB over HTTPS; not to qBittorrent', () => {
    const lines = policyLines(s.get('NetworkPolicy', 'jellyseerr'));
    expect(lines).toEqual([PROXY(5055), DNS, WEB, `out ${name('jellyfin')} :8096/TCP`, `out ${name('sonarr')} :8989/TCP`, `out ${name('radarr')} :7878/TCP`]);
    expect(lines.some((l) => l.includes('qbittorrent'))).toBe(false);
  });
});

describe('media misuse', () => {
  test('Jellyfin on an arm-only cluster with a mirror built for amd64 only is a problem', () => {
    const p = problems((c) => new Jellyfin(c, 'jellyfin', { image: { ...JELLYFIN_IMAGE, archs: ['amd64'] } }), {
      nodes: [{ name: 'rpi4-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64' }],
    });
    problemAt(p, 'image.archs', 'amd64 only');
  });

  test("a downloader pinned to 'latest' is a problem", () => {
    const p = problems((c) => new Qbittorrent(c, 'qbittorrent', { image: { ...QBITTORRENT_IMAGE, tag: 'latest' } }));
    problemAt(p, 'image.tag', "moving tag 'latest'");
  });
});

/** Keeps ingress lines before egress lines, each group in the order given. */
function byDirection(a: string, b: string): number {
  return (a.startsWith('in ') ? 0 : 1) - (b.startsWith('in ') ? 0 : 1);
}
