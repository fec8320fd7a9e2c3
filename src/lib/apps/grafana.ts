import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import { HomelabCluster } from '../estate/cluster.js';
import { App, PostgresRequest } from './app.js';
import { declareSecretInput, EnvValue, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { NetworkPeer } from './network.js';
import { AppOptions, ConfigStorage, configVolume, expectedHostname, postgresDatabase, withOptions } from './options.js';
import { SmtpRelay, smtpPeers, smtpSender } from './smtp.js';

/** Grafana OSS (amd64, arm64, armv7). */
// renovate: datasource=docker depName=grafana/grafana
export const GRAFANA_IMAGE: ImageRef = { repository: 'grafana/grafana', tag: '12.4.3', archs: ['amd64', 'arm64', 'arm'] };

/** A datasource provisioned from a file (Prometheus, InfluxDB, Loki…). */
export interface GrafanaDatasource {
  readonly name: string;
  /** Grafana plugin id: `prometheus`, `influxdb`, `loki`… */
  readonly type: string;
  readonly url: string;
  /** @default false (the first datasource is the default) */
  readonly isDefault?: boolean;
  /** Extra `jsonData` (e.g. InfluxDB's `{ version: 'Flux', organization: 'homelab' }`). @default {} */
  readonly jsonData?: Record<string, unknown>;
  /** Where Grafana connects to reach it, for the NetworkPolicy (an app, pods, or a CIDR and port). */
  readonly peer: NetworkPeer;
}

export interface GrafanaProps extends AppOptions {
  /** Password of the `admin` user. */
  readonly adminPassword: SecretInput;
  /** Store dashboards and users in the cluster's PostgreSQL instead of SQLite on the claim. @default false */
  readonly postgres?: boolean | Pick<PostgresRequest, 'database' | 'owner'>;
  /** `/var/lib/grafana`: SQLite database, plugins. @default 2Gi claim */
  readonly storage?: ConfigStorage;
  /** Datasources provisioned at start. @default [] */
  readonly datasources?: readonly GrafanaDatasource[];
  /** Alert and invitation mail. @default - no mail */
  readonly smtp?: SmtpRelay;
}

/**
 * Standalone Grafana (for a cluster where it is not part of kube-prometheus-stack) on 3000 as the image's
 * uid 472, read-only root filesystem (`/var/lib/grafana` claim, `/var/log/grafana` and `/tmp`
 * emptyDirs, console logging), datasources provisioned from a ConfigMap, root URL derived from the
 * hostname, analytics and update checks off. Egress only to its datasources (and database, relay).
 */
export class Grafana extends App {
  constructor(cluster: HomelabCluster, id: string, props: GrafanaProps) {
    const host = expectedHostname(id, cluster.domain, props);
    const datasources = props.datasources ?? [];
    const configMap = `${id}-datasources`;
    const env: Record<string, EnvValue> = {
      GF_SERVER_ROOT_URL: `https://${host}`,
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD: props.adminPassword,
      GF_LOG_MODE: 'console',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
      GF_USERS_ALLOW_SIGN_UP: 'false',
    };
    const pg = props.postgres;
    if (pg) env.GF_DATABASE_TYPE = 'postgres';
    if (pg) env.GF_DATABASE_SSL_MODE = 'require';
    if (props.smtp) {
      Object.assign(env, {
        GF_SMTP_ENABLED: 'true',
        GF_SMTP_HOST: `${props.smtp.host}:${props.smtp.port}`,
        GF_SMTP_FROM_ADDRESS: smtpSender(props.smtp, id),
        GF_SMTP_STARTTLS_POLICY: 'NoStartTLS',
      });
    }
    super(cluster, id, withOptions({
      namespace: 'grafana',
      image: GRAFANA_IMAGE,
      ports: [{ name: 'http', port: 3000 }],
      env,
      database: pg
        ? postgresDatabase(typeof pg === 'object' ? pg : undefined, 'grafana', { hostPort: 'GF_DATABASE_HOST', database: 'GF_DATABASE_NAME', username: 'GF_DATABASE_USER', password: 'GF_DATABASE_PASSWORD' })
        : undefined,
      persistence: {
        data: configVolume('/var/lib/grafana', '2Gi', props.storage),
        logs: { type: 'emptyDir', mountPath: '/var/log/grafana' },
        ...(datasources.length > 0 ? { datasources: { type: 'configMap' as const, name: configMap, mountPath: '/etc/grafana/provisioning/datasources' } } : {}),
      },
      expose: 'internal',
      healthCheck: { path: '/api/health' },
      metrics: { port: 'http' },
      resources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
      security: { runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
      network: { egress: [...datasources.map((d) => d.peer), ...smtpPeers(props.smtp)] },
    }, props));
    declareSecretInput(this, props.adminPassword, "password of Grafana's admin user");
    if (datasources.length > 0) {
      new ApiObject(this, 'datasources', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMap, namespace: this.namespace },
        data: {
          'datasources.yaml': stringify({
            apiVersion: 1,
            datasources: datasources.map((d, i) => ({
              name: d.name, type: d.type, access: 'proxy', url: d.url, isDefault: d.isDefault ?? i === 0, editable: false,
              ...(d.jsonData ? { jsonData: d.jsonData } : {}),
            })),
          }),
        },
      });
    }
  }
}
