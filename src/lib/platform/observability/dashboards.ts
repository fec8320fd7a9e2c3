/**
 * Grafana dashboards provisioned by kube-prometheus-stack's Grafana, pinned: grafana.com
 * dashboards by ID and revision, the Flux dashboards by the commit of the repository that
 * publishes them. Grafana's chart downloads them at start-up (an init container), so no
 * dashboard JSON lives in this repository.
 */
import type { Component } from '../../estate/component.js';
import { FactKind } from '../../model/ledger.js';

/** A dashboard Grafana's chart downloads: from grafana.com by ID and revision, or from a pinned URL. */
export type DashboardSource =
  | { readonly gnetId: number; readonly revision: number }
  | { readonly url: string };

/** Node overview (Node Exporter Full): CPU, memory, disks, network of every node, Talos included. */
// renovate: datasource=custom.grafana-dashboards depName=1860
export const NODE_EXPORTER_FULL: DashboardSource = { gnetId: 1860, revision: 42 };

/** Kubernetes cluster overview (Kubernetes / Views / Global). */
// renovate: datasource=custom.grafana-dashboards depName=15757
export const KUBERNETES_VIEWS_GLOBAL: DashboardSource = { gnetId: 15757, revision: 43 };

/** Longhorn health (Longhorn example dashboard): volumes, nodes, disks, robustness. */
// renovate: datasource=custom.grafana-dashboards depName=13032
export const LONGHORN_DASHBOARD: DashboardSource = { gnetId: 13032, revision: 6 };

/** Commit of fluxcd/flux2-monitoring-example whose Flux dashboards are provisioned. */
// renovate: datasource=git-refs depName=https://github.com/fluxcd/flux2-monitoring-example
export const FLUX_MONITORING_EXAMPLE_COMMIT = '7ab65dc8b90f7a6751d88f18bbb4e1bee33bf334';

const fluxDashboard = (file: string): DashboardSource => ({
  url: `https://raw.githubusercontent.com/fluxcd/flux2-monitoring-example/${FLUX_MONITORING_EXAMPLE_COMMIT}/monitoring/configs/dashboards/${file}`,
});

/** Flux reconciliation status (Flux / Cluster): Ready/suspended state of every Flux object (needs kube-state-metrics' Flux custom resource metrics). */
export const FLUX_CLUSTER_DASHBOARD = fluxDashboard('cluster.json');

/** Flux controllers (Flux / Control Plane): reconcile rates, durations and errors per controller. */
export const FLUX_CONTROL_PLANE_DASHBOARD = fluxDashboard('control-plane.json');

/** A dashboard a component asks the cluster's Grafana to provision (see {@link declareDashboard}). */
export interface DashboardFact {
  /** Name under Grafana's dashboard folder, e.g. `longhorn-health`. */
  readonly name: string;
  readonly source: DashboardSource;
}

/** Dashboards components declare for what they run, owned by the declaring component. */
export const GRAFANA_DASHBOARD = new FactKind<DashboardFact>('grafana-dashboard');

/** Declares that the cluster's Grafana (kube-prometheus-stack, when the cluster has one) should provision `source` as `name`. */
export function declareDashboard(component: Component, name: string, source: DashboardSource): void {
  component.cluster.ledger.record(GRAFANA_DASHBOARD, { name, source }, component);
}
