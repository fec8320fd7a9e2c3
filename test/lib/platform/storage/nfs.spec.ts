import { DEFAULT_STORAGE_CLASS, service, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { HomelabCluster } from '../../../../src/lib/estate/cluster.js';
import { nodeRequirements } from '../../../../src/lib/estate/node-requirements.js';
import { Longhorn } from '../../../../src/lib/platform/storage/longhorn.js';
import { NfsCsi, NfsCsiProps } from '../../../../src/lib/platform/storage/nfs-csi.js';
import { NfsSubdirProvisioner } from '../../../../src/lib/platform/storage/nfs-subdir.js';
import { ZfsLocalPv } from '../../../../src/lib/platform/storage/zfs-localpv.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { problems, synth } from './util.js';

const share: NfsCsiProps = { server: 'synology.example.com', share: '/volume1/kubernetes' };
const claim = (name: string, storageClassName?: string) => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
  spec: { ...(storageClassName ? { storageClassName } : {}), accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

describe('NfsCsi', () => {
  test('a cluster-scoped StorageClass for the share (seed 004: nfs-storage, Retain)', () => {
    const { estate, cluster } = testCluster();
    new NfsCsi(cluster, 'nfs', { ...share, default: true });
    const s = synth(estate);
    const sc = s.get('StorageClass', 'nfs-storage');
    expect(sc.metadata).toEqual({ name: 'nfs-storage', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } });
    expect(sc).toMatchObject({ provisioner: 'nfs.csi.k8s.io', reclaimPolicy: 'Retain', parameters: { server: 'synology.example.com', share: '/volume1/kubernetes' } });
    expect(s.get('Namespace', 'nfs-provisioner').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('an unknown extra values key is a problem naming it', () => {
    const { estate, cluster } = testCluster();
    new NfsCsi(cluster, 'nfs', { ...share, values: { controller: { replica: 3 } } });
    const [p] = problems(estate);
    expect([p.path, p.field]).toEqual(['test/nfs/chart', 'values.controller.replica']);
  });
});

describe('NfsSubdirProvisioner', () => {
  test('renders the chart with the share, the StorageClass settings and a baseline namespace', () => {
    const { estate, cluster } = testCluster();
    const nfs = new NfsSubdirProvisioner(cluster, 'nfs', { ...share, pathPattern: '${.PVC.namespace}/${.PVC.name}' });
    const s = synth(estate);
    const hr = s.get('HelmRelease', 'nfs', 'nfs-provisioner');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'nfs-subdir-external-provisioner', version: '4.0.18' });
    expect(hr.spec.values.replicaCount).toBe(2);
    expect(hr.spec.values.nfs).toEqual({ server: 'synology.example.com', path: '/volume1/kubernetes', mountOptions: ['nfsvers=4.1', 'hard', 'noatime'], reclaimPolicy: 'Retain' });
    expect(hr.spec.values.storageClass).toEqual({
      create: true, name: 'nfs-storage', defaultClass: false, reclaimPolicy: 'Retain', archiveOnDelete: true,
      pathPattern: '${.PVC.namespace}/${.PVC.name}', allowVolumeExpansion: true, volumeBindingMode: 'Immediate', accessModes: 'ReadWriteMany',
    });
    expect(s.get('HelmRepository', 'nfs-subdir-external-provisioner').spec.url).toBe('https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/');
    expect(s.get('Namespace', 'nfs-provisioner').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(nfs.workloads).toEqual([{ name: 'nfs-subdir-external-provisioner', replicas: 2, cpuRequest: '10m', memoryRequest: '32Mi' }]);
    expect(nodeRequirements(cluster).hostPackages).toEqual(['nfs-client']);
  });

  test('one replica on a single-node cluster', () => {
    const { estate, cluster } = testCluster({ nodes: [{ name: 'solo', role: 'control-plane', cpu: 4, memory: '8Gi' }] });
    new NfsSubdirProvisioner(cluster, 'nfs', share);
    expect(synth(estate).get('HelmRelease', 'nfs').spec.values.replicaCount).toBe(1);
  });

  test('takes the same props as NfsCsi: swapping one for the other changes no claim', () => {
    for (const Kind of [NfsCsi, NfsSubdirProvisioner]) {
      const { estate, cluster } = testCluster();
      const props: NfsCsiProps = { ...share, storageClassName: 'nas', default: true, reclaimPolicy: 'Delete' };
      const nfs = new Kind(cluster, 'nfs', props);
      const app = rawComponent(cluster, { name: 'app', namespace: 'apps' }, [claim('data', 'nas'), claim('cache')]);
      const s = synth(estate);
      expect(nfs.storageClassName).toBe('nas');
      expect(s.get('Kustomization', 'app', 'flux-system').spec.dependsOn).toEqual([{ name: 'nfs' }]);
      expect(app.requires.has(storageClass('nas'))).toBe(true);
    }
  });

  test('an unknown extra values key is a problem naming it', () => {
    const { estate, cluster } = testCluster();
    new NfsSubdirProvisioner(cluster, 'nfs', { ...share, values: { storageClass: { defaultClas: true } } });
    const [p] = problems(estate);
    expect([p.path, p.field]).toEqual(['test/nfs/chart', 'values.storageClass.defaultClas']);
    expect(p.message).toContain('storageClass.defaultClass');
  });

  test('a server or share that cannot work is a problem, for both NFS constructs', () => {
    for (const Kind of [NfsCsi, NfsSubdirProvisioner]) {
      const { estate, cluster } = testCluster();
      new Kind(cluster, 'nfs', { server: 'nfs://nas', share: 'volume1' });
      expect(problems(estate).map((p) => [p.field, p.message])).toEqual([
        ['server', 'NFS server "nfs://nas" is not a hostname or IP address'],
        ['share', 'NFS share "volume1" is not an absolute export path'],
      ]);
    }
  });
});

describe('exactly one default StorageClass', () => {
  test('two storage constructs marked default are a problem, even before any claim uses the default', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn', { default: true });
    new NfsCsi(cluster, 'nfs', { ...share, default: true });
    const found = problems(estate);
    expect(found.map((p) => [p.path, p.field, p.message])).toEqual([
      ['test/nfs', 'default', 'a default StorageClass is provided by several components: longhorn, nfs'],
    ]);
    expect(found[0].fix).toContain('exactly one');
  });

  test('with a claim on the default class, the conflict is still reported once', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', default: true });
    new NfsSubdirProvisioner(cluster, 'nfs', { ...share, default: true });
    rawComponent(cluster, { name: 'app', namespace: 'apps' }, [claim('data')]);
    expect(problems(estate).map((p) => p.message)).toEqual(['a default StorageClass is provided by several components: zfs, nfs']);
  });

  test('one default and another class: claims without a class depend on the default one', () => {
    const { estate, cluster } = testCluster();
    new Longhorn(cluster, 'longhorn');
    new NfsCsi(cluster, 'nfs', { ...share, default: true });
    rawComponent(cluster, { name: 'app', namespace: 'apps' }, [claim('data'), claim('db', 'longhorn')]);
    expect(synth(estate).get('Kustomization', 'app', 'flux-system').spec.dependsOn).toEqual([{ name: 'longhorn-config' }, { name: 'nfs' }]);
  });
});

describe('distribution built-in StorageClasses', () => {
  const oke = () => testCluster({ distribution: 'oke', nodes: [{ name: 'a1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' }] });

  test("OKE's oci-bv is known, default and deployed by nobody", () => {
    const { estate, cluster } = oke();
    expect([...cluster.builtins]).toEqual([storageClass('oci-bv'), DEFAULT_STORAGE_CLASS, service('load-balancer', 'controller')]);
    rawComponent(cluster, { name: 'app', namespace: 'apps' }, [claim('data', 'oci-bv'), claim('cache')]);
    const s = synth(estate);
    expect(s.get('Kustomization', 'app', 'flux-system').spec.dependsOn).toBeUndefined();
    expect(s.all('StorageClass')).toEqual([]);
  });

  test('on OKE a component marked default conflicts with oci-bv', () => {
    const { estate, cluster } = oke();
    new NfsCsi(cluster, 'nfs', { ...share, default: true });
    expect(problems(estate).map((p) => [p.path, p.field, p.message])).toEqual([
      ['test/nfs', 'default', 'a default StorageClass is provided by several components: oke (built in), nfs'],
    ]);
  });

  test("k3s's local-path is the default until a component brings its own default class", () => {
    const plain = testCluster({ distribution: 'k3s' });
    expect([...plain.cluster.builtins]).toEqual([storageClass('local-path'), DEFAULT_STORAGE_CLASS, service('load-balancer', 'controller'), service('network-policy', 'enforcement')]);
    rawComponent(plain.cluster, { name: 'app', namespace: 'apps' }, [claim('data'), claim('scratch', 'local-path')]);
    expect(() => synth(plain.estate)).not.toThrow();

    const own = testCluster({ distribution: 'k3s' });
    new NfsCsi(own.cluster, 'nfs', { ...share, default: true });
    expect([...own.cluster.builtins]).toEqual([service('load-balancer', 'controller'), service('network-policy', 'enforcement')]);
    rawComponent(own.cluster, { name: 'app', namespace: 'apps' }, [claim('scratch', 'local-path')]);
    expect(problems(own.estate).map((p) => p.message)).toEqual([expect.stringContaining("needs StorageClass 'local-path'")]);
  });

  test('Talos has no StorageClass or load balancer, and explicit builtins replace the derived ones', () => {
    expect([...testCluster().cluster.builtins]).toEqual([service('network-policy', 'enforcement')]);
    const { cluster } = testCluster({ distribution: 'oke', builtins: [storageClass('oci-bv-encrypted')] });
    expect(cluster).toBeInstanceOf(HomelabCluster);
    expect([...cluster.builtins]).toEqual([storageClass('oci-bv-encrypted')]);
  });
});
