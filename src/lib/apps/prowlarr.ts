import { HomelabCluster } from '../estate/cluster.js';
import { ImageRef } from './image.js';
import { Servarr, ServarrProps } from './servarr.js';

/** Prowlarr from home-operations/containers (rootless, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/prowlarr
export const PROWLARR_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/prowlarr', tag: '2.6.1.5509', archs: ['amd64', 'arm64'] };

export type ProwlarrProps = ServarrProps;

/**
 * Prowlarr, the indexer manager, on port 9696. Sonarr and Radarr given `prowlarr` open the two-way
 * connection (Prowlarr pushes indexers to them, they query through it); indexers are reached over HTTPS.
 */
export class Prowlarr extends Servarr {
  constructor(cluster: HomelabCluster, id: string, props: ProwlarrProps = {}) {
    super(cluster, id, { image: PROWLARR_IMAGE, port: 9696, portEnv: 'PROWLARR__SERVER__PORT', configSize: '1Gi' }, props);
  }
}
