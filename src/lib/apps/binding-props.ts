import type { PostgresExtension } from '../platform/databases/postgres-config.js';

/** What an App asks of the cluster's PostgreSQL and Redis, and the variables the connections go into (re-exported by app-props.ts). */

/** Environment variable names a Postgres connection is written into. Only the names given are set. */
export interface PostgresEnv {
  readonly host?: string;
  readonly port?: string;
  /** `host:port` in one variable (Nextcloud, Grafana). */
  readonly hostPort?: string;
  readonly database?: string;
  readonly username?: string;
  readonly password?: string;
  /**
   * A connection URL `<scheme>://$(user):$(password)@host:port/db`, composed from the username and
   * password variables (which default to POSTGRES_USER / POSTGRES_PASSWORD when not named).
   */
  readonly url?: string;
}

/** The default Postgres variables, used when `env` is not given. */
export const POSTGRES_ENV: PostgresEnv = { host: 'POSTGRES_HOST', port: 'POSTGRES_PORT', database: 'POSTGRES_DB', username: 'POSTGRES_USER', password: 'POSTGRES_PASSWORD' };

/** A database (and owner role) on the cluster's PostgreSQL service. */
export interface PostgresRequest {
  /** Database name. @default - the app name with '-' replaced by '_' */
  readonly database?: string;
  /** Role owning the database. @default - the provider's choice (one role per consumer) */
  readonly owner?: string;
  /**
   * The CNPG cluster (its `clusterName`) holding the database, when the cluster runs several
   * PostgresClusters (e.g. one with an extension image for this app).
   * @default - the cluster's default PostgresCluster (its POSTGRES service)
   */
  readonly cluster?: string;
  /** Extensions CNPG creates in the database (`Database.spec.extensions`), in order. @default [] */
  readonly extensions?: readonly PostgresExtension[];
  /** Where the connection goes. @default POSTGRES_ENV */
  readonly env?: PostgresEnv;
  /** Scheme of `env.url`. @default 'postgresql' */
  readonly urlScheme?: string;
}

/** Environment variable names a Redis connection is written into. */
export interface RedisEnv {
  readonly host?: string;
  readonly port?: string;
  readonly hostPort?: string;
  /** Set only when the provider hands out a password Secret (key `password`). */
  readonly password?: string;
  /** `redis://[:$(password)@]host:port`, with the password (variable `password`, else REDIS_PASSWORD) exactly when the provider has one. */
  readonly url?: string;
}

/** The default Redis variables. */
export const REDIS_ENV: RedisEnv = { host: 'REDIS_HOST', port: 'REDIS_PORT', password: 'REDIS_PASSWORD' };

/** A client of the cluster's Redis service. */
export interface RedisRequest {
  /** @default REDIS_ENV */
  readonly env?: RedisEnv;
}
