import { RecurringJob, RecurringJobSpecTask } from '../../../../imports/longhorn.io.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { NodeSpec } from '../../estate/node.js';
import { addNodeRequirements } from '../../estate/node-requirements.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { cronProblem } from '../../estate/cron.js';
import { LONGHORN_DASHBOARD, declareDashboard } from '../observability/dashboards.js';
import { declareMonitorTarget } from '../observability/monitors.js';

/** A Longhorn recurring job schedule. */
export interface RecurringSchedule {
  /** Cron expression (5 fields), in the Longhorn manager's time zone (UTC unless changed). */
  readonly cron: string;
  /** How many snapshots/backups the job keeps per volume. */
  readonly retain: number;
  /** Volumes processed at the same time. @default 1 (small homelab disks and links) */
  readonly concurrency?: number;
}

/** Off-cluster backups of Longhorn volumes to an NFS export. */
export interface LonghornBackupProps {
  /** Backup target, `nfs://server:/path` (e.g. `nfs://synology.example.com:/volume1/longhorn-backups`). */
  readonly target: string;
  /** Seconds between polls of the backup store for backups made elsewhere. @default 300 */
  readonly pollIntervalSeconds?: number;
  /** Recurring backup of every volume (group `default`). @default { cron: '0 3 * * *', retain: 14, concurrency: 1 } */
  readonly schedule?: RecurringSchedule;
}

/** Props of {@link Longhorn}; namespace, group and layer default to {@link Longhorn.placement}. */
export interface LonghornProps extends HelmComponentProps {
  /**
   * Replicas of each volume (StorageClass `numberOfReplicas` and the UI default).
   * @default - min(number of nodes storing data, 3): the schedulable nodes matching `nodeSelector`
   */
  readonly replicas?: number;
  /**
   * Reclaim policy of the `longhorn` StorageClass.
   * @default 'Retain' (volumes hold user data; seed 004 asks for 'Delete' explicitly)
   */
  readonly reclaimPolicy?: 'Delete' | 'Retain';
  /** Whether `longhorn` is the cluster's default StorageClass. @default false */
  readonly default?: boolean;
  /** Host directory holding replica data on every storage node. @default '/var/lib/longhorn/' */
  readonly dataPath?: string;
  /**
   * Node labels selecting the nodes that run Longhorn and store data. Longhorn volumes can only be
   * attached on these nodes, so pods using them must run there too.
   * @default {} (every schedulable node)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Backups to NFS with a recurring backup job. @default - no backup target, no backup job */
  readonly backup?: LonghornBackupProps;
  /**
   * Recurring snapshot of every volume (group `default`); `false` for none.
   * @default { cron: '0 2 * * *', retain: 7, concurrency: 1 }
   */
  readonly snapshots?: RecurringSchedule | false;
  /** Extra Helm values, deep-merged over the derived ones and validated against values.yaml. @default {} */
  readonly values?: Record<string, unknown>;
}

/** Requests set on longhorn-manager in values (the chart sets none) and declared for the capacity check. */
const MANAGER_REQUESTS = { cpu: '50m', memory: '192Mi' };
/** Longhorn's default: each instance-manager pod reserves 12% of its node's allocatable CPU. */
const INSTANCE_MANAGER_CPU_PERCENT = 12;

/**
 * Longhorn replicated block storage: the chart (manager DaemonSet, CSI driver, UI) in a privileged,
 * prune-protected `longhorn-system` (the manager and CSI plugin need host access; deleting the
 * namespace would delete every volume), the `longhorn` StorageClass created by the chart, an NFS
 * backup target, and the recurring snapshot/backup jobs.
 *
 * The `RecurringJob`s are longhorn.io custom resources of the chart's own CRDs: the renderer applies
 * them after the chart (`config/`, Kustomization `<id>-config`; the apps layer in the layered layout).
 *
 * Node OS requirements (read by the Talos/k3s config generators): Talos extensions `iscsi-tools`
 * and `util-linux-tools` and a kubelet bind mount of the data path; open-iscsi (iscsid) and the
 * NFS client elsewhere.
 */
export class Longhorn extends HelmComponent {
  /** Namespace 'longhorn-system' (Pod Security 'privileged', prune-protected: it holds the volumes), group 'storage', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'longhorn-system', podSecurity: 'privileged', pruneProtected: true }, group: 'storage' };
  /** The StorageClass the chart creates. */
  public readonly storageClassName = 'longhorn';
  public readonly replicas: number;
  public readonly release: ChartRelease;
  /** Names of the RecurringJobs rendered (`snapshot`, `backup`). */
  public readonly recurringJobs: readonly string[];

  constructor(cluster: HomelabCluster, id: string, props: LonghornProps = {}) {
    super(cluster, id, props, Longhorn.placement);
    const d = Diagnostics.of(this);
    const selector = props.nodeSelector ?? {};
    const dataNodes = cluster.schedulableNodes.filter((n) => matches(n, selector));
    if (dataNodes.length === 0 && cluster.schedulableNodes.length > 0) {
      d.error(this, 'nodeSelector', `no schedulable node of cluster '${cluster.name}' has the labels ${JSON.stringify(selector)}`, 'label the storage nodes in the cluster model, or change nodeSelector');
    }
    const storageNodes = Math.max(dataNodes.length, 1);
    this.replicas = props.replicas ?? Math.min(storageNodes, 3);
    if (!Number.isInteger(this.replicas) || this.replicas < 1) {
      d.error(this, 'replicas', `replica count ${this.replicas} is not a positive whole number`, 'set replicas to 1, 2 or 3');
    } else if (this.replicas > storageNodes) {
      d.error(this, 'replicas', `${this.replicas} replicas need ${this.replicas} storage nodes, but only ${dataNodes.length} match (${dataNodes.map((n) => n.name).join(', ') || 'none'}): volumes would stay degraded`, `set replicas to at most ${storageNodes}, or add storage nodes`);
    }
    // The tree's replica check (safety/inputs.ts) leaves this count to the check above.
    recordSelfCheck({ kind: 'replica-count', component: this, count: this.replicas });
    const dataPath = props.dataPath ?? '/var/lib/longhorn/';
    if (!dataPath.startsWith('/')) d.error(this, 'dataPath', `data path '${dataPath}' is not absolute`, "use an absolute host path, e.g. '/var/lib/longhorn/'");
    const backup = props.backup;
    if (backup && !/^nfs:\/\/[^\s/:]+:\/\S*$/.test(backup.target)) {
      d.error(this, 'backup.target', `backup target '${backup.target}' is not an NFS target`, "write it as 'nfs://server:/export/path', e.g. 'nfs://synology.example.com:/volume1/longhorn'");
    }

    const perEngine = (v: number): string => JSON.stringify({ v1: String(v), v2: String(v) });
    const sidecars = Math.min(storageNodes, 3);
    const systemSelector = Object.entries(selector).map(([k, v]) => `${k}:${v}`).join(';');
    const derived: Record<string, unknown> = {
      persistence: {
        createStorageClass: true,
        defaultClass: props.default ?? false,
        defaultClassReplicaCount: this.replicas,
        reclaimPolicy: props.reclaimPolicy ?? 'Retain',
        defaultFsType: 'ext4',
        defaultDataLocality: 'disabled',
        volumeBindingMode: 'Immediate',
      },
      defaultSettings: {
        defaultDataPath: dataPath,
        defaultReplicaCount: perEngine(this.replicas),
        guaranteedInstanceManagerCPU: perEngine(INSTANCE_MANAGER_CPU_PERCENT),
        // A replica per node: with fewer nodes than replicas a volume stays degraded rather than doubling up.
        replicaSoftAntiAffinity: false,
        ...(systemSelector ? { systemManagedComponentsNodeSelector: systemSelector } : {}),
      },
      csi: {
        attacherReplicaCount: sidecars,
        provisionerReplicaCount: sidecars,
        resizerReplicaCount: sidecars,
        snapshotterReplicaCount: sidecars,
      },
      longhornManager: { nodeSelector: { ...selector }, resources: { requests: { ...MANAGER_REQUESTS } } },
      longhornDriver: { nodeSelector: { ...selector } },
      longhornUI: { replicas: Math.min(storageNodes, 2), nodeSelector: { ...selector } },
      ...(backup ? { defaultBackupStore: { backupTarget: backup.target, pollInterval: String(backup.pollIntervalSeconds ?? 300) } } : {}),
    };
    this.release = this.renderChart('longhorn', derived, props.values);

    this.declareWorkloads(dataNodes, selector);
    addNodeRequirements(this, {
      talosExtensions: ['siderolabs/iscsi-tools', 'siderolabs/util-linux-tools'],
      kubeletExtraMounts: [{ destination: trimSlash(dataPath), source: trimSlash(dataPath), type: 'bind', options: ['bind', 'rshared', 'rw'] }],
      hostPackages: ['open-iscsi', 'nfs-client'],
      hostServices: ['iscsid'],
      nodeSelector: selector,
    });
    this.provide(crdGroup('longhorn.io'));
    declareMonitorTarget(this, { kind: 'ServiceMonitor', selector: { matchLabels: { app: 'longhorn-manager' } }, port: 'manager', reason: `'${this.name}' runs Longhorn` });
    declareDashboard(this, 'longhorn-health', LONGHORN_DASHBOARD);
    this.provide(storageClass(this.storageClassName));
    if (props.default) this.provide(DEFAULT_STORAGE_CLASS);

    const snapshot = props.snapshots === false ? undefined : props.snapshots ?? { cron: '0 2 * * *', retain: 7 };
    const backupJob = backup ? backup.schedule ?? { cron: '0 3 * * *', retain: 14 } : undefined;
    if (snapshot) this.recurringJob('snapshot', RecurringJobSpecTask.SNAPSHOT, snapshot, 'snapshots');
    if (backupJob) this.recurringJob('backup', RecurringJobSpecTask.BACKUP, backupJob, 'backup.schedule');
    this.recurringJobs = [...(snapshot ? ['snapshot'] : []), ...(backupJob ? ['backup'] : [])];
  }

  private recurringJob(name: string, task: RecurringJobSpecTask, s: RecurringSchedule, field: string): void {
    const d = Diagnostics.of(this);
    const problem = cronProblem(s.cron, 5);
    if (problem) d.error(this, `${field}.cron`, `'${s.cron}' is not a cron expression Longhorn runs: ${problem}`, "write it like '0 3 * * *' (minute hour day month weekday)");
    if (!Number.isInteger(s.retain) || s.retain < 1) d.error(this, `${field}.retain`, `retain ${s.retain} is not a positive whole number`, 'keep at least 1');
    new RecurringJob(this, `job-${name}`, {
      metadata: { name, namespace: this.namespace },
      spec: { name, task, cron: s.cron, retain: s.retain, concurrency: s.concurrency ?? 1, groups: ['default'], labels: {} },
    });
  }

  /** Only pods whose requests the values set are declared; the chart's other pods request nothing. */
  private declareWorkloads(dataNodes: readonly NodeSpec[], selector: Readonly<Record<string, string>>): void {
    const nodeSelector = { ...selector };
    this.addWorkload({ name: 'longhorn-manager', perNode: true, cpuRequest: MANAGER_REQUESTS.cpu, memoryRequest: MANAGER_REQUESTS.memory, nodeSelector });
    const maxCpu = Math.max(0, ...dataNodes.map((n) => n.cpu));
    const imCpu = `${Math.ceil(maxCpu * 10 * INSTANCE_MANAGER_CPU_PERCENT)}m`;
    // Longhorn sets only a CPU request on instance managers; 1Mi stands for "no memory request".
    this.addWorkload({ name: 'instance-manager', perNode: true, cpuRequest: imCpu, memoryRequest: '1Mi', nodeSelector });
  }
}

function matches(node: NodeSpec, selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => node.labels?.[k] === v);
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
