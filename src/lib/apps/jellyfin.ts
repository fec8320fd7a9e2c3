import { HomelabCluster } from '../estate/cluster.js';
import { App, Resources } from './app.js';
import { ImageRef } from './image.js';
import { web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, expectedHostname, SharedStorage, sharedVolume, withOptions } from './options.js';
import { AppSecurity } from './security.js';
import { AppVolume } from './volumes.js';

/** Jellyfin's official image (jellyfin-ffmpeg with Intel iHD/QSV drivers on amd64). */
// renovate: datasource=docker depName=ghcr.io/jellyfin/jellyfin
export const JELLYFIN_IMAGE: ImageRef = { repository: 'ghcr.io/jellyfin/jellyfin', tag: '10.11.6', archs: ['amd64', 'arm64'] };

/** Extended resource the Intel GPU device plugin advertises for an iGPU. */
export const INTEL_GPU_RESOURCE = 'gpu.intel.com/i915';

/** Intel Quick Sync hardware transcoding. */
export interface QuickSync {
  /**
   * How `/dev/dri` reaches the pod: `device-plugin` requests one `gpu.intel.com/i915` from the Intel GPU
   * device plugin (the namespace stays `restricted`); `host-path` mounts the node's `/dev/dri` into a
   * privileged container (no plugin needed; the namespace becomes `privileged`).
   * @default 'device-plugin'
   */
  readonly via?: 'device-plugin' | 'host-path';
  /** Groups owning `/dev/dri/renderD*` on the node (video / render). @default [44, 109] (Debian's video and render) */
  readonly renderGroups?: readonly number[];
}

export interface JellyfinProps extends AppOptions {
  /** The media library, mounted read-only at `/media`. @default - no library (add one in the UI later) */
  readonly media?: SharedStorage;
  /** `/config`: database, metadata, plugins. @default 10Gi claim */
  readonly config?: ConfigStorage;
  /** Size of the `/cache` emptyDir (image cache, transcodes). @default '20Gi' */
  readonly cacheSize?: string;
  /** Intel Quick Sync transcoding. @default - software transcoding */
  readonly quickSync?: QuickSync;
}

/**
 * Jellyfin media server on 8096 as uid/gid 1000, read-only root filesystem: `/config` on a claim,
 * `/cache` (transcodes) and `/tmp` on emptyDirs, `XDG_CACHE_HOME` pointed at `/cache`. The library
 * is an NFS share mounted read-only. `heavy` by default (stopped while the cluster is scaled down). Fetches metadata
 * over HTTPS. Health `/health`.
 */
export class Jellyfin extends App {
  constructor(cluster: HomelabCluster, id: string, props: JellyfinProps = {}) {
    const persistence: Record<string, AppVolume> = {
      config: configVolume('/config', '10Gi', props.config),
      cache: { type: 'emptyDir', mountPath: '/cache', sizeLimit: props.cacheSize ?? '20Gi' },
    };
    if (props.media) persistence.media = sharedVolume('/media', props.media, true);
    const qs = props.quickSync;
    const via = qs?.via ?? 'device-plugin';
    const security: AppSecurity = {
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      supplementalGroups: qs ? [...(qs.renderGroups ?? [44, 109])] : undefined,
      privileged: qs && via === 'host-path' ? { reason: 'without a device plugin, only a privileged container may open the node\'s /dev/dri render device for Quick Sync' } : undefined,
    };
    if (qs && via === 'host-path') persistence.dri = { type: 'hostPath', path: '/dev/dri', mountPath: '/dev/dri' };
    const resources: Resources = {
      cpuRequest: '100m',
      memoryRequest: '512Mi',
      memoryLimit: '4Gi',
      extended: qs && via === 'device-plugin' ? { [INTEL_GPU_RESOURCE]: '1' } : undefined,
    };
    super(cluster, id, withOptions({
      namespace: 'media',
      image: JELLYFIN_IMAGE,
      ports: [{ name: 'http', port: 8096 }],
      env: {
        JELLYFIN_PublishedServerUrl: `https://${expectedHostname(id, cluster.domain, props)}`,
        JELLYFIN_CACHE_DIR: '/cache',
        XDG_CACHE_HOME: '/cache',
      },
      persistence,
      expose: 'internal',
      heavy: true,
      healthCheck: { path: '/health' },
      resources,
      security,
      network: { egress: [web()] },
    }, props));
  }
}
