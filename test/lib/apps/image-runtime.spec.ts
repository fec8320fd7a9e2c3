import * as apps from '../../../src/lib/apps/index.js';
import { App, AppProps } from '../../../src/lib/apps/app.js';
import { IMAGE_FACTS, POSTFIX_RUNTIME } from '../../../src/lib/apps/image-facts.js';
import { imageRuntime, ImageRuntime, runtimeKey } from '../../../src/lib/apps/image-runtime.js';
import { ImageRef } from '../../../src/lib/apps/image.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Diagnostics } from '../../../src/lib/estate/diagnostics.js';
import { componentNodeRequirements, nodeRequirements } from '../../../src/lib/estate/node-requirements.js';
import { Problem, Warning } from '../../../src/lib/estate/problems.js';
import { INFLUXDB_IMAGE } from '../../../src/lib/platform/observability/influxdb.js';
import { REDIS_IMAGE } from '../../../src/lib/platform/databases/redis.js';
import { testCluster } from '../../helpers.js';
import { withPlatform } from './fakes.js';
import { mainContainer, mountsOf, problemAt, synth } from './harness.js';

/** Builds apps on a fresh test cluster and returns what their constructors reported (no synth needed). */
function report(build: (c: HomelabCluster) => void, overrides = {}): { problems: Problem[]; warnings: Warning[]; cluster: HomelabCluster } {
  const { cluster } = testCluster(overrides);
  build(cluster);
  const d = Diagnostics.of(cluster);
  return { problems: [...d.problems], warnings: [...d.warnings], cluster };
}

const POSTFIX_IMAGE: ImageRef = { repository: 'boky/postfix', tag: 'v5.1.0' };
/** Postfix as the image needs it: root, writable root filesystem, its capabilities. */
const POSTFIX_OK: AppProps['security'] = {
  runAsRoot: { reason: 'r' },
  writableRootFilesystem: { reason: 'w' },
  addCapabilities: { capabilities: [...POSTFIX_RUNTIME.capabilities.names], reason: 'c' },
};
const app = (c: HomelabCluster, props: Partial<AppProps> & Pick<AppProps, 'image'>, id = 'x') =>
  new App(c, id, { ports: [], ...props });
const runtimeProblems = (p: Problem[]) => p.filter((x) => /^security\.(runAsRoot|writableRootFilesystem|addCapabilities)$|^persistence/.test(x.field));

describe('image runtime facts: the table', () => {
  const pinned = Object.entries(apps).filter(([n]) => n.endsWith('_IMAGE')) as [string, ImageRef][];

  test.each([...pinned, ['REDIS_IMAGE', REDIS_IMAGE], ['INFLUXDB_IMAGE', INFLUXDB_IMAGE]] as [string, ImageRef][])('%s has facts naming their source', (_name, image) => {
    const facts = imageRuntime(image);
    expect(facts).toBeDefined();
    expect(facts!.source).toMatch(/^github\.com\//);
  });

  test('repositories are keyed without docker.io/ and library/, whatever the tag', () => {
    expect(runtimeKey('docker.io/library/redis')).toBe('redis');
    expect(runtimeKey('index.docker.io/boky/postfix')).toBe('boky/postfix');
    expect(imageRuntime({ repository: 'docker.io/boky/postfix', tag: 'v9.9.9' })).toBe(IMAGE_FACTS['boky/postfix']);
    expect(imageRuntime({ repository: 'ghcr.io/me/unknown', tag: '1.0.0' })).toBeUndefined();
  });

  test("an image's own runtime replaces the table's", () => {
    const own: ImageRuntime = { source: 'my Dockerfile', user: { uid: 0, gid: 0 } };
    expect(imageRuntime({ ...POSTFIX_IMAGE, runtime: own })).toBe(own);
  });

  test('Postfix: verified against v5.1.0 — root, the image files run.sh changes, SMTP ports 25/587, no SYS_CHROOT', () => {
    expect(POSTFIX_RUNTIME.startsAsRoot.reason).toMatch(/root/);
    expect(POSTFIX_RUNTIME.changesImageFiles.paths).toEqual(expect.arrayContaining(['/scripts', '/etc/localtime', '/etc/rsyslog.conf', '/etc/opendkim/opendkim.conf']));
    expect(POSTFIX_RUNTIME.capabilities.names).not.toContain('SYS_CHROOT');
    expect(POSTFIX_RUNTIME.ports.map((p) => p.port)).toEqual([25, 587]);
  });
});

describe('image runtime facts: the App check', () => {
  test('an image that must start as root, run as non-root, is a problem at security.runAsRoot', () => {
    const { problems } = report((c) => app(c, { image: POSTFIX_IMAGE, security: { writableRootFilesystem: { reason: 'w' }, addCapabilities: POSTFIX_OK!.addCapabilities } }));
    const p = problemAt(problems, 'security.runAsRoot', "image 'boky/postfix' must start as root");
    expect(p.message).toContain('uid 65534');
    expect(p.fix).toContain('runAsRoot');
  });

  test('a read-only root filesystem on an image changing its own files is a problem at security.writableRootFilesystem', () => {
    const { problems } = report((c) => app(c, { image: POSTFIX_IMAGE, security: { runAsRoot: { reason: 'r' }, addCapabilities: POSTFIX_OK!.addCapabilities } }));
    const p = problemAt(problems, 'security.writableRootFilesystem', '/etc/rsyslog.conf');
    expect(p.fix).toContain('writableRootFilesystem');
  });

  test('a volume hiding a file the entrypoint edits is a problem at its mountPath, even with a writable root', () => {
    const { problems } = report((c) => app(c, { image: POSTFIX_IMAGE, security: POSTFIX_OK, persistence: { dkim: { type: 'emptyDir', mountPath: '/etc/opendkim' } } }));
    problemAt(problems, 'persistence.dkim.mountPath', 'hides /etc/opendkim/opendkim.conf');
  });

  test('a directory the image writes may be an emptyDir (Postfix /etc/postfix), and the right relaxations raise nothing', () => {
    const { problems } = report((c) => app(c, { image: POSTFIX_IMAGE, security: POSTFIX_OK, persistence: { etc: { type: 'emptyDir', mountPath: '/etc/postfix' } } }));
    expect(runtimeProblems(problems)).toEqual([]);
  });

  test('a read-only root without a writable volume where the image writes is a problem at persistence', () => {
    const sonarr = { repository: 'ghcr.io/home-operations/sonarr', tag: '4.0.19.3001' };
    const { problems } = report((c) => app(c, { image: sonarr, ports: [{ name: 'http', port: 8989 }], tmp: false, persistence: { config: { type: 'configMap', name: 'cfg', mountPath: '/config' } } }));
    problemAt(problems, 'persistence', 'writes /tmp');
    // A configMap is read-only: it does not cover /config.
    problemAt(problems, 'persistence', 'writes /config');
    const fine = report((c) => app(c, { image: sonarr, ports: [{ name: 'http', port: 8989 }], persistence: { config: { type: 'emptyDir', mountPath: '/config' } } }));
    expect(runtimeProblems(fine.problems)).toEqual([]);
  });

  test('a read-only mount does not count as writable', () => {
    const sonarr = { repository: 'ghcr.io/home-operations/sonarr', tag: '4.0.19.3001' };
    const { problems } = report((c) => app(c, { image: sonarr, persistence: { config: { type: 'emptyDir', mountPath: '/config', readOnly: true } } }));
    problemAt(problems, 'persistence', 'writes /config');
  });

  test('a path moved by a variable is checked where the variable points', () => {
    const vw = { repository: 'vaultwarden/server', tag: '1.37.2' };
    const moved = report((c) => app(c, { image: vw, env: { DATA_FOLDER: '/vault' }, persistence: { data: { type: 'emptyDir', mountPath: '/data' } } }));
    problemAt(moved.problems, 'persistence', 'writes /vault');
    const fine = report((c) => app(c, { image: vw, env: { DATA_FOLDER: '/vault' }, persistence: { data: { type: 'emptyDir', mountPath: '/vault' } } }));
    expect(runtimeProblems(fine.problems)).toEqual([]);
  });

  test('a capability the image needs, left dropped, is a problem at security.addCapabilities', () => {
    const ldap = { repository: 'bitnamilegacy/openldap', tag: '2.6.10-debian-12-r4' };
    const volumes: AppProps['persistence'] = {
      data: { type: 'emptyDir', mountPath: '/bitnami/openldap' },
      share: { type: 'emptyDir', mountPath: '/opt/bitnami/openldap/share' },
      run: { type: 'emptyDir', mountPath: '/opt/bitnami/openldap/var/run' },
    };
    const { problems } = report((c) => app(c, { image: ldap, persistence: volumes }));
    problemAt(problems, 'security.addCapabilities', 'NET_BIND_SERVICE');
    const fine = report((c) => app(c, { image: ldap, persistence: volumes, security: { addCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: 'slapd file capability' } } }));
    expect(runtimeProblems(fine.problems)).toEqual([]);
  });

  test('capabilities needed only as root are not asked of an unprivileged container', () => {
    const nc = { repository: 'nextcloud', tag: '34.0.2-apache' };
    const asRoot = report((c) => app(c, { image: nc, security: { runAsRoot: { reason: 'r' }, writableRootFilesystem: { reason: 'w' } } }));
    problemAt(asRoot.problems, 'security.addCapabilities', 'CHOWN');
    const unprivileged = report((c) => app(c, { image: nc, security: { runAsUser: 33, writableRootFilesystem: { reason: 'w' } } }));
    expect(runtimeProblems(unprivileged.problems)).toEqual([]);
  });

  test('a container port the image does not listen on is a warning; a flag or variable moving the port is followed', () => {
    const whoami = { repository: 'traefik/whoami', tag: 'v1.11.0' };
    const http = [{ name: 'http', port: 8080 }];
    const unmoved = report((c) => app(c, { image: whoami, ports: http, tmp: false }));
    const w = unmoved.warnings.find((x) => x.code === 'image-port');
    expect(w?.message).toContain("port 'http' (8080/TCP) is not one image 'traefik/whoami' listens on (80/TCP)");
    expect(w?.message).toContain('flag --port');
    expect(report((c) => app(c, { image: whoami, ports: http, tmp: false, args: ['--port', '8080'] })).warnings).toEqual([]);
    expect(report((c) => app(c, { image: whoami, ports: http, tmp: false, args: ['--port=8080'] })).warnings).toEqual([]);
    expect(report((c) => app(c, { image: whoami, ports: http, tmp: false, env: { WHOAMI_PORT_NUMBER: '8080' } })).warnings).toEqual([]);
    // The protocol counts too.
    const udp = report((c) => app(c, { image: whoami, ports: [{ name: 'http', port: 80, protocol: 'UDP' }], tmp: false }));
    expect(udp.warnings.map((x) => x.code)).toEqual(['image-port']);
  });

  test('a port set from a Secret is unknown, so not warned about', () => {
    const vw = { repository: 'vaultwarden/server', tag: '1.37.2' };
    const { warnings } = report((c) => app(c, {
      image: vw, ports: [{ name: 'http', port: 8080 }], env: { ROCKET_PORT: { secretKeyRef: { name: 's', key: 'port' } } }, persistence: { data: { type: 'emptyDir', mountPath: '/data' } },
    }));
    expect(warnings).toEqual([]);
  });

  test('your own image is checked against the runtime you give it', () => {
    const mine: ImageRef = { repository: 'ghcr.io/me/legacy', tag: '1.0.0', runtime: { source: 'Dockerfile', user: { uid: 0, gid: 0 }, startsAsRoot: { reason: 'its init chowns /srv' }, ports: [{ port: 80 }] } };
    const { problems, warnings } = report((c) => app(c, { image: mine, ports: [{ name: 'http', port: 8080 }] }));
    problemAt(problems, 'security.runAsRoot', 'its init chowns /srv');
    expect(warnings.map((w) => w.code)).toEqual(['image-port']);
  });

  test('unknown images and a command replacing the entrypoint are not checked', () => {
    expect(runtimeProblems(report((c) => app(c, { image: { repository: 'ghcr.io/me/unknown', tag: '1.0.0' }, tmp: false })).problems)).toEqual([]);
    const replaced = report((c) => app(c, { image: POSTFIX_IMAGE, command: ['/usr/sbin/postfix', 'start-fg'], ports: [{ name: 'smtp', port: 2525 }] }));
    expect(runtimeProblems(replaced.problems)).toEqual([]);
    expect(replaced.warnings).toEqual([]);
  });

  test("the seeds' app constructs agree with their images' facts", () => {
    const { problems, warnings } = report((c) => {
      const postfix = new apps.Postfix(c, 'postfix');
      new apps.Whoami(c, 'whoami');
      new apps.Blog(c, 'blog');
      new apps.Vaultwarden(c, 'vaultwarden', { smtp: postfix.relay });
      new apps.N8n(c, 'n8n');
      new apps.Nextcloud(c, 'nextcloud');
      const ldap = new apps.OpenLdap(c, 'openldap', { adminPassword: { secretKeyRef: { name: 's', key: 'ldap' } } });
      new apps.Keycloak(c, 'keycloak', { bootstrapAdminPassword: { secretKeyRef: { name: 's', key: 'kc' } }, realm: { name: 'homelab', ldap } });
      const media = { nfs: { server: '10.0.0.5', path: '/volume1/media' } };
      const jellyfin = new apps.Jellyfin(c, 'jellyfin', { media });
      const qbittorrent = new apps.Qbittorrent(c, 'qbittorrent', { media });
      const prowlarr = new apps.Prowlarr(c, 'prowlarr');
      const sonarr = new apps.Sonarr(c, 'sonarr', { media, downloadClient: qbittorrent, prowlarr });
      const radarr = new apps.Radarr(c, 'radarr', { media, downloadClient: qbittorrent, prowlarr });
      new apps.Jellyseerr(c, 'jellyseerr', { mediaServer: jellyfin, managers: [sonarr, radarr] });
      new apps.Grafana(c, 'grafana', { adminPassword: { secretKeyRef: { name: 's', key: 'gf' } } });
    });
    expect(runtimeProblems(problems)).toEqual([]);
    expect(warnings.filter((w) => w.code === 'image-port')).toEqual([]);
  });
});

describe('Postfix renders what boky/postfix v5.1.0 needs (issue #13: read-only root crash-looped run.sh)', () => {
  const s = synth((c) => { withPlatform(c); new apps.Postfix(c, 'postfix', { relay: { host: 'smtp.example.net' } }); });
  const d = s.get('Deployment', 'postfix', 'mail');
  const main = mainContainer(d);

  test('root, writable root filesystem, the facts\' capabilities; only the queue and /tmp mounted', () => {
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    expect(main.securityContext).toMatchObject({ runAsNonRoot: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'], add: [...POSTFIX_RUNTIME.capabilities.names].sort() } });
    expect(mountsOf(main)).toEqual({ '/var/spool/postfix': 'spool', '/tmp': 'tmp' });
  });
});

describe('NFS volumes need an NFS client on the nodes', () => {
  const nfs = { type: 'nfs' as const, server: '10.0.0.5', path: '/volume1/media', mountPath: '/media' };

  test('an app with an NFS volume declares the nfs-client host package (k3s nodes install it)', () => {
    const { cluster } = report((c) => app(c, { image: { repository: 'ghcr.io/me/web', tag: '1.0.0' }, persistence: { media: nfs } }), { distribution: 'k3s' });
    expect(componentNodeRequirements(cluster.component('x')!)).toEqual([{ hostPackages: ['nfs-client'] }]);
    expect(nodeRequirements(cluster).hostPackages).toEqual(['nfs-client']);
  });

  test('an app without NFS declares nothing', () => {
    const { cluster } = report((c) => app(c, { image: { repository: 'ghcr.io/me/web', tag: '1.0.0' }, persistence: { data: { type: 'emptyDir', mountPath: '/data' } } }));
    expect(componentNodeRequirements(cluster.component('x')!)).toEqual([]);
  });

  test('on Talos nothing is asked of the OS: no extension, the kubelet image carries nfs-common', () => {
    const { cluster } = report((c) => app(c, { image: { repository: 'ghcr.io/me/web', tag: '1.0.0' }, persistence: { media: nfs } }));
    expect(nodeRequirements(cluster).talosExtensions).toEqual([]);
  });
});
