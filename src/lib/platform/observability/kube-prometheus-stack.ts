import { Capability, DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import type { WorkloadFootprint } from '../../estate/footprint.js';
import { addNodeRequirements } from '../../estate/node-requirements.js';
import { parseMemory } from '../../estate/quantity.js';
import { INGRESS, MONITORING, MonitoringProvider } from '../../estate/services.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { controlPlaneScrape, talosMetricsPatch } from './control-plane.js';
import {
  DashboardSource, FLUX_CLUSTER_DASHBOARD, FLUX_CONTROL_PLANE_DASHBOARD, GRAFANA_DASHBOARD, KUBERNETES_VIEWS_GLOBAL, NODE_EXPORTER_FULL, declareDashboard,
} from './dashboards.js';
import { fluxCustomResourceState, fluxStateMetricsRules } from './flux-metrics.js';
import { DerivedMonitors } from './monitors.js';
import { PrometheusOperatorCrds } from './prometheus-operator-crds.js';
import { isDefaultStorageClass } from '../../tree/manifests.js';

/** Requests (and memory limit) of one part of the stack. No CPU limit: throttling hurts more than it protects here. */
export interface StackResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** The parts of kube-prometheus-stack whose resources are set. */
export type StackPart = 'prometheus' | 'alertmanager' | 'grafana' | 'grafanaSidecar' | 'operator' | 'configReloader' | 'kubeStateMetrics' | 'nodeExporter';

/**
 * Requests sized for small nodes (e.g. two 4 GB workers): the whole stack asks for about
 * 0.45 CPU and 1.1 GiB on three nodes, leaving most of a worker for apps.
 */
export const DEFAULT_STACK_RESOURCES: Readonly<Record<StackPart, StackResources>> = {
  prometheus: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '1536Mi' },
  alertmanager: { cpuRequest: '10m', memoryRequest: '48Mi', memoryLimit: '128Mi' },
  grafana: { cpuRequest: '50m', memoryRequest: '160Mi', memoryLimit: '384Mi' },
  grafanaSidecar: { cpuRequest: '10m', memoryRequest: '48Mi', memoryLimit: '96Mi' },
  operator: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '192Mi' },
  configReloader: { cpuRequest: '10m', memoryRequest: '24Mi', memoryLimit: '48Mi' },
  kubeStateMetrics: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '192Mi' },
  nodeExporter: { cpuRequest: '20m', memoryRequest: '32Mi', memoryLimit: '64Mi' },
};

/** Props of {@link KubePrometheusStack}; namespace, group and layer default to {@link KubePrometheusStack.placement}. */
export interface KubePrometheusStackProps extends PlatformProps {
  /** Flux Kustomization timeout: the first install pulls many images. @default '15m' */
  readonly timeout?: string;
  /** How long Prometheus keeps samples. @default '15d' */
  readonly retention?: string;
  /** Size of Prometheus' volume. @default '20Gi' */
  readonly storageSize?: string;
  /**
   * StorageClass of the Prometheus and Alertmanager volumes. Prefer block storage (Longhorn):
   * Prometheus' TSDB is not supported on NFS (a warning says so).
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /** Size of Alertmanager's volume (silences, notification log). @default '1Gi' */
  readonly alertmanagerStorageSize?: string;
  /** Scrape and rule evaluation interval. @default '60s' (half the load of the chart's 30s on small nodes) */
  readonly scrapeInterval?: string;
  /** Resources per part of the stack, merged over {@link DEFAULT_STACK_RESOURCES}. @default DEFAULT_STACK_RESOURCES */
  readonly resources?: Partial<Record<StackPart, StackResources>>;
  /**
   * Existing Secret (keys `admin-user`, `admin-password`) with Grafana's admin credentials.
   * @default - Grafana's chart generates a random password into Secret `<name>-grafana` (read it with kubectl)
   */
  readonly grafanaAdminSecret?: string;
  /**
   * Hostname Grafana is served on (internal exposure through the cluster's ingress), or `false`.
   * @default - `grafana.<cluster domain>` when the cluster has an ingress, else not exposed
   */
  readonly grafanaHostname?: string | false;
  /** More grafana.com/URL dashboards, by name. @default {} */
  readonly extraDashboards?: Record<string, DashboardSource>;
  /** Layer of the derived monitors component (see {@link DerivedMonitors}). @default - the stack's layer */
  readonly monitorsLayer?: Layer;
  /**
   * Who installs the monitoring.coreos.com CRDs. `'separate'`: an early {@link PrometheusOperatorCrds}
   * component (added unless the cluster has one), so charts rendering monitors (cert-manager,
   * CloudNativePG, Traefik…) wait for the CRDs only, never for this release: a failing Grafana
   * stalls nothing else, and no dependency cycle through the stack's own ingress is possible.
   * `'chart'`: the chart's crds subchart, one Flux Kustomization fewer (a layered tree with a fixed
   * count), and every monitor-rendering chart then waits for this whole release.
   * @default 'separate'
   */
  readonly crds?: 'separate' | 'chart';
}

/** Name of the Grafana datasource every provisioned dashboard uses. */
export const PROMETHEUS_DATASOURCE = { name: 'Prometheus', uid: 'prometheus' } as const;

/** Folder (and provider) of the dashboards this construct provisions. */
const DASHBOARD_FOLDER = 'homelab';

/**
 * kube-prometheus-stack (Prometheus Operator, Prometheus, Alertmanager, Grafana,
 * kube-state-metrics, node-exporter). The cluster's MONITORING provider: Prometheus selects every
 * ServiceMonitor, PodMonitor, rule and probe in every namespace, so other components only render
 * their monitors. Derived from the cluster: the volume's StorageClass requirement, the control-plane
 * scrape settings per distribution (Talos: node IPs), kube-proxy off when Cilium replaces it, the
 * Longhorn dashboard when Longhorn runs, Grafana's hostname, and a sibling component holding the
 * monitors for Flux, Longhorn, CloudNativePG and the ingress controller.
 */
export class KubePrometheusStack extends HelmComponent implements MonitoringProvider {
  /** Namespace 'monitoring' (the usual name; Pod Security 'privileged': node-exporter reads the host), group 'monitoring', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'monitoring', podSecurity: 'privileged' }, group: 'monitoring' };
  public readonly component: Component = this;
  /** Prometheus selects monitors without any label (the selectors are empty). */
  public readonly selectorLabels: Record<string, string> = {};
  public readonly retention: string;
  public readonly storageSize: string;
  public readonly storageClassName?: string;
  public readonly scrapeInterval: string;
  public readonly resources: Readonly<Record<StackPart, StackResources>>;
  /** The component holding the derived ServiceMonitors/PodMonitors. */
  public readonly monitors: DerivedMonitors;
  /** Name of Grafana's Service (port 80). */
  public readonly grafanaServiceName: string;
  /** Grafana's hostname once wired (undefined when not exposed). */
  public grafanaHostname?: string;
  /** The HelmRelease, rendered in the finalize phase. */
  public release?: ChartRelease;

  private readonly props: KubePrometheusStackProps;
  /** Whether the chart's crds subchart installs the monitoring CRDs (props.crds 'chart'). */
  private readonly crdsFromChart: boolean;

  constructor(cluster: HomelabCluster, id: string, props: KubePrometheusStackProps = {}) {
    super(cluster, id, props, KubePrometheusStack.placement, { timeout: props.timeout ?? '15m' });
    this.props = props;
    this.retention = props.retention ?? '15d';
    this.storageSize = props.storageSize ?? '20Gi';
    this.storageClassName = props.storageClass;
    this.scrapeInterval = props.scrapeInterval ?? '60s';
    this.resources = { ...DEFAULT_STACK_RESOURCES, ...props.resources };
    this.grafanaServiceName = `${id}-grafana`;
    this.checkProps();
    this.crdsFromChart = (props.crds ?? 'separate') === 'chart';
    if (this.crdsFromChart) {
      this.provide(crdGroup('monitoring.coreos.com'));
    } else {
      // The CRDs come from their own early component, so monitors elsewhere never wait for this release.
      this.require(crdGroup('monitoring.coreos.com'), 'the chart renders ServiceMonitors and PrometheusRules; its CRDs come from prometheus-operator-crds');
      cluster.onPhase('wire', () => PrometheusOperatorCrds.ensure(cluster, { layer: this.layer }));
    }
    const claimed: Capability = this.storageClassName ? storageClass(this.storageClassName) : DEFAULT_STORAGE_CLASS;
    this.require(claimed, 'Prometheus and Alertmanager volumes (claims inside the chart values)');
    cluster.registerService(MONITORING, this, this);
    this.declareWorkloads();
    this.monitors = new DerivedMonitors(cluster, { name: `${id}-monitors`, namespace: this.namespace, group: this.group, layer: props.monitorsLayer ?? this.layer, scrapeInterval: this.scrapeInterval });
    cluster.onPhase('wire', () => this.wireGrafana());
    cluster.onPhase('finalize', () => this.renderRelease());
  }

  /** Dashboards provisioned, by name: the four built-in ones, those components declare ({@link declareDashboard}: Longhorn's when Longhorn runs), then the extras. */
  public dashboards(): Record<string, DashboardSource> {
    const out: Record<string, DashboardSource> = {
      'node-overview': NODE_EXPORTER_FULL,
      'kubernetes-cluster-overview': KUBERNETES_VIEWS_GLOBAL,
      'flux-reconciliation': FLUX_CLUSTER_DASHBOARD,
      'flux-control-plane': FLUX_CONTROL_PLANE_DASHBOARD,
    };
    for (const d of this.cluster.ledger.all(GRAFANA_DASHBOARD)) out[d.name] = d.source;
    return { ...out, ...this.props.extraDashboards };
  }

  /** The Helm values, derived from props and the cluster (valid after the wire phase). */
  public values(): Record<string, unknown> {
    const r = this.resources;
    const scrape = controlPlaneScrape(this.cluster);
    const retentionGiB = Math.floor(((parseMemory(this.storageSize) ?? 0) / 2 ** 30) * 0.85);
    return {
      // Separate: installed by prometheus-operator-crds, so Helm never owns (or deletes) them.
      crds: { enabled: this.crdsFromChart },
      defaultRules: { create: true },
      prometheusOperator: {
        resources: res(r.operator),
        prometheusConfigReloader: { resources: res(r.configReloader) },
      },
      prometheus: {
        prometheusSpec: {
          replicas: 1,
          retention: this.retention,
          // Keep 15% of the volume free, so a full volume never stops ingestion.
          retentionSize: `${Math.max(retentionGiB, 1)}GB`,
          scrapeInterval: this.scrapeInterval,
          evaluationInterval: this.scrapeInterval,
          resources: res(r.prometheus),
          storageSpec: { volumeClaimTemplate: { spec: claimSpec(this.storageSize, this.storageClassName) } },
          // Select every monitor, rule and probe in every namespace: no release label needed.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: {
        enabled: true,
        alertmanagerSpec: {
          replicas: 1,
          retention: '120h',
          resources: res(r.alertmanager),
          storage: { volumeClaimTemplate: { spec: claimSpec(this.props.alertmanagerStorageSize ?? '1Gi', this.storageClassName) } },
        },
      },
      grafana: this.grafanaValues(),
      'kube-state-metrics': {
        resources: res(r.kubeStateMetrics),
        rbac: { extraRules: fluxStateMetricsRules() },
        customResourceState: fluxCustomResourceState(),
      },
      'prometheus-node-exporter': { resources: res(r.nodeExporter) },
      ...scrape.values,
    };
  }

  private grafanaValues(): Record<string, unknown> {
    const dashboards = Object.fromEntries(Object.entries(this.dashboards()).map(([name, src]) => [name, { ...src, datasource: PROMETHEUS_DATASOURCE.name }]));
    const values: Record<string, unknown> = {
      enabled: true,
      defaultDashboardsEnabled: true,
      defaultDashboardsTimezone: 'utc',
      // Dashboards come from Git: nothing to persist, so Grafana stays stateless.
      persistence: { enabled: false },
      resources: res(this.resources.grafana),
      sidecar: {
        resources: res(this.resources.grafanaSidecar),
        datasources: { name: PROMETHEUS_DATASOURCE.name, uid: PROMETHEUS_DATASOURCE.uid },
      },
      dashboardProviders: {
        'dashboardproviders.yaml': {
          apiVersion: 1,
          providers: [{
            name: DASHBOARD_FOLDER, orgId: 1, folder: 'Homelab', type: 'file', disableDeletion: true, editable: false,
            options: { path: `/var/lib/grafana/dashboards/${DASHBOARD_FOLDER}` },
          }],
        },
      },
      dashboards: { [DASHBOARD_FOLDER]: dashboards },
    };
    if (this.props.grafanaAdminSecret) values.admin = { existingSecret: this.props.grafanaAdminSecret, userKey: 'admin-user', passwordKey: 'admin-password' };
    if (this.grafanaHostname) values['grafana.ini'] = { server: { root_url: `https://${this.grafanaHostname}` } };
    return values;
  }

  private wireGrafana(): void {
    if (this.props.grafanaHostname === false) return;
    const ingress = this.cluster.service(INGRESS);
    if (!ingress) {
      if (this.props.grafanaHostname) {
        Diagnostics.of(this).error(this, 'grafanaHostname', `Grafana should be served on '${this.props.grafanaHostname}' but cluster '${this.cluster.name}' has no ingress`, 'add an ingress component to the cluster, or set grafanaHostname: false');
      }
      return;
    }
    const hostname = this.props.grafanaHostname ?? `grafana.${this.cluster.domain}`;
    if (hostname !== this.cluster.domain && !hostname.endsWith(`.${this.cluster.domain}`)) {
      Diagnostics.of(this).error(this, 'grafanaHostname', `'${hostname}' is not inside the cluster domain '${this.cluster.domain}'`, `use a name ending in '.${this.cluster.domain}'`);
      return;
    }
    this.grafanaHostname = hostname;
    ingress.addRoute({ component: this, name: 'grafana', hostname, serviceName: this.grafanaServiceName, servicePort: 80, exposure: 'internal' });
  }

  private renderRelease(): void {
    this.release = new ChartRelease(this, 'chart', { chart: 'kube-prometheus-stack', releaseName: this.name, values: this.values() });
    const scrape = controlPlaneScrape(this.cluster);
    if (this.cluster.distribution === 'talos' && !scrape.scraped) for (const note of scrape.notes) Diagnostics.of(this).warn(this, 'control-plane-metrics', note);
    // Talos binds control-plane metrics to localhost: the machine config must open them.
    const patch = talosMetricsPatch(this.cluster);
    if (patch) addNodeRequirements(this, { talosPatches: [patch] });
    this.warnIfNfs();
  }

  /** Prometheus' TSDB needs a POSIX block filesystem; NFS is unsupported upstream and corrupts it. */
  private warnIfNfs(): void {
    const wanted = this.storageClassName;
    for (const c of this.cluster.components) {
      for (const obj of c.renderedObjects()) {
        const sc = obj.toJson() as Record<string, any>;
        if (sc.kind !== 'StorageClass') continue;
        const matches = wanted ? sc.metadata?.name === wanted : isDefaultStorageClass(sc);
        if (matches && /nfs/i.test(String(sc.provisioner))) {
          Diagnostics.of(this).warn(this, 'prometheus-on-nfs', `Prometheus stores its TSDB on StorageClass '${sc.metadata.name}' (${sc.provisioner}); Prometheus does not support NFS: set storageClass to block storage such as 'longhorn'`);
        }
      }
    }
  }

  private checkProps(): void {
    const d = Diagnostics.of(this);
    if (!/^[0-9]+(ms|s|m|h|d|w|y)$/.test(this.retention)) d.error(this, 'retention', `retention '${this.retention}' is not a Prometheus duration`, "use a number and a unit, e.g. '15d' or '12w'");
    if (!/^[0-9]+(ms|s|m|h)$/.test(this.scrapeInterval)) d.error(this, 'scrapeInterval', `scrapeInterval '${this.scrapeInterval}' is not a duration`, "use e.g. '30s' or '1m'");
    const size = parseMemory(this.storageSize);
    if (size === undefined || size < 2 ** 30) d.error(this, 'storageSize', `storageSize '${this.storageSize}' is not a quantity of at least 1Gi`, "use e.g. '20Gi'");
    const am = this.props.alertmanagerStorageSize;
    if (am !== undefined && parseMemory(am) === undefined) d.error(this, 'alertmanagerStorageSize', `'${am}' is not a storage quantity`, "use e.g. '1Gi'");
    for (const [part, r] of Object.entries(this.resources)) {
      if ((parseMemory(r.memoryRequest) ?? 0) > (parseMemory(r.memoryLimit) ?? Infinity)) {
        d.error(this, `resources.${part}`, `memory request ${r.memoryRequest} is above the limit ${r.memoryLimit}`, 'raise the limit or lower the request');
      }
    }
  }

  private declareWorkloads(): void {
    const r = this.resources;
    const sum = (a: StackResources, b: StackResources): StackResources => ({
      cpuRequest: `${milli(a.cpuRequest) + milli(b.cpuRequest)}m`,
      memoryRequest: `${mebi(a.memoryRequest) + mebi(b.memoryRequest)}Mi`,
      memoryLimit: `${mebi(a.memoryLimit) + mebi(b.memoryLimit)}Mi`,
    });
    const w = (name: string, x: StackResources, extra: Partial<WorkloadFootprint> = {}) => this.addWorkload({ name, cpuRequest: x.cpuRequest, memoryRequest: x.memoryRequest, memoryLimit: x.memoryLimit, ...extra });
    w('prometheus', sum(r.prometheus, r.configReloader));
    w('alertmanager', sum(r.alertmanager, r.configReloader));
    w('grafana', sum(r.grafana, sum(r.grafanaSidecar, r.grafanaSidecar)));
    w('prometheus-operator', r.operator);
    w('kube-state-metrics', r.kubeStateMetrics);
    // node-exporter's image is also built for 32-bit arm (older boards such as a Raspberry Pi 3).
    w('node-exporter', r.nodeExporter, { perNode: true, arch: ['amd64', 'arm64', 'arm'] });
  }
}

/** Chart `resources` block. */
function res(r: StackResources): Record<string, unknown> {
  return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { memory: r.memoryLimit } };
}

/** A volumeClaimTemplate spec; no storageClassName means the cluster default. */
function claimSpec(size: string, storageClassName: string | undefined): Record<string, unknown> {
  return {
    ...(storageClassName ? { storageClassName } : {}),
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: size } },
  };
}

function milli(cpu: string): number {
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Math.round(Number(cpu) * 1000);
}

function mebi(mem: string): number {
  return Math.round((parseMemory(mem) ?? 0) / 2 ** 20);
}
