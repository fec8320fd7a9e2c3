import { PlatformProps } from '../helm-component.js';

/**
 * What every NFS storage construct takes: one server share behind one StorageClass. `NfsCsi` and
 * `NfsSubdirProvisioner` both extend it, so one can replace the other without touching the rest.
 * Namespace, group and layer default to {@link NFS_PLACEMENT}.
 */
export interface NfsShareProps extends PlatformProps {
  /** NFS server address (IP or hostname), e.g. the NAS. */
  readonly server: string;
  /** Exported path on the server, e.g. `/volume1/k8s`. */
  readonly share: string;
  /** StorageClass name. @default 'nfs-storage' */
  readonly storageClassName?: string;
  /** Whether the StorageClass is the cluster default. @default false */
  readonly default?: boolean;
  /** What happens to a claim's folder when the claim is deleted. @default 'Retain' (NFS holds user data) */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
  /** NFS mount options. @default ['nfsvers=4.1', 'hard', 'noatime'] */
  readonly mountOptions?: readonly string[];
}

/** Namespace of the driver or provisioner 'nfs-provisioner', group 'storage', layer 'platform'. */
export const NFS_PLACEMENT = { namespace: 'nfs-provisioner', group: 'storage' } as const;
