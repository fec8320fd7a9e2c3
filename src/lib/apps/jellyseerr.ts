import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { AppPeer, web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, withOptions } from './options.js';

/** Jellyseerr (Node.js; amd64/arm64). */
// renovate: datasource=docker depName=fallenbagel/jellyseerr
export const JELLYSEERR_IMAGE: ImageRef = { repository: 'fallenbagel/jellyseerr', tag: '2.7.3', archs: ['amd64', 'arm64'] };

export interface JellyseerrProps extends AppOptions {
  /** `/app/config`: settings, SQLite database, logs. @default 1Gi claim */
  readonly config?: ConfigStorage;
  /** The media server users sign in with and requests are checked against. @default - none */
  readonly mediaServer?: App;
  /** Sonarr / Radarr requests are sent to. @default [] */
  readonly managers?: readonly App[];
  /** Port Jellyseerr listens on; the container port, Service and `PORT` follow it. @default 5055 */
  readonly port?: number;
}

/**
 * Jellyseerr, the request manager, on 5055 as the image's `node` user (uid/gid 1000) instead of root.
 * The image's `pnpm start` is replaced by what it runs (`node dist/index.js`, NODE_ENV=production) so
 * pnpm never writes its state into the read-only root filesystem; Next.js' image cache gets an
 * emptyDir at `/app/.next/cache`. Egress: the media server, Sonarr/Radarr, and TMDB over HTTPS.
 */
export class Jellyseerr extends App {
  constructor(cluster: HomelabCluster, id: string, props: JellyseerrProps = {}) {
    const peers: AppPeer[] = [...(props.mediaServer ? [props.mediaServer] : []), ...(props.managers ?? [])].map((app) => ({ app }));
    const port = props.port ?? 5055;
    super(cluster, id, withOptions({
      namespace: 'media',
      image: JELLYSEERR_IMAGE,
      args: ['node', 'dist/index.js'],
      ports: [{ name: 'http', port }],
      env: { NODE_ENV: 'production', PORT: String(port), LOG_LEVEL: 'info' },
      persistence: {
        config: configVolume('/app/config', '1Gi', props.config),
        'next-cache': { type: 'emptyDir', mountPath: '/app/.next/cache', sizeLimit: '1Gi' },
      },
      expose: 'internal',
      healthCheck: { path: '/api/v1/status' },
      resources: { cpuRequest: '50m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      security: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      network: { egress: [web(), ...peers] },
    }, props));
  }
}
