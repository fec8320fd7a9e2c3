import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { NodeSpec } from '../../../src/lib/estate/node.js';
import { SynthError } from '../../../src/lib/estate/problems.js';
import { capacityReport, CapacityReport, formatCapacityTable, capacityMarkdown, systemReserve } from '../../../src/lib/safety/capacity.js';
import { renderCluster } from '../../../src/lib/synth/render.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { clusterProps, configMap, rawComponent, tempRoot } from '../../helpers.js';
import { cli, deployment, lab } from './fixtures.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

/** Builds a cluster, lets `fill` add components, and returns its capacity report (nothing written). */
function report(props: Partial<ClusterProps>, fill: (c: HomelabCluster) => void = () => undefined): CapacityReport {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, clusterProps(props));
  fill(cluster);
  const tree = renderCluster(cluster, () => undefined);
  return capacityReport(cluster, tree);
}

const group = (r: CapacityReport, node: string) => r.groups.find((g) => g.nodes.includes(node))!;
const messages = (r: CapacityReport) => r.errors.map((e) => e.message);

describe('system reserve per distribution (documented in docs/safety.md)', () => {
  const node = (memory: string, cpu = 2): NodeSpec => ({ name: 'n', role: 'worker', cpu, memory });

  test('Talos: kubelet reserve and eviction; control plane adds its static pods', () => {
    expect(systemReserve('talos', node('4Gi'), false)).toMatchObject({ cpu: 50, memory: 292 * Mi });
    expect(systemReserve('talos', node('8Gi'), true)).toMatchObject({ cpu: 310, memory: 1124 * Mi });
  });

  test('k3s: the server process and the agent', () => {
    expect(systemReserve('k3s', node('8Gi', 4), true)).toMatchObject({ cpu: 250, memory: 612 * Mi });
    expect(systemReserve('k3s', node('512Mi', 4), false)).toMatchObject({ cpu: 100, memory: 228 * Mi });
  });

  test('OKE: tiered kube-reserved by node size plus eviction', () => {
    // 16Gi: 25% of 4Gi + 20% of 4Gi + 10% of 8Gi = 2.6Gi (+100Mi); 2 CPU: 6% + 1% of a core.
    expect(systemReserve('oke', node('16Gi'), false)).toMatchObject({ cpu: 70, memory: Math.round(2.6 * Gi + 100 * Mi) });
  });
});

describe('capacityReport', () => {
  test('sums declared footprints, rendered workloads (× replicas) and the system workloads per node group', () => {
    const r = report({}, (c) => {
      const app = rawComponent(c, { name: 'app', namespace: 'app' }, [deployment('api', { replicas: 3, resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } })]);
      app.addWorkload({ name: 'worker', replicas: 2, cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '2Gi' });
      app.addWorkload({ name: 'agent', perNode: true, cpuRequest: '10m', memoryRequest: '16Mi' });
    });
    const workers = group(r, 'w1');
    expect(workers.nodes).toEqual(['w1', 'w2']);
    expect(workers.allocatable).toEqual({ cpu: 2 * (4000 - 50), memory: 2 * (8 * Gi - 292 * Mi) });
    // api 3×200m/256Mi, worker 2×500m/1Gi, agent 2×10m/16Mi, flannel 2×100m/50Mi, Flux controllers + operator 450m/320Mi.
    const system = { cpu: 450, memory: 320 * Mi };
    const coredns = { cpu: 200, memory: 140 * Mi };
    const onCp = group(r, 'cp').requests;
    const total = { cpu: 600 + 1000 + 20 + 200 + system.cpu + coredns.cpu, memory: 768 * Mi + 2 * Gi + 32 * Mi + 100 * Mi + system.memory + coredns.memory };
    // The control plane is tainted: only CoreDNS (tolerates it) and flannel (tolerates all) may land there.
    expect(workers.requests.cpu + onCp.cpu - 100).toBe(total.cpu);
    expect(workers.requests.memory + onCp.memory - 50 * Mi).toBe(total.memory);
    expect(r.nodes.find((n) => n.name === 'cp')!.pods.filter((p) => !p.startsWith('(system)/'))).toEqual([]);
    expect(workers.limits.memory).toBeGreaterThanOrEqual(3 * 512 * Mi + 2 * 2 * Gi);
    expect(r.errors).toEqual([]);
  });

  test('a footprint named like a rendered workload replaces it (no double count)', () => {
    const withBoth = report({}, (c) => rawComponent(c, { name: 'app', namespace: 'app' }, [deployment('api')]).addWorkload({ name: 'api', cpuRequest: '1', memoryRequest: '1Gi', heavy: true }));
    const api = withBoth.workloads.filter((w) => w.name === 'api');
    expect(api).toEqual([expect.objectContaining({ component: 'app', requests: { cpu: 1000, memory: Gi }, heavy: true })]);
  });

  test('taints, node selectors and arch decide where pods may go', () => {
    const phoneTaint = { key: 'homelab.arpa/phone', value: 'true', effect: 'NoSchedule' as const };
    const nodes: NodeSpec[] = [
      { name: 'rpi', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64' },
      { name: 'x86', role: 'worker', cpu: 4, memory: '8Gi', labels: { disk: 'ssd' } },
      { name: 'phone', role: 'worker', cpu: 8, memory: '4Gi', arch: 'arm64', taints: [phoneTaint] },
    ];
    const r = report({ distribution: 'k3s', nodes }, (c) => {
      const a = rawComponent(c, { name: 'a', namespace: 'a' }, [configMap('x')]);
      a.addWorkload({ name: 'tolerant', replicas: 1, cpuRequest: '3', memoryRequest: '1Gi', tolerates: [{ key: 'homelab.arpa/phone' }], arch: ['arm64'] });
      a.addWorkload({ name: 'ssd-only', cpuRequest: '100m', memoryRequest: '64Mi', nodeSelector: { disk: 'ssd' } });
      a.addWorkload({ name: 'amd64-only', cpuRequest: '100m', memoryRequest: '64Mi', arch: ['amd64'] });
    });
    expect(r.errors).toEqual([]);
    const on = (name: string) => r.nodes.find((n) => n.name === name)!.pods;
    expect(on('phone')).toEqual(['a/tolerant']);
    expect(on('x86')).toEqual(expect.arrayContaining(['a/ssd-only', 'a/amd64-only']));
    expect(on('rpi')).not.toContain('a/ssd-only');
  });

  test('seed 004\'s 4 GB workers: warns above 85% and fails when requests cannot fit', () => {
    const nodes: NodeSpec[] = [
      { name: 'talos-cp-1', role: 'control-plane', cpu: 2, memory: '8Gi' },
      { name: 'talos-w-1', role: 'worker', cpu: 2, memory: '4Gi' },
      { name: 'talos-w-2', role: 'worker', cpu: 2, memory: '4Gi' },
    ];
    const tight = report({ nodes }, (c) => rawComponent(c, { name: 'mon', namespace: 'mon' }, [configMap('x')]).addWorkload({ name: 'prometheus', replicas: 2, cpuRequest: '200m', memoryRequest: '3100Mi' }));
    expect(tight.errors).toEqual([]);
    expect(tight.warnings).toEqual([expect.objectContaining({ code: 'capacity-high', message: expect.stringMatching(/^memory requests on talos-w-1, talos-w-2 are (8[6-9]|9\d)% of allocatable/) })]);
    const over = report({ nodes }, (c) => rawComponent(c, { name: 'mon', namespace: 'mon' }, [configMap('x')]).addWorkload({ name: 'prometheus', replicas: 3, cpuRequest: '200m', memoryRequest: '3100Mi' }));
    expect(messages(over)).toEqual([expect.stringMatching(/^Deployment 'prometheus' cannot be scheduled: its 3 pod\(s\) of 0.2 CPU \/ 3Gi exceed what is left on the nodes it may run on \(talos-w-1 .*, talos-w-2 .*\)/)]);
    expect(over.errors[0].field).toBe('workloads.prometheus.cpuRequest/memoryRequest');
  });

  test('seed 001\'s rpi3a (512 MB, k3s agent): a per-node pod that does not fit there is an error naming the node', () => {
    const nodes: NodeSpec[] = [
      { name: 'rpi4-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64' },
      { name: 'rpi4-2', role: 'worker', cpu: 4, memory: '8Gi', arch: 'arm64' },
      { name: 'rpi3a-ctl', role: 'worker', cpu: 4, memory: '512Mi', arch: 'arm64' },
    ];
    const r = report({ distribution: 'k3s', nodes }, (c) => rawComponent(c, { name: 'logs', namespace: 'logs' }, [configMap('x')]).addWorkload({ name: 'log-shipper', perNode: true, cpuRequest: '50m', memoryRequest: '300Mi' }));
    expect(r.nodes.find((n) => n.name === 'rpi3a-ctl')!.allocatable.memory).toBe(284 * Mi);
    expect(messages(r)).toEqual([expect.stringMatching(/^DaemonSet 'log-shipper' runs one pod per node, and on 'rpi3a-ctl' it needs 0.05 CPU \/ 300Mi but only 3.9 CPU \/ 284Mi of 3.9 CPU \/ 284Mi allocatable is left/)]);
    const fits = report({ distribution: 'k3s', nodes }, (c) => rawComponent(c, { name: 'logs', namespace: 'logs' }, [configMap('x')]).addWorkload({ name: 'log-shipper', perNode: true, cpuRequest: '50m', memoryRequest: '64Mi' }));
    expect(fits.errors).toEqual([]);
  });

  test('seed 000 gaming mode: heavy workloads are dropped and the freed CPU and memory reported', () => {
    const fill = (c: HomelabCluster) => {
      const media = rawComponent(c, { name: 'media', namespace: 'media' }, [configMap('x')]);
      media.addWorkload({ name: 'jellyfin', cpuRequest: '2', memoryRequest: '4Gi', heavy: true });
      media.addWorkload({ name: 'nextcloud', replicas: 2, cpuRequest: '500m', memoryRequest: '1Gi', heavy: true });
      media.addWorkload({ name: 'vaultwarden', cpuRequest: '50m', memoryRequest: '128Mi' });
    };
    const single = { nodes: [{ name: 'node-main', role: 'control-plane' as const, cpu: 10, memory: '56Gi' }] };
    const normal = report(single, fill);
    const gaming = report({ ...single, scaleDown: { name: 'gaming mode', active: true } }, fill);
    expect(normal.heavy).toEqual({ workloads: ['media/jellyfin', 'media/nextcloud'], requests: { cpu: 3000, memory: 6 * Gi } });
    expect(gaming.heavy).toEqual(normal.heavy);
    const used = (r: CapacityReport) => group(r, 'node-main').requests;
    expect(used(normal).cpu - used(gaming).cpu).toBe(3000);
    expect(used(normal).memory - used(gaming).memory).toBe(6 * Gi);
    expect(formatCapacityTable(gaming).at(-1)).toBe('  gaming mode: 2 heavy workload(s) stopped (media/jellyfin, media/nextcloud), freeing 3 CPU / 6Gi of requests');
    expect(formatCapacityTable(normal).at(-1)).toContain('scale-down would free them');
  });

  test('the table and its Markdown form list every node group with allocatable, requests and limits', () => {
    const r = report({});
    const table = formatCapacityTable(r);
    expect(table[0]).toMatch(/^capacity test \(talos; allocatable = capacity − system reserve/);
    expect(table[1]).toMatch(/nodes\s+role\s+arch\s+allocatable\s+requests CPU\s+requests memory\s+limits CPU\s+limits memory/);
    expect(table[2]).toMatch(/^ {2}cp\s+control-plane \(tainted\)\s+amd64\s+3.69 CPU \/ 6.9Gi/);
    expect(table[3]).toMatch(/^ {2}w1, w2 \(×2\)\s+worker\s+amd64\s+7.9 CPU \/ 15.4Gi/);
    expect(capacityMarkdown(r)).toContain('| w1, w2 | worker | amd64 | 7.9 CPU / 15.4Gi |');
  });
});

describe('capacity in synth', () => {
  test('synth prints the capacity table of every cluster, and --quiet leaves it out', () => {
    const two = () => { const e = lab(); const c = new HomelabCluster(e, clusterProps({ name: 'small' })); rawComponent(c, { name: 'a', namespace: 'a' }, [configMap('x')]); return e; };
    const { code, out } = cli([], two, tempRoot());
    expect(code).toBe(0);
    expect(out).toMatch(/^capacity lab \(talos;/m);
    expect(out).toMatch(/^capacity small \(talos;/m);
    expect(cli(['--quiet'], two, tempRoot()).out).not.toContain('capacity ');
  });

  test('an overfull cluster fails synth with the workload named; the result carries the reports', () => {
    const over = () => lab({ extra: (c) => rawComponent(c, { name: 'big', namespace: 'big' }, [deployment('big', { replicas: 4, resources: { requests: { cpu: '3', memory: '1Gi' } } })]) });
    let error: SynthError | undefined;
    try {
      synthesize(over(), { root: tempRoot() });
    } catch (e) {
      error = e as SynthError;
    }
    expect(error?.problems).toEqual([expect.objectContaining({ cluster: 'lab', path: 'lab/big (clusters/lab/big/big/app/deployment.yaml)', field: 'spec.template.spec.containers[*].resources.requests', message: expect.stringContaining("Deployment 'big' cannot be scheduled") })]);
    const ok = synthesize(lab(), { root: tempRoot() });
    expect(ok.capacity.map((r) => r.cluster)).toEqual(['lab']);
  });
});

describe('tolerations as the capacity check reads pod specs', () => {
  const taint = { key: 'homelab.arpa/phone', value: 'true', effect: 'NoSchedule' as const };
  const nodes: NodeSpec[] = [{ name: 'phone', role: 'worker', cpu: 8, memory: '8Gi', taints: [taint] }];
  const placed = (tolerations: Record<string, unknown>[]) => {
    const r = report({ distribution: 'k3s', nodes }, (c) => rawComponent(c, { name: 'a', namespace: 'a' }, [deployment('a', { pod: { tolerations } })]));
    return r.nodes.find((n) => n.name === 'phone')!.pods.includes('a/a');
  };

  test('an empty key with Exists tolerates every taint of its effect (Kubernetes), unlike estate/scheduling.ts', () => {
    expect(placed([{ operator: 'Exists' }])).toBe(true);
    expect(placed([{ key: '', operator: 'Exists', effect: 'NoSchedule' }])).toBe(true);
    expect(placed([{ key: '', operator: 'Exists', effect: 'NoExecute' }])).toBe(false);
    expect(placed([{ key: '', operator: 'Equal', value: 'true' }])).toBe(false);
  });

  test('the operator defaults to Equal, an Equal without value means the empty value', () => {
    expect(placed([{ key: 'homelab.arpa/phone' }])).toBe(false);
    expect(placed([{ key: 'homelab.arpa/phone', value: 'true' }])).toBe(true);
    expect(placed([{ key: 'homelab.arpa/phone', operator: 'Exists' }])).toBe(true);
  });
});
