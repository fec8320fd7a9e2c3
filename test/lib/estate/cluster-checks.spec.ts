import { ClusterProps } from '../../../src/lib/estate/cluster.js';
import { branchProblem, labelKeyProblem } from '../../../src/lib/estate/cluster-checks.js';
import { rawComponent, testCluster } from '../../helpers.js';
import { problems } from '../platform/storage/util.js';

/** The fields of every problem a cluster with these props reports (one trivial component so it synthesizes). */
function fieldsOf(overrides: Partial<ClusterProps>): string[] {
  const { estate, cluster } = testCluster(overrides);
  rawComponent(cluster, { name: 'filler', namespace: 'filler' }, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }]);
  return problems(estate).map((p) => p.field).sort();
}

const node = (extra: Record<string, unknown>) => ({ name: 'cp', role: 'control-plane' as const, cpu: 2, memory: '4Gi', ...extra });

describe('cluster model checks the API server, Flux or the kubelet would fail on later', () => {
  test('Git branch names follow git check-ref-format', () => {
    expect(branchProblem('main')).toBeUndefined();
    expect(branchProblem('env/staging')).toBeUndefined();
    for (const bad of ['my branch', 'a..b', '-x', 'x/', 'x.lock', 'a:b', '']) expect(branchProblem(bad)).toBeDefined();
    expect(fieldsOf({ git: { url: 'https://github.com/example/homelab', branch: 'my branch' } })).toEqual(['git.branch']);
  });

  test('an ssh:// URL with an scp-style path, and a moving Flux version, are errors', () => {
    expect(fieldsOf({ git: { url: 'ssh://git@github.com:example/homelab' } })).toEqual(['git.url']);
    expect(fieldsOf({ git: { url: 'ssh://git@github.com:22/example/homelab' } })).toEqual([]);
    expect(fieldsOf({ flux: { version: 'latest' } })).toEqual(['flux.version']);
    expect(fieldsOf({ flux: { version: '2.x' } })).toEqual(['flux.version']);
  });

  test('label keys and values have Kubernetes syntax; no node may set kubelet-reserved label namespaces on itself', () => {
    expect(labelKeyProblem('homelab.arpa/disk')).toBeUndefined();
    expect(labelKeyProblem('Bad Key')).toBeDefined();
    expect(labelKeyProblem('UPPER.example/x')).toBeDefined();
    expect(fieldsOf({ nodes: [node({ labels: { 'bad key': 'x' } })] })).toEqual(['nodes[0].labels']);
    expect(fieldsOf({ nodes: [node({ labels: { 'homelab.arpa/disk': 'not valid!' } })] })).toEqual(['nodes[0].labels.homelab.arpa/disk']);
    const reserved = { labels: { 'node-role.kubernetes.io/worker': 'true' } };
    expect(fieldsOf({ distribution: 'k3s', nodes: [node(reserved)] })).toEqual(['nodes[0].labels.node-role.kubernetes.io/worker']);
    // kubelet-allowed keys pass; Talos writes machine.nodeLabels with the kubelet's identity, so
    // NodeRestriction refuses the role label there too (talos.dev, "Node Labels").
    expect(fieldsOf({ distribution: 'k3s', nodes: [node({ labels: { 'topology.kubernetes.io/zone': 'a', 'node.kubernetes.io/exclude': 'x' } })] })).toEqual([]);
    expect(fieldsOf({ nodes: [node({ labels: { 'topology.kubernetes.io/zone': 'a' } })] })).toEqual([]);
    expect(fieldsOf({ nodes: [node(reserved)] })).toEqual(['nodes[0].labels.node-role.kubernetes.io/worker']);
  });

  test('taints need a valid key and a known effect', () => {
    const worker = { name: 'w', role: 'worker' as const, cpu: 2, memory: '4Gi' };
    const tainted = (taint: Record<string, string>) => ({ name: 'phone', role: 'worker' as const, cpu: 2, memory: '4Gi', taints: [taint as any] });
    expect(fieldsOf({ nodes: [node({}), worker, tainted({ key: 'homelab.arpa/phone', effect: 'NoSchedul' })] })).toEqual(['nodes[2].taints[0].effect']);
    expect(fieldsOf({ nodes: [node({}), worker, tainted({ key: 'a b', effect: 'NoSchedule' })] })).toEqual(['nodes[2].taints[0].key']);
    expect(fieldsOf({ nodes: [node({}), worker, tainted({ key: 'homelab.arpa/phone', effect: 'NoSchedule' })] })).toEqual([]);
  });

  test('IPs with leading zeros are rejected (two spellings of one address); a VIP on the network or broadcast address is an error', () => {
    expect(fieldsOf({ nodes: [node({ ip: '10.0.50.01' })] })).toEqual(['nodes[0].ip']);
    const net = { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24' };
    const cp = [node({ ip: '10.0.50.1', nic: { name: 'enp1s0' } })];
    expect(fieldsOf({ network: { ...net, vip: '10.0.50.255' }, nodes: cp })).toEqual(['network.vip']);
    expect(fieldsOf({ network: { ...net, vip: '10.0.50.0' }, nodes: cp })).toEqual(['network.vip']);
    expect(fieldsOf({ network: { ...net, vip: '10.0.50.050' }, nodes: cp })).toEqual(['network.vip']);
    expect(fieldsOf({ network: { ...net, vip: '10.0.50.50' }, nodes: cp })).toEqual([]);
  });

  test('descriptions, seeds and source files written into headers must be one line', () => {
    expect(fieldsOf({ description: 'two\nlines' })).toEqual(['description']);
    expect(fieldsOf({ sourceFile: 'src/clusters/x.ts\n# injected' })).toEqual(['sourceFile']);
    expect(fieldsOf({ description: 'one line', seed: 'seed.md' })).toEqual([]);
  });
});
