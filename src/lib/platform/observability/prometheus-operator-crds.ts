import { KUBE_PROMETHEUS_STACK } from '../../../../imports/charts.js';
import { UpstreamCrds, UpstreamCrdsProps, UpstreamCrdsSource } from '../upstream-crds.js';

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

/** Props of {@link PrometheusOperatorCrds}: version {@link PROMETHEUS_OPERATOR_VERSION} and group 'monitoring' by default ({@link PrometheusOperatorCrds.source}). */
export type PrometheusOperatorCrdsProps = UpstreamCrdsProps;

/**
 * The prometheus-operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule…) on their own, applied
 * early from upstream at a pinned tag. Charts that render monitors (cert-manager, CloudNativePG,
 * Traefik…) then depend on these CRDs only, not on kube-prometheus-stack: a failing Grafana or
 * Prometheus no longer stalls TLS and databases, and Traefik + cert-manager + kube-prometheus-stack
 * on their defaults form no dependency cycle. kube-prometheus-stack keeps `crds.enabled: false`.
 *
 * Provides `crdGroup('monitoring.coreos.com')`. Use {@link PrometheusOperatorCrds.ensure} to add it once.
 */
export class PrometheusOperatorCrds extends UpstreamCrds {
  /** The CRDs of `example/prometheus-operator-crd` at {@link PROMETHEUS_OPERATOR_VERSION}, group 'monitoring'; {@link UpstreamCrds.ensure} adds them as `prometheus-operator-crds`. */
  public static readonly source: UpstreamCrdsSource = {
    id: 'prometheus-operator-crds', name: 'prometheus-operator-upstream-crds', apiGroup: 'monitoring.coreos.com',
    url: PROMETHEUS_OPERATOR_REPOSITORY, path: 'example/prometheus-operator-crd', version: PROMETHEUS_OPERATOR_VERSION, group: 'monitoring',
  };
}
