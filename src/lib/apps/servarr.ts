import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { AppPeer, NetworkPeer, web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, SharedStorage, sharedVolume, withOptions } from './options.js';
import { AppVolume } from './volumes.js';

/** Options shared by Sonarr, Radarr and Prowlarr. */
export interface ServarrProps extends AppOptions {
  /** `/config`: the SQLite databases, logs, backups. @default - 5Gi claim (1Gi for Prowlarr) */
  readonly config?: ConfigStorage;
}

/** What differs between the *arr apps. */
export interface ServarrSpec {
  readonly image: ImageRef;
  readonly port: number;
  readonly configSize: string;
  /** Media + downloads share mounted read-write at `/media` (one mount, so imports are hardlinks). */
  readonly media?: SharedStorage;
  /** Apps this one calls (download client, indexer manager…): egress here, ingress there. */
  readonly talksTo?: readonly App[];
  /** Apps calling this one. */
  readonly calledBy?: readonly App[];
}

/**
 * The Servarr family (Sonarr, Radarr, Prowlarr) from home-operations' rootless images: uid/gid 65534,
 * read-only root filesystem, `/config` on a claim, `/tmp` emptyDir, health `/ping`, HTTPS egress
 * (metadata, indexers, updates checks). Each app is a small subclass giving image, port and peers.
 */
export class Servarr extends App {
  constructor(cluster: HomelabCluster, id: string, spec: ServarrSpec, props: ServarrProps) {
    const persistence: Record<string, AppVolume> = { config: configVolume('/config', spec.configSize, props.config) };
    if (spec.media) persistence.media = sharedVolume('/media', spec.media, false);
    const egress: NetworkPeer[] = [web(), ...(spec.talksTo ?? []).map((app): AppPeer => ({ app }))];
    const ingress: NetworkPeer[] = (spec.calledBy ?? []).map((app): AppPeer => ({ app }));
    super(cluster, id, withOptions({
      namespace: 'media',
      image: spec.image,
      ports: [{ name: 'http', port: spec.port }],
      persistence,
      expose: 'internal',
      healthCheck: { path: '/ping' },
      resources: { cpuRequest: '50m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      security: { runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
      network: { egress, ingress },
    }, props));
  }
}
