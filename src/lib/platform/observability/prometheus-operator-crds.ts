import { KUBE_PROMETHEUS_STACK } from '../../../../imports/charts.js';
import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { upstreamManifests } from '../../flux/upstream-manifests.js';

/** Upstream repository of prometheus-operator (its CRDs live in `example/prometheus-operator-crd`). */
export const PROMETHEUS_OPERATOR_REPOSITORY = 'https://github.com/prometheus-operator/prometheus-operator';

/**
 * prometheus-operator release whose CRDs are installed: the operator kube-prometheus-stack runs (the
 * chart's appVersion), so a Renovate bump of the chart moves the CRDs with it and nothing is pinned twice.
 */
export const PROMETHEUS_OPERATOR_VERSION: string = operatorVersion();

function operatorVersion(): string {
  const v = KUBE_PROMETHEUS_STACK.appVersion;
  // Generated data (npm run import): a chart without appVersion is an import bug, not user input.
  if (!v) throw new Error('imports/charts.ts: kube-prometheus-stack declares no appVersion; rerun npm run import');
  return v;
}

export interface PrometheusOperatorCrdsProps {
  /** prometheus-operator release (a Git tag of the upstream repository). @default PROMETHEUS_OPERATOR_VERSION */
  readonly version?: string;
  /** How often Flux re-applies the CRDs. @default '1h' */
  readonly interval?: string;
  /** @default 'monitoring' */
  readonly group?: string;
  /** @default 'platform' */
  readonly layer?: Layer;
}

/** Name of the GitRepository and Flux Kustomization this component renders. */
const UPSTREAM_NAME = 'prometheus-operator-upstream-crds';

/**
 * The prometheus-operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule…) on their own, applied
 * early from upstream at a pinned tag. Charts that render monitors (cert-manager, CloudNativePG,
 * Traefik…) then depend on these CRDs only, not on kube-prometheus-stack: a failing Grafana or
 * Prometheus no longer stalls TLS and databases, and Traefik + cert-manager + kube-prometheus-stack
 * on their defaults form no dependency cycle. kube-prometheus-stack keeps `crds.enabled: false`.
 *
 * Provides `crdGroup('monitoring.coreos.com')`. Use {@link PrometheusOperatorCrds.ensure} to add it once.
 */
export class PrometheusOperatorCrds extends Component {
  /** The component providing the prometheus-operator CRDs, created if the cluster has none yet (call it from a `wire` hook). */
  public static ensure(cluster: HomelabCluster, props: PrometheusOperatorCrdsProps = {}): Component {
    const existing = cluster.components.find((c) => c.provides.has(crdGroup('monitoring.coreos.com')));
    return existing ?? new PrometheusOperatorCrds(cluster, 'prometheus-operator-crds', props);
  }

  public readonly version: string;

  constructor(cluster: HomelabCluster, id: string, props: PrometheusOperatorCrdsProps = {}) {
    super(cluster, { name: id, namespace: 'flux-system', group: props.group ?? 'monitoring', layer: props.layer });
    this.version = props.version ?? PROMETHEUS_OPERATOR_VERSION;
    upstreamManifests(this, { name: UPSTREAM_NAME, url: PROMETHEUS_OPERATOR_REPOSITORY, tag: this.version, path: 'example/prometheus-operator-crd', interval: props.interval });
    this.provide(crdGroup('monitoring.coreos.com'));
  }
}
