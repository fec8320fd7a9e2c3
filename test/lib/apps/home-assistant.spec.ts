import { HomeAssistant, HOME_ASSISTANT_IMAGE } from '../../../src/lib/apps/home-assistant.js';
import { imageName } from '../../../src/lib/apps/image.js';
import { RELAXATIONS_ANNOTATION } from '../../../src/lib/apps/security.js';
import { withPlatform } from './fakes.js';
import { mainContainer, mountsOf, synth } from './harness.js';

const STICK = { path: '/dev/serial/by-id/usb-zigbee-if00', mountPath: '/dev/ttyUSB0', node: 'w1', group: 20, reason: 'Zigbee coordinator' };

describe('HomeAssistant', () => {
  const s = synth((c) => {
    withPlatform(c);
    new HomeAssistant(c, 'home-assistant', { devices: [STICK] });
  });
  const d = s.get('Deployment', 'home-assistant', 'home');
  const pod = d.spec.template.spec;
  const main = mainContainer(d);

  test("the rootless image as its own nobody, read-only root, /config claim and /tmp", () => {
    expect(main.image).toBe(imageName(HOME_ASSISTANT_IMAGE));
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, supplementalGroups: [20] });
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountsOf(main)).toMatchObject({ '/config': 'config', '/tmp': 'tmp', '/dev/ttyUSB0': 'device-0' });
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8123, hostPort: 8123, protocol: 'TCP' }]);
    expect(main.readinessProbe.httpGet).toMatchObject({ path: '/', port: 'http' });
  });

  test('host network with cluster DNS, the stick by hostPath on its node, namespace privileged', () => {
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.volumes).toContainEqual({ name: 'device-0', hostPath: { path: STICK.path, type: 'CharDevice' } });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'w1' });
    expect(main.securityContext.privileged).toBe(true);
    expect(d.metadata.annotations[RELAXATIONS_ANNOTATION]).toMatch(/hostNetwork: mDNS/);
    expect(s.get('Namespace', 'home').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('configuration.yaml is seeded once, trusting the pod network as reverse proxy', () => {
    const seed = s.get('ConfigMap', 'home-assistant-files').data['configuration.yaml'];
    expect(seed).toContain('use_x_forwarded_for: true');
    expect(seed).toContain(`    - ${s.cluster.network.podCidr}`);
    expect(seed).toContain('automation: !include automations.yaml');
    const init = pod.initContainers.find((c: { name: string }) => c.name === 'seed-config');
    expect(init.command.join(' ')).toContain('[ -e configuration.yaml ] || cp /seed/configuration.yaml configuration.yaml');
    expect(mountsOf(init)).toEqual({ '/config': 'config', '/seed/configuration.yaml': 'config-files' });
  });

  test('hostNetwork: false keeps it on the pod network and the namespace restricted', () => {
    const own = synth((c) => {
      withPlatform(c);
      new HomeAssistant(c, 'home-assistant', { hostNetwork: false, trustedProxies: ['10.0.0.5'] });
    });
    const spec = own.get('Deployment', 'home-assistant').spec.template.spec;
    expect(spec.hostNetwork).toBeUndefined();
    expect(own.get('Namespace', 'home').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(own.get('ConfigMap', 'home-assistant-files').data['configuration.yaml']).toContain('    - 10.0.0.5');
  });
});
