import { nodeRequirements, nodeRequirementsFor } from '../../../../src/lib/estate/node-requirements.js';
import { Longhorn } from '../../../../src/lib/platform/storage/longhorn.js';
import { testCluster } from '../../../helpers.js';
import { problems, synth } from './util.js';

const worker = (name: string, labels: Record<string, string> = {}) => ({ name, role: 'worker' as const, cpu: 4, memory: '8Gi', labels });

describe('Longhorn', () => {
  test('defaults: replicas from the worker count, Retain, not default, privileged prune-protected namespace', () => {
    const { estate, cluster } = testCluster();
    const longhorn = new Longhorn(cluster, 'longhorn');
    const s = synth(estate);
    const values = s.get('HelmRelease', 'longhorn', 'longhorn-system').spec.values;
    expect(longhorn.replicas).toBe(2);
    expect(values.persistence).toEqual({
      createStorageClass: true, defaultClass: false, defaultClassReplicaCount: 2, reclaimPolicy: 'Retain',
      defaultFsType: 'ext4', defaultDataLocality: 'disabled', volumeBindingMode: 'Immediate',
    });
    expect(values.defaultSettings).toMatchObject({ defaultDataPath: '/var/lib/longhorn/', defaultReplicaCount: '{"v1":"2","v2":"2"}', replicaSoftAntiAffinity: false });
    expect(values.defaultSettings.systemManagedComponentsNodeSelector).toBeUndefined();
    expect(values.defaultBackupStore).toBeUndefined();
    expect(values.csi.provisionerReplicaCount).toBe(2);
    expect(values.longhornManager.resources).toEqual({ requests: { cpu: '50m', memory: '192Mi' } });
    const ns = s.get('Namespace', 'longhorn-system');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(s.get('HelmRepository', 'longhorn').spec.url).toBe('https://charts.longhorn.io');
    expect(s.get('HelmRelease', 'longhorn').spec.chart.spec.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('replicas: min(storage nodes, 3); a node selector narrows the storage nodes', () => {
    const five = testCluster({ nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi' }, ...['a', 'b', 'c', 'd', 'e'].map((n) => worker(n))] });
    expect(new Longhorn(five.cluster, 'longhorn').replicas).toBe(3);
    const labelled = testCluster({ nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi' }, worker('a', { disk: 'ssd' }), worker('b', { disk: 'ssd' }), worker('c')] });
    const lh = new Longhorn(labelled.cluster, 'longhorn', { nodeSelector: { disk: 'ssd' } });
    expect(lh.replicas).toBe(2);
    const values = synth(labelled.estate).get('HelmRelease', 'longhorn').spec.values;
    expect(values.longhornManager.nodeSelector).toEqual({ disk: 'ssd' });
    expect(values.longhornUI.nodeSelector).toEqual({ disk: 'ssd' });
    expect(values.defaultSettings.systemManagedComponentsNodeSelector).toBe('disk:ssd');
    const single = testCluster({ nodes: [{ name: 'solo', role: 'control-plane', cpu: 8, memory: '32Gi' }] });
    expect(new Longhorn(single.cluster, 'longhorn').replicas).toBe(1);
  });

  test('seed 004: 2 replicas, Delete, NFS backup target with snapshot and backup RecurringJobs', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn', {
      replicas: 2,
      reclaimPolicy: 'Delete',
      backup: { target: 'nfs://synology.funoffshore.com:/volume1/longhorn', pollIntervalSeconds: 600, schedule: { cron: '30 4 * * *', retain: 30, concurrency: 2 } },
      snapshots: { cron: '0 */6 * * *', retain: 8 },
    });
    const s = synth(estate);
    const values = s.get('HelmRelease', 'longhorn').spec.values;
    expect(values.defaultBackupStore).toEqual({ backupTarget: 'nfs://synology.funoffshore.com:/volume1/longhorn', pollInterval: '600' });
    expect(s.get('RecurringJob', 'backup', 'longhorn-system').spec).toEqual({ name: 'backup', task: 'backup', cron: '30 4 * * *', retain: 30, concurrency: 2, groups: ['default'], labels: {} });
    expect(s.get('RecurringJob', 'snapshot', 'longhorn-system').spec).toEqual({ name: 'snapshot', task: 'snapshot', cron: '0 */6 * * *', retain: 8, concurrency: 1, groups: ['default'], labels: {} });
    // The jobs are resources of the chart's own CRDs: a second Kustomization applies them after the chart.
    expect(s.fileOf('RecurringJob', 'backup')).toBe('clusters/test/storage/longhorn/config/recurringjob-backup.yaml');
    expect(s.get('Kustomization', 'longhorn-config', 'flux-system').spec.dependsOn).toEqual([{ name: 'longhorn' }]);
  });

  test('default schedules: a daily snapshot, and a daily backup only with a backup target; none when snapshots is false', () => {
    const a = testCluster();
    new Longhorn(a.cluster, 'longhorn', { backup: { target: 'nfs://nas:/backups' } });
    const s = synth(a.estate);
    expect(s.get('RecurringJob', 'snapshot').spec).toMatchObject({ cron: '0 2 * * *', retain: 7 });
    expect(s.get('RecurringJob', 'backup').spec).toMatchObject({ cron: '0 3 * * *', retain: 14 });
    const b = testCluster();
    const none = new Longhorn(b.cluster, 'longhorn', { snapshots: false });
    expect(none.recurringJobs).toEqual([]);
    const t = synth(b.estate);
    expect(t.all('RecurringJob')).toEqual([]);
    expect(t.manifests.some((m) => m.object.metadata?.name === 'longhorn-config')).toBe(false);
  });

  test('the layered layout applies the jobs in the apps layer, after the platform layer installed the CRDs', () => {
    const { estate, cluster } = testCluster({ flux: { layout: 'layered', bootstrap: 'operator' } });
    const lh = new Longhorn(cluster, 'longhorn');
    expect([lh.layer, lh.recurringJobs]).toEqual(['platform', ['snapshot']]);
    const s = synth(estate);
    expect(s.fileOf('RecurringJob', 'snapshot')).toBe('clusters/test/apps/storage/longhorn-config/recurringjob.yaml');
    expect(s.fileOf('HelmRelease', 'longhorn')).toBe('clusters/test/platform/storage/longhorn/helmrelease.yaml');
  });

  test('default: true marks the chart StorageClass default and provides the default class', () => {
    const { estate, cluster } = testCluster();
    const lh = new Longhorn(cluster, 'longhorn', { default: true });
    expect(synth(estate).get('HelmRelease', 'longhorn').spec.values.persistence.defaultClass).toBe(true);
    expect([...lh.provides].map(String)).toEqual(expect.arrayContaining(['crd:longhorn.io', 'storage-class:longhorn', 'storage-class:(default)']));
  });

  test('node OS requirements: Talos extensions, kubelet mount of the data path, open-iscsi elsewhere', () => {
    const { cluster } = testCluster({ nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi' }, worker('a', { disk: 'ssd' }), worker('b')] });
    new Longhorn(cluster, 'longhorn', { dataPath: '/var/mnt/longhorn/', nodeSelector: { disk: 'ssd' }, replicas: 1 });
    const all = nodeRequirements(cluster);
    expect(all.talosExtensions).toEqual(['siderolabs/iscsi-tools', 'siderolabs/util-linux-tools']);
    expect(all.kubeletExtraMounts).toEqual([{ destination: '/var/mnt/longhorn', source: '/var/mnt/longhorn', type: 'bind', options: ['bind', 'rshared', 'rw'] }]);
    expect(all.hostPackages).toEqual(['nfs-client', 'open-iscsi']);
    expect(all.hostServices).toEqual(['iscsid']);
    expect(all.sources.map((x) => x.component)).toEqual(['longhorn']);
    // Only the selected storage nodes need them.
    expect(nodeRequirementsFor(cluster, cluster.nodes[1]).talosExtensions).toHaveLength(2);
    expect(nodeRequirementsFor(cluster, cluster.nodes[2]).talosExtensions).toEqual([]);
  });

  test('declares its workloads for the capacity check', () => {
    const { cluster } = testCluster();
    const lh = new Longhorn(cluster, 'longhorn');
    expect(lh.workloads).toEqual([
      { name: 'longhorn-manager', perNode: true, cpuRequest: '50m', memoryRequest: '192Mi', nodeSelector: {} },
      { name: 'instance-manager', perNode: true, cpuRequest: '480m', memoryRequest: '1Mi', nodeSelector: {} },
    ]);
  });

  test('mistakes are problems naming the field', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn', {
      replicas: 3,
      dataPath: 'var/lib/longhorn',
      backup: { target: 's3://bucket@us-east-1/', schedule: { cron: 'daily', retain: 0 } },
    });
    const found = problems(estate).map((p) => [p.path, p.field, p.message]);
    expect(found).toEqual(expect.arrayContaining([
      ['test/longhorn', 'replicas', expect.stringContaining('3 replicas need 3 storage nodes, but only 2 match (w1, w2)')],
      ['test/longhorn', 'dataPath', expect.stringContaining('not absolute')],
      ['test/longhorn', 'backup.target', "backup target 's3://bucket@us-east-1/' is not an NFS target"],
      ['test/longhorn', 'backup.schedule.cron', "'daily' is not a cron expression Longhorn runs: it has 1 fields, not 5"],
      ['test/longhorn', 'backup.schedule.retain', 'retain 0 is not a positive whole number'],
    ]));
    expect(found).toHaveLength(5);
  });

  test('a node selector matching no node is a problem', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn', { nodeSelector: { disk: 'nvme' } });
    expect(problems(estate).map((p) => p.field)).toContain('nodeSelector');
  });

  test('an unknown extra values key is a problem naming the key and the construct', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn', { values: { persistence: { defaultClassReplicaCunt: 1 } } });
    const [p] = problems(estate);
    expect(p.path).toBe('test/longhorn/chart');
    expect(p.field).toBe('values.persistence.defaultClassReplicaCunt');
    expect(p.message).toContain('persistence.defaultClassReplicaCunt');
    expect(p.message).toContain('longhorn 1.12.1');
  });

  test('known extra values are merged over the derived ones', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn', { values: { defaultSettings: { storageOverProvisioningPercentage: 150 } } });
    const values = synth(estate).get('HelmRelease', 'longhorn').spec.values;
    expect(values.defaultSettings).toMatchObject({ storageOverProvisioningPercentage: 150, defaultDataPath: '/var/lib/longhorn/' });
  });
});
