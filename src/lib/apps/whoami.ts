import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { AppOptions, withOptions } from './options.js';

/** traefik/whoami: a static binary in a scratch image, published for amd64, arm64 and arm. */
// renovate: datasource=docker depName=traefik/whoami
export const WHOAMI_IMAGE: ImageRef = { repository: 'traefik/whoami', tag: 'v1.11.0', archs: ['amd64', 'arm64', 'arm'] };

export interface WhoamiProps extends AppOptions {
  /** Replicas, to see load balancing and the PodDisruptionBudget at work. @default 1 */
  readonly replicas?: number;
}

/**
 * An echo server answering with the request it got: the first app to deploy on a new cluster, to
 * check DNS, certificates, the ingress and the tunnel end to end.
 * Defaults: `internal` exposure, port 8080 (the image's flag `--port`; a non-root user cannot bind 80),
 * uid 65534, no volume at all (the binary writes nothing), HTTP probes on `/health`.
 */
export class Whoami extends App {
  constructor(cluster: HomelabCluster, id: string, props: WhoamiProps = {}) {
    super(cluster, id, withOptions({
      namespace: 'whoami',
      image: WHOAMI_IMAGE,
      args: ['--port', '8080', '--name', id],
      ports: [{ name: 'http', port: 8080 }],
      tmp: false,
      expose: 'internal',
      replicas: props.replicas ?? 1,
      healthCheck: { path: '/health' },
      resources: { cpuRequest: '5m', memoryRequest: '16Mi', memoryLimit: '64Mi' },
      security: { runAsUser: 65534 },
    }, props));
  }
}
