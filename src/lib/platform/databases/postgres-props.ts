import { PlatformProps } from '../helm-component.js';
import { PostgresBackupOptions } from './backup.js';
import { HibernationSetting, ImageRef, PostgresResources } from './cluster-spec.js';
import { PostgresRestoreDrillOptions } from './postgres-restore.js';

/** Props of {@link PostgresCluster}; namespace, group and layer default to {@link PostgresCluster.placement}. */
export interface PostgresClusterProps extends PlatformProps {
  /** Name of the CNPG `Cluster` (services `<name>-rw`, `-ro`, `-r`). @default - the component name */
  readonly clusterName?: string;
  /** PostgreSQL instances (one primary, the rest streaming replicas). @default - the schedulable node count, at most 3 (1 on a single-node cluster) */
  readonly instances?: number;
  /**
   * Operand image; its tag pins the PostgreSQL major version. CNPG's own `standard` images carry
   * pgvector and PGAudit; for other extensions use an image built on them (e.g. VECTORCHORD_IMAGE).
   * @default POSTGRES_IMAGE (PostgreSQL 17)
   */
  readonly image?: ImageRef;
  /**
   * The operand image as one reference, `repository:tag` (CNPG's `spec.imageName`), e.g.
   * `'ghcr.io/tensorchord/cloudnative-vectorchord:17.10-1.1.1'`. Set either this or `image`.
   * @default - `image`
   */
  readonly imageName?: string;
  /** StorageClass of the data volumes. @default - the cluster's default StorageClass (no storageClass field) */
  readonly storageClass?: string;
  /** Data volume size per instance. @default '10Gi' */
  readonly storageSize?: string;
  /** Separate WAL volume size per instance. @default - WAL on the data volume */
  readonly walStorageSize?: string;
  /** Per-instance requests and limits. @default - 100m / 256Mi requested, 1Gi memory limit, no CPU limit */
  readonly resources?: PostgresResources;
  /**
   * PostgreSQL parameters (`postgresql.conf`), values as strings. The ones CloudNativePG manages
   * itself (CNPG_FIXED_PARAMETERS: replication, archiving, TLS, logging, `shared_preload_libraries`…)
   * are refused, as its webhook would. @default {} (CNPG's defaults, tuned for containers)
   */
  readonly parameters?: Record<string, string>;
  /**
   * Libraries to preload (`spec.postgresql.shared_preload_libraries`), e.g. `['vchord.so']`: CNPG
   * merges them with the ones it manages itself (pg_stat_statements, auto_explain, pgaudit when
   * their parameters are set). A library missing from the image keeps PostgreSQL from starting.
   * @default [] (CNPG's own: it preloads nothing unless a managed extension's parameters ask)
   */
  readonly sharedPreloadLibraries?: readonly string[];
  /** Continuous backup to S3-compatible storage via the Barman Cloud plugin. @default - no backups */
  readonly backup?: PostgresBackupOptions;
  /**
   * Render a restore drill: a second Cluster recovered from this one's backups, in its own
   * component (own Flux Kustomization), suspended until you unsuspend it. Needs `backup`.
   * @default false
   */
  readonly restoreDrill?: boolean | PostgresRestoreDrillOptions;
  /**
   * Declarative hibernation (`cnpg.io/hibernation`: instances shut down cleanly, volumes kept).
   * While hibernated, scheduled backups are suspended and Flux does not wait for the Cluster's health.
   * @default 'scale-down' (on while the cluster's scale-down profile is active)
   */
  readonly hibernate?: HibernationSetting;
  /** Render a PodMonitor for the instances. @default - true when the cluster has metrics collection (MONITORING) */
  readonly monitoring?: boolean;
  /**
   * An ingress NetworkPolicy on the instances: other instances, the operator, consumers' namespaces
   * (5432) and the monitoring namespace (9187) only. @default - the cluster's defaultDenyNetworkPolicies
   */
  readonly networkPolicy?: boolean;
  /**
   * Register as the cluster's POSTGRES service, the default PostgreSQL: `requestDatabase` without
   * `cluster` finds it. A second (third…) PostgresCluster sets `false` and its consumers name it:
   * `requestDatabase(app, 'immich', { cluster: 'immich-db' })`. Every PostgresCluster can be named.
   * @default true (the cluster's only PostgreSQL is its default; two defaults are a problem)
   */
  readonly registerService?: boolean;
}
