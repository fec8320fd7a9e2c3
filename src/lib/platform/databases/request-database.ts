import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { DatabaseConnection, POSTGRES } from '../../estate/services.js';

export interface RequestDatabaseOptions {
  /** Role owning the database. @default - the database name */
  readonly owner?: string;
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
 * Asks the cluster's PostgreSQL service (a `PostgresCluster`) for a database owned by
 * `consumer`, so an app stays a one-liner: `requestDatabase(this, 'n8n', { onConnected: (c) => … })`.
 * The lookup happens in the wire phase, so declaration order does not matter; a cluster without
 * PostgreSQL is reported at the consumer's `database` field. The consumer then depends on the
 * PostgreSQL component (derived) and receives a credentials Secret in its own namespace.
 */
export function requestDatabase(consumer: Component, database: string, options: RequestDatabaseOptions = {}): DatabaseRequest {
  const request = new DatabaseRequest(consumer, database);
  const cluster = consumer.cluster;
  cluster.onPhase('wire', () => {
    const postgres = cluster.service(POSTGRES);
    if (!postgres) {
      Diagnostics.of(consumer).error(consumer, 'database', `asks for PostgreSQL database '${database}' but cluster '${cluster.name}' has no PostgreSQL service`,
        `add the CloudNativePG operator and a PostgresCluster to cluster '${cluster.name}', or drop the database from '${consumer.name}'`);
      return;
    }
    request.resolve(postgres.addDatabase({ consumer, database, owner: options.owner }));
    options.onConnected?.(request.connection!);
  });
  return request;
}
