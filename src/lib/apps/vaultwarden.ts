import { HomelabCluster } from '../estate/cluster.js';
import { App, PostgresRequest } from './app.js';
import { declareSecretInput, EnvValue, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, expectedHostname, postgresDatabase, withOptions } from './options.js';
import { SmtpRelay, smtpPeers, smtpSender } from './smtp.js';

/** Vaultwarden (Bitwarden-compatible server), published for amd64, arm64 and armv7/armv6. */
// renovate: datasource=docker depName=vaultwarden/server
export const VAULTWARDEN_IMAGE: ImageRef = { repository: 'vaultwarden/server', tag: '1.37.2', archs: ['amd64', 'arm64', 'arm'] };

export interface VaultwardenProps extends AppOptions {
  /**
   * Where the vault lives: `sqlite` (a file on the data volume) or `postgres` (a database on the
   * cluster's PostgreSQL, `DATABASE_URL` composed from its Secret).
   * @default 'sqlite'
   */
  readonly database?: 'sqlite' | 'postgres';
  /** Name of the Postgres database. @default 'vaultwarden' */
  readonly postgres?: Pick<PostgresRequest, 'database' | 'owner'>;
  /** The data volume (`/data`: attachments, icons, RSA keys, the SQLite file). @default 1Gi claim */
  readonly storage?: ConfigStorage;
  /**
   * Token (ideally an argon2 PHC string) guarding `/admin`. @default - none: the admin page is disabled
   */
  readonly adminToken?: SecretInput;
  /** Allow anyone reaching the site to create an account. @default false */
  readonly signupsAllowed?: boolean;
  /** Send invitations and 2FA mail through this relay. @default - no mail */
  readonly smtp?: SmtpRelay;
  /** Let the server fetch site icons from the internet (HTTPS egress). @default true */
  readonly iconDownloads?: boolean;
  /**
   * Port the server listens on: the container port, the Service, the health check and `ROCKET_PORT`
   * follow it. Below 1024 the pod lowers `ip_unprivileged_port_start` for the non-root process.
   * @default 8080
   */
  readonly port?: number;
}

/**
 * Vaultwarden on port 8080 (`ROCKET_PORT`; the image's default 80 is a privileged port) as uid/gid 1000 with a
 * read-only root filesystem: everything it writes goes to `/data` (a claim) and `/tmp`.
 * `DOMAIN` is derived from the hostname; signups are closed; `/admin` is off unless a token Secret is given.
 * Defaults: `internal` exposure (a password vault is public only when chosen), health `/alive`.
 */
export class Vaultwarden extends App {
  constructor(cluster: HomelabCluster, id: string, props: VaultwardenProps = {}) {
    const host = expectedHostname(id, cluster.domain, props);
    const env: Record<string, EnvValue> = {
      DOMAIN: `https://${host}`,
      ROCKET_PORT: String(props.port ?? 8080),
      DATA_FOLDER: '/data',
      SIGNUPS_ALLOWED: String(props.signupsAllowed ?? false),
      INVITATIONS_ALLOWED: 'true',
      SHOW_PASSWORD_HINT: 'false',
      DISABLE_ICON_DOWNLOAD: String(!(props.iconDownloads ?? true)),
    };
    if (props.adminToken) env.ADMIN_TOKEN = props.adminToken;
    if (props.smtp) {
      Object.assign(env, {
        SMTP_HOST: props.smtp.host,
        SMTP_PORT: String(props.smtp.port),
        SMTP_SECURITY: 'off',
        SMTP_FROM: smtpSender(props.smtp, id),
        SMTP_FROM_NAME: 'Vaultwarden',
      });
    }
    const usePostgres = (props.database ?? 'sqlite') === 'postgres';
    super(cluster, id, withOptions({
      namespace: 'vaultwarden',
      image: VAULTWARDEN_IMAGE,
      ports: [{ name: 'http', port: props.port ?? 8080 }],
      env,
      persistence: { data: configVolume('/data', '1Gi', props.storage) },
      expose: 'internal',
      healthCheck: { path: '/alive' },
      resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
      security: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      database: usePostgres ? postgresDatabase(props.postgres, 'vaultwarden', { url: 'DATABASE_URL', username: 'DATABASE_USER', password: 'DATABASE_PASSWORD' }) : undefined,
      network: { egress: [...((props.iconDownloads ?? true) ? [web()] : []), ...smtpPeers(props.smtp)] },
    }, props));
    declareSecretInput(this, props.adminToken, 'token of the /admin page (ADMIN_TOKEN; an Argon2 PHC string is safer than plaintext)');
  }
}
