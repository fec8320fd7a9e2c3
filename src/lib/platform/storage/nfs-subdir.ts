import { DEFAULT_STORAGE_CLASS, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { NFS_PLACEMENT, NfsShareProps } from './nfs-share.js';
import { HelmComponent, Placement } from '../helm-component.js';
import { addNodeRequirements } from '../../estate/node-requirements.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { checkNfsTarget } from './nfs-csi.js';

/** Props of {@link NfsSubdirProvisioner}: the same shape as `NfsCsiProps`, so one can replace the other. */
export interface NfsSubdirProvisionerProps extends NfsShareProps {
  /** Provisioner replicas (leader-elected). @default - 1 on a single-node cluster, else 2 */
  readonly replicas?: number;
  /**
   * With reclaim policy Delete: rename the folder to `archived-…` instead of deleting it.
   * @default true (deleting a claim never destroys data on the NAS by accident)
   */
  readonly archiveOnDelete?: boolean;
  /**
   * Folder name template for each claim, e.g. `${.PVC.namespace}/${.PVC.name}`.
   * @default - the provisioner's own `<namespace>-<claim>-<pv>` naming
   */
  readonly pathPattern?: string;
  /** Extra Helm values, deep-merged over the derived ones and validated against values.yaml. @default {} */
  readonly values?: Record<string, unknown>;
}

/** The provisioner's container requests, set in values and declared for the capacity check. */
const REQUESTS = { cpu: '10m', memory: '32Mi' };

/**
 * NFS storage through nfs-subdir-external-provisioner: one Deployment creates a sub-folder of the
 * share for each claim and the chart's StorageClass points at it. The alternative to `NfsCsi`
 * (same props) for NAS setups where a CSI driver is not wanted. Upstream is inactive (last chart
 * release 2023-03); prefer `NfsCsi` for new clusters.
 *
 * The kubelet mounts the share itself (a plain `nfs` volume), so non-Talos nodes need the NFS
 * client package (declared as a node requirement); the pod needs no host access beyond that, so
 * the namespace is `baseline` (the chart sets no restricted security context).
 */
export class NfsSubdirProvisioner extends HelmComponent {
  /** {@link NFS_PLACEMENT}; Pod Security 'baseline' (the chart sets no restricted security context). */
  public static readonly placement: Placement = { namespace: { name: NFS_PLACEMENT.namespace, podSecurity: 'baseline' }, group: NFS_PLACEMENT.group };
  public readonly storageClassName: string;
  public readonly release: ChartRelease;

  constructor(cluster: HomelabCluster, id: string, props: NfsSubdirProvisionerProps) {
    super(cluster, id, props, NfsSubdirProvisioner.placement);
    checkNfsTarget(this, props.server, props.share);
    this.storageClassName = props.storageClassName ?? 'nfs-storage';
    const replicas = props.replicas ?? (cluster.singleNode ? 1 : 2);
    const mountOptions = [...(props.mountOptions ?? ['nfsvers=4.1', 'hard', 'noatime'])];
    this.release = this.renderChart('nfs-subdir-external-provisioner', {
      replicaCount: replicas,
      nfs: { server: props.server, path: props.share, mountOptions, reclaimPolicy: 'Retain' },
      storageClass: {
        create: true,
        name: this.storageClassName,
        defaultClass: props.default ?? false,
        reclaimPolicy: props.reclaimPolicy ?? 'Retain',
        archiveOnDelete: props.archiveOnDelete ?? true,
        ...(props.pathPattern ? { pathPattern: props.pathPattern } : {}),
        allowVolumeExpansion: true,
        volumeBindingMode: 'Immediate',
        accessModes: 'ReadWriteMany',
      },
      leaderElection: { enabled: true },
      resources: { requests: { ...REQUESTS } },
    }, props.values);
    this.addWorkload({ name: 'nfs-subdir-external-provisioner', replicas, cpuRequest: REQUESTS.cpu, memoryRequest: REQUESTS.memory });
    addNodeRequirements(this, { hostPackages: ['nfs-client'] });
    this.provide(storageClass(this.storageClassName));
    if (props.default) this.provide(DEFAULT_STORAGE_CLASS);
  }
}
