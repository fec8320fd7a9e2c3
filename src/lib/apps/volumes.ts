import { k8s } from 'cdk8s-plus-28';
import { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { isDnsLabel } from '../estate/names.js';
import { addNodeRequirements } from '../estate/node-requirements.js';
import { parseMemory } from '../estate/quantity.js';

/** Where and how a volume is mounted in the app's container. */
export interface MountOptions {
  /** Absolute path inside the container. */
  readonly mountPath: string;
  /** Mount only this sub-directory of the volume. @default - the whole volume */
  readonly subPath?: string;
  /** Mount read-only. @default false (true for configMap and secret volumes) */
  readonly readOnly?: boolean;
}

/** A new PersistentVolumeClaim owned by the app (its config or database files). */
export interface ClaimVolume extends MountOptions {
  readonly type: 'claim';
  /** Requested size, e.g. `5Gi`. */
  readonly size: string;
  /** StorageClass. @default - the cluster's default StorageClass (the claim names none; dependsOn is derived) */
  readonly storageClass?: string;
  /** @default 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadWriteOncePod';
}

/** A PersistentVolumeClaim that already exists in the app's namespace (shared media, restored data). */
export interface ExistingClaimVolume extends MountOptions {
  readonly type: 'existingClaim';
  readonly claimName: string;
  /** Access mode of the claim (a single-node claim forces the Recreate strategy and one replica). @default 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany' | 'ReadWriteOncePod';
}

/**
 * An NFS share (media library, Nextcloud data on the NAS), mounted through a static PersistentVolume
 * bound to a claim of the app, which keeps the namespace at the `restricted` Pod Security level
 * (inline `nfs` volumes are not allowed there).
 */
export interface NfsVolume extends MountOptions {
  readonly type: 'nfs';
  /** NFS server address. */
  readonly server: string;
  /** Exported path, e.g. `/volume1/media`. */
  readonly path: string;
  /** Nominal capacity of the PersistentVolume (NFS does not enforce it). @default '1Ti' */
  readonly size?: string;
  /** @default ['nfsvers=4.1', 'hard', 'noatime'] */
  readonly mountOptions?: readonly string[];
}

/** Scratch space that lives as long as the pod (`/tmp`, caches, transcodes). */
export interface EmptyDirVolume extends MountOptions {
  readonly type: 'emptyDir';
  /** `Memory` for a tmpfs (counts against the memory limit). @default - node disk */
  readonly medium?: 'Memory';
  /** @default - no limit */
  readonly sizeLimit?: string;
}

/** A ConfigMap rendered by the app construct or existing in the namespace. */
export interface ConfigMapVolume extends MountOptions {
  readonly type: 'configMap';
  readonly name: string;
  /** File mode of the projected files. @default 0o444 */
  readonly defaultMode?: number;
}

/** An existing Secret (a SOPS file, an ExternalSecret's target) mounted as files. */
export interface SecretVolume extends MountOptions {
  readonly type: 'secret';
  readonly secretName: string;
  /** File mode of the projected files. @default 0o440 */
  readonly defaultMode?: number;
}

/**
 * A path of the node (a GPU device directory). Forces the `privileged` Pod Security level on the
 * namespace; use only when no device plugin can hand the device over.
 */
export interface HostPathVolume extends MountOptions {
  readonly type: 'hostPath';
  readonly path: string;
  /** @default 'Directory' */
  readonly hostPathType?: 'Directory' | 'CharDevice' | 'File' | 'DirectoryOrCreate';
}

/** One volume of an app. */
export type AppVolume = ClaimVolume | ExistingClaimVolume | NfsVolume | EmptyDirVolume | ConfigMapVolume | SecretVolume | HostPathVolume;

/** The pod-side result of rendering an app's volumes. */
export interface RenderedVolumes {
  readonly volumes: k8s.Volume[];
  readonly mounts: Map<string, k8s.VolumeMount>;
  /** Some volume can only be attached to one node at a time. */
  readonly singleNodeClaim: boolean;
  /** A hostPath volume is used (privileged namespace). */
  readonly hostPath: boolean;
  /** The `claim` volumes as a StatefulSet's volumeClaimTemplates (with `claimTemplates`); else empty. */
  readonly claimTemplates: k8s.KubePersistentVolumeClaimProps[];
}

/**
 * Checks the volumes of an app (names, paths, sizes, duplicate mount paths) and reports problems
 * at `persistence.<name>`.
 */
export function checkVolumes(component: Component, volumes: Readonly<Record<string, AppVolume>>): void {
  const d = Diagnostics.of(component);
  const paths = new Map<string, string>();
  for (const [name, v] of Object.entries(volumes)) {
    const at = `persistence.${name}`;
    if (!isDnsLabel(name)) d.error(component, at, `volume name '${name}' is not a DNS-1123 label`, "use lowercase letters, digits and '-', e.g. 'config'");
    if (!v.mountPath?.startsWith('/')) d.error(component, `${at}.mountPath`, `mount path ${JSON.stringify(v.mountPath)} is not absolute`, "start it with '/', e.g. '/config'");
    const other = paths.get(v.mountPath);
    if (other) d.error(component, `${at}.mountPath`, `'${v.mountPath}' is also the mount path of volume '${other}'`, 'give every volume its own mount path');
    paths.set(v.mountPath, name);
    if (v.type === 'claim' && !validSize(v.size)) d.error(component, `${at}.size`, `size ${JSON.stringify(v.size)} is not a storage quantity`, "write it like '5Gi'");
    if (v.type === 'nfs') {
      if (!v.server) d.error(component, `${at}.server`, 'the NFS server is missing', 'set server to the NAS address');
      if (!v.path?.startsWith('/')) d.error(component, `${at}.path`, `NFS export ${JSON.stringify(v.path)} is not an absolute path`, "write the export path, e.g. '/volume1/media'");
      if (v.size !== undefined && !validSize(v.size)) d.error(component, `${at}.size`, `size ${JSON.stringify(v.size)} is not a storage quantity`, "write it like '1Ti'");
    }
    if (v.type === 'existingClaim' && !v.claimName) d.error(component, `${at}.claimName`, 'the claim name is missing', 'name the PersistentVolumeClaim to mount');
  }
}

/**
 * Declares what the app's volumes need from the nodes' OS: an NFS volume is mounted by the kubelet
 * with the host's `mount.nfs`, so k3s nodes (Debian, NixOS) need the NFS client package. Talos needs
 * nothing: its kubelet image ships nfs-common (siderolabs/kubelet Dockerfile), and `hostPackages`
 * applies to non-Talos nodes only.
 */
export function declareVolumeNodeRequirements(component: Component, volumes: Readonly<Record<string, AppVolume>>): void {
  // Every node: the pod may land on any node its selector allows.
  if (Object.values(volumes).some((v) => v.type === 'nfs')) addNodeRequirements(component, { hostPackages: ['nfs-client'] });
}

function validSize(s: string | undefined): boolean {
  const n = s === undefined ? undefined : parseMemory(s);
  return n !== undefined && n > 0;
}

/**
 * Renders the claims (and NFS PersistentVolumes) of an app into its component and returns the pod's
 * volumes and mounts. Claims are named `<app>-<volume>`; with `claimTemplates` (a StatefulSet) a
 * `claim` volume is a claim template named `<volume>` instead (each pod's claim is
 * `<volume>-<app>-<ordinal>`), and the pod names it in its mounts only.
 */
export function renderVolumes(component: Component, app: string, volumes: Readonly<Record<string, AppVolume>>, claimTemplates = false): RenderedVolumes {
  const out: RenderedVolumes = { volumes: [], mounts: new Map(), singleNodeClaim: false, hostPath: false, claimTemplates: [] };
  let singleNode = false;
  let hostPath = false;
  for (const [name, v] of Object.entries(volumes)) {
    const readOnly = v.readOnly ?? (v.type === 'configMap' || v.type === 'secret');
    out.mounts.set(name, { name, mountPath: v.mountPath, subPath: v.subPath, readOnly });
    switch (v.type) {
      case 'claim': {
        const claimName = `${app}-${name}`;
        const accessMode = v.accessMode ?? 'ReadWriteOnce';
        const spec = { accessModes: [accessMode], storageClassName: v.storageClass, resources: { requests: { storage: k8s.Quantity.fromString(v.size) } } };
        if (claimTemplates) {
          out.claimTemplates.push({ metadata: { name }, spec });
          break;
        }
        singleNode ||= accessMode !== 'ReadWriteMany';
        new k8s.KubePersistentVolumeClaim(component, `pvc-${name}`, {
          // Synth's data-loss guard marks every claim `prune: disabled`, so removing the app keeps the data.
          metadata: { name: claimName, namespace: component.namespace },
          spec,
        });
        out.volumes.push({ name, persistentVolumeClaim: { claimName, readOnly } });
        break;
      }
      case 'existingClaim':
        singleNode ||= (v.accessMode ?? 'ReadWriteOnce') === 'ReadWriteOnce' || v.accessMode === 'ReadWriteOncePod';
        out.volumes.push({ name, persistentVolumeClaim: { claimName: v.claimName, readOnly } });
        break;
      case 'nfs': {
        const claimName = `${app}-${name}`;
        const pvName = `${component.namespace}-${app}-${name}`;
        const accessModes = [readOnly ? 'ReadOnlyMany' : 'ReadWriteMany'];
        const size = k8s.Quantity.fromString(v.size ?? '1Ti');
        new k8s.KubePersistentVolume(component, `pv-${name}`, {
          metadata: { name: pvName },
          spec: {
            capacity: { storage: size },
            accessModes,
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: '',
            mountOptions: [...(v.mountOptions ?? ['nfsvers=4.1', 'hard', 'noatime'])],
            nfs: { server: v.server, path: v.path, readOnly },
            claimRef: { namespace: component.namespace, name: claimName },
          },
        });
        new k8s.KubePersistentVolumeClaim(component, `pvc-${name}`, {
          metadata: { name: claimName, namespace: component.namespace },
          spec: { accessModes, storageClassName: '', volumeName: pvName, resources: { requests: { storage: size } } },
        });
        out.volumes.push({ name, persistentVolumeClaim: { claimName, readOnly } });
        break;
      }
      case 'emptyDir':
        out.volumes.push({ name, emptyDir: { medium: v.medium, sizeLimit: v.sizeLimit ? k8s.Quantity.fromString(v.sizeLimit) : undefined } });
        break;
      case 'configMap':
        out.volumes.push({ name, configMap: { name: v.name, defaultMode: v.defaultMode ?? 0o444 } });
        break;
      case 'secret':
        out.volumes.push({ name, secret: { secretName: v.secretName, defaultMode: v.defaultMode ?? 0o440 } });
        break;
      case 'hostPath':
        hostPath = true;
        out.volumes.push({ name, hostPath: { path: v.path, type: v.hostPathType ?? 'Directory' } });
        break;
    }
  }
  return { ...out, singleNodeClaim: singleNode, hostPath };
}
