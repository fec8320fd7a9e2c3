import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { DatabaseSpecExtensions, DatabaseSpecExtensionsEnsure } from '../../../../imports/postgresql.cnpg.io.js';
import { ImageRef, POSTGRES_IMAGE, isVersionTag } from './cluster-spec.js';

/**
 * What a PostgresCluster lets you configure of PostgreSQL itself — parameters, preloaded
 * libraries, an operand image carrying extensions, and the extensions of each database — and the
 * checks that catch, at synth time, what CloudNativePG's webhook would refuse at apply time.
 */

/**
 * An operand image with VectorChord (Immich's vector search), built on CloudNativePG's own images by
 * TensorChord (`ghcr.io/tensorchord/cloudnative-vectorchord`, tags `<PostgreSQL>-<VectorChord>`).
 * It also needs {@link VECTORCHORD_PRELOAD} in `sharedPreloadLibraries` and, in the database, the
 * extensions `vector` then `vchord` (CNPG runs `CREATE EXTENSION` without CASCADE, so list
 * dependencies first). Opt-in: nothing uses it by default.
 */
// renovate: datasource=docker depName=ghcr.io/tensorchord/cloudnative-vectorchord
export const VECTORCHORD_IMAGE = { repository: 'ghcr.io/tensorchord/cloudnative-vectorchord', tag: '17.10-1.1.1' };

/** The library VectorChord must have preloaded (its README and Immich's Postgres docs: `vchord.so`). */
export const VECTORCHORD_PRELOAD = 'vchord.so';

/**
 * Parameters CloudNativePG manages itself: its webhook refuses them in `postgresql.parameters`
 * (`FixedConfigurationParameters` of the pinned operator, 1.30; "Fixed parameters" in its
 * PostgreSQL configuration docs). Replication, archiving, recovery, TLS, logging and socket
 * settings are the operator's; `shared_preload_libraries` has its own field.
 */
export const CNPG_FIXED_PARAMETERS: ReadonlySet<string> = new Set([
  'allow_system_table_mods', 'archive_cleanup_command', 'archive_command', 'archive_mode', 'bonjour', 'bonjour_name',
  'cluster_name', 'config_file', 'data_directory', 'data_sync_retry', 'event_source', 'external_pid_file', 'hba_file',
  'hot_standby', 'ident_file', 'jit_provider', 'listen_addresses', 'log_destination', 'log_directory', 'log_file_mode',
  'log_filename', 'log_rotation_age', 'log_rotation_size', 'log_truncate_on_rotation', 'logging_collector',
  'pg_failover_slots.primary_dsn', 'pg_failover_slots.standby_slot_names', 'port', 'primary_conninfo', 'primary_slot_name',
  'promote_trigger_file', 'recovery_end_command', 'recovery_min_apply_delay', 'recovery_target', 'recovery_target_action',
  'recovery_target_inclusive', 'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time',
  'recovery_target_timeline', 'recovery_target_xid', 'restart_after_crash', 'restore_command', 'shared_preload_libraries',
  'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_crl_file', 'ssl_dh_params_file', 'ssl_ecdh_curve', 'ssl_key_file',
  'ssl_passphrase_command', 'ssl_passphrase_command_supports_reload', 'ssl_prefer_server_ciphers', 'stats_temp_directory',
  'synchronized_standby_slots', 'synchronous_standby_names', 'syslog_facility', 'syslog_ident', 'syslog_sequence_numbers',
  'syslog_split_messages', 'temp_tablespaces', 'unix_socket_directories', 'unix_socket_group', 'unix_socket_permissions',
]);

/** A GUC name, optionally namespaced with one dot (the pattern CNPG's webhook accepts). */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/** Reports parameters CNPG would refuse: malformed names and the ones it manages itself. */
export function validateParameters(component: Component, parameters: Record<string, string> | undefined): void {
  const d = Diagnostics.of(component);
  for (const [name, value] of Object.entries(parameters ?? {})) {
    const field = `parameters.${name}`;
    if (!PARAMETER_NAME.test(name)) {
      d.error(component, field, `'${name}' is not a PostgreSQL parameter name`, "use a GUC name such as 'shared_buffers' or 'pg_stat_statements.max'");
    } else if (name === 'shared_preload_libraries') {
      d.error(component, field, 'CloudNativePG refuses shared_preload_libraries among the parameters (it merges the libraries it manages itself)',
        `list the libraries in sharedPreloadLibraries instead, e.g. sharedPreloadLibraries: [${String(value).split(',').map((l) => `'${l.trim()}'`).filter((l) => l !== "''").join(', ')}]`);
    } else if (CNPG_FIXED_PARAMETERS.has(name)) {
      d.error(component, field, `'${name}' is managed by CloudNativePG itself and its webhook refuses it`, `remove it from parameters (see "Fixed parameters" in the CloudNativePG docs)`);
    } else if (typeof value !== 'string') {
      d.error(component, field, `the value of '${name}' is a ${typeof value}, but CloudNativePG takes strings only`, `quote it, e.g. ${name}: '${String(value)}'`);
    }
  }
}

/** Reports unusable library names (empty, or several in one entry). */
export function validatePreloadLibraries(component: Component, libraries: readonly string[] | undefined): void {
  const d = Diagnostics.of(component);
  const seen = new Set<string>();
  (libraries ?? []).forEach((lib, i) => {
    const field = `sharedPreloadLibraries[${i}]`;
    if (typeof lib !== 'string' || !/^[A-Za-z0-9_$./-]+$/.test(lib)) {
      d.error(component, field, `'${lib}' is not one library name`, "give one library per entry, e.g. ['vchord.so', 'pg_cron']");
    } else if (seen.has(lib)) {
      d.error(component, field, `library '${lib}' is listed twice`, 'list each library once');
    }
    seen.add(lib);
  });
}

/**
 * The operand image the props ask for: `image`, or `imageName` (`repository:tag`, as CNPG's
 * `spec.imageName`), never both. `undefined` for the default or when `imageName` is unusable (reported).
 */
export function requestedImage(component: Component, props: { readonly image?: ImageRef; readonly imageName?: string }): ImageRef | undefined {
  if (props.imageName === undefined) return props.image;
  const d = Diagnostics.of(component);
  if (props.image) {
    d.error(component, 'imageName', 'both image and imageName are set', 'keep one: imageName for a full reference, or image: { repository, tag }');
    return undefined;
  }
  const slash = props.imageName.lastIndexOf('/');
  const colon = props.imageName.lastIndexOf(':');
  if (colon <= slash || props.imageName.includes('@')) {
    d.error(component, 'imageName', `'${props.imageName}' has no tag (or pins a digest)`, `write repository:tag, e.g. '${VECTORCHORD_IMAGE.repository}:${VECTORCHORD_IMAGE.tag}'`);
    return undefined;
  }
  const image = { repository: props.imageName.slice(0, colon), tag: props.imageName.slice(colon + 1) };
  if (!isVersionTag(image.tag)) {
    d.error(component, 'imageName', `tag '${image.tag}' does not start with a PostgreSQL version, so CloudNativePG cannot tell the major version`, `pin a versioned tag such as '${POSTGRES_IMAGE.tag}'`);
    return undefined;
  }
  return image;
}

/** One extension of a database, managed by CNPG (`Database.spec.extensions`). */
export interface PostgresExtension {
  /** Extension name, e.g. `vector`, `vchord`, `earthdistance`. */
  readonly name: string;
  /** Version to install or update to. @default - the default version of the extension's control file */
  readonly version?: string;
  /** Schema to install a relocatable extension into. @default - the current default creation schema */
  readonly schema?: string;
  /** `absent` drops it. @default 'present' */
  readonly ensure?: 'present' | 'absent';
}

/** Reports unusable or repeated extension names at `<field>[i]`; returns whether all are usable. */
export function validateExtensions(consumer: Component, field: string, extensions: readonly PostgresExtension[]): boolean {
  const d = Diagnostics.of(consumer);
  const before = d.problems.length;
  const seen = new Set<string>();
  extensions.forEach((e, i) => {
    if (!e || typeof e.name !== 'string' || !/^[a-z0-9_-]{1,63}$/.test(e.name)) {
      d.error(consumer, `${field}[${i}].name`, `'${e?.name}' is not an extension name`, "use the name CREATE EXTENSION takes, e.g. 'vector'");
    } else if (seen.has(e.name)) {
      d.error(consumer, `${field}[${i}].name`, `extension '${e.name}' is listed twice`, 'list each extension once');
    } else if (e.ensure !== undefined && e.ensure !== 'present' && e.ensure !== 'absent') {
      d.error(consumer, `${field}[${i}].ensure`, `'${e.ensure}' is neither 'present' nor 'absent'`, "use 'present' (the default) or 'absent'");
    }
    if (e && typeof e.name === 'string') seen.add(e.name);
  });
  return d.problems.length === before;
}

/** `Database.spec.extensions`, in the order given (CNPG creates them in order, without CASCADE). */
export function extensionsSpec(extensions: readonly PostgresExtension[]): DatabaseSpecExtensions[] {
  return extensions.map((e) => ({
    name: e.name,
    ensure: e.ensure === 'absent' ? DatabaseSpecExtensionsEnsure.ABSENT : DatabaseSpecExtensionsEnsure.PRESENT,
    ...(e.version !== undefined ? { version: e.version } : {}),
    ...(e.schema !== undefined ? { schema: e.schema } : {}),
  }));
}
