import { HomelabCluster } from '../estate/cluster.js';
import { App, PostgresRequest } from './app.js';
import { declareSecretInput, EnvValue, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, expectedHostname, postgresDatabase, SharedStorage, sharedVolume, withOptions } from './options.js';
import { SmtpRelay, smtpPeers } from './smtp.js';
import { AppVolume } from './volumes.js';

/** The official Nextcloud image, Apache variant (amd64, arm64, armv7 and more). */
// renovate: datasource=docker depName=nextcloud
export const NEXTCLOUD_IMAGE: ImageRef = { repository: 'nextcloud', tag: '34.0.2-apache', archs: ['amd64', 'arm64', 'arm'] };

/** The www-data user of the Debian-based image. */
const WWW_DATA = 33;

export interface NextcloudProps extends AppOptions {
  /** User data (`/var/www/html/data`): an NFS export on the NAS (owned by uid 33) or a RWX claim. @default - inside the html claim */
  readonly data?: SharedStorage;
  /** `/var/www/html`: the installed code, config and apps. @default 10Gi claim */
  readonly html?: ConfigStorage;
  /** Database on the cluster's PostgreSQL. @default { database: 'nextcloud' } */
  readonly postgres?: Pick<PostgresRequest, 'database' | 'owner'>;
  /** Admin account created at first start. @default - none: the web installer asks */
  readonly admin?: { readonly user?: string; readonly password: SecretInput };
  /** Largest upload PHP accepts. @default '2G' */
  readonly uploadLimit?: string;
  /** Notifications and shares by mail. @default - no mail */
  readonly smtp?: SmtpRelay;
}

/**
 * Nextcloud (Apache) on port 80 with Postgres and Redis (both wired from the cluster's providers;
 * dependsOn derived) and, optionally, its data directory on the NAS over NFS.
 *
 * The image needs explicit relaxations, each recorded on the Deployment: it starts as root (the
 * entrypoint writes PHP's Redis session config into /usr/local/etc/php/conf.d and rsyncs the code
 * with --chown; Apache then serves as www-data), adds back the capabilities that takes, and keeps
 * a writable root filesystem for those files and Apache's runtime directories. The namespace is
 * therefore `baseline`. A `cron` sidecar runs the image's `/cron.sh` (background jobs every 5 min).
 * Trusted domain, overwrite URL and trusted proxies (the pod CIDR) are derived. `heavy` by default.
 */
export class Nextcloud extends App {
  constructor(cluster: HomelabCluster, id: string, props: NextcloudProps = {}) {
    const host = expectedHostname(id, cluster.domain, props);
    const env: Record<string, EnvValue> = {
      NEXTCLOUD_TRUSTED_DOMAINS: host,
      OVERWRITEPROTOCOL: 'https',
      OVERWRITECLIURL: `https://${host}`,
      TRUSTED_PROXIES: cluster.network.podCidr,
      PHP_UPLOAD_LIMIT: props.uploadLimit ?? '2G',
      PHP_MEMORY_LIMIT: '512M',
      APACHE_DISABLE_REWRITE_IP: '1',
    };
    if (props.admin) {
      env.NEXTCLOUD_ADMIN_USER = props.admin.user ?? 'admin';
      env.NEXTCLOUD_ADMIN_PASSWORD = props.admin.password;
    }
    if (props.smtp) {
      Object.assign(env, {
        SMTP_HOST: props.smtp.host,
        SMTP_PORT: String(props.smtp.port),
        SMTP_SECURE: '',
        SMTP_AUTHTYPE: 'LOGIN',
        MAIL_FROM_ADDRESS: id,
        MAIL_DOMAIN: props.smtp.fromDomain,
      });
    }
    const persistence: Record<string, AppVolume> = { html: configVolume('/var/www/html', '10Gi', props.html) };
    if (props.data) persistence.data = sharedVolume('/var/www/html/data', props.data, false);
    super(cluster, id, withOptions({
      namespace: 'nextcloud',
      image: NEXTCLOUD_IMAGE,
      ports: [{ name: 'http', port: 80 }],
      env,
      database: postgresDatabase(props.postgres, 'nextcloud', { hostPort: 'POSTGRES_HOST', database: 'POSTGRES_DB', username: 'POSTGRES_USER', password: 'POSTGRES_PASSWORD' }),
      redis: { env: { host: 'REDIS_HOST', port: 'REDIS_HOST_PORT', password: 'REDIS_HOST_PASSWORD' } },
      persistence,
      expose: 'internal',
      heavy: true,
      // status.php answers only for a trusted domain, so the probes send the public Host.
      probes: {
        liveness: { http: { path: '/status.php', port: 'http', headers: { Host: host } }, timeoutSeconds: 5 },
        readiness: { http: { path: '/status.php', port: 'http', headers: { Host: host } }, timeoutSeconds: 5 },
        startup: { http: { path: '/status.php', port: 'http', headers: { Host: host } }, timeoutSeconds: 5, failureThreshold: 60 },
      },
      resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
      security: {
        fsGroup: WWW_DATA,
        runAsRoot: { reason: 'the entrypoint writes /usr/local/etc/php/conf.d/redis-session.ini and rsyncs the code with --chown www-data before Apache drops to www-data' },
        writableRootFilesystem: { reason: 'the entrypoint writes PHP config under /usr/local/etc/php and Apache its pid/lock files under /var/run/apache2 and /var/lock/apache2' },
        addCapabilities: {
          capabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'],
          reason: 'rsync --chown needs CHOWN/FOWNER/DAC_OVERRIDE; Apache binds port 80, switches to www-data (SETUID/SETGID) and signals its workers (KILL); busybox crond switches to www-data',
        },
      },
      sidecars: [{ name: 'cron', command: ['/cron.sh'], volumes: Object.keys(persistence).concat('tmp') }],
      network: { egress: [web(), ...smtpPeers(props.smtp)] },
    }, props));
    declareSecretInput(this, props.admin?.password, `password of the Nextcloud admin '${props.admin?.user ?? 'admin'}' (used at the first install only)`);
  }
}
