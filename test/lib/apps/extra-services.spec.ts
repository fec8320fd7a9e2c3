import { App, AppProps } from '../../../src/lib/apps/app.js';
import { NON_PUBLIC_RANGES } from '../../../src/lib/apps/network.js';
import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Cilium } from '../../../src/lib/platform/network/cilium.js';
import { withPlatform } from './fakes.js';
import { policyLines, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/broker', tag: '2.0.1' };
const PORTS: AppProps['ports'] = [{ name: 'http', port: 8080 }, { name: 'mqtt', port: 1883 }, { name: 'dns', port: 5353, protocol: 'UDP', service: false }];
const solo: Partial<ClusterProps> = { nodes: [{ name: 'solo', role: 'control-plane', cpu: 8, memory: '32Gi', ip: '10.0.50.5' }], network: { nodeCidr: '10.0.50.0/24' } };
const three: Partial<ClusterProps> = {
  network: { nodeCidr: '10.0.50.0/24' },
  nodes: [
    { name: 'cp', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1' },
    { name: 'w1', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.11' },
    { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.12' },
  ],
};
const withCilium = (c: HomelabCluster) => {
  withPlatform(c, { ingress: false, tunnel: false });
  new Cilium(c, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.120'] }], gatewayApi: false });
};
const broker = (c: HomelabCluster, services: AppProps['services'], extra: Partial<AppProps> = {}) =>
  new App(c, 'broker', { image: IMAGE, ports: PORTS, services, ...extra });

describe('App services: a LoadBalancer (or NodePort) beside the ClusterIP Service', () => {
  test('a LoadBalancer with a pool address: type, ports by name, traffic policy, source ranges, LB-IPAM annotation', () => {
    const s = synth((c) => { withCilium(c); broker(c, [{ name: 'lan', ports: ['mqtt', 'dns'], loadBalancerIp: '10.0.50.105' }]); }, { ...solo, defaultDenyNetworkPolicies: true });
    const svc = s.get('Service', 'broker-lan');
    expect(svc.metadata.annotations).toEqual({ 'lbipam.cilium.io/ips': '10.0.50.105' });
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', loadBalancerSourceRanges: [...NON_PUBLIC_RANGES], selector: { 'app.kubernetes.io/name': 'broker' } });
    expect(svc.spec.ports).toEqual([
      { name: 'mqtt', port: 1883, targetPort: 'mqtt', protocol: 'TCP' },
      { name: 'dns', port: 5353, targetPort: 'dns', protocol: 'UDP' },
    ]);
    // The ClusterIP Service is unchanged: the port kept off it (service: false) stays off.
    expect(s.get('Service', 'broker').spec.ports.map((p: any) => p.name)).toEqual(['http', 'mqtt']);
    // One node: no forwarding between nodes, so only the clients are admitted, on the pod ports.
    const lines = policyLines(s.get('NetworkPolicy', 'broker'));
    for (const cidr of NON_PUBLIC_RANGES) expect(lines).toContain(`in ${cidr} :1883/TCP,5353/UDP`);
    expect(s.find('CiliumNetworkPolicy', 'broker-node-forwarding')).toBeUndefined();
  });

  test('several nodes under Cilium: forwarding nodes are the host / remote-node entities, admitted by a CiliumNetworkPolicy', () => {
    const s = synth((c) => { withCilium(c); broker(c, [{ name: 'lan', ports: ['mqtt'], allowFrom: ['10.0.60.0/24'] }]); }, { ...three, defaultDenyNetworkPolicies: true });
    expect(s.get('Service', 'broker-lan').spec.loadBalancerSourceRanges).toEqual(['10.0.60.0/24']);
    expect(policyLines(s.get('NetworkPolicy', 'broker'))).toContain('in 10.0.60.0/24 :1883/TCP');
    const cnp = s.get('CiliumNetworkPolicy', 'broker-node-forwarding');
    expect(cnp.spec).toEqual({
      endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'broker' } },
      ingress: [{ fromEntities: ['host', 'remote-node'], toPorts: [{ ports: [{ port: '1883', protocol: 'TCP' }] }] }],
    });
  });

  test("externalTrafficPolicy: 'Local' keeps the client's address: no node rule at all", () => {
    const s = synth((c) => { withCilium(c); broker(c, [{ name: 'lan', ports: ['mqtt'], externalTrafficPolicy: 'Local' }]); }, { ...solo, defaultDenyNetworkPolicies: true });
    expect(s.get('Service', 'broker-lan').spec.externalTrafficPolicy).toBe('Local');
    expect(s.find('CiliumNetworkPolicy', 'broker-node-forwarding')).toBeUndefined();
  });

  test("'Local' on several nodes announced by the pinned Cilium's L2 election is refused, naming the fix version", () => {
    const p = problemAt(problems((c) => { withCilium(c); broker(c, [{ name: 'lan', ports: ['mqtt'], externalTrafficPolicy: 'Local' }]); }, three), 'spec.externalTrafficPolicy', "Service 'broker/broker-lan' keeps traffic on the receiving node (Local), but Cilium 1.20.0 elects");
    expect(p.fix).toMatch(/externalTrafficPolicy: 'Cluster'.*or bump the Cilium chart to 1\.20\.2/);
  });

  test('several nodes under another enforcer: the node network joins the NetworkPolicy; unknown, it is a problem', () => {
    const s = synth((c) => { withPlatform(c, { ingress: false, tunnel: false }); broker(c, [{ name: 'np', type: 'NodePort', ports: ['mqtt'] }]); }, { ...three, defaultDenyNetworkPolicies: true });
    expect(s.get('Service', 'broker-np').spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster' });
    expect(s.get('Service', 'broker-np').spec).not.toHaveProperty('loadBalancerSourceRanges');
    expect(policyLines(s.get('NetworkPolicy', 'broker'))).toContain('in 10.0.50.0/24 :1883/TCP');
    const p = problemAt(problems((c) => { withPlatform(c, { ingress: false, tunnel: false }); broker(c, [{ name: 'np', type: 'NodePort', ports: ['mqtt'] }]); }, { defaultDenyNetworkPolicies: true }), 'services[0].externalTrafficPolicy', "the cluster's node network is unknown");
    expect(p.fix).toMatch(/network.nodeCidr/);
  });

  test('a second ClusterIP Service: no external fields, no extra policy rule', () => {
    const s = synth((c) => { withPlatform(c); broker(c, [{ name: 'metrics', type: 'ClusterIP', ports: ['http'] }]); }, { defaultDenyNetworkPolicies: true });
    expect(s.get('Service', 'broker-metrics').spec).toEqual({ type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'broker' }, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
  });

  test('the address is checked against the pools like any other LoadBalancer address', () => {
    problemAt(problems((c) => { withCilium(c); broker(c, [{ name: 'lan', ports: ['mqtt'], loadBalancerIp: '10.0.99.1' }]); }, solo), 'metadata.annotations["lbipam.cilium.io/ips"]', 'outside every Cilium LoadBalancer pool');
  });

  test('bad input: unknown port, no port, duplicate name, ClusterIP with LB fields, bad CIDR, the library annotation, a Job, no LoadBalancer provider, an address without pools', () => {
    const at = (services: AppProps['services'], field: string, message: string, extra: Partial<AppProps> = {}, platform = withCilium) =>
      problemAt(problems((c) => { platform(c); broker(c, services, extra); }, solo), field, message);
    expect(at([{ name: 'lan', ports: ['amqp'] }], 'services[0].ports[0]', "the app has no port 'amqp'").fix).toMatch(/use one of: http, mqtt, dns/);
    at([{ name: 'lan', ports: [] }], 'services[0].ports', 'no port is published');
    at([{ name: 'lan', ports: ['mqtt'] }, { name: 'lan', ports: ['http'] }], 'services[1].name', 'is given twice');
    at([{ name: 'Lan!', ports: ['mqtt'] }], 'services[0].name', 'does not make a Service name');
    at([{ name: 'in', type: 'ClusterIP', ports: ['mqtt'], externalTrafficPolicy: 'Local' }], 'services[0]', 'a ClusterIP Service takes no externalTrafficPolicy');
    at([{ name: 'np', type: 'NodePort', ports: ['mqtt'], loadBalancerIp: '10.0.50.101' }], 'services[0]', 'a NodePort Service has no LoadBalancer address');
    at([{ name: 'lan', ports: ['mqtt'], allowFrom: ['10.0.60.0/33'] }], 'services[0].allowFrom[0]', "'10.0.60.0/33' is not an IPv4 CIDR");
    at([{ name: 'lan', ports: ['mqtt'], annotations: { 'lbipam.cilium.io/ips': '10.0.50.101' } }], 'services[0].annotations["lbipam.cilium.io/ips"]', "is the library's");
    at([{ name: 'lan', ports: ['mqtt'] }], 'services[0]', 'runs to completion', { workload: { kind: 'Job' } });
    const noLb = (c: HomelabCluster) => { withPlatform(c, { ingress: false, tunnel: false }); };
    expect(at([{ name: 'lan', ports: ['mqtt'] }], 'services[0].type', 'would stay <pending>', {}, noLb).fix).toMatch(/type: 'NodePort'/);
  });

  test('on k3s ServiceLB (addresses without pools) a fixed address cannot be asked for', () => {
    problemAt(problems((c) => { withPlatform(c, { ingress: false, tunnel: false }); broker(c, [{ name: 'lan', ports: ['mqtt'], loadBalancerIp: '10.0.50.101' }]); }, { ...solo, distribution: 'k3s' }), 'services[0].loadBalancerIp', 'hands out LoadBalancer addresses without pools');
  });
});
