import { hardenedContainerSecurityContext, hardenedPodFields, hardenedPodSecurityContext, scratchVolumes } from '../../../src/lib/estate/hardened-pod.js';

const NOBODY = { runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 };

describe('hardened pod', () => {
  test('defaults: no token, no Service links, non-root, seccomp, volumes chowned on mismatch only', () => {
    expect(hardenedPodFields(NOBODY)).toEqual({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(hardenedContainerSecurityContext(NOBODY)).toEqual({
      runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('relaxations are written where they apply', () => {
    const h = { ...NOBODY, runAsUser: 0, root: true, readOnlyRootFilesystem: false, capabilities: ['CHOWN'], privileged: true, serviceAccountToken: true, supplementalGroups: [44] };
    expect(hardenedPodFields(h).automountServiceAccountToken).toBe(true);
    expect(hardenedPodSecurityContext(h)).toMatchObject({ runAsNonRoot: false, supplementalGroups: [44] });
    expect(hardenedContainerSecurityContext(h)).toMatchObject({ runAsNonRoot: false, allowPrivilegeEscalation: true, privileged: true, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'], add: ['CHOWN'] } });
  });

  test('options leave out the change policy and the per-container repeats', () => {
    expect(hardenedPodSecurityContext(NOBODY, { fsGroupChangePolicy: false })).not.toHaveProperty('fsGroupChangePolicy');
    expect(hardenedContainerSecurityContext(NOBODY, { repeatOnContainers: false })).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test("the image's own user: no uid, gid or fsGroup written (nor fsGroupChangePolicy), non-root kept; hostUsers only when false", () => {
    expect(hardenedPodSecurityContext({})).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(hardenedPodFields({ ...NOBODY, hostUsers: false }).hostUsers).toBe(false);
    expect(hardenedPodFields({ ...NOBODY, hostUsers: true })).not.toHaveProperty('hostUsers');
  });

  test('scratch volumes are emptyDirs mounted where named', () => {
    expect(scratchVolumes({ tmp: '/tmp' })).toEqual({ volumes: [{ name: 'tmp', emptyDir: {} }], mounts: [{ name: 'tmp', mountPath: '/tmp' }] });
  });
});
