import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { MONITORING } from '../../estate/services.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { declareMonitorTarget } from '../observability/monitors.js';

/** Props of {@link CloudNativePg}; namespace, group and layer default to {@link CloudNativePg.placement}. */
export interface CloudNativePgProps extends PlatformProps {
  /** Operator replicas (leader-elected; more only shorten failover of the operator itself). @default 1 */
  readonly replicas?: number;
  /** @default '50m' */
  readonly cpuRequest?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** @default '512Mi' */
  readonly memoryLimit?: string;
  /**
   * Let the chart render a PodMonitor for the operator.
   * @default - true when the cluster has metrics collection (MONITORING service)
   */
  readonly podMonitor?: boolean;
}

/**
 * The CloudNativePG operator (chart `cloudnative-pg`), cluster-wide, with its CRDs. Provides the
 * `postgresql.cnpg.io` API group, so every component rendering a `Cluster`, `Database` or
 * `ScheduledBackup` depends on it (derived).
 */
export class CloudNativePg extends HelmComponent {
  /** Namespace 'cnpg-system' (Pod Security 'restricted'; the Barman Cloud plugin must share it), group 'databases', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'cnpg-system', podSecurity: 'restricted' }, group: 'databases' };
  /** The cluster's CloudNativePG operator, if it has one. */
  public static find(cluster: HomelabCluster): CloudNativePg | undefined {
    return cluster.components.find((c): c is CloudNativePg => c instanceof CloudNativePg);
  }

  constructor(cluster: HomelabCluster, id: string, props: CloudNativePgProps = {}) {
    super(cluster, id, props, CloudNativePg.placement);
    this.provide(crdGroup('postgresql.cnpg.io'));
    declareMonitorTarget(this, { kind: 'PodMonitor', selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } }, port: 'metrics', reason: `'${this.name}' runs the CloudNativePG operator` });
    const replicas = props.replicas ?? 1;
    const resources = {
      requests: { cpu: props.cpuRequest ?? '50m', memory: props.memoryRequest ?? '128Mi' },
      limits: { memory: props.memoryLimit ?? '512Mi' },
    };
    this.addWorkload({ name: 'cnpg-controller-manager', replicas, cpuRequest: resources.requests.cpu, memoryRequest: resources.requests.memory, memoryLimit: resources.limits.memory });
    // The PodMonitor depends on whether the cluster collects metrics: decided once every component is declared.
    cluster.onPhase('wire', () => {
      const monitoring = cluster.service(MONITORING);
      const podMonitor = props.podMonitor ?? monitoring !== undefined;
      if (podMonitor) this.require(crdGroup('monitoring.coreos.com'), 'the chart renders a PodMonitor for the operator');
      new ChartRelease(this, 'chart', {
        chart: 'cloudnative-pg',
        values: {
          replicaCount: replicas,
          crds: { create: true },
          config: { clusterWide: true },
          resources,
          monitoring: {
            podMonitorEnabled: podMonitor,
            podMonitorAdditionalLabels: { ...(podMonitor ? monitoring?.selectorLabels : {}) },
            grafanaDashboard: { create: false },
          },
        },
      });
    });
  }
}
