import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { SharedStorage } from './options.js';
import { Servarr, ServarrProps } from './servarr.js';

/** Sonarr from home-operations/containers (rootless, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/sonarr
export const SONARR_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/sonarr', tag: '4.0.19.3001', archs: ['amd64', 'arm64'] };

export interface SonarrProps extends ServarrProps {
  /** Library and downloads share, read-write at `/media` (hardlinked imports need one mount). @default - none */
  readonly media?: SharedStorage;
  /** Download client Sonarr sends grabs to (egress to it). @default - none */
  readonly downloadClient?: App;
  /** Prowlarr syncing indexers into Sonarr (connections both ways). @default - none */
  readonly prowlarr?: App;
}

/** Sonarr, the TV series manager, on port 8989; wires its download client and Prowlarr both ways. */
export class Sonarr extends Servarr {
  constructor(cluster: HomelabCluster, id: string, props: SonarrProps = {}) {
    super(cluster, id, {
      image: SONARR_IMAGE,
      port: 8989,
      portEnv: 'SONARR__SERVER__PORT',
      configSize: '5Gi',
      media: props.media,
      talksTo: [...(props.downloadClient ? [props.downloadClient] : []), ...(props.prowlarr ? [props.prowlarr] : [])],
      calledBy: props.prowlarr ? [props.prowlarr] : [],
    }, props);
  }
}
