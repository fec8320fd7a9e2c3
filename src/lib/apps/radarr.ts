import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { SharedStorage } from './options.js';
import { Servarr, ServarrProps } from './servarr.js';

/** Radarr from home-operations/containers (rootless, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/radarr
export const RADARR_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/radarr', tag: '6.4.1.10545', archs: ['amd64', 'arm64'] };

export interface RadarrProps extends ServarrProps {
  /** Library and downloads share, read-write at `/media` (hardlinked imports need one mount). @default - none */
  readonly media?: SharedStorage;
  /** Download client Radarr sends grabs to (egress to it). @default - none */
  readonly downloadClient?: App;
  /** Prowlarr syncing indexers into Radarr (connections both ways). @default - none */
  readonly prowlarr?: App;
}

/** Radarr, the movies manager, on port 7878; wires its download client and Prowlarr both ways. */
export class Radarr extends Servarr {
  constructor(cluster: HomelabCluster, id: string, props: RadarrProps = {}) {
    super(cluster, id, {
      image: RADARR_IMAGE,
      port: 7878,
      portEnv: 'RADARR__SERVER__PORT',
      configSize: '5Gi',
      media: props.media,
      talksTo: [...(props.downloadClient ? [props.downloadClient] : []), ...(props.prowlarr ? [props.prowlarr] : [])],
      calledBy: props.prowlarr ? [props.prowlarr] : [],
    }, props);
  }
}
