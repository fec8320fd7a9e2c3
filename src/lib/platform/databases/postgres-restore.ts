import { service, storageClass as storageClassCap, DEFAULT_STORAGE_CLASS } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { Cluster } from '../../../../imports/postgresql.cnpg.io.js';
import { BARMAN_CLOUD_PLUGIN, OBJECT_STORE_SERVICE_KIND } from './backup.js';
import {
  HibernationSetting,
  PostgresResources,
  clusterAnnotations,
  declareInstances,
  imageName,
  isHibernated,
  resolveResources,
  resourcesSpec,
  storageSpec,
  validateClusterInputs,
} from './cluster-spec.js';
import type { ImageRef, ResolvedResources } from './cluster-spec.js';

/** Options of a restore drill, when declared through `PostgresCluster`'s `restoreDrill`. */
export interface PostgresRestoreDrillOptions {
  /** Name of the restored CNPG Cluster. @default '<source cluster>-restore' */
  readonly clusterName?: string;
  /**
   * Create the drill's Flux Kustomization suspended: nothing runs until you set this to false
   * (one commit), and setting it back removes nothing by itself.
   * @default true
   */
  readonly suspend?: boolean;
  /** Instances of the restored cluster. @default 1 (a drill, not a second production cluster) */
  readonly instances?: number;
  /** @default - the source's StorageClass */
  readonly storageClass?: string;
  /** @default - the source's storage size */
  readonly storageSize?: string;
  /** @default - the source's resources */
  readonly resources?: PostgresResources;
  /** Point-in-time target (RFC 3339, e.g. '2026-11-02 08:00:00+00'). @default - the end of the archived WAL (latest) */
  readonly targetTime?: string;
  /** Flux timeout for the recovery. @default '30m' */
  readonly timeout?: string;
  /** @default 'scale-down' */
  readonly hibernate?: HibernationSetting;
}

/** What a restore drill reads of the cluster whose backups it restores (a {@link PostgresCluster}). */
export type RestoreSource = Component & {
  readonly clusterName: string;
  readonly image: ImageRef;
  readonly resources: ResolvedResources;
  readonly storageSize: string;
  readonly storageClass?: string;
  /** ObjectStore the source archives to; undefined without backups (reported). */
  readonly objectStoreName?: string;
  /** Libraries the source preloads (its extensions need them in the restored copy too). @default [] */
  readonly sharedPreloadLibraries?: readonly string[];
};

export interface PostgresRestoreDrillProps extends PostgresRestoreDrillOptions {
  /** The cluster whose backups are restored; it must have `backup` configured. */
  readonly source: RestoreSource;
}

/**
 * A restore drill (backups are only as good as a restore tested apart from the services using them): a separate CNPG
 * Cluster bootstrapped by `recovery` from the source's ObjectStore through the Barman Cloud
 * plugin, in its own component — its own Flux Kustomization, suspended by default. It never
 * archives WAL (it must not write into the source's backups), registers no service, and no
 * consumer points at it, so unsuspending it touches no live service.
 */
export class PostgresRestoreDrill extends Component {
  public readonly clusterName: string;
  public readonly source: RestoreSource;

  constructor(cluster: HomelabCluster, id: string, props: PostgresRestoreDrillProps) {
    const { source } = props;
    super(cluster, {
      name: id,
      namespace: { name: source.namespace, podSecurity: 'restricted', pruneProtected: true },
      group: source.group,
      layer: source.layer,
      suspend: props.suspend ?? true,
      timeout: props.timeout ?? '30m',
    });
    this.source = source;
    this.clusterName = props.clusterName ?? `${source.clusterName}-restore`;
    const requested = props.instances ?? 1;
    const instances = Number.isInteger(requested) && requested >= 1 ? requested : 1;
    const resources = props.resources ? resolveResources(props.resources) : source.resources;
    const storageSize = props.storageSize ?? source.storageSize;
    const storageClass = props.storageClass ?? source.storageClass;
    const hibernate = props.hibernate ?? 'scale-down';
    validateClusterInputs(this, { image: source.image, storageSize, resources });
    if (!isDnsLabel(this.clusterName) || this.clusterName.length > 50) {
      Diagnostics.of(this).error(this, 'clusterName', `'${this.clusterName}' is not a DNS-1123 label of at most 50 characters (CNPG derives service and pod names from it)`, "use a shorter name, e.g. 'pg-restore'");
    }
    if (instances !== requested) {
      Diagnostics.of(this).error(this, 'instances', `${requested} is not a positive whole number of instances`, 'use 1');
    }
    if (!source.objectStoreName) {
      Diagnostics.of(this).error(this, 'source', `the restore drill recovers from the backups of '${source.name}', which has none`, `configure backup on '${source.name}'`);
      return;
    }
    this.require(service(OBJECT_STORE_SERVICE_KIND, `${source.namespace}/${source.objectStoreName}`), `recovers from ObjectStore '${source.objectStoreName}'`);
    this.require(storageClass ? storageClassCap(storageClass) : DEFAULT_STORAGE_CLASS, `CNPG Cluster '${this.clusterName}' claims a volume per instance`);
    new Cluster(this, 'cluster', {
      metadata: { name: this.clusterName, namespace: this.namespace, annotations: clusterAnnotations(isHibernated(cluster, hibernate)) },
      spec: {
        description: `restore drill of ${source.clusterName} from ObjectStore ${source.objectStoreName}`,
        instances,
        imageName: imageName(source.image),
        imagePullPolicy: 'IfNotPresent',
        enableSuperuserAccess: false,
        enablePdb: false,
        storage: storageSpec(storageSize, storageClass),
        resources: resourcesSpec(resources),
        // The source's extensions (VectorChord…) only load in the copy with the same libraries preloaded.
        postgresql: source.sharedPreloadLibraries?.length ? { sharedPreloadLibraries: [...source.sharedPreloadLibraries] } : undefined,
        bootstrap: {
          recovery: {
            source: 'origin',
            database: 'app',
            owner: 'app',
            recoveryTarget: props.targetTime ? { targetTime: props.targetTime } : undefined,
          },
        },
        externalClusters: [{
          name: 'origin',
          plugin: { name: BARMAN_CLOUD_PLUGIN, enabled: true, isWalArchiver: false, parameters: { barmanObjectName: source.objectStoreName, serverName: source.clusterName } },
        }],
      },
    });
    // A suspended drill runs nothing; once unsuspended its instances count like any other.
    if (!this.suspend) declareInstances(this, `postgres-${this.clusterName}`, instances, resources, true, hibernate !== false);
  }
}
