import { HomelabCluster } from '../estate/cluster.js';
import { ImageRef } from './image.js';
import { MediaManager, MediaManagerProps } from './servarr.js';

/** Sonarr from home-operations/containers (rootless, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/sonarr
export const SONARR_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/sonarr', tag: '4.0.19.3001', archs: ['amd64', 'arm64'] };

/** Sonarr's options: those of every media manager. */
export type SonarrProps = MediaManagerProps;

/** Sonarr, the TV series manager, on port 8989; wires its download client and Prowlarr both ways. */
export class Sonarr extends MediaManager {
  constructor(cluster: HomelabCluster, id: string, props: SonarrProps = {}) {
    super(cluster, id, { image: SONARR_IMAGE, port: 8989, portEnv: 'SONARR__SERVER__PORT' }, props);
  }
}
