import { readFileSync } from 'node:fs';
import { crdGroup, DEFAULT_STORAGE_CLASS, LOAD_BALANCER, NETWORK_POLICY_ENFORCEMENT } from '../../../src/lib/estate/capabilities.js';
import { ClusterProps } from '../../../src/lib/estate/cluster.js';
import { Warning, SynthError } from '../../../src/lib/estate/problems.js';
import { ChartRelease } from '../../../src/lib/flux/helm-release.js';
import { POLICY_RULES } from '../../../src/lib/safety/policy.js';
import { SECURITY_REASON_ANNOTATION } from '../../../src/lib/tree/manifests.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { configMap, rawComponent, tempRoot } from '../../helpers.js';
import { cli, cnpgCluster, deployment, lab, LabOptions, labProps } from './fixtures.js';

type Manifest = Record<string, any>;

function warnings(options: LabOptions = {}): Warning[] {
  return [...synthesize(lab(options), { root: tempRoot('lint-') }).warnings];
}

const codes = (ws: Warning[]) => ws.map((w) => w.code);
// The namespace admits every pod: these tests are about the lint, not Pod Security admission (pod-security.spec.ts).
const extra = (objects: Manifest[], cluster?: Partial<ClusterProps>): LabOptions => ({ cluster, extra: (c) => rawComponent(c, { name: 'extra', namespace: { name: 'extra', podSecurity: 'privileged' } }, objects) });

describe('policy lint', () => {
  test('the lab estate is clean', () => {
    expect(warnings()).toEqual([]);
  });

  test('pss-labels-missing: a Namespace without Pod Security labels', () => {
    const ws = warnings(extra([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw' } }]));
    expect(ws).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'pss-labels-missing', path: expect.stringContaining('namespace-raw.yaml'), message: expect.stringContaining("Namespace 'raw' has no pod-security.kubernetes.io/enforce label") })]));
  });

  test('privileged-without-reason and runs-as-root, unless the workload says why', () => {
    const priv = deployment('agent', { pod: { hostNetwork: true, securityContext: {} }, container: { securityContext: { privileged: true } } });
    const ws = warnings(extra([priv]));
    expect(ws).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'privileged-without-reason', message: expect.stringContaining("Deployment 'agent' uses hostNetwork, privileged containers[0] without saying why") }),
      expect.objectContaining({ code: 'runs-as-root', message: expect.stringContaining("Deployment 'agent': containers[0] may run as root") }),
    ]));
    const explained = deployment('agent', { annotations: { [SECURITY_REASON_ANNOTATION]: 'node agent reads host network state' }, pod: { hostNetwork: true, securityContext: {} }, container: { securityContext: { privileged: true } } });
    expect(codes(warnings(extra([explained])))).toEqual([]);
    expect(codes(warnings(extra([deployment('uid0', { pod: { securityContext: { runAsUser: 0 } } })])))).toEqual(['runs-as-root']);
  });

  test('low-port-unbindable: a non-root container on port 80 without the sysctl, and what silences it', () => {
    const on80 = (pod: Manifest = {}, container: Manifest = {}) => deployment('web80', { pod, container: { ports: [{ containerPort: 80, name: 'http' }], ...container } });
    const ws = warnings(extra([on80()]));
    expect(ws).toEqual([expect.objectContaining({ code: 'low-port-unbindable', message: expect.stringMatching(/^Deployment 'web80': containers\[0\] listens on 80 as a non-root user .* set net\.ipv4\.ip_unprivileged_port_start to 80 in the pod's securityContext\.sysctls/) })]);
    // The sysctl at or below the port, the file-capability reason, or root keeping the capability: quiet.
    const sysctl = { securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] } };
    expect(codes(warnings(extra([on80(sysctl)])))).toEqual([]);
    expect(codes(warnings(extra([deployment('cap', { annotations: { [SECURITY_REASON_ANNOTATION]: 'nginx carries cap_net_bind_service as a file capability' }, container: { ports: [{ containerPort: 80 }] } })])))).toEqual([]);
    const rootWithCap = on80({ securityContext: { runAsUser: 0 } }, { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } });
    expect(codes(warnings(extra([rootWithCap]))).filter((c) => c === 'low-port-unbindable')).toEqual([]);
    // A sysctl above the port does not help; on the host network the sysctl is no fix at all.
    const tooHigh = on80({ securityContext: { runAsNonRoot: true, runAsUser: 1000, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '443' }] } });
    expect(codes(warnings(extra([tooHigh])))).toContain('low-port-unbindable');
    const host = warnings(extra([on80({ hostNetwork: true, securityContext: { runAsNonRoot: true, runAsUser: 1000 } })])).find((w) => w.code === 'low-port-unbindable');
    expect(host?.message).toMatch(/on the host network the kubelet refuses net\.\* sysctls/);
  });

  test('missing-requests: a container without CPU or memory requests', () => {
    const ws = warnings(extra([deployment('greedy', { resources: { limits: { memory: '1Gi' } } })]));
    expect(ws).toEqual([expect.objectContaining({ code: 'missing-requests', message: expect.stringContaining("Deployment 'greedy': containers[0] set no CPU or memory request") })]);
  });

  test('network-policy-missing: a namespace the cluster marks sensitive, or every apps namespace under default-deny', () => {
    const ws = warnings(extra([configMap('x')], { sensitiveNamespaces: ['extra'] }));
    expect(ws).toEqual([expect.objectContaining({ code: 'network-policy-missing', path: 'lab/extra (clusters/lab/extra/extra/app/namespace.yaml)', message: "namespace 'extra' is marked sensitive but has no NetworkPolicy: every pod there accepts traffic from anywhere" })]);
    // web has its NetworkPolicy; an apps component without one is flagged when default-deny is on.
    const deny = warnings({ cluster: { defaultDenyNetworkPolicies: true }, extra: (c) => rawComponent(c, { name: 'blog', namespace: 'blog', layer: 'apps' }, [configMap('x')]) });
    expect(deny.map((w) => [w.code, w.message.split(' ')[1]])).toEqual([['network-policy-missing', "'blog'"]]);
  });

  test('cluster-admin-binding: a subject bound to cluster-admin', () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ci' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'extra' }] };
    const ws = warnings({ extra: (c) => rawComponent(c, { name: 'extra', namespace: 'extra' }, [binding]) });
    expect(ws).toEqual([expect.objectContaining({ code: 'cluster-admin-binding', message: expect.stringContaining("ClusterRoleBinding 'ci' gives cluster-admin to ServiceAccount extra/ci") })]);
  });

  test('ingress-nginx-retired: said once per cluster (the deprecated chart warning counts)', () => {
    const ws = warnings({ extra: (c) => new ChartRelease(rawComponent(c, { name: 'ingress', namespace: 'ingress-nginx' }), 'chart', { chart: 'ingress-nginx' }) });
    expect(ws.filter((w) => w.code.includes('ingress-nginx'))).toHaveLength(1);
    const viaClass = warnings(extra([{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }]));
    expect(viaClass).toEqual([expect.objectContaining({ code: 'ingress-nginx-retired', path: 'lab', message: expect.stringContaining('ingress-nginx is retired upstream') })]);
  });

  test('etcd-even-control-planes: two control-plane nodes (seed 003) and the fix 1 or 3', () => {
    const nodes = [{ name: 'control0', role: 'control-plane' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { name: 'eno1' } }, { name: 'control1', role: 'control-plane' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.2', nic: { name: 'eno1' } }, ...labProps().nodes.slice(1)];
    const ws = warnings({ cluster: { nodes } });
    expect(ws).toEqual([expect.objectContaining({ code: 'etcd-even-control-planes', path: 'lab', message: '2 control-plane nodes: etcd needs a quorum of 2 of 2, so it survives no node failure; use 1 or 3' })]);
  });

  test('longhorn-single-replica: one replica on a multi-node cluster', () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'longhorn-single' }, provisioner: 'driver.longhorn.io', reclaimPolicy: 'Retain', parameters: { numberOfReplicas: '1' } };
    expect(warnings(extra([sc]))).toEqual([expect.objectContaining({ code: 'longhorn-single-replica', message: expect.stringContaining("StorageClass 'longhorn-single' keeps one replica of each volume on a 2-node cluster") })]);
  });

  test('database-without-backup: a CNPG cluster with no backup anywhere', () => {
    const ws = warnings({ extra: (c) => { rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' }, [configMap('x')]).provide(crdGroup('postgresql.cnpg.io')); rawComponent(c, { name: 'db', namespace: 'db' }, [cnpgCluster('pg')]).require(DEFAULT_STORAGE_CLASS, 'its claims'); } });
    expect(ws).toEqual([expect.objectContaining({ code: 'database-without-backup', message: expect.stringContaining("CloudNativePG Cluster 'db/pg' has no backup anywhere") })]);
    const withPlugin = warnings({ extra: (c) => { rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' }, [configMap('x')]).provide(crdGroup('postgresql.cnpg.io')); rawComponent(c, { name: 'db', namespace: 'db' }, [cnpgCluster('pg', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's3' } }] })]).require(DEFAULT_STORAGE_CLASS, 'its claims'); } });
    expect(withPlugin).toEqual([]);
    const drill = warnings({ extra: (c) => { rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' }, [configMap('x')]).provide(crdGroup('postgresql.cnpg.io')); rawComponent(c, { name: 'db', namespace: 'db' }, [cnpgCluster('pg-restore', { bootstrap: { recovery: { source: 'pg' } }, externalClusters: [{ name: 'pg', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 's3', serverName: 'pg' } } }] })]).require(DEFAULT_STORAGE_CLASS, 'its claims'); } });
    expect(drill).toEqual([]);
  });

  test('storage-reclaim-delete: a StorageClass that deletes volumes with their claims', () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'scratch' }, provisioner: 'rancher.io/local-path' };
    expect(warnings(extra([sc]))).toEqual([expect.objectContaining({ code: 'storage-reclaim-delete', message: expect.stringContaining("StorageClass 'scratch' has reclaimPolicy Delete (the Kubernetes default)") })]);
  });

  test('--strict turns warnings into errors; an accepted warning prints with its reason and passes', () => {
    const nodes = [{ name: 'control0', role: 'control-plane' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { name: 'eno1' } }, { name: 'control1', role: 'control-plane' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.2', nic: { name: 'eno1' } }, ...labProps().nodes.slice(1)];
    const root = tempRoot();
    const strict = cli(['--strict'], () => lab({ cluster: { nodes } }), root);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('[lab] lab › etcd-even-control-planes: 2 control-plane nodes');
    const accepted = cli(['--strict'], () => lab({ cluster: { nodes, acceptedWarnings: { 'etcd-even-control-planes': 'seed 003 runs two; a third is on order' } } }), root);
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('(etcd-even-control-planes): 2 control-plane nodes: etcd needs a quorum of 2 of 2, so it survives no node failure; use 1 or 3 [accepted: seed 003 runs two; a third is on order]');
    expect(() => synthesize(lab({ cluster: { nodes } }), { root: tempRoot(), strict: true })).toThrow(SynthError);
  });

  test('network-policy-not-enforced: NetworkPolicies on OKE without an enforcing CNI; Talos and Cilium enforce them', () => {
    // builtins replace OKE's list here only because the lab brings its own default StorageClass (NFS).
    const oke = warnings({ cluster: { distribution: 'oke', nodes: [{ name: 'a1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' }], network: undefined, builtins: [LOAD_BALANCER] } });
    expect(oke).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'network-policy-not-enforced', message: expect.stringContaining("its CNI (oke's default) enforces none") })]));
    expect(warnings({}).filter((w) => w.code === 'network-policy-not-enforced')).toEqual([]);
    const declared = warnings({ cluster: { distribution: 'oke', nodes: [{ name: 'a1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' }], network: undefined, builtins: [NETWORK_POLICY_ENFORCEMENT, LOAD_BALANCER] } });
    expect(declared.filter((w) => w.code === 'network-policy-not-enforced')).toEqual([]);
  });

  test('every rule is documented in docs/policy-lint.md', () => {
    const doc = readFileSync(new URL('../../../docs/policy-lint.md', import.meta.url), 'utf8');
    for (const code of [...Object.keys(POLICY_RULES), 'capacity-high', 'allow-data-loss-unused', 'empty-cluster']) expect(doc).toContain(`\`${code}\``);
  });
});
