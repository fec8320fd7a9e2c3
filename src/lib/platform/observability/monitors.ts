import { ApiObject } from 'cdk8s';
import { PodMonitor, PodMonitorSpecPodMetricsEndpointsScheme, ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../../../imports/monitoring.coreos.com.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { INGRESS, IngressProvider } from '../../estate/services.js';
import { FLUX_COMPONENTS } from '../../flux/bootstrap.js';
import { FactKind } from '../../model/ledger.js';

/** One scrape target derived from what the cluster runs. */
export interface MonitorTarget {
  /** Monitor object name (the name of the component it scrapes, or `flux-controllers`). */
  readonly name: string;
  readonly kind: 'PodMonitor' | 'ServiceMonitor';
  /** Namespace of the pods or Services scraped. */
  readonly targetNamespace: string;
  /** Label selector of the pods (PodMonitor) or Services (ServiceMonitor). */
  readonly selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: 'In'; values: string[] }[] };
  /** Named container port (PodMonitor) or Service port (ServiceMonitor) serving `/metrics`. */
  readonly port: string;
  /** Why the target exists, for the README and reviewers. */
  readonly reason: string;
}

/** A scrape target a component declares for its own pods (see {@link declareMonitorTarget}), owned by that component. */
export const MONITOR_TARGET = new FactKind<MonitorTarget>('monitor-target');

/**
 * Declares that `component` runs pods worth scraping (an operator's or manager's metrics): the
 * cluster's derived monitors render `target` when the cluster has metrics collection, unless the
 * component renders or enables a monitor of its own. The target is named after the component and
 * scrapes its namespace.
 */
export function declareMonitorTarget(component: Component, target: Pick<MonitorTarget, 'kind' | 'selector' | 'port' | 'reason'>): void {
  const fact: MonitorTarget = { name: component.name, kind: target.kind, targetNamespace: component.namespace, selector: target.selector, port: target.port, reason: target.reason };
  component.cluster.ledger.record(MONITOR_TARGET, fact, component);
}

/**
 * True when a component already declares its own scrape configuration: it renders a
 * ServiceMonitor/PodMonitor, or enables one in its chart values. Then no monitor is derived for
 * it, so nothing is scraped twice.
 */
export function declaresOwnMonitor(component: Component): boolean {
  for (const obj of component.renderedObjects()) {
    const json = obj.toJson() as Record<string, any>;
    if (String(json.apiVersion).startsWith('monitoring.coreos.com/') && (json.kind === 'ServiceMonitor' || json.kind === 'PodMonitor')) return true;
    if (json.kind === 'HelmRelease' && enablesMonitor(json.spec?.values)) return true;
  }
  return false;
}

function enablesMonitor(values: unknown): boolean {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return false;
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    if (/^(serviceMonitor|podMonitor)$/.test(key) && (value as { enabled?: unknown })?.enabled === true) return true;
    if (/^(serviceMonitor|podMonitor)Enabled$/.test(key) && value === true) return true;
    if (enablesMonitor(value)) return true;
  }
  return false;
}

/**
 * Every scrape target the cluster needs beyond what kube-prometheus-stack scrapes itself:
 * the Flux controllers (always), the targets components declare for themselves
 * ({@link declareMonitorTarget}: Longhorn's manager, CloudNativePG's operator…), and the cluster's
 * ingress controller (asked of the provider). Call it in the finalize phase, when every component
 * and service is known.
 */
export function deriveMonitorTargets(cluster: HomelabCluster): { targets: MonitorTarget[]; gaps: string[] } {
  const targets: MonitorTarget[] = [{
    name: 'flux-controllers',
    kind: 'PodMonitor',
    targetNamespace: 'flux-system',
    selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [...FLUX_COMPONENTS] }] },
    port: 'http-prom',
    reason: 'Flux controllers run in every cluster',
  }];
  const gaps: string[] = [];
  const add = (t: MonitorTarget, owner: Component): void => {
    if (!declaresOwnMonitor(owner)) targets.push(t);
  };
  for (const c of cluster.components) for (const t of cluster.ledger.of(MONITOR_TARGET, c)) add(t, c);
  const ingress = cluster.service(INGRESS);
  if (ingress) {
    const target = ingressTarget(ingress);
    if (typeof target === 'string') gaps.push(target);
    else add(target, ingress.component);
  }
  return { targets: dedupe(targets), gaps };
}

/** The ingress's PodMonitor target, asked of the provider ({@link IngressProvider.metricsPort}), or why there is none. */
function ingressTarget(ingress: IngressProvider): MonitorTarget | string {
  const port = ingress.metricsPort?.();
  const name = ingress.component.name;
  if (port === undefined) return `no metrics monitor is known for ingress implementation '${ingress.implementation}'; add a ServiceMonitor for it by hand`;
  if (port === false) return `the ingress controller '${name}' does not expose metrics (ingress-nginx: set controller.metrics.enabled: true), so it is not scraped`;
  if (Object.keys(ingress.proxyPeer.podLabels).length === 0) return `the ingress controller '${name}' declares no pod labels, so it cannot be selected for scraping`;
  return { name, kind: 'PodMonitor', targetNamespace: ingress.proxyPeer.namespace, selector: { matchLabels: { ...ingress.proxyPeer.podLabels } }, port, reason: `'${name}' is the cluster's ingress (${ingress.implementation})` };
}

function dedupe(targets: MonitorTarget[]): MonitorTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.kind}/${t.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface DerivedMonitorsProps {
  /** Component name. */
  readonly name: string;
  /** Namespace the monitor objects live in (Prometheus selects monitors in every namespace). */
  readonly namespace: string;
  /** @default 'monitoring' */
  readonly group?: string;
  /** Layer in the layered layout (synth applies the monitors after the CRDs either way). @default 'platform' */
  readonly layer?: Layer;
  /** Scrape interval of the derived monitors. @default '60s' */
  readonly scrapeInterval?: string;
}

/**
 * The ServiceMonitors and PodMonitors derived from the cluster (see {@link deriveMonitorTargets}),
 * in their own component so that they are applied after the monitoring.coreos.com CRDs
 * (prometheus-operator-crds) and kube-prometheus-stack's namespace exist (the dependsOn is derived
 * from those objects).
 */
export class DerivedMonitors extends Component {
  /** Targets rendered, known after the finalize phase. */
  public targets: readonly MonitorTarget[] = [];
  public readonly scrapeInterval: string;

  constructor(cluster: HomelabCluster, props: DerivedMonitorsProps) {
    super(cluster, { name: props.name, namespace: props.namespace, group: props.group ?? 'monitoring', layer: props.layer ?? 'platform' });
    this.scrapeInterval = props.scrapeInterval ?? '60s';
    cluster.onPhase('finalize', () => this.render());
  }

  private render(): void {
    const { targets, gaps } = deriveMonitorTargets(this.cluster);
    for (const gap of gaps) Diagnostics.of(this).warn(this, 'monitor-gap', gap);
    this.targets = targets;
    for (const t of targets) this.renderTarget(t);
  }

  private renderTarget(t: MonitorTarget): ApiObject {
    const metadata = {
      name: t.name,
      namespace: this.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-homelab', 'app.kubernetes.io/component': 'monitoring' },
    };
    const namespaceSelector = { matchNames: [t.targetNamespace] };
    if (t.kind === 'PodMonitor') {
      return new PodMonitor(this, `monitor-${t.name}`, {
        metadata,
        spec: { namespaceSelector, selector: t.selector, podMetricsEndpoints: [{ port: t.port, interval: this.scrapeInterval, path: '/metrics', scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP }] },
      });
    }
    return new ServiceMonitor(this, `monitor-${t.name}`, {
      metadata,
      spec: { namespaceSelector, selector: t.selector, endpoints: [{ port: t.port, interval: this.scrapeInterval, path: '/metrics', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }] },
    });
  }
}
