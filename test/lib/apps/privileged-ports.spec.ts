import { App, AppProps } from '../../../src/lib/apps/app.js';
import { N8n } from '../../../src/lib/apps/n8n.js';
import { Sonarr } from '../../../src/lib/apps/sonarr.js';
import { Vaultwarden } from '../../../src/lib/apps/vaultwarden.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const web = (c: HomelabCluster, props: Partial<AppProps> = {}) => new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 80 }], ...props });
const podOf = (build: (c: HomelabCluster) => unknown, name = 'web') => synth(build).get('Deployment', name).spec.template.spec;
const SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

describe('ports below 1024 under the hardened pod', () => {
  test('a non-root app on port 80 gets the sysctl lowered to 80, and only that', () => {
    const d = synth((c) => web(c)).get('Deployment', 'web');
    expect(d.spec.template.spec.securityContext.sysctls).toEqual([{ name: SYSCTL, value: '80' }]);
    // Still restricted: the sysctl is on the safe list, no capability is added back.
    expect(mainContainer(d).securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('the lowest port of the whole pod counts, sidecars included', () => {
    const pod = podOf((c) => web(c, { ports: [{ name: 'http', port: 8080 }], sidecars: [{ name: 'proxy', ports: [{ name: 'https', port: 443 }, { name: 'dns', port: 53, protocol: 'UDP' }] }] }));
    expect(pod.securityContext.sysctls).toEqual([{ name: SYSCTL, value: '53' }]);
  });

  test('no sysctl for ports from 1024 up, nor for root holding NET_BIND_SERVICE', () => {
    expect(podOf((c) => web(c, { ports: [{ name: 'http', port: 1024 }] })).securityContext).not.toHaveProperty('sysctls');
    const root = podOf((c) => web(c, { security: { runAsRoot: { reason: 'apache binds 80 as root, then drops to www-data' }, addCapabilities: { capabilities: ['NET_BIND_SERVICE', 'SETUID', 'SETGID'], reason: 'binds 80, switches user' } } }));
    expect(root.securityContext).not.toHaveProperty('sysctls');
  });

  test('root without the capability (ALL dropped) still needs the sysctl', () => {
    const pod = podOf((c) => web(c, { security: { runAsRoot: { reason: 'the entrypoint chowns /data' } } }));
    expect(pod.securityContext.sysctls).toEqual([{ name: SYSCTL, value: '80' }]);
  });

  test('a capability added to a non-root process does not count (no ambient capabilities)', () => {
    const pod = podOf((c) => web(c, { security: { addCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: 'binds 80' } } }));
    expect(pod.securityContext.sysctls).toEqual([{ name: SYSCTL, value: '80' }]);
  });

  test('on the host network a low port is an error naming the port and both fixes', () => {
    const p = problemAt(problems((c) => web(c, { security: { hostNetwork: { reason: 'mDNS discovery' } } })), 'ports', "http (80) is below 1024 on the node's network");
    expect(p.fix).toMatch(/move the port to 1024 or above/);
    expect(p.fix).toMatch(/NET_BIND_SERVICE/);
    // Root with the capability binds it on the node's network: no problem, no sysctl (the kubelet would refuse it).
    const pod = podOf((c) => web(c, { security: { hostNetwork: { reason: 'mDNS discovery' }, runAsRoot: { reason: 'binds 80' }, addCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: 'binds 80' } } }));
    expect(pod.securityContext).not.toHaveProperty('sysctls');
    expect(pod.hostNetwork).toBe(true);
  });

  test('an *arr app moved to port 80: its variable, container port and sysctl follow', () => {
    const s = synth((c) => { withPlatform(c); new Sonarr(c, 'sonarr', { port: 80 }); });
    const d = s.get('Deployment', 'sonarr');
    expect(envOf(mainContainer(d)).SONARR__SERVER__PORT).toBe('80');
    expect(mainContainer(d).ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 80 })]);
    expect(d.spec.template.spec.securityContext.sysctls).toEqual([{ name: SYSCTL, value: '80' }]);
    expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  test('Vaultwarden and n8n take their port too: the variable, container port, probes and sysctl follow', () => {
    const vw = synth((c) => { withPlatform(c); new Vaultwarden(c, 'vaultwarden', { port: 80 }); }).get('Deployment', 'vaultwarden');
    expect(envOf(mainContainer(vw)).ROCKET_PORT).toBe('80');
    expect(mainContainer(vw).ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 80 })]);
    expect(vw.spec.template.spec.securityContext.sysctls).toEqual([{ name: SYSCTL, value: '80' }]);
    const n8n = synth((c) => { withPlatform(c); new N8n(c, 'n8n', { port: 8080 }); }).get('Deployment', 'n8n');
    expect(envOf(mainContainer(n8n)).N8N_PORT).toBe('8080');
    expect(mainContainer(n8n).ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 8080 })]);
    expect(mainContainer(n8n).readinessProbe.httpGet.port).toBe('http');
    expect(n8n.spec.template.spec.securityContext).not.toHaveProperty('sysctls');
  });
});
