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
  /**
   * Port the app listens on. The container port, the Service, the health check and the app's own
   * `<APP>__SERVER__PORT` variable all follow it, so they cannot disagree.
   * @default - the app's own port: 8989 (Sonarr), 7878 (Radarr), 9696 (Prowlarr)
   */
  readonly port?: number;
}

/** Options of the media managers (Sonarr, Radarr): their library share, download client and Prowlarr. */
export interface MediaManagerProps extends ServarrProps {
  /** Library and downloads share, read-write at `/media` (hardlinked imports need one mount). @default - none */
  readonly media?: SharedStorage;
  /** Download client the manager sends grabs to (egress to it). @default - none */
  readonly downloadClient?: App;
  /** Prowlarr syncing indexers into the manager (connections both ways). @default - none */
  readonly prowlarr?: App;
}

/** A media manager's share and peers: it calls its download client and Prowlarr; Prowlarr calls it. */
function mediaManagerPeers(props: MediaManagerProps): Pick<ServarrSpec, 'media' | 'talksTo' | 'calledBy'> {
  return {
    media: props.media,
    talksTo: [...(props.downloadClient ? [props.downloadClient] : []), ...(props.prowlarr ? [props.prowlarr] : [])],
    calledBy: props.prowlarr ? [props.prowlarr] : [],
  };
}

/** What differs between the *arr apps. */
export interface ServarrSpec {
  readonly image: ImageRef;
  /** The app's default port. */
  readonly port: number;
  /** Variable the image reads its port from (`SONARR__SERVER__PORT`, wiki.servarr.com environment variables). */
  readonly portEnv: string;
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
    const port = props.port ?? spec.port;
    super(cluster, id, withOptions({
      namespace: 'media',
      image: spec.image,
      ports: [{ name: 'http', port }],
      // Written even at the default, so the manifest says which port the process binds.
      env: { [spec.portEnv]: String(port) },
      persistence,
      expose: 'internal',
      healthCheck: { path: '/ping' },
      resources: { cpuRequest: '50m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      security: { runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
      network: { egress, ingress },
    }, props));
  }
}

/** Sonarr and Radarr: a Servarr with a 5Gi config claim, the media share and their download client and Prowlarr as peers. */
export class MediaManager extends Servarr {
  constructor(cluster: HomelabCluster, id: string, spec: Pick<ServarrSpec, 'image' | 'port' | 'portEnv'>, props: MediaManagerProps) {
    super(cluster, id, { ...spec, configSize: '5Gi', ...mediaManagerPeers(props) }, props);
  }
}
