import { App, AppProps } from '../../../src/lib/apps/app.js';
import { RELAXATIONS_ANNOTATION } from '../../../src/lib/apps/security.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { mainContainer, mountsOf, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/zigbee2mqtt', tag: '2.6.0' };
const STICK = '/dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus-if00-port0';
const app = (c: HomelabCluster, props: Partial<AppProps> = {}) =>
  new App(c, 'zigbee', { image: IMAGE, namespace: 'home', ports: [{ name: 'http', port: 8080 }], ...props });

describe('App devices: device-plugin resources and host character devices', () => {
  test('a device-plugin resource is requested and limited alike, as a whole device', () => {
    const s = synth((c) => app(c, { resources: { extended: { 'gpu.intel.com/i915': '1' } } }));
    const main = mainContainer(s.get('Deployment', 'zigbee', 'home'));
    expect(main.resources.requests['gpu.intel.com/i915']).toBe('1');
    expect(main.resources.limits['gpu.intel.com/i915']).toBe('1');
    // No host path, no privilege: the namespace stays restricted.
    expect(s.get('Namespace', 'home').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    problemAt(problems((c) => app(c, { resources: { extended: { 'gpu.intel.com/i915': '0.5' } } })), 'resources.extended.gpu.intel.com/i915', 'is not a whole number of devices');
    problemAt(problems((c) => app(c, { resources: { extended: { gpu: '1' } } })), 'resources.extended.gpu', 'is not an extended resource name');
  });

  describe('a USB stick on node w2', () => {
    const s = synth((c) => app(c, { devices: [{ path: STICK, mountPath: '/dev/ttyUSB0', node: 'w2', group: 20, reason: 'Zigbee coordinator' }] }));
    const deploy = s.get('Deployment', 'zigbee', 'home');
    const pod = deploy.spec.template.spec;
    const main = mainContainer(deploy);

    test('the device is a CharDevice host path mounted where asked', () => {
      expect(pod.volumes).toContainEqual({ name: 'device-0', hostPath: { path: STICK, type: 'CharDevice' } });
      expect(mountsOf(main)['/dev/ttyUSB0']).toBe('device-0');
    });

    test('the pod is pinned to the node the device is plugged into', () => {
      expect(pod.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'w2' });
      expect(s.cluster.component('zigbee')!.workloads[0].nodeSelector).toEqual({ 'kubernetes.io/hostname': 'w2' });
    });

    test('privileged with the device\'s reason, its group added, the namespace privileged', () => {
      expect(main.securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: true });
      expect(pod.securityContext.supplementalGroups).toEqual([20]);
      expect(deploy.metadata.annotations[RELAXATIONS_ANNOTATION]).toMatch(/^privileged: host device .*usb-ITead.*: Zigbee coordinator \(a device mounted by path opens only in a privileged container/);
      expect(s.get('Namespace', 'home').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    });
  });

  test('a device found by node label', () => {
    const nodes = [{ name: 'cp', role: 'control-plane' as const, cpu: 4, memory: '8Gi' }, { name: 'w1', role: 'worker' as const, cpu: 4, memory: '8Gi', labels: { 'homelab.arpa/zwave': 'true' } }];
    const s = synth((c) => app(c, { devices: [{ path: '/dev/ttyACM0', nodeLabel: { 'homelab.arpa/zwave': 'true' }, reason: 'Z-Wave controller' }] }), { nodes });
    expect(s.get('Deployment', 'zigbee', 'home').spec.template.spec.nodeSelector).toEqual({ 'homelab.arpa/zwave': 'true' });
  });

  test('mistakes: no node, an unknown node, two nodes, a path outside /dev, no reason', () => {
    problemAt(problems((c) => app(c, { devices: [{ path: STICK, reason: 'Zigbee' }] })), 'devices[0].node', 'names no node');
    problemAt(problems((c) => app(c, { devices: [{ path: STICK, node: 'nuc', reason: 'Zigbee' }] })), 'devices', "no node of cluster 'test' matches");
    problemAt(problems((c) => app(c, { devices: [{ path: STICK, node: 'w1', reason: 'Zigbee' }, { path: '/dev/ttyACM0', node: 'w2', reason: 'Z-Wave' }] })), 'devices', 'a pod runs on one node');
    problemAt(problems((c) => app(c, { nodeSelector: { 'kubernetes.io/hostname': 'w1' }, devices: [{ path: STICK, node: 'w2', reason: 'Zigbee' }] })), 'devices', 'a pod runs on one node');
    problemAt(problems((c) => app(c, { devices: [{ path: '/srv/stick', node: 'w1', reason: 'Zigbee' }] })), 'devices[0].path', 'is not under /dev');
    problemAt(problems((c) => app(c, { devices: [{ path: STICK, node: 'w1', reason: ' ' }] })), 'devices[0].reason', 'needs a reason');
  });

  test('only containers mounting a device are privileged, unless the user made the whole pod privileged', () => {
    const device = { path: STICK, node: 'w1', reason: 'Zigbee coordinator' };
    const seeder = { name: 'seed', command: ['/bin/sh', '-c', 'true'], volumes: ['tmp'] };
    const pod = (security: AppProps['security'] = {}) => synth((c) => app(c, { devices: [device], initContainers: [seeder], sidecars: [{ name: 'all-mounts' }], security })).get('Deployment', 'zigbee').spec.template.spec;
    const p = pod();
    expect(mainContainer({ metadata: { name: 'zigbee' }, spec: { template: { spec: p } } }).securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true });
    expect(p.initContainers[0].securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // A sidecar mounting every volume mounts the device too.
    expect(p.containers.find((x: { name: string }) => x.name === 'all-mounts').securityContext.privileged).toBe(true);
    const explicit = pod({ privileged: { reason: 'the app scans the USB bus' } });
    expect(explicit.initContainers[0].securityContext.privileged).toBe(true);
  });
});
