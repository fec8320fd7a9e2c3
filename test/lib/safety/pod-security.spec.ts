import { App } from '../../../src/lib/apps/app.js';
import { Problem, SynthError } from '../../../src/lib/estate/problems.js';
import { defaultEnforcedLevel, levelAdmitting, podSecurityViolations } from '../../../src/lib/safety/pod-security.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { rawComponent, tempRoot } from '../../helpers.js';
import { deployment, lab, LabOptions } from './fixtures.js';

type Manifest = Record<string, any>;

/** The hardened pod spec of the fixtures' Deployment, with overrides on the pod and its container. */
function pod(overrides: { pod?: Manifest; container?: Manifest } = {}): Manifest {
  return deployment('x', overrides).spec.template.spec;
}

const fields = (p: Manifest, metadata?: Manifest) => podSecurityViolations(p, metadata).map((v) => `${v.level} ${v.field}`);

function problems(extra: LabOptions['extra'], cluster: LabOptions['cluster'] = {}): readonly Problem[] {
  try {
    synthesize(lab({ extra, cluster }), { root: tempRoot() });
    return [];
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
}

const admission = (ps: readonly Problem[]) => ps.filter((p) => p.message.startsWith('Pod Security admission'));

describe('Pod Security Standards controls', () => {
  test('the fixtures\' hardened pod meets restricted', () => {
    expect(podSecurityViolations(pod())).toEqual([]);
    expect(levelAdmitting(podSecurityViolations(pod()))).toBe('restricted');
  });

  test.each([
    ['hostNetwork', { pod: { hostNetwork: true } }, 'baseline hostNetwork'],
    ['hostPID', { pod: { hostPID: true } }, 'baseline hostPID'],
    ['a hostPath volume', { pod: { volumes: [{ name: 'dev', hostPath: { path: '/dev' } }] } }, 'baseline volumes[0].hostPath'],
    ['an unsafe sysctl', { pod: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } } }, 'baseline securityContext.sysctls[0]'],
    ['a privileged container', { container: { securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } } }, 'baseline containers[0].securityContext.privileged'],
    ['NET_ADMIN added', { container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } } }, 'baseline containers[0].securityContext.capabilities.add'],
    ['a host port', { container: { ports: [{ containerPort: 53, hostPort: 53 }] } }, 'baseline containers[0].ports[0].hostPort'],
    ['seccomp Unconfined', { container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'Unconfined' } } } }, 'baseline containers[0].securityContext.seccompProfile.type'],
    ['procMount Unmasked', { container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } } }, 'baseline containers[0].securityContext.procMount'],
    ['an SELinux user', { container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seLinuxOptions: { user: 'system_u' } } } }, 'baseline containers[0].securityContext.seLinuxOptions.user'],
  ])('%s breaks baseline', (_what, overrides, expected) => {
    expect(fields(pod(overrides))).toContain(expected);
    expect(levelAdmitting(podSecurityViolations(pod(overrides)))).toBe('privileged');
  });

  test.each([
    ['allowPrivilegeEscalation unset', { container: { securityContext: { capabilities: { drop: ['ALL'] } } } }, 'restricted containers[0].securityContext.allowPrivilegeEscalation'],
    ['no runAsNonRoot anywhere', { pod: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } }, 'restricted containers[0].securityContext.runAsNonRoot'],
    ['uid 0 on the pod', { pod: { securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } } }, 'restricted securityContext.runAsUser'],
    ['no seccomp profile', { pod: { securityContext: { runAsNonRoot: true } } }, 'restricted containers[0].securityContext.seccompProfile.type'],
    ['capabilities not dropped', { container: { securityContext: { allowPrivilegeEscalation: false } } }, 'restricted containers[0].securityContext.capabilities.drop'],
    ['CHOWN added', { container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } } }, 'restricted containers[0].securityContext.capabilities.add'],
    ['an inline NFS volume', { pod: { volumes: [{ name: 'media', nfs: { server: 'nas', path: '/media' } }] } }, 'restricted volumes[0].nfs'],
  ])('%s breaks restricted only', (_what, overrides, expected) => {
    expect(fields(pod(overrides))).toContain(expected);
    expect(levelAdmitting(podSecurityViolations(pod(overrides)))).toBe('baseline');
  });

  test('NET_BIND_SERVICE, CAP_-prefixed names and container-level settings are what restricted allows', () => {
    const p = pod({ pod: { securityContext: {} }, container: { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'Localhost', localhostProfile: 'x.json' }, capabilities: { drop: ['CAP_ALL'], add: ['CAP_NET_BIND_SERVICE'] } } } });
    expect(podSecurityViolations(p)).toEqual([]);
  });

  test('init containers are checked like the others, and an AppArmor unconfined annotation breaks baseline', () => {
    const p = pod({ pod: { initContainers: [{ name: 'chown', image: 'busybox:1.37', securityContext: { runAsUser: 0 } }] } });
    expect(fields(p)).toEqual(expect.arrayContaining(['restricted initContainers[0].securityContext.runAsUser', 'restricted initContainers[0].securityContext.allowPrivilegeEscalation']));
    expect(fields(pod(), { annotations: { 'container.apparmor.security.beta.kubernetes.io/x': 'unconfined' } })).toEqual(['baseline metadata.annotations.container.apparmor.security.beta.kubernetes.io/x']);
  });

  test('admission defaults: Talos enforces baseline except in kube-system; k3s and OKE admit everything', () => {
    expect(defaultEnforcedLevel('talos', 'default')).toBe('baseline');
    expect(defaultEnforcedLevel('talos', 'flux-system')).toBe('baseline');
    expect(defaultEnforcedLevel('talos', 'kube-system')).toBe('privileged');
    expect(defaultEnforcedLevel('k3s', 'default')).toBe('privileged');
    expect(defaultEnforcedLevel('oke', 'default')).toBe('privileged');
  });
});

describe('Pod Security admission at synth', () => {
  test('a privileged workload in a restricted namespace is an error naming the field, the level and the namespace option', () => {
    const ps = admission(problems((c) => rawComponent(c, { name: 'probe', namespace: 'probe', layer: 'apps' }, [deployment('probe', { container: { securityContext: { privileged: true } } })])));
    expect(ps).toHaveLength(1);
    expect(ps[0].field).toBe('spec.template.spec.containers[0].securityContext.privileged');
    expect(ps[0].message).toContain("namespace 'probe' enforces 'restricted'");
    expect(ps[0].message).toContain('its pods never start');
    expect(ps[0].fix).toContain("namespace: { name: 'probe', podSecurity: 'privileged' }");
  });

  test('the same workload passes once its component asks for the privileged level', () => {
    expect(admission(problems((c) => rawComponent(c, { name: 'probe', namespace: { name: 'probe', podSecurity: 'privileged' }, layer: 'apps' }, [deployment('probe', { container: { securityContext: { privileged: true } } })])))).toEqual([]);
  });

  test('a namespace is as permissive as its most permissive user, so a baseline workload beside a restricted one passes', () => {
    expect(admission(problems((c) => {
      rawComponent(c, { name: 'root-app', namespace: { name: 'shared', podSecurity: 'baseline' }, layer: 'apps' }, [deployment('root-app', { pod: { securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } } })]);
      rawComponent(c, { name: 'other', namespace: 'shared', layer: 'apps' }, [deployment('other')]);
    }))).toEqual([]);
  });

  test('a restricted namespace refuses a pod without allowPrivilegeEscalation: false (baseline would admit it)', () => {
    const ps = admission(problems((c) => rawComponent(c, { name: 'loose', namespace: 'loose', layer: 'apps' }, [deployment('loose', { container: { securityContext: { capabilities: { drop: ['ALL'] } } } })])));
    expect(ps.map((p) => p.field)).toEqual(['spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation']);
    expect(ps[0].fix).toContain("podSecurity: 'baseline'");
  });

  test('on Talos an unlabelled built-in namespace enforces baseline; kube-system admits host networking', () => {
    const hostNet = deployment('dns', { pod: { hostNetwork: true } });
    const talos = admission(problems((c) => rawComponent(c, { name: 'dns', namespace: 'default', layer: 'apps' }, [hostNet])));
    expect(talos.map((p) => p.field)).toEqual(['spec.template.spec.hostNetwork']);
    expect(talos[0].fix).toContain('move it to a namespace the cluster creates');
    expect(admission(problems((c) => rawComponent(c, { name: 'dns', namespace: 'kube-system', layer: 'apps' }, [hostNet])))).toEqual([]);
  });

  test('on k3s the same unlabelled namespace admits it (no admission configuration)', () => {
    const k3s = admission(problems((c) => rawComponent(c, { name: 'dns', namespace: 'default', layer: 'apps' }, [deployment('dns', { pod: { hostNetwork: true } })]), { distribution: 'k3s' }));
    expect(k3s).toEqual([]);
    const ps = problems((c) => rawComponent(c, { name: 'dns', namespace: 'default', layer: 'apps' }, [deployment('dns', { pod: { hostNetwork: true } })]), { distribution: 'k3s' });
    expect(ps.map((p) => `${p.field}: ${p.message}`)).toEqual([]);
  });

  test('CronJob pod templates are checked too', () => {
    const job = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...pod({ pod: { hostPID: true } }), restartPolicy: 'OnFailure' } } } } } };
    const ps = admission(problems((c) => rawComponent(c, { name: 'backup', namespace: 'backup', layer: 'apps' }, [job])));
    expect(ps.map((p) => p.field)).toEqual(['spec.jobTemplate.spec.template.spec.hostPID']);
  });

  test('an App derives its namespace level from its relaxations, so a root App is admitted', () => {
    expect(admission(problems((c) => new App(c, 'legacy', {
      image: { repository: 'ghcr.io/example/legacy', tag: '1.0.0' },
      ports: [{ name: 'http', port: 8080 }],
      security: { runAsRoot: { reason: 'the entrypoint chowns /data then drops to uid 1000' } },
    })))).toEqual([]);
  });
});
