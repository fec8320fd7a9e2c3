import { HomelabCluster } from '../estate/cluster.js';
import { ImageRef } from './image.js';
import { MediaManager, MediaManagerProps } from './servarr.js';

/** Radarr from home-operations/containers (rootless, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/radarr
export const RADARR_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/radarr', tag: '6.4.1.10545', archs: ['amd64', 'arm64'] };

/** Radarr's options: those of every media manager. */
export type RadarrProps = MediaManagerProps;

/** Radarr, the movies manager, on port 7878; wires its download client and Prowlarr both ways. */
export class Radarr extends MediaManager {
  constructor(cluster: HomelabCluster, id: string, props: RadarrProps = {}) {
    super(cluster, id, { image: RADARR_IMAGE, port: 7878, portEnv: 'RADARR__SERVER__PORT' }, props);
  }
}
