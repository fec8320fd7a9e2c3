import { HomelabCluster } from '../estate/cluster.js';
import { App, PostgresRequest } from './app.js';
import { declareSecretInput, EnvValue, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, expectedHostname, postgresDatabase, SharedStorage, sharedVolume, withOptions } from './options.js';
import { AppVolume } from './volumes.js';

/** Paperless-ngx (s6-overlay image, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/paperless-ngx/paperless-ngx
export const PAPERLESS_IMAGE: ImageRef = { repository: 'ghcr.io/paperless-ngx/paperless-ngx', tag: '3.0.5', archs: ['amd64', 'arm64'] };

/** The image's paperless user, which owns /usr/src/paperless (files on the NAS should belong to it). */
const PAPERLESS_UID = 1000;

export interface PaperlessProps extends AppOptions {
  /** Django's secret key (PAPERLESS_SECRET_KEY); Paperless 3 refuses to start without one. */
  readonly secretKey: SecretInput;
  /** Database on the cluster's PostgreSQL. @default { database: 'paperless' } */
  readonly postgres?: Pick<PostgresRequest, 'database' | 'owner'>;
  /** `data`: search index, classifier, celery schedule, logs. @default 5Gi claim */
  readonly data?: ConfigStorage;
  /** `media`: originals, archived PDFs, thumbnails; an NFS export or RWX claim. @default - a 20Gi claim */
  readonly media?: SharedStorage;
  /** `consume`: the folder a scanner drops files into; an NFS export or RWX claim. @default - an emptyDir (uploads through the web UI only) */
  readonly consume?: SharedStorage;
  /** OCR language(s) the image ships (eng, deu, fra, ita, spa; `deu+eng`). Rootless, no others can be installed. @default 'eng' */
  readonly ocrLanguage?: string;
  /** Admin account created (or reset) at start. @default - none: create one with `manage.py createsuperuser` */
  readonly admin?: { readonly user?: string; readonly password: SecretInput };
}

/**
 * Paperless-ngx on 8000 as its paperless user (1000) with a read-only root filesystem. The image's
 * s6-overlay supports that: started non-root it skips every usermod/chown step, and it only needs a
 * writable, executable `/run` (an emptyDir, with S6_READ_ONLY_ROOT=1); because that emptyDir is
 * root-owned and world-writable, s6's preinit must be told to accept it
 * (S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES=1). Fontconfig's cache and `/tmp` (OCR
 * scratch) are emptyDirs too. PostgreSQL (`PAPERLESS_DB*` from the database Secret) and Redis
 * (PAPERLESS_REDIS, the URL the library composes from the Redis provider) are wired from the cluster's providers. A
 * consume folder on NFS gets polling (inotify does not see NFS writes). Health `/`.
 */
export class Paperless extends App {
  constructor(cluster: HomelabCluster, id: string, props: PaperlessProps) {
    const host = expectedHostname(id, cluster.domain, props);
    const env: Record<string, EnvValue> = {
      PAPERLESS_PORT: '8000',
      PAPERLESS_URL: `https://${host}`,
      PAPERLESS_PROXY_SSL_HEADER: '["HTTP_X_FORWARDED_PROTO", "https"]',
      PAPERLESS_SECRET_KEY: props.secretKey,
      PAPERLESS_OCR_LANGUAGE: props.ocrLanguage ?? 'eng',
      PAPERLESS_TIME_ZONE: props.timezone ?? 'Etc/UTC',
      S6_READ_ONLY_ROOT: '1',
      S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES: '1',
    };
    if (props.consume && 'nfs' in props.consume) env.PAPERLESS_CONSUMER_POLLING_INTERVAL = '60';
    if (props.admin) {
      env.PAPERLESS_ADMIN_USER = props.admin.user ?? 'admin';
      env.PAPERLESS_ADMIN_PASSWORD = props.admin.password;
    }
    const persistence: Record<string, AppVolume> = {
      data: configVolume('/usr/src/paperless/data', '5Gi', props.data),
      media: props.media ? sharedVolume('/usr/src/paperless/media', props.media, false) : configVolume('/usr/src/paperless/media', '20Gi'),
      consume: props.consume ? sharedVolume('/usr/src/paperless/consume', props.consume, false) : { type: 'emptyDir', mountPath: '/usr/src/paperless/consume', sizeLimit: '1Gi' },
      run: { type: 'emptyDir', mountPath: '/run', sizeLimit: '64Mi' },
      fontconfig: { type: 'emptyDir', mountPath: '/var/cache/fontconfig', sizeLimit: '64Mi' },
    };
    super(cluster, id, withOptions({
      namespace: 'documents',
      image: PAPERLESS_IMAGE,
      ports: [{ name: 'http', port: 8000 }],
      env,
      database: postgresDatabase(props.postgres, 'paperless', { host: 'PAPERLESS_DBHOST', port: 'PAPERLESS_DBPORT', database: 'PAPERLESS_DBNAME', username: 'PAPERLESS_DBUSER', password: 'PAPERLESS_DBPASS' }),
      // One URL, carrying the password exactly when the cluster's Redis hands one out.
      redis: { env: { url: 'PAPERLESS_REDIS', password: 'PAPERLESS_REDIS_PASSWORD' } },
      persistence,
      expose: 'internal',
      healthCheck: { path: '/' },
      // The first start runs the migrations and builds the search index.
      probes: { startup: { failureThreshold: 60 } },
      resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
      security: { runAsUser: PAPERLESS_UID, runAsGroup: PAPERLESS_UID, fsGroup: PAPERLESS_UID },
      network: { egress: [web()] },
    }, props));
    declareSecretInput(this, props.secretKey, 'Django secret key of Paperless-ngx (PAPERLESS_SECRET_KEY: a long random string)');
    declareSecretInput(this, props.admin?.password, `password of the Paperless admin '${props.admin?.user ?? 'admin'}'`);
  }
}
