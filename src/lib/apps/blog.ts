import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { ImageRef } from './image.js';
import { AppOptions, withOptions } from './options.js';

/** NGINX built to run unprivileged (uid 101, port 8080, temp files in /tmp). */
// renovate: datasource=docker depName=nginxinc/nginx-unprivileged
export const NGINX_UNPRIVILEGED_IMAGE: ImageRef = { repository: 'nginxinc/nginx-unprivileged', tag: '1.29.8-alpine', archs: ['amd64', 'arm64', 'arm'] };

export interface BlogProps extends AppOptions {
  /**
   * The site: an image your CI builds `FROM nginxinc/nginx-unprivileged` with the generated pages
   * (Hugo, Astro…) in `/usr/share/nginx/html`, pinned like any other image.
   * @default NGINX_UNPRIVILEGED_IMAGE (its welcome page, until the site image exists)
   */
  readonly site?: ImageRef;
  /** @default 1, 2 on clusters with several schedulable nodes (with a PodDisruptionBudget) */
  readonly replicas?: number;
}

/**
 * A static blog (a public site) served by unprivileged NGINX on 8080 as uid 101: no database,
 * no volume but `/tmp`, a read-only root filesystem, `public` exposure by default. Static sites are
 * cheap to replicate, so it runs two replicas spread over nodes when the cluster has more than one.
 */
export class Blog extends App {
  constructor(cluster: HomelabCluster, id: string, props: BlogProps = {}) {
    super(cluster, id, withOptions({
      namespace: 'blog',
      image: props.site ?? NGINX_UNPRIVILEGED_IMAGE,
      ports: [{ name: 'http', port: 8080 }],
      expose: 'public',
      replicas: props.replicas ?? (cluster.singleNode ? 1 : 2),
      healthCheck: { path: '/' },
      resources: { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
      security: { runAsUser: 101, runAsGroup: 101, fsGroup: 101 },
    }, props));
  }
}
