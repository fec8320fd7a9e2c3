import { DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { readFileSync } from 'node:fs';
import { nodeRequirements, nodeRequirementsFor } from '../../../../src/lib/estate/node-requirements.js';
import { ZFS_LOCALPV_CHART, ZfsLocalPv } from '../../../../src/lib/platform/storage/zfs-localpv.js';
import { ZFS_POOL_INIT_IMAGE } from '../../../../src/lib/platform/storage/zfs-pool.js';
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
      // Talos: the siderolabs/zfs extension's binary, called through the chart's chroot wrapper.
      zfs: { bin: '/usr/local/sbin/zfs' },
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
    expect([...zfs.provides]).toEqual(expect.arrayContaining([storageClass('zfs'), crdGroup('zfs.openebs.io')]));
    expect(zfs.provides.has(DEFAULT_STORAGE_CLASS)).toBe(false);
    // No disks in the model: the pool is a manual step on the storage nodes, nothing creates it.
    expect(zfs.poolInit).toBeUndefined();
    expect(s.all('DaemonSet')).toEqual([]);
    expect(zfs.poolNodes).toEqual(['w1', 'w2']);
    expect(nodeRequirements(cluster).prerequisites.map((p) => p.name)).toEqual(['zfs-pool tank']);
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

  test("manual pool on Talos: the prerequisite names the storage nodes and gives the extension's zpool through a debug pod", () => {
    const { cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank/k8s', pool: 'manual', storageClassName: 'local-zfs' });
    const [p] = nodeRequirements(cluster).prerequisites;
    expect(p.name).toBe('zfs-pool tank');
    expect(p.reason).toContain("until 'tank/k8s' exists on w1, w2, every claim on StorageClass 'local-zfs' stays Pending");
    const lines = p.howTo.split('\n');
    expect(lines[0]).toBe('# on each of w1, w2; find the disks with: talosctl -n <node> get disks');
    expect(lines).toContain(`kubectl -n kube-system debug -it --profile sysadmin --image=${ZFS_POOL_INIT_IMAGE.repository}:${ZFS_POOL_INIT_IMAGE.tag} node/<node>`);
    expect(lines.slice(-3)).toEqual([
      'chroot /host /usr/local/sbin/zpool create -m none -o ashift=12 tank mirror /dev/disk/by-id/<disk-1> /dev/disk/by-id/<disk-2>',
      'chroot /host /usr/local/sbin/zfs create -p tank/k8s',
      'chroot /host /usr/local/sbin/zpool list tank',
    ]);
    expect(lines.some((l) => / -f( |$)/.test(l) && !l.startsWith('#'))).toBe(false);
    // Only nodes that have the Talos extension need the step.
    expect(nodeRequirementsFor(cluster, cluster.nodes[1]).prerequisites).toHaveLength(1);
  });

  test('manual pool on k3s: zfs from PATH (zfsutils-linux), the command run with sudo on each node', () => {
    const { estate, cluster } = testCluster({ distribution: 'k3s' });
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank' });
    expect(synth(estate).get('HelmRelease', 'zfs').spec.values.zfs).toEqual({ bin: 'zfs' });
    const req = nodeRequirements(cluster);
    expect(req.hostPackages).toEqual(['zfs']);
    const lines = req.prerequisites[0].howTo.split('\n');
    expect(lines[0]).toBe('# on each of w1, w2 (ssh); find the disks with: ls -l /dev/disk/by-id');
    expect(lines.slice(-2)).toEqual(['sudo zpool create -m none -o ashift=12 tank mirror /dev/disk/by-id/<disk-1> /dev/disk/by-id/<disk-2>', 'sudo zpool list tank']);
  });

  test('zpool is taken from the folder of zfsBinary (NixOS)', () => {
    const { estate, cluster } = testCluster({ distribution: 'k3s' });
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', zfsBinary: '/run/current-system/sw/bin/zfs' });
    expect(synth(estate).get('HelmRelease', 'zfs').spec.values.zfs).toEqual({ bin: '/run/current-system/sw/bin/zfs' });
    expect(nodeRequirements(cluster).prerequisites[0].howTo).toContain('sudo /run/current-system/sw/bin/zpool create');
  });

  test('disks for every storage node: a pool DaemonSet on them, no prerequisite, the StorageClass unrestricted', () => {
    const { estate, cluster } = testCluster();
    const zfs = new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', pool: { disks: ['/dev/disk/by-id/ata-A'] } });
    const s = synth(estate);
    expect(zfs.poolNodes).toEqual(['w1', 'w2']);
    expect(nodeRequirements(cluster).prerequisites).toEqual([]);
    expect(s.get('StorageClass', 'zfs').allowedTopologies).toBeUndefined();
    const ds = s.get('DaemonSet', 'zfs-pool', 'openebs');
    expect(ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w1', 'w2'] }] }]);
  });

  test('disks for some nodes only: the StorageClass is limited to those hostnames, where the pool is', () => {
    const { estate, cluster } = testCluster();
    const zfs = new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', pool: { disks: { w2: ['/dev/disk/by-id/ata-B'] } } });
    const s = synth(estate);
    expect(zfs.poolNodes).toEqual(['w2']);
    expect(s.get('StorageClass', 'zfs').allowedTopologies).toEqual([{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['w2'] }] }]);
    expect(s.get('DaemonSet', 'zfs-pool').spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['w2']);
  });

  test('a node selector matching no schedulable node is a problem', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', nodeSelector: { disk: 'nvme' } });
    expect(problems(estate).map((p) => [p.path, p.field])).toEqual([['test/zfs', 'nodeSelector']]);
  });

  test('a zfsBinary that is neither a command name nor an absolute path is a problem (it is written into shell)', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', zfsBinary: "zfs'; rm -rf /" });
    expect(problems(estate).map((p) => [p.path, p.field])).toEqual([['test/zfs', 'zfsBinary']]);
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
