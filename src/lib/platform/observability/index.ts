/** Observability: kube-prometheus-stack with derived monitors and dashboards, InfluxDB. */
export * from './control-plane.js';
export * from './dashboards.js';
export * from './flux-metrics.js';
export * from './influxdb.js';
export * from './kube-prometheus-stack.js';
export * from './monitors.js';
export * from './prometheus-operator-crds.js';
