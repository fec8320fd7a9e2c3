import { crdGroup, service } from '../../../../src/lib/estate/capabilities.js';
import { CHARTS } from '../../../../imports/charts.js';
import { GATEWAY_API_VERSION } from '../../../../src/lib/platform/network/gateway-api-crds.js';
import { ClusterProps } from '../../../../src/lib/estate/cluster.js';
import { nodeRequirements } from '../../../../src/lib/estate/node-requirements.js';
import { ChartRelease } from '../../../../src/lib/flux/helm-release.js';
import { Cilium, CiliumProps } from '../../../../src/lib/platform/network/cilium.js';
import { GatewayApiCrds } from '../../../../src/lib/platform/network/gateway-api-crds.js';
import { declareLoadBalancerIp } from '../../../../src/lib/platform/network/lb-ips.js';
import { Component } from '../../../../src/lib/estate/component.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { configureTalos } from '../../../../src/lib/talos/settings.js';
import { problems, synth } from '../storage/util.js';

/** Seed 003: Talos, two control planes behind a VIP, three workers on 10.0.50.0/24. */
const seed003: Partial<ClusterProps> = {
  name: 'ha',
  network: { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' },
  nodes: [
    { name: 'control0', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { mac: 'aa:bb:cc:00:50:01' } },
    { name: 'control1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2', nic: { mac: 'aa:bb:cc:00:50:02' } },
    { name: 'worker0', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.10' },
    { name: 'worker1', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.11' },
    { name: 'worker2', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.12' },
  ],
};
const pools: CiliumProps['loadBalancerPools'] = [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.120'] }];

const lbService = (name: string, ip?: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: { name, annotations },
  spec: { type: 'LoadBalancer', ...(ip ? { loadBalancerIP: ip } : {}), selector: { app: name }, ports: [{ port: 53, protocol: 'UDP' }] },
});
const gatewayObject = (name: string, ip: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
  metadata: { name },
  spec: { gatewayClassName: 'cilium', addresses: [{ type: 'IPAddress', value: ip }], listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
});

describe('Cilium', () => {
  test('seed 003: native routing on the pod CIDR, kube-proxy replacement through KubePrism, Gateway API, Hubble, L2', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    const s = synth(estate);
    const hr = s.get('HelmRelease', 'cilium', 'kube-system');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'cilium', version: CHARTS.cilium.version });
    expect(hr.spec.values).toMatchObject({
      routingMode: 'native',
      autoDirectNodeRoutes: true,
      ipv4NativeRoutingCIDR: '10.42.0.0/16',
      ipam: { mode: 'kubernetes' },
      kubeProxyReplacement: true,
      k8sServiceHost: 'localhost',
      k8sServicePort: 7445,
      gatewayAPI: { enabled: true, gatewayClass: { create: 'true' } },
      hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: false } },
      l2announcements: { enabled: true },
      operator: { replicas: 2 },
      cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
    });
    // Talos forbids loading kernel modules from pods.
    expect(hr.spec.values.securityContext.capabilities.ciliumAgent).not.toContain('SYS_MODULE');
    expect(hr.spec.values.securityContext.capabilities.ciliumAgent).toContain('NET_ADMIN');
    expect(s.get('HelmRepository', 'cilium').spec.url).toBe('https://helm.cilium.io/');
    expect(s.all('Namespace').map((n) => n.metadata.name)).not.toContain('kube-system');
  });

  test('pools and the L2 policy are derived from the declared ranges and applied after the chart', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { loadBalancerPools: [...pools!, { name: 'dmz', blocks: ['10.0.50.200/29'], serviceSelector: { zone: 'dmz' } }] });
    const s = synth(estate);
    expect(s.get('CiliumLoadBalancerIPPool', 'lan')).toEqual({
      apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'lan' },
      spec: { blocks: [{ start: '10.0.50.100', stop: '10.0.50.120' }], allowFirstLastIPs: 'Yes', disabled: false },
    });
    expect(s.get('CiliumLoadBalancerIPPool', 'dmz').spec).toMatchObject({ blocks: [{ cidr: '10.0.50.200/29' }], serviceSelector: { matchLabels: { zone: 'dmz' } } });
    expect(s.get('CiliumL2AnnouncementPolicy', 'l2-announcements')).toEqual({
      apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumL2AnnouncementPolicy', metadata: { name: 'l2-announcements' },
      spec: { loadBalancerIPs: true, externalIPs: false },
    });
    expect(s.fileOf('CiliumLoadBalancerIPPool', 'lan')).toBe('clusters/ha/network/cilium/config/ciliumloadbalancerippool-lan.yaml');
    expect(s.get('Kustomization', 'cilium-config', 'flux-system').spec.dependsOn).toEqual([{ name: 'cilium' }]);
  });

  test('Gateway API CRDs are added and installed before Cilium starts', () => {
    const { estate, cluster } = testCluster(seed003);
    const cilium = new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    const s = synth(estate);
    expect(s.get('Kustomization', 'cilium', 'flux-system').spec.dependsOn).toEqual([{ name: 'gateway-api-crds' }]);
    expect(s.get('GitRepository', 'gateway-api-standard-crds', 'flux-system').spec).toMatchObject({ url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: GATEWAY_API_VERSION } });
    expect(s.get('Kustomization', 'gateway-api-standard-crds', 'flux-system').spec).toMatchObject({ path: './config/crd/standard', prune: false, wait: true });
    expect(cilium.provides.has(service('gateway-class', 'cilium'))).toBe(true);
    expect(cilium.provides.has(service('load-balancer', 'ipam'))).toBe(true);
  });

  test('node requirements: no default CNI, no kube-proxy, KubePrism on', () => {
    const { cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium');
    const req = nodeRequirements(cluster);
    expect([req.cni, req.disableKubeProxy]).toEqual(['none', true]);
    expect(req.talosPatches).toEqual([{ machine: { features: { kubePrism: { enabled: true, port: 7445 } } } }]);
  });

  test('without kube-proxy replacement kube-proxy stays, and Gateway API / L2 refuse to run', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { kubeProxyReplacement: false, loadBalancerPools: pools });
    expect(nodeRequirements(cluster).disableKubeProxy).toBe(false);
    expect(problems(estate).map((p) => p.field)).toEqual(['gatewayApi', 'l2Announcements']);
  });

  test('k3s: API server from the VIP (else the first control-plane IP) on 6443, no Talos-specific values', () => {
    const { estate, cluster } = testCluster({ ...seed003, distribution: 'k3s' });
    const cilium = new Cilium(cluster, 'cilium', { gatewayApi: false, hubble: { enabled: false } });
    expect(cilium.apiServer).toEqual({ host: '10.0.50.50', port: 6443 });
    const values = synth(estate).get('HelmRelease', 'cilium').spec.values;
    expect([values.k8sServiceHost, values.k8sServicePort]).toEqual(['10.0.50.50', 6443]);
    expect(values.securityContext).toBeUndefined();
    expect(values.cgroup).toBeUndefined();
    expect(values.gatewayAPI).toEqual({ enabled: false });
    expect(values.hubble).toEqual({ enabled: false, relay: { enabled: false, resources: { requests: { cpu: '25m', memory: '64Mi' } } }, ui: { enabled: false } });
    expect(nodeRequirements(cluster).talosPatches).toEqual([]);

    const noVip = testCluster({ ...seed003, distribution: 'k3s', network: { nodeCidr: '10.0.50.0/24' } });
    expect(new Cilium(noVip.cluster, 'cilium', { gatewayApi: false }).apiServer).toEqual({ host: '10.0.50.1', port: 6443 });
  });

  test('an API server that cannot be derived is a problem', () => {
    const { estate, cluster } = testCluster({ distribution: 'k3s' });
    new Cilium(cluster, 'cilium', { gatewayApi: false });
    const [p] = problems(estate);
    expect([p.path, p.field]).toEqual(['test/cilium', 'apiServer']);
    expect(p.message).toContain('no network.vip and no control-plane node ip');
  });

  test('OKE runs its own CNI', () => {
    const { estate, cluster } = testCluster({ distribution: 'oke', nodes: [{ name: 'a1', role: 'worker', cpu: 2, memory: '12Gi', ip: '10.0.10.5' }] });
    new Cilium(cluster, 'cilium', { gatewayApi: false, apiServer: { host: '10.0.0.1', port: 6443 } });
    expect(problems(estate).map((p) => p.field)).toEqual(['distribution']);
  });

  test('an unknown extra values key is a problem naming it (chart schema)', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { values: { hubble: { rellay: { enabled: true } } } });
    const found = problems(estate);
    expect(found).toHaveLength(1);
    expect([found[0].path, found[0].field]).toEqual(['ha/cilium/chart', 'values.hubble.rellay']);
    expect(found[0].message).toContain('cilium 1.20.0');
  });

  test('extra values are merged and validated', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { hubble: { ui: true }, values: { hubble: { ui: { rollOutPods: true } } } });
    const values = synth(estate).get('HelmRelease', 'cilium').spec.values;
    expect(values.hubble.ui).toMatchObject({ enabled: true, rollOutPods: true, frontend: { resources: { requests: { cpu: '10m' } } } });
  });

  test('declares agent, envoy, operator and relay workloads; DaemonSets tolerate every node taint', () => {
    const { cluster } = testCluster({ ...seed003, nodes: [...seed003.nodes!, { name: 'phone', role: 'worker', cpu: 8, memory: '4Gi', taints: [{ key: 'homelab.arpa/phone', effect: 'NoSchedule' }] }] });
    const cilium = new Cilium(cluster, 'cilium');
    expect(cilium.workloads.map((w) => [w.name, w.perNode ?? false, w.replicas ?? 1, w.cpuRequest, w.memoryRequest])).toEqual([
      ['cilium', true, 1, '100m', '192Mi'],
      ['cilium-envoy', true, 1, '25m', '64Mi'],
      ['cilium-operator', false, 2, '25m', '64Mi'],
      ['hubble-relay', false, 1, '25m', '64Mi'],
    ]);
    expect(cilium.workloads[0].tolerates).toEqual([{ key: 'homelab.arpa/phone' }]);
  });

  test('a single-node cluster gets one operator; more replicas than nodes is a problem', () => {
    const solo = { nodes: [{ name: 'solo', role: 'control-plane' as const, cpu: 8, memory: '32Gi', ip: '10.0.50.5' }], network: { nodeCidr: '10.0.50.0/24' } };
    const a = testCluster(solo);
    new Cilium(a.cluster, 'cilium');
    expect(synth(a.estate).get('HelmRelease', 'cilium').spec.values.operator.replicas).toBe(1);
    const b = testCluster(solo);
    new Cilium(b.cluster, 'cilium', { operatorReplicas: 2 });
    expect(problems(b.estate).map((p) => p.field)).toEqual(['operatorReplicas']);
  });

  test('L2 interfaces come from the nodes\' kernel link names; Hubble UI without the relay is a problem', () => {
    const named = seed003.nodes!.map((n, i) => ({ ...n, nic: { name: i === 0 ? 'ens18' : 'enp2s0' } }));
    const { estate, cluster } = testCluster({ ...seed003, nodes: named });
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools, hubble: { ui: true, relay: false } });
    expect(problems(estate).map((p) => [p.field, p.message])).toEqual([['hubble.ui', 'Hubble UI reads flows from Hubble Relay']]);
    const ok = testCluster({ ...seed003, nodes: named });
    new Cilium(ok.cluster, 'cilium', { loadBalancerPools: pools });
    expect(synth(ok.estate).get('CiliumL2AnnouncementPolicy', 'l2-announcements').spec.interfaces).toEqual(['^enp2s0$', '^ens18$']);
  });

  test('a node whose kernel link name is unknown (MAC only, or nothing) makes the L2 policy announce on every interface, never on a guessed eth0', () => {
    const nodes = seed003.nodes!.map((n, i) => (i === 0 ? { ...n, nic: { mac: 'aa:bb:cc:dd:ee:01' } } : { ...n, nic: { name: 'enp2s0' } }));
    const { estate, cluster } = testCluster({ ...seed003, nodes });
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    expect(synth(estate).get('CiliumL2AnnouncementPolicy', 'l2-announcements').spec).not.toHaveProperty('interfaces');
    const bare = testCluster(seed003);
    new Cilium(bare.cluster, 'cilium', { loadBalancerPools: pools });
    expect(synth(bare.estate).get('CiliumL2AnnouncementPolicy', 'l2-announcements').spec).not.toHaveProperty('interfaces');
  });

  test('on Talos, eBPF masquerading keeps legacy host routing so CoreDNS can forward to the host DNS cache', () => {
    const talos = testCluster(seed003);
    new Cilium(talos.cluster, 'cilium');
    expect(synth(talos.estate).get('HelmRelease', 'cilium').spec.values.bpf).toEqual({ masquerade: true, hostLegacyRouting: true });
    const k3s = testCluster({ ...seed003, distribution: 'k3s' });
    new Cilium(k3s.cluster, 'cilium');
    expect(synth(k3s.estate).get('HelmRelease', 'cilium').spec.values.bpf).toEqual({ masquerade: true });
    const noKpr = testCluster(seed003);
    new Cilium(noKpr.cluster, 'cilium', { kubeProxyReplacement: false, gatewayApi: false });
    expect(synth(noKpr.estate).get('HelmRelease', 'cilium').spec.values.bpf).toEqual({ masquerade: false });
  });

  test('overriding hostLegacyRouting off on Talos is an error unless Talos stops forwarding CoreDNS to the host', () => {
    const bad = testCluster(seed003);
    new Cilium(bad.cluster, 'cilium', { values: { bpf: { hostLegacyRouting: false } } });
    const found = problems(bad.estate);
    expect(found.map((p) => p.field)).toEqual(['values.bpf.hostLegacyRouting']);
    expect(found[0].fix).toMatch(/forwardKubeDNSToHost: false/);
    const ok = testCluster(seed003);
    configureTalos(ok.cluster, { patches: [{ machine: { features: { hostDNS: { forwardKubeDNSToHost: false } } } }] });
    new Cilium(ok.cluster, 'cilium', { values: { bpf: { hostLegacyRouting: false } } });
    expect(problems(ok.estate)).toEqual([]);
  });

  test('the layered layout applies pools in the apps layer', () => {
    const { estate, cluster } = testCluster({ ...seed003, flux: { layout: 'layered', bootstrap: 'operator' } });
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    const s = synth(estate);
    expect(s.fileOf('CiliumLoadBalancerIPPool', 'lan')).toBe('clusters/ha/apps/network/cilium-config/ciliumloadbalancerippool.yaml');
    expect(s.get('HelmRelease', 'cilium').spec.dependsOn).toBeUndefined();
  });
});

describe('LoadBalancer address pools', () => {
  test('pool blocks are checked against each other, the nodes, the VIP, the CIDRs and the node subnet', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', {
      loadBalancerPools: [
        { name: 'a', blocks: ['10.0.50.0/28'] },
        { name: 'b', blocks: ['10.0.50.10-10.0.50.20', 'ten.0.0.1'] },
        { name: 'c', blocks: ['192.168.1.100-192.168.1.110'] },
        { name: 'c', blocks: ['10.0.50.100-10.0.50.90'] },
      ],
    });
    const found = problems(estate).map((p) => `${p.field}: ${p.message}`);
    expect(found).toEqual(expect.arrayContaining([
      "loadBalancerPools[0].blocks: pool 'a' block 10.0.50.0-10.0.50.15 overlaps node 'control0' (10.0.50.1)",
      "loadBalancerPools[0].blocks: pool 'a' block 10.0.50.0-10.0.50.15 overlaps pool 'b' block 10.0.50.10-10.0.50.20",
      "loadBalancerPools[1].blocks: pool 'b' block 10.0.50.10-10.0.50.20 overlaps node 'worker0' (10.0.50.10)",
      "loadBalancerPools[1].blocks[1]: 'ten.0.0.1' is not an IPv4 CIDR, range or address",
      expect.stringMatching(/^loadBalancerPools\[2\]\.blocks: pool 'c' block 192\.168\.1\.100-192\.168\.1\.110 is outside the node subnet 10\.0\.50\.0\/24/),
      "loadBalancerPools[3].name: two pools are named 'c'",
      "loadBalancerPools[3].blocks[0]: '10.0.50.100-10.0.50.90' is not an IPv4 CIDR, range or address",
    ]));
    expect(found.some((f) => f.includes('VIP'))).toBe(false);
  });

  test('a pool over the VIP or the service CIDR is a problem', () => {
    const { estate, cluster } = testCluster({ ...seed003, network: { ...seed003.network, nodeCidr: undefined } });
    new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'x', blocks: ['10.0.50.48/30', '10.43.0.0/24'] }] });
    expect(problems(estate).map((p) => p.message)).toEqual([
      "pool 'x' block 10.0.50.48-10.0.50.51 overlaps the control-plane VIP (10.0.50.50)",
      "pool 'x' block 10.43.0.0-10.43.0.255 overlaps the service CIDR 10.43.0.0/16",
    ]);
  });

  test('seed 003 addresses inside the pool synthesize: Service, Gateway addresses, Helm values', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    rawComponent(cluster, { name: 'dns', namespace: 'network' }, [lbService('k8s-gateway', '10.0.50.100')]);
    rawComponent(cluster, { name: 'gateways', namespace: 'gateways' }, [gatewayObject('internal', '10.0.50.101'), gatewayObject('external', '10.0.50.102')]);
    expect(problems(estate)).toEqual([]);
  });

  test('an LB IP outside every pool is a problem naming the object and field', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    rawComponent(cluster, { name: 'dns', namespace: 'network' }, [lbService('k8s-gateway', '10.0.50.150')]);
    rawComponent(cluster, { name: 'gateways', namespace: 'gateways' }, [gatewayObject('internal', '10.0.60.101')]);
    const found = problems(estate);
    expect(found.map((p) => [p.path, p.field])).toEqual([
      ['ha/dns/o0', 'spec.loadBalancerIP'],
      ['ha/gateways/o0', 'spec.addresses[0].value'],
    ]);
    expect(found[0].message).toBe("Service 'network/k8s-gateway' asks for LoadBalancer IP 10.0.50.150, outside every Cilium LoadBalancer pool (lan (10.0.50.100-10.0.50.120))");
    expect(found[1].message).toContain("Gateway 'gateways/internal' asks for LoadBalancer IP 10.0.60.101");
    expect(found[0].fix).toContain("'cilium' component's loadBalancerPools");
  });

  test('an LB IP used twice is a problem, unless both Services share it by key', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    rawComponent(cluster, { name: 'dns', namespace: 'network' }, [lbService('k8s-gateway', '10.0.50.100')]);
    rawComponent(cluster, { name: 'gateways', namespace: 'gateways' }, [gatewayObject('internal', '10.0.50.100')]);
    const [p, ...rest] = problems(estate);
    expect(rest).toEqual([]);
    expect([p.path, p.field]).toEqual(['ha/gateways/o0', 'spec.addresses[0].value']);
    expect(p.message).toBe("Gateway 'gateways/internal' asks for LoadBalancer IP 10.0.50.100, already requested by Service 'network/k8s-gateway' (component 'dns')");

    const shared = testCluster(seed003);
    new Cilium(shared.cluster, 'cilium', { loadBalancerPools: pools });
    const key = { 'lbipam.cilium.io/sharing-key': 'dns' };
    rawComponent(shared.cluster, { name: 'dns', namespace: 'network' }, [
      { ...lbService('dns-udp', undefined, { ...key, 'lbipam.cilium.io/ips': '10.0.50.110' }) },
      { ...lbService('dns-tcp', undefined, { ...key, 'lbipam.cilium.io/ips': '10.0.50.110' }) },
    ]);
    expect(problems(shared.estate)).toEqual([]);
  });

  test('LB IPs in HelmRelease values and declared ones are checked too', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    const chart = new Component(cluster, { name: 'ingress', namespace: 'ingress' });
    new ChartRelease(chart, 'chart', { chart: 'k8s-gateway', values: { service: { loadBalancerIP: '10.0.40.1' } } });
    const other = rawComponent(cluster, { name: 'other', namespace: 'other' });
    declareLoadBalancerIp(other, 'not-an-ip', "the 'other' tunnel endpoint");
    const found = problems(estate);
    expect(found.map((p) => [p.path, p.field])).toEqual([
      ['ha/ingress/chart/release', 'spec.values.service.loadBalancerIP'],
      ['ha/other', 'loadBalancerIp'],
    ]);
    expect(found[1].message).toContain("'not-an-ip', which is not an IPv4 address");
  });

  test('without pools any requested LB IP is a problem', () => {
    const { estate, cluster } = testCluster(seed003);
    const cilium = new Cilium(cluster, 'cilium');
    rawComponent(cluster, { name: 'dns', namespace: 'network' }, [lbService('k8s-gateway', '10.0.50.100')]);
    expect(problems(estate).map((p) => p.message)).toEqual([
      expect.stringContaining('outside every Cilium LoadBalancer pool (none declared)'),
      // Without pools nothing assigns addresses at all: the Service would stay <pending>.
      expect.stringContaining("asks for a LoadBalancer, but nothing in cluster 'ha' (talos) assigns LoadBalancer addresses"),
    ]);
    expect(cilium.provides.has(service('load-balancer', 'ipam'))).toBe(false);
  });
});

describe('GatewayApiCrds', () => {
  test('ensure() keeps one provider; Gateways and routes wait for it', () => {
    const { estate, cluster } = testCluster(seed003);
    const own = new GatewayApiCrds(cluster, 'gateway-api', { version: 'v1.6.1' });
    new Cilium(cluster, 'cilium', { loadBalancerPools: pools });
    rawComponent(cluster, { name: 'gateways', namespace: 'gateways' }, [gatewayObject('internal', '10.0.50.101')]);
    const s = synth(estate);
    expect(cluster.components.filter((c) => c.provides.has(crdGroup('gateway.networking.k8s.io'))).map((c) => c.name)).toEqual(['gateway-api']);
    expect(Cilium.inCluster(cluster)?.name).toBe('cilium');
    expect(s.get('Kustomization', 'cilium', 'flux-system').spec.dependsOn).toEqual([{ name: 'gateway-api' }]);
    expect(s.get('Kustomization', 'gateways', 'flux-system').spec.dependsOn).toEqual([{ name: 'gateway-api' }]);
    expect(GatewayApiCrds.ensure(cluster)).toBe(own);
  });

  test('without Gateway API in Cilium nothing installs the CRDs', () => {
    const { estate, cluster } = testCluster(seed003);
    new Cilium(cluster, 'cilium', { gatewayApi: false });
    const s = synth(estate);
    expect(s.all('GitRepository').map((g) => g.metadata.name)).toEqual([]);
    expect(s.get('Kustomization', 'cilium', 'flux-system').spec.dependsOn).toBeUndefined();
  });
});
