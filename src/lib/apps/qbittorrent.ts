import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { internet } from './network.js';
import { AppOptions, ConfigStorage, configVolume, SharedStorage, sharedVolume, withOptions } from './options.js';
import { AppVolume } from './volumes.js';

/** qBittorrent-nox from home-operations/containers (rootless, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/qbittorrent
export const QBITTORRENT_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/qbittorrent', tag: '5.2.3', archs: ['amd64', 'arm64'] };

export interface QbittorrentProps extends AppOptions {
  /** Downloads share, read-write at `/media` (the same mount path as Sonarr/Radarr, for hardlinks). @default - none */
  readonly media?: SharedStorage;
  /** `/config`: settings, resume data. @default 1Gi claim */
  readonly config?: ConfigStorage;
  /** Web UI port; the container port, Service and `QBT_WEBUI_PORT` follow it. @default 8080 */
  readonly webPort?: number;
  /** BitTorrent port (TCP and UDP); the container ports and `QBT_TORRENTING_PORT` follow it. @default 50413 */
  readonly torrentPort?: number;
}

/**
 * qBittorrent, the download client: web UI on 8080 (the image's default config), BitTorrent on 50413
 * (TCP/UDP, outbound only: no LoadBalancer is opened). uid/gid 65534, read-only root filesystem,
 * `/config` claim. Peers are anywhere on the internet on any port, so egress to public addresses is
 * open (never to the LAN or the cluster). `heavy` by default.
 */
export class Qbittorrent extends App {
  constructor(cluster: HomelabCluster, id: string, props: QbittorrentProps = {}) {
    const persistence: Record<string, AppVolume> = { config: configVolume('/config', '1Gi', props.config) };
    if (props.media) persistence.media = sharedVolume('/media', props.media, false);
    const web = props.webPort ?? 8080;
    const torrent = props.torrentPort ?? 50413;
    super(cluster, id, withOptions({
      namespace: 'media',
      image: QBITTORRENT_IMAGE,
      ports: [
        { name: 'http', port: web },
        { name: 'bittorrent', port: torrent, service: false },
        { name: 'bittorrent-udp', port: torrent, protocol: 'UDP', service: false },
      ],
      env: { QBT_WEBUI_PORT: String(web), QBT_TORRENTING_PORT: String(torrent) },
      persistence,
      expose: 'internal',
      heavy: true,
      probes: { liveness: { tcp: { port: 'http' } }, readiness: { tcp: { port: 'http' } }, startup: { tcp: { port: 'http' } } },
      resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '2Gi' },
      security: { runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
      network: { egress: [internet()] },
    }, props));
  }
}
