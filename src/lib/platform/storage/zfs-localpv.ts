import { DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { addNodeRequirements } from '../../estate/node-requirements.js';
import { ChartRelease, UnvalidatedChartInfo } from '../../flux/helm-release.js';
import { renderStorageClass } from './storage-class.js';
import { TALOS_ZFS_SBIN, ZfsPoolDisks, ZfsPoolInit, checkPoolDisks, manualPoolPrerequisite, zpoolBeside } from './zfs-pool.js';

/**
 * OpenEBS ZFS LocalPV chart, pinned by hand: ../shared holds no upstream data for it, so it is not
 * in `imports/charts.ts`. Repository and chart name as published by openebs/zfs-localpv
 * (`helm repo add openebs-zfslocalpv https://openebs.github.io/zfs-localpv`).
 * Because there is no values.yaml or schema here, **its Helm values are not validated at synth**:
 * the keys used below were read from the chart's values.yaml by hand; check them when bumping.
 */
export const ZFS_LOCALPV_CHART: UnvalidatedChartInfo = {
  name: 'zfs-localpv',
  // renovate: datasource=helm depName=zfs-localpv registryUrl=https://openebs.github.io/zfs-localpv
  version: '2.11.0',
  appVersion: '2.11.0',
  kubeVersion: undefined,
  repository: 'https://openebs.github.io/zfs-localpv',
  type: 'https',
  alternatives: [],
  deprecated: false,
  notes: 'pinned by hand in src/lib/platform/storage/zfs-localpv.ts; values not validated (no upstream data in ../shared)',
  images: ['openebs/zfs-driver:2.11.0'],
  values: 'none',
};

/** Props of {@link ZfsLocalPv}; namespace, group and layer default to {@link ZfsLocalPv.placement}. */
export interface ZfsLocalPvProps extends HelmComponentProps {
  /** ZFS pool (or `pool/dataset`) on every storage node that volumes are created in. */
  readonly poolName: string;
  /**
   * How the pool comes to exist. `{ disks, layout?, ashift? }`: a privileged DaemonSet creates it
   * (and the dataset of a `pool/dataset` name) on each storage node from those blank disks, once.
   * `'manual'`: you create it; the README and runbook list the command as a node prerequisite.
   * The pool is imported at boot by the host (the Talos extension's zpool importer, the Debian
   * zfs-import units) either way.
   * @default 'manual' (the library cannot guess which disks to use)
   */
  readonly pool?: 'manual' | ZfsPoolDisks;
  /** StorageClass name. @default 'zfs' */
  readonly storageClassName?: string;
  /** Whether it is the cluster's default StorageClass. @default false */
  readonly default?: boolean;
  /** Reclaim policy. @default 'Retain' (volumes hold user data; deleting a claim keeps its dataset) */
  readonly reclaimPolicy?: 'Delete' | 'Retain';
  /** Filesystem of each volume: a ZFS dataset (`zfs`) or a zvol formatted ext4/xfs/btrfs. @default 'zfs' */
  readonly fsType?: 'zfs' | 'ext4' | 'xfs' | 'btrfs';
  /** ZFS compression of new datasets. @default 'lz4' */
  readonly compression?: 'off' | 'on' | 'lz4' | 'zstd' | 'gzip';
  /** Dataset record size (fsType zfs). @default '128k' */
  readonly recordSize?: string;
  /** Thin provisioning (no reservation). @default false */
  readonly thinProvision?: boolean;
  /**
   * Node labels selecting the storage nodes (schedulable nodes matching them have the pool, or
   * those `pool.disks` names); the StorageClass's allowedTopologies and the node DaemonSet follow
   * it. @default {} (every schedulable node)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Host path of the `zfs` binary the driver (and the pool DaemonSet) calls; `zpool` is taken from
   * the same folder. @default '/usr/local/sbin/zfs' on Talos (where the siderolabs/zfs extension
   * installs it), else 'zfs' (found on PATH, as zfsutils-linux installs it)
   */
  readonly zfsBinary?: string;
  /** Extra Helm values, deep-merged over the derived ones. **Not validated** (see ZFS_LOCALPV_CHART). @default {} */
  readonly values?: Record<string, unknown>;
}

/** Requests set in values and declared for the capacity check. */
const NODE_REQUESTS = { cpu: '20m', memory: '64Mi' };
const CONTROLLER_REQUESTS = { cpu: '20m', memory: '64Mi' };

/**
 * Node-local persistent volumes on ZFS (fast local disks, no network storage): OpenEBS ZFS LocalPV (CSI
 * controller + a privileged node DaemonSet that runs `zfs` on the host) and a StorageClass
 * (provisioner `zfs.csi.openebs.io`, parameter `poolname`). Volumes live on one node; a pod using
 * one is scheduled there (WaitForFirstConsumer).
 *
 * Node OS requirements: Talos extension `siderolabs/zfs` and kernel module `zfs`; the ZFS
 * userland elsewhere. The pool is created by a DaemonSet from the disks in `pool`, or by you (a
 * node prerequisite) when the model has no disks.
 */
export class ZfsLocalPv extends HelmComponent {
  /** Namespace 'openebs' (Pod Security 'privileged': the node DaemonSet runs `zfs` on the host), group 'storage', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'openebs', podSecurity: 'privileged' }, group: 'storage' };
  public readonly storageClassName: string;
  public readonly release: ChartRelease;
  /** Nodes that have (or get) the pool, in cluster order: the only nodes volumes are created on. */
  public readonly poolNodes: readonly string[];
  /** The DaemonSet creating the pool, when `pool` gives disks. */
  public readonly poolInit?: ZfsPoolInit;

  constructor(cluster: HomelabCluster, id: string, props: ZfsLocalPvProps) {
    super(cluster, id, props, ZfsLocalPv.placement);
    const d = Diagnostics.of(this);
    if (!/^[A-Za-z][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*$/.test(props.poolName)) {
      d.error(this, 'poolName', `'${props.poolName}' is not a ZFS pool (or pool/dataset) name`, "use the pool name shown by 'zpool list', e.g. 'tank'");
    }
    this.storageClassName = props.storageClassName ?? 'zfs';
    const selector = props.nodeSelector ?? {};
    const talos = cluster.distribution === 'talos';
    const zfsBinary = props.zfsBinary ?? (talos ? `${TALOS_ZFS_SBIN}/zfs` : 'zfs');
    const zpoolBinary = zpoolBeside(zfsBinary);
    // It is written into the pool script and the manual recipe: a plain name or absolute path only.
    if (!/^((\/[A-Za-z0-9._+-]+)+|[A-Za-z0-9._+-]+)$/.test(zfsBinary)) {
      d.error(this, 'zfsBinary', `'${zfsBinary}' is not a command name or an absolute path`, "use e.g. '/usr/sbin/zfs' or 'zfs'");
    }
    const storageNodes = cluster.schedulableNodes.filter((n) => Object.entries(selector).every(([k, v]) => n.labels?.[k] === v));
    if (storageNodes.length === 0 && cluster.schedulableNodes.length > 0) {
      d.error(this, 'nodeSelector', `no schedulable node of cluster '${cluster.name}' has the labels ${JSON.stringify(selector)}`, 'label the storage nodes in the cluster model, or change nodeSelector');
    }
    const pool = props.pool ?? 'manual';
    const disks = pool === 'manual' ? undefined : checkPoolDisks(this, pool, storageNodes);
    this.poolNodes = disks ? disks.nodes.map((n) => n.name) : storageNodes.map((n) => n.name);
    if (disks && disks.nodes.length > 0) {
      this.poolInit = new ZfsPoolInit(this, 'pool', { poolName: props.poolName, disks, zpoolBinary, zfsBinary, name: `${id}-pool` });
    }
    const controllerReplicas = 1;
    const derived: Record<string, unknown> = {
      zfsController: { replicas: controllerReplicas, resources: { requests: { ...CONTROLLER_REQUESTS } } },
      zfsNode: { nodeSelector: { ...selector }, resources: { requests: { ...NODE_REQUESTS } }, kubeletDir: '/var/lib/kubelet/' },
      zfs: { bin: zfsBinary },
      // Upstream reports usage to Google Analytics unless told not to.
      analytics: { enabled: false },
      crds: { zfsLocalPv: { enabled: true }, csi: { volumeSnapshots: { enabled: true } } },
    };
    this.release = this.renderChart(ZFS_LOCALPV_CHART, derived, props.values);

    const fsType = props.fsType ?? 'zfs';
    const parameters: Record<string, string> = {
      poolname: props.poolName,
      fstype: fsType,
      compression: props.compression ?? 'lz4',
      thinprovision: props.thinProvision ? 'yes' : 'no',
      ...(fsType === 'zfs' ? { recordsize: props.recordSize ?? '128k' } : {}),
    };
    // Volumes go only where the pool is: by hostname when the disks name some storage nodes only.
    const someNodes = this.poolNodes.length < storageNodes.length;
    const topology: [string, string[]][] = someNodes
      ? [['kubernetes.io/hostname', [...this.poolNodes]]]
      : Object.entries(selector).map(([k, v]) => [k, [v]]);
    renderStorageClass(this, {
      name: this.storageClassName,
      default: props.default ?? false,
      provisioner: 'zfs.csi.openebs.io',
      spec: {
        parameters,
        reclaimPolicy: props.reclaimPolicy ?? 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        ...(topology.length > 0
          ? { allowedTopologies: [{ matchLabelExpressions: topology.map(([key, values]) => ({ key, values })) }] }
          : {}),
      },
    });

    this.addWorkload({ name: 'openebs-zfs-controller', replicas: controllerReplicas, cpuRequest: CONTROLLER_REQUESTS.cpu, memoryRequest: CONTROLLER_REQUESTS.memory });
    this.addWorkload({ name: 'openebs-zfs-node', perNode: true, cpuRequest: NODE_REQUESTS.cpu, memoryRequest: NODE_REQUESTS.memory, nodeSelector: { ...selector } });
    addNodeRequirements(this, {
      talosExtensions: ['siderolabs/zfs'],
      // The extension ships the module but does not load it; /dev/zfs appears once it is loaded.
      kernelModules: ['zfs'],
      hostPackages: ['zfs'],
      prerequisites: pool === 'manual'
        ? [manualPoolPrerequisite({ poolName: props.poolName, storageClassName: this.storageClassName, nodes: this.poolNodes, talos, zpoolBinary, zfsBinary })]
        : [],
      nodeSelector: selector,
    });
    this.provide(crdGroup('zfs.openebs.io'));
    this.provide(crdGroup('snapshot.storage.k8s.io'));
    this.provide(storageClass(this.storageClassName));
    if (props.default) this.provide(DEFAULT_STORAGE_CLASS);
  }
}
