import { Layer } from '../../estate/component.js';

/**
 * What every NFS storage construct takes: one server share behind one StorageClass. `NfsCsi` and
 * `NfsSubdirProvisioner` both extend it, so one can replace the other without touching the rest.
 */
export interface NfsShareProps {
  /** NFS server address (IP or hostname), e.g. the Synology. */
  readonly server: string;
  /** Exported path on the server, e.g. `/volume1/k8s`. */
  readonly share: string;
  /** StorageClass name. @default 'nfs-storage' (seed 004) */
  readonly storageClassName?: string;
  /** Whether the StorageClass is the cluster default. @default false */
  readonly default?: boolean;
  /** What happens to a claim's folder when the claim is deleted. @default 'Retain' (NFS holds user data) */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
  /** NFS mount options. @default ['nfsvers=4.1', 'hard', 'noatime'] */
  readonly mountOptions?: readonly string[];
  /** Namespace of the driver or provisioner. @default 'nfs-provisioner' (seed 004) */
  readonly namespace?: string;
  /** @default 'storage' */
  readonly group?: string;
  /** @default 'platform' */
  readonly layer?: Layer;
}
