import { DEFAULT_STORAGE_CLASS, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { NFS_PLACEMENT, NfsShareProps } from './nfs-share.js';
import { renderStorageClass } from './storage-class.js';
import { HelmComponent, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';

export interface NfsCsiProps extends NfsShareProps {
  /** Controller replicas. @default - 1 on a single-node cluster, else 2 */
  readonly controllerReplicas?: number;
  /** Extra Helm values, deep-merged over the derived ones and validated against values.yaml. @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * NFS storage through csi-driver-nfs: the CSI driver (controller + node DaemonSet, which needs
 * host access, hence a privileged namespace) and a StorageClass for one server share.
 */
export class NfsCsi extends HelmComponent {
  /** {@link NFS_PLACEMENT}; Pod Security 'privileged': the node DaemonSet needs host access. */
  public static readonly placement: Placement = { namespace: { name: NFS_PLACEMENT.namespace, podSecurity: 'privileged' }, group: NFS_PLACEMENT.group };
  public readonly storageClassName: string;

  constructor(cluster: HomelabCluster, id: string, props: NfsCsiProps) {
    super(cluster, id, props, NfsCsi.placement);
    this.storageClassName = props.storageClassName ?? 'nfs-storage';
    checkNfsTarget(this, props.server, props.share);
    const replicas = props.controllerReplicas ?? (cluster.singleNode ? 1 : 2);
    this.renderChart('csi-driver-nfs', { controller: { replicas }, externalSnapshotter: { enabled: false } }, props.values);
    renderStorageClass(this, {
      name: this.storageClassName,
      default: props.default ?? false,
      provisioner: 'nfs.csi.k8s.io',
      spec: {
        parameters: { server: props.server, share: props.share },
        reclaimPolicy: props.reclaimPolicy ?? 'Retain',
        volumeBindingMode: 'Immediate',
        allowVolumeExpansion: true,
        mountOptions: [...(props.mountOptions ?? ['nfsvers=4.1', 'hard', 'noatime'])],
      },
    });
    // The chart requests 10m/20Mi per container: five in the controller, three per node.
    this.addWorkload({ name: 'csi-nfs-controller', replicas, cpuRequest: '50m', memoryRequest: '100Mi' });
    this.addWorkload({ name: 'csi-nfs-node', perNode: true, cpuRequest: '30m', memoryRequest: '60Mi' });
    this.provide(storageClass(this.storageClassName));
    if (props.default) this.provide(DEFAULT_STORAGE_CLASS);
  }
}

/** Reports an NFS server or share that cannot work (empty server, relative share path). */
export function checkNfsTarget(component: Component, server: string, share: string): void {
  const d = Diagnostics.of(component);
  if (!server || /[\s/:]/.test(server)) {
    d.error(component, 'server', `NFS server ${JSON.stringify(server)} is not a hostname or IP address`, "set server to the NAS address, e.g. 'synology.example.com' or '10.0.50.20'");
  }
  if (!share.startsWith('/')) {
    d.error(component, 'share', `NFS share ${JSON.stringify(share)} is not an absolute export path`, "set share to the exported path, e.g. '/volume1/kubernetes'");
  }
}
