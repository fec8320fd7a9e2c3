import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';

/** Identifiers a consumer may use for its database and role (lowercase, no quoting needed). */
const PG_IDENTIFIER = /^[a-z](?:[a-z0-9_]{0,61}[a-z0-9])?$/;
const RESERVED_DATABASES = new Set(['postgres', 'template0', 'template1', 'app']);
const RESERVED_ROLES = new Set(['postgres', 'app', 'streaming_replica', 'public']);

/** Reports unusable database and role names; the role is only checked on its own when given explicitly. */
export function checkIdentifiers(consumer: Component, database: string, explicitOwner: string | undefined): boolean {
  const d = Diagnostics.of(consumer);
  const before = d.problems.length;
  if (!PG_IDENTIFIER.test(database)) {
    d.error(consumer, 'database', `'${database}' is not a plain PostgreSQL identifier`, "use lowercase letters, digits and '_', starting with a letter and not ending with '_', at most 63 characters");
  } else if (RESERVED_DATABASES.has(database)) {
    d.error(consumer, 'database', `database name '${database}' is reserved`, `name the database after the service, e.g. '${consumer.name.replace(/-/g, '_')}'`);
  }
  if (explicitOwner === undefined && d.problems.length > before) return false;
  const owner = explicitOwner ?? database;
  const field = explicitOwner === undefined ? 'database' : 'owner';
  if (!PG_IDENTIFIER.test(owner)) {
    d.error(consumer, field, `'${owner}' is not a plain PostgreSQL role name`, "use lowercase letters, digits and '_', starting with a letter and not ending with '_', at most 63 characters");
  } else if (RESERVED_ROLES.has(owner) || owner.startsWith('pg_') || owner.startsWith('cnpg_')) {
    d.error(consumer, field, `role name '${owner}' is reserved`, explicitOwner === undefined ? 'name the database after the service, or give an owner' : 'name the role after the service');
  }
  return d.problems.length === before;
}
