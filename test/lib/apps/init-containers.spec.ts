import { App, AppProps } from '../../../src/lib/apps/app.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { envOf, mountsOf, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const PROXY = { repository: 'ghcr.io/example/proxy', tag: '2.0.0' };
const app = (c: HomelabCluster, props: Partial<AppProps> = {}) =>
  new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], env: { TZ: 'Europe/Berlin' }, persistence: { data: { type: 'emptyDir', mountPath: '/data' } }, ...props });

describe('App init containers: every option of the main container, native sidecars', () => {
  test('a plain init container: image, args, env (inherited and its own), envFrom, mounts, resources, the hardened context', () => {
    const s = synth((c) => app(c, {
      initContainers: [{ name: 'migrate', args: ['migrate'], env: { STEP: '1' }, envFrom: [{ configMap: 'web-settings' }], volumes: ['data'], resources: { cpuRequest: '100m', memoryLimit: '256Mi' } }],
    }));
    const init = s.get('Deployment', 'web').spec.template.spec.initContainers[0];
    expect(init).toMatchObject({ name: 'migrate', image: 'ghcr.io/example/web:1.2.3', args: ['migrate'], envFrom: [{ configMapRef: { name: 'web-settings' } }] });
    expect(envOf(init)).toEqual({ TZ: 'Europe/Berlin', STEP: '1' });
    expect(mountsOf(init)).toEqual({ '/data': 'data' });
    expect(init.resources).toEqual({ requests: { cpu: '100m', memory: '32Mi' }, limits: { memory: '256Mi' } });
    expect(init.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false });
    expect(init).not.toHaveProperty('restartPolicy');
    expect(init).not.toHaveProperty('livenessProbe');
  });

  test("a native sidecar (restartPolicy: 'Always'): ports on the Service, probes, counted in the footprint", () => {
    const proxy = { name: 'proxy', image: PROXY, restartPolicy: 'Always' as const, ports: [{ name: 'proxy', port: 9000 }], probes: { readiness: { tcp: { port: 'proxy' } } }, resources: { cpuRequest: '20m', memoryRequest: '64Mi' } };
    const s = synth((c) => app(c, { initContainers: [proxy] }));
    const init = s.get('Deployment', 'web').spec.template.spec.initContainers[0];
    expect(init).toMatchObject({ name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 9000, protocol: 'TCP' }], readinessProbe: { tcpSocket: { port: 'proxy' } } });
    expect(s.get('Service', 'web').spec.ports.map((p: any) => p.name)).toEqual(['http', 'proxy']);
    expect(s.cluster.component('web')!.workloads[0]).toMatchObject({ cpuRequest: '70m', memoryRequest: '192Mi' });
  });

  test('a native sidecar in a CronJob is allowed (it stops when the job ends); a plain sidecar is not', () => {
    const cron = { kind: 'CronJob' as const, schedule: '@hourly' };
    const s = synth((c) => app(c, { ports: [], workload: cron, initContainers: [{ name: 'proxy', image: PROXY, restartPolicy: 'Always' }] }));
    expect(s.get('CronJob', 'web').spec.jobTemplate.spec.template.spec.initContainers[0].restartPolicy).toBe('Always');
    expect(problemAt(problems((c) => app(c, { ports: [], workload: cron, sidecars: [{ name: 'proxy', image: PROXY }] })), 'sidecars', 'the Job never completes').fix).toMatch(/restartPolicy: 'Always'/);
  });

  test('mistakes: ports on a plain init container, restartPolicy on a sidecar, a native sidecar probing a port it lacks', () => {
    problemAt(problems((c) => app(c, { initContainers: [{ name: 'init', ports: [{ name: 'x', port: 1 }] }] })), 'containers.init', 'runs to completion');
    problemAt(problems((c) => app(c, { sidecars: [{ name: 'log', restartPolicy: 'Always' }] })), 'containers.log.restartPolicy', 'which only init containers take');
    problemAt(problems((c) => app(c, { initContainers: [{ name: 'proxy', restartPolicy: 'Always', probes: { liveness: { tcp: { port: 'http' } } } }] })), 'containers.proxy.probes.liveness.tcp.port', 'which this container does not declare');
  });
});
