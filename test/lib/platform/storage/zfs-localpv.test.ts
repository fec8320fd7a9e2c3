import { readFileSync } from 'node:fs';
import { nodeRequirements, nodeRequirementsFor } from '../../../../src/lib/estate/node-requirements.js';
import { ZFS_LOCALPV_CHART, ZfsLocalPv } from '../../../../src/lib/platform/storage/zfs-localpv.js';
import { testCluster } from '../../../helpers.js';
import { problems, synth } from './util.js';

describe('ZfsLocalPv', () => {
  test('renders the hand-pinned chart and a StorageClass on the pool', () => {
    const { estate, cluster } = testCluster();
    const zfs = new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank' });
    const s = synth(estate);
    expect(s.get('HelmRepository', 'zfs-localpv', 'openebs').spec.url).toBe('https://openebs.github.io/zfs-localpv');
    const hr = s.get('HelmRelease', 'zfs', 'openebs');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'zfs-localpv', version: ZFS_LOCALPV_CHART.version });
    expect(hr.spec.values).toEqual({
      zfsController: { replicas: 1, resources: { requests: { cpu: '20m', memory: '64Mi' } } },
      zfsNode: { nodeSelector: {}, resources: { requests: { cpu: '20m', memory: '64Mi' } }, kubeletDir: '/var/lib/kubelet/' },
      zfs: { bin: 'zfs' },
      analytics: { enabled: false },
      crds: { zfsLocalPv: { enabled: true }, csi: { volumeSnapshots: { enabled: true } } },
    });
    const sc = s.get('StorageClass', 'zfs');
    expect(sc).toEqual({
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
      metadata: { name: 'zfs', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      provisioner: 'zfs.csi.openebs.io',
      parameters: { poolname: 'tank', fstype: 'zfs', compression: 'lz4', thinprovision: 'no', recordsize: '128k' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(s.get('Namespace', 'openebs').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect([...zfs.provides]).toEqual(expect.arrayContaining(['storage-class:zfs', 'crd:zfs.openebs.io']));
    expect(zfs.provides.has('storage-class:(default)')).toBe(false);
  });

  test('a node selector limits the node plugin and the StorageClass topology', () => {
    const { estate, cluster } = testCluster({
      nodes: [
        { name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi' },
        { name: 'w1', role: 'worker', cpu: 4, memory: '8Gi', labels: { 'homelab.arpa/zfs': 'true' } },
        { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi' },
      ],
    });
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank/k8s', fsType: 'ext4', default: true, nodeSelector: { 'homelab.arpa/zfs': 'true' } });
    const s = synth(estate);
    const sc = s.get('StorageClass', 'zfs');
    expect(sc.allowedTopologies).toEqual([{ matchLabelExpressions: [{ key: 'homelab.arpa/zfs', values: ['true'] }] }]);
    expect(sc.parameters).toEqual({ poolname: 'tank/k8s', fstype: 'ext4', compression: 'lz4', thinprovision: 'no' });
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(s.get('HelmRelease', 'zfs').spec.values.zfsNode.nodeSelector).toEqual({ 'homelab.arpa/zfs': 'true' });
    expect(nodeRequirementsFor(cluster, cluster.nodes[1])).toMatchObject({ talosExtensions: ['siderolabs/zfs'], kernelModules: ['zfs'], hostPackages: ['zfs'] });
    expect(nodeRequirementsFor(cluster, cluster.nodes[2]).talosExtensions).toEqual([]);
    expect(nodeRequirements(cluster).cni).toBe('default');
  });

  test('a malformed pool name is a problem', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: '/dev/sdb' });
    expect(problems(estate).map((p) => [p.path, p.field])).toEqual([['test/zfs', 'poolName']]);
  });

  test('the chart has no upstream data, so its values are not validated (documented limitation)', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', values: { zfsNode: { anything: 1 } } });
    expect(problems(estate)).toEqual([]);
    expect(ZFS_LOCALPV_CHART.values).toBe('none');
  });

  test('the hand pin carries a Renovate marker on the line above its version', () => {
    const source = readFileSync(new URL('../../../../src/lib/platform/storage/zfs-localpv.ts', import.meta.url), 'utf8').split('\n');
    const at = source.findIndex((l) => l.trim() === `version: '${ZFS_LOCALPV_CHART.version}',`);
    expect(source[at - 1].trim()).toBe('// renovate: datasource=helm depName=zfs-localpv registryUrl=https://openebs.github.io/zfs-localpv');
    expect(ZFS_LOCALPV_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
