import type { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { chooseNamed } from '../../estate/named-providers.js';
import { DatabaseConnection, POSTGRES, PostgresProvider } from '../../estate/services.js';
import { FactKind } from '../../model/ledger.js';
import type { PostgresExtension } from './postgres-config.js';

/** What a consumer asks one PostgreSQL cluster for. */
export interface DatabaseAsk {
  readonly consumer: Component;
  readonly database: string;
  /** @default - the database name */
  readonly owner?: string;
  /** Extensions CNPG creates in the database (`Database.spec.extensions`), in order. @default [] */
  readonly extensions?: readonly PostgresExtension[];
}

/**
 * A PostgreSQL cluster consumers can bind to by name (a `PostgresCluster`), whether or not it is
 * the cluster's default POSTGRES service.
 */
export interface NamedPostgres extends PostgresProvider {
  /** Name of the CNPG Cluster: what consumers name in `requestDatabase(…, { cluster })`. */
  readonly clusterName: string;
  addDatabase(request: DatabaseAsk): DatabaseConnection;
}

/** Ledger fact: a PostgreSQL cluster of the cluster (every `PostgresCluster`, default or not). */
export const POSTGRES_CLUSTER = new FactKind<NamedPostgres>('PostgreSQL cluster');

/** Every PostgreSQL cluster declared in `cluster`, in declaration order. */
export function postgresClusters(cluster: HomelabCluster): readonly NamedPostgres[] {
  return cluster.ledger.all(POSTGRES_CLUSTER);
}

export interface RequestDatabaseOptions {
  /** Role owning the database. @default - the database name */
  readonly owner?: string;
  /**
   * The PostgreSQL cluster to ask: its CNPG cluster name, or the `PostgresCluster` itself.
   * @default - the cluster's POSTGRES service: its only (or default) PostgresCluster
   */
  readonly cluster?: string | NamedPostgres;
  /** Extensions CNPG creates in the database, in order (list dependencies first: no CASCADE). @default [] */
  readonly extensions?: readonly PostgresExtension[];
  /**
   * Called in the wire phase with the connection, once the cluster's PostgreSQL service is
   * known (render env, Helm values… there). Not called when the cluster has no PostgreSQL.
   */
  readonly onConnected?: (connection: DatabaseConnection) => void;
}

/** A consumer's pending database: filled in during the wire phase. */
export class DatabaseRequest {
  private conn?: DatabaseConnection;

  constructor(public readonly consumer: Component, public readonly database: string) {}

  /** The connection, once wired (`undefined` before the wire phase or when the cluster has no PostgreSQL). */
  public get connection(): DatabaseConnection | undefined {
    return this.conn;
  }

  /** @internal */
  public resolve(connection: DatabaseConnection): void {
    this.conn = connection;
  }
}

/**
 * Asks a PostgreSQL cluster (a `PostgresCluster`) for a database owned by `consumer`, so an app
 * stays a one-liner: `requestDatabase(this, 'n8n', { onConnected: (c) => … })`. Without `cluster`
 * it asks the cluster's POSTGRES service (its only or default PostgresCluster); with `cluster:
 * 'immich-db'` the PostgresCluster of that name. The lookup happens in the wire phase, so
 * declaration order does not matter; a missing PostgreSQL is reported at the consumer's `database`
 * field (`database.cluster` for an unknown name). The consumer then depends on the PostgreSQL
 * component (derived) and receives a credentials Secret in its own namespace.
 */
export function requestDatabase(consumer: Component, database: string, options: RequestDatabaseOptions = {}): DatabaseRequest {
  const request = new DatabaseRequest(consumer, database);
  consumer.cluster.onPhase('wire', () => {
    const postgres = choosePostgres(consumer, database, options.cluster);
    if (!postgres) return;
    const ask: DatabaseAsk = { consumer, database, owner: options.owner, extensions: options.extensions };
    request.resolve(postgres.addDatabase(ask));
    options.onConnected?.(request.connection!);
  });
  return request;
}

/** The PostgreSQL cluster a consumer binds to, or `undefined` (reported). */
function choosePostgres(consumer: Component, database: string, choice: string | NamedPostgres | undefined): PostgresProvider | undefined {
  const cluster = consumer.cluster;
  const d = Diagnostics.of(consumer);
  const named: readonly PostgresProvider[] = postgresClusters(cluster);
  return chooseNamed<PostgresProvider>({
    choice,
    named,
    nameOf: (p) => (p as NamedPostgres).clusterName,
    fallback: cluster.service(POSTGRES),
    unknown: (wanted, names) => d.error(consumer, 'database.cluster', `asks PostgreSQL cluster '${wanted}' for database '${database}', but cluster '${cluster.name}' has ${named.length ? `only ${names}` : 'no PostgreSQL cluster'}`,
      named.length ? `name one of ${names}, or add new PostgresCluster(cluster, '${wanted}', { registerService: false })` : `add the CloudNativePG operator and new PostgresCluster(cluster, '${wanted}') to cluster '${cluster.name}'`),
    noDefault: (names, first) => d.error(consumer, 'database', `asks for PostgreSQL database '${database}' but cluster '${cluster.name}' has no default PostgreSQL cluster (${names} set registerService: false)`,
      `name the one to use, e.g. { cluster: '${(first as NamedPostgres).clusterName}' }, or let one register as the default`),
    none: () => d.error(consumer, 'database', `asks for PostgreSQL database '${database}' but cluster '${cluster.name}' has no PostgreSQL service`,
      `add the CloudNativePG operator and a PostgresCluster to cluster '${cluster.name}', or drop the database from '${consumer.name}'`),
  });
}
