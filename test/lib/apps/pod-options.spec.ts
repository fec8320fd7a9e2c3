import { App, AppProps } from '../../../src/lib/apps/app.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { mainContainer, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const web = (c: HomelabCluster, props: Partial<AppProps> = {}) => new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], ...props });
const pod = (props: Partial<AppProps>) => synth((c) => web(c, props)).get('Deployment', 'web').spec.template.spec;

describe('App pod options: grace period, user namespace, the image\'s own user', () => {
  test('terminationGracePeriodSeconds: 30 written by default, the given value otherwise', () => {
    expect(pod({}).terminationGracePeriodSeconds).toBe(30);
    expect(pod({ terminationGracePeriodSeconds: 120 }).terminationGracePeriodSeconds).toBe(120);
    problemAt(problems((c) => web(c, { terminationGracePeriodSeconds: -1 })), 'terminationGracePeriodSeconds', 'is not a grace period');
  });

  test('hostUsers: false puts the pod in its own user namespace; not written by default', () => {
    expect(pod({ security: { hostUsers: false } }).hostUsers).toBe(false);
    expect(pod({})).not.toHaveProperty('hostUsers');
    expect(pod({ security: { hostUsers: true } })).not.toHaveProperty('hostUsers');
  });

  test('hostUsers: false with hostNetwork is refused, as the API server would', () => {
    const p = problemAt(problems((c) => web(c, { security: { hostUsers: false, hostNetwork: { reason: 'mDNS' } } })), 'security.hostUsers', 'cannot be combined with hostNetwork');
    expect(p.fix).toMatch(/drop hostUsers: false/);
  });

  test('hostUsers: false with an NFS volume warns (NFS cannot be idmapped)', () => {
    const s = synth((c) => web(c, { security: { hostUsers: false }, persistence: { media: { type: 'nfs', server: 'nas.lan', path: '/media', mountPath: '/media', readOnly: true } } }));
    expect(s.warnings.find((w) => w.code === 'user-namespace-nfs')?.message).toMatch(/volume 'media' is an NFS share/);
  });

  test("runAsImageUser: no uid or gid written, runAsNonRoot kept, fsGroup only when known", () => {
    const sc = pod({ security: { runAsImageUser: true } }).securityContext;
    expect(sc).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(mainContainer(synth((c) => web(c, { security: { runAsImageUser: true } })).get('Deployment', 'web')).securityContext.runAsNonRoot).toBe(true);
    expect(pod({ security: { runAsImageUser: true, fsGroup: 2000 } }).securityContext).toEqual({
      runAsNonRoot: true, fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    // The image's facts know its user: the fsGroup follows its group.
    const known = { ...IMAGE, runtime: { source: 'test', user: { uid: 1000, gid: 1001 } } };
    expect(pod({ image: known, security: { runAsImageUser: true } }).securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 1001 });
  });

  test('runAsImageUser contradictions: a uid as well, an image whose user is root', () => {
    problemAt(problems((c) => web(c, { security: { runAsImageUser: true, runAsUser: 1000 } })), 'security.runAsImageUser', 'but runAsUser is set too');
    const rootImage = { ...IMAGE, runtime: { source: 'test', user: { uid: 0, gid: 0 } } };
    problemAt(problems((c) => web(c, { image: rootImage, security: { runAsImageUser: true } })), 'security.runAsImageUser', 'runs as root when the pod sets no user');
  });
});
