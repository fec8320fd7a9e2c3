import { ApiObject, Lazy } from 'cdk8s';
import { DEFAULT_STORAGE_CLASS, service, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Placement, PlatformComponent } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { DatabaseConnection, MONITORING, POSTGRES } from '../../estate/services.js';
import {
  Cluster,
  ClusterSpecManagedRolesEnsure,
  ClusterSpecPrimaryUpdateStrategy,
  Database,
  DatabaseSpecDatabaseReclaimPolicy,
  DatabaseSpecEnsure,
} from '../../../../imports/postgresql.cnpg.io.js';
import { BARMAN_CLOUD_PLUGIN, OBJECT_STORE_SERVICE_KIND, PostgresBackupOptions, renderObjectStore, renderScheduledBackup, validateBackup } from './backup.js';
import { CloudNativePg } from './cloudnative-pg.js';
import {
  ImageRef,
  POSTGRES_IMAGE,
  ResolvedResources,
  clusterAnnotations,
  declareInstances,
  imageName,
  isHibernated,
  isVersionTag,
  resolveResources,
  resourcesSpec,
  storageSpec,
  validateClusterInputs,
} from './cluster-spec.js';
import { generatedSecret, passwordGenerator, shareSecret } from './credentials.js';
import { checkIdentifiers } from './identifiers.js';
import { extensionsSpec, requestedImage, validateExtensions, validateParameters, validatePreloadLibraries } from './postgres-config.js';
import { PostgresClusterProps } from './postgres-props.js';
import { PostgresRestoreDrill } from './postgres-restore.js';
import { DatabaseAsk, NamedPostgres, POSTGRES_CLUSTER } from './request-database.js';

/** PostgreSQL port of every CNPG service. */
export const POSTGRES_PORT = 5432;

/** Capability kind of a Postgres cluster consumers depend on: `service('postgres', <cluster name>)`. */
export const POSTGRES_SERVICE_KIND = 'postgres';

interface DatabaseEntry {
  readonly consumer: Component;
  readonly owner: string;
  readonly connection: DatabaseConnection;
}

/**
 * A PostgreSQL cluster run by CloudNativePG, and the cluster's POSTGRES service: each consumer
 * gets its own database, owner role and credentials (one database per service: a service can
 * only read, break or restore its own data).
 *
 * - Instances derive from the schedulable nodes; the PodDisruptionBudget only exists with more
 *   than one instance (a single instance's PDB would block every node drain).
 * - Credentials are generated in-cluster by External Secrets Operator (see credentials.ts) and
 *   copied into each consumer's namespace; nothing secret is ever written to Git.
 * - Backups: Barman Cloud plugin (`ObjectStore` + `spec.plugins` WAL archiver + `ScheduledBackup`).
 * - The cluster's scale-down profile hibernates it declaratively and suspends its scheduled backups.
 */
export class PostgresCluster extends PlatformComponent implements NamedPostgres {
  /**
   * Namespace 'databases' (Pod Security 'restricted', prune-protected: it holds data), group
   * 'databases', layer 'platform', or 'apps' in the layered layout, where a custom resource cannot
   * share a layer with the operator installing its CRDs.
   */
  public static placement(cluster: HomelabCluster): Placement {
    const layer = cluster.flux.layout === 'layered' ? 'apps' : 'platform';
    return { namespace: { name: 'databases', podSecurity: 'restricted', pruneProtected: true }, group: 'databases', layer };
  }

  public readonly component: Component = this;
  /** Name of the CNPG Cluster. */
  public readonly clusterName: string;
  public readonly instances: number;
  public readonly image: ImageRef;
  public readonly storageClass?: string;
  public readonly storageSize: string;
  public readonly resources: ResolvedResources;
  public readonly hibernated: boolean;
  /** Libraries preloaded besides CNPG's own (`spec.postgresql.shared_preload_libraries`). */
  public readonly sharedPreloadLibraries: readonly string[];
  /** The backup configuration, when backups are on. */
  public readonly backup?: PostgresBackupOptions;
  /** ObjectStore the cluster archives to, when backups are on. */
  public readonly objectStoreName?: string;
  /** The restore drill component, when `restoreDrill` is set. */
  public readonly restoreDrill?: PostgresRestoreDrill;

  private readonly databases = new Map<string, DatabaseEntry>();
  private readonly roles = new Map<string, { consumer: Component; database: string; secret: string }>();
  private monitoringNamespace?: string;

  constructor(cluster: HomelabCluster, id: string, props: PostgresClusterProps = {}) {
    // A hibernated Cluster never turns healthy: Flux must not wait for it, or every consumer's
    // Kustomization (which depends on this one) would stall for as long as the cluster stays scaled down.
    super(cluster, id, props, PostgresCluster.placement(cluster), { wait: !isHibernated(cluster, props.hibernate ?? 'scale-down') });
    this.clusterName = props.clusterName ?? id;
    const instances = props.instances ?? Math.max(1, Math.min(3, cluster.schedulableNodes.length));
    // A nonsensical count is reported (see validate) and rendered as 1 so nothing else fails on it.
    this.instances = Number.isInteger(instances) && instances >= 1 ? instances : 1;
    // An unusable tag is reported (validateClusterInputs) and rendered as the pinned default.
    const image = requestedImage(this, props);
    this.image = image && isVersionTag(image.tag) ? image : POSTGRES_IMAGE;
    this.storageClass = props.storageClass;
    this.storageSize = props.storageSize ?? '10Gi';
    this.resources = resolveResources(props.resources);
    this.sharedPreloadLibraries = [...(props.sharedPreloadLibraries ?? [])];
    const hibernate = props.hibernate ?? 'scale-down';
    this.hibernated = isHibernated(cluster, hibernate);
    this.validate(props, image);

    const backupOk = props.backup !== undefined && validateBackup(this, props.backup);
    if (props.backup && backupOk) {
      this.backup = props.backup;
      this.objectStoreName = `${this.clusterName}-backup`;
      renderObjectStore(this, this.objectStoreName, props.backup);
      renderScheduledBackup(this, this.clusterName, props.backup, this.hibernated);
      this.provide(service(OBJECT_STORE_SERVICE_KIND, `${this.namespace}/${this.objectStoreName}`));
    }
    this.renderCluster(props);
    this.require(this.storageClass ? storageClass(this.storageClass) : DEFAULT_STORAGE_CLASS, `CNPG Cluster '${this.clusterName}' claims a volume per instance`);
    declareInstances(this, `postgres-${this.clusterName}`, this.instances, this.resources, this.backup !== undefined, hibernate !== false);

    this.provide(service(POSTGRES_SERVICE_KIND, this.clusterName));
    cluster.ledger.record(POSTGRES_CLUSTER, this, this);
    if (props.registerService ?? true) this.registerDefault();
    cluster.onPhase('wire', () => this.wireMonitoring(props));
    if (props.networkPolicy ?? cluster.defaultDenyNetworkPolicies) this.renderNetworkPolicy();

    if (props.restoreDrill) {
      if (!this.backup) {
        Diagnostics.of(this).error(this, 'restoreDrill', 'a restore drill recovers from backups, but this cluster has none', 'configure backup: { destinationPath, endpointURL, credentials } or drop restoreDrill');
      } else {
        this.restoreDrill = new PostgresRestoreDrill(cluster, `${id}-restore`, { source: this, ...(typeof props.restoreDrill === 'object' ? props.restoreDrill : {}) });
      }
    }
  }

  /** Read-write service host (the primary). */
  public get host(): string {
    return `${this.clusterName}-rw.${this.namespace}.svc`;
  }

  /** Pod labels of the instances, for NetworkPolicy peers. */
  public get podLabels(): Record<string, string> {
    return { 'cnpg.io/cluster': this.clusterName };
  }

  /**
   * Gives `consumer` its own database, owned by its own role whose password is generated in the
   * cluster; returns the connection, with a Secret in the consumer's namespace holding
   * `username`, `password`, `host`, `port`, `dbname` and `uri`. The consumer depends on this
   * component (derived). Two consumers asking for one database is a problem.
   */
  public addDatabase(request: DatabaseAsk): DatabaseConnection {
    const { consumer, database } = request;
    const owner = request.owner ?? database;
    const d = Diagnostics.of(consumer);
    const existing = this.databases.get(database);
    if (existing) {
      if (existing.consumer !== consumer) {
        d.error(consumer, 'database', `database '${database}' on PostgreSQL cluster '${this.clusterName}' is already used by '${existing.consumer.name}'`,
          `give each consumer its own database (one database per service keeps their data and credentials apart), e.g. database: '${consumer.name.replace(/-/g, '_')}'`);
      }
      return existing.connection;
    }
    const connection: DatabaseConnection = {
      host: this.host,
      port: POSTGRES_PORT,
      database,
      secretName: `${this.clusterName}-${toK8sName(database)}-credentials`,
      server: this,
      serverPeer: { namespace: this.namespace, podLabels: this.podLabels },
    };
    if (consumer.cluster !== this.cluster) {
      d.error(consumer, 'database', `asks PostgreSQL cluster '${this.clusterName}' of cluster '${this.cluster.name}' for a database, but belongs to cluster '${consumer.cluster.name}'`,
        'use a PostgreSQL cluster of the same Kubernetes cluster');
      return connection;
    }
    consumer.require(service(POSTGRES_SERVICE_KIND, this.clusterName), `uses database '${database}' on PostgreSQL cluster '${this.clusterName}'`);
    // Names that cannot become objects are reported once; nothing is rendered for them.
    if (!checkIdentifiers(consumer, database, request.owner)) return connection;
    const extensions = request.extensions ?? [];
    if (!validateExtensions(consumer, 'database.extensions', extensions)) return connection;
    const role = this.roles.get(owner);
    if (role && role.consumer !== consumer) {
      d.error(consumer, 'owner', `role '${owner}' on PostgreSQL cluster '${this.clusterName}' already owns database '${role.database}' of '${role.consumer.name}'`,
        `let each consumer own its databases with its own role, e.g. owner: '${database}'`);
      return connection;
    }
    const k8sDb = toK8sName(database);
    new Database(this, `database-${k8sDb}`, {
      metadata: { name: `${this.clusterName}-${k8sDb}`, namespace: this.namespace },
      spec: {
        name: database,
        owner,
        cluster: { name: this.clusterName },
        ensure: DatabaseSpecEnsure.PRESENT,
        databaseReclaimPolicy: DatabaseSpecDatabaseReclaimPolicy.RETAIN,
        extensions: extensions.length > 0 ? extensionsSpec(extensions) : undefined,
      },
    });
    const roleSecret = role?.secret ?? `${this.clusterName}-role-${toK8sName(owner)}`;
    if (!role) {
      // The generator (and with it the need for ESO) only appears with the first consumer.
      if (this.roles.size === 0) passwordGenerator(this, 'password-generator', { name: `${this.clusterName}-password` });
      this.roles.set(owner, { consumer, database, secret: roleSecret });
      generatedSecret(this, `role-${toK8sName(owner)}`, {
        name: roleSecret,
        generator: `${this.clusterName}-password`,
        username: owner,
        labels: { 'cnpg.io/reload': 'true' },
      });
    }
    shareSecret({
      server: this,
      consumer,
      sourceSecret: roleSecret,
      targetName: connection.secretName,
      keys: ['username', 'password'],
      template: {
        username: '{{ .username }}',
        password: '{{ .password }}',
        host: this.host,
        port: String(POSTGRES_PORT),
        dbname: database,
        uri: `postgresql://{{ .username }}:{{ .password }}@${this.host}:${POSTGRES_PORT}/${database}`,
      },
    });
    this.databases.set(database, { consumer, owner, connection });
    return connection;
  }

  /** Databases handed out so far: database → consumer component name. */
  public get databaseConsumers(): ReadonlyMap<string, string> {
    return new Map([...this.databases].map(([db, e]) => [db, e.consumer.name]));
  }

  private renderCluster(props: PostgresClusterProps): void {
    const plugins = this.objectStoreName
      ? [{ name: BARMAN_CLOUD_PLUGIN, enabled: true, isWalArchiver: true, parameters: { barmanObjectName: this.objectStoreName, serverName: this.clusterName } }]
      : undefined;
    new Cluster(this, 'cluster', {
      metadata: { name: this.clusterName, namespace: this.namespace, annotations: clusterAnnotations(this.hibernated) },
      spec: {
        instances: this.instances,
        imageName: imageName(this.image),
        imagePullPolicy: 'IfNotPresent',
        primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
        enableSuperuserAccess: false,
        enablePdb: this.instances > 1,
        affinity: { enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'preferred' },
        storage: storageSpec(this.storageSize, this.storageClass),
        walStorage: props.walStorageSize ? storageSpec(props.walStorageSize, this.storageClass) : undefined,
        resources: resourcesSpec(this.resources),
        postgresql: {
          parameters: { ...props.parameters },
          sharedPreloadLibraries: this.sharedPreloadLibraries.length ? [...this.sharedPreloadLibraries] : undefined,
        },
        bootstrap: { initdb: { database: 'app', owner: 'app', dataChecksums: true } },
        plugins,
        managed: Lazy.any({ produce: () => this.managedRoles() }) as any,
      },
    });
  }

  /** `spec.managed.roles`: one login role per owner, its password from the generated Secret. */
  private managedRoles(): unknown {
    if (this.roles.size === 0) return undefined;
    const roles = [...this.roles].sort(([a], [b]) => a.localeCompare(b)).map(([name, r]) => ({
      name,
      ensure: ClusterSpecManagedRolesEnsure.PRESENT,
      comment: `owner of database ${r.database} (${r.consumer.name})`,
      login: true,
      superuser: false,
      createdb: false,
      createrole: false,
      replication: false,
      bypassrls: false,
      inherit: true,
      connectionLimit: -1,
      passwordSecret: { name: r.secret },
    }));
    return { roles };
  }

  private wireMonitoring(props: PostgresClusterProps): void {
    const monitoring = this.cluster.service(MONITORING);
    this.monitoringNamespace = monitoring?.component.namespace;
    if (!(props.monitoring ?? monitoring !== undefined)) return;
    new ApiObject(this, 'pod-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: this.clusterName, namespace: this.namespace, labels: { ...monitoring?.selectorLabels } },
      spec: {
        selector: { matchLabels: { ...this.podLabels, 'cnpg.io/podRole': 'instance' } },
        podMetricsEndpoints: [{ port: 'metrics' }],
      },
    });
  }

  private renderNetworkPolicy(): void {
    const from = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
    const port = (p: number) => ({ protocol: 'TCP', port: p });
    new ApiObject(this, 'network-policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.clusterName, namespace: this.namespace },
      spec: {
        podSelector: { matchLabels: this.podLabels },
        policyTypes: ['Ingress'],
        ingress: Lazy.any({
          produce: () => {
            const operatorNs = CloudNativePg.find(this.cluster)?.namespace ?? 'cnpg-system';
            const consumers = [...new Set([...this.databases.values()].map((e) => e.consumer.namespace))].sort();
            const rules: unknown[] = [
              { from: [{ podSelector: { matchLabels: this.podLabels } }] },
              { from: [from(operatorNs)], ports: [port(8000), port(POSTGRES_PORT)] },
            ];
            if (consumers.length > 0) rules.push({ from: consumers.map(from), ports: [port(POSTGRES_PORT)] });
            if (this.monitoringNamespace) rules.push({ from: [from(this.monitoringNamespace)], ports: [port(9187)] });
            return rules;
          },
        }),
      },
    });
  }

  /** Registers as the cluster's POSTGRES service, unless another PostgresCluster is the default already. */
  private registerDefault(): void {
    const current = this.cluster.service(POSTGRES)?.component;
    if (current instanceof PostgresCluster) {
      Diagnostics.of(this).error(this, 'registerService', `cluster '${this.cluster.name}' already has a default PostgreSQL cluster ('${(current as PostgresCluster).clusterName}'), and this one would be a second default`,
        `set registerService: false on '${this.name}' and bind its consumers by name: requestDatabase(app, 'db', { cluster: '${this.clusterName}' })`);
      return;
    }
    this.cluster.registerService(POSTGRES, this, this);
  }

  private validate(props: PostgresClusterProps, image: ImageRef | undefined): void {
    const d = Diagnostics.of(this);
    if (!isDnsLabel(this.clusterName) || this.clusterName.length > 50) {
      d.error(this, 'clusterName', `'${this.clusterName}' is not a DNS-1123 label of at most 50 characters (CNPG derives service and pod names from it)`, "use lowercase letters, digits and '-', e.g. 'postgres'");
    }
    if (props.instances !== undefined && (!Number.isInteger(props.instances) || props.instances < 1)) {
      d.error(this, 'instances', `${props.instances} is not a positive whole number of instances`, 'use 1 (no replica) to 3');
    } else if (this.instances > this.cluster.schedulableNodes.length && this.cluster.schedulableNodes.length > 0) {
      Diagnostics.of(this).warn(this, 'postgres-instances-exceed-nodes', `${this.instances} PostgreSQL instances on ${this.cluster.schedulableNodes.length} schedulable node(s): replicas share a node and a node failure takes several down`);
    }
    validateParameters(this, props.parameters);
    validatePreloadLibraries(this, props.sharedPreloadLibraries);
    validateClusterInputs(this, { image: image ?? POSTGRES_IMAGE, storageSize: this.storageSize, walStorageSize: props.walStorageSize, resources: this.resources });
  }
}

/** A PostgreSQL identifier as a Kubernetes name part. */
function toK8sName(identifier: string): string {
  return identifier.replace(/_/g, '-');
}
