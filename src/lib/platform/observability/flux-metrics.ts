/**
 * kube-state-metrics configuration that turns Flux objects into the `gotk_resource_info` metric
 * (name, namespace, Ready status, suspended, revision), which the Flux cluster dashboard reads.
 * Flux controllers no longer export per-object readiness themselves.
 */

/** The Flux kinds reported, with the field holding the revision they last applied or fetched. */
const FLUX_KINDS: readonly { group: string; version: string; kind: string; resource: string; revision: string[] }[] = [
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', resource: 'kustomizations', revision: ['status', 'lastAppliedRevision'] },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', resource: 'helmreleases', revision: ['status', 'lastAttemptedRevision'] },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', resource: 'gitrepositories', revision: ['status', 'artifact', 'revision'] },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', resource: 'helmrepositories', revision: ['status', 'artifact', 'revision'] },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'OCIRepository', resource: 'ocirepositories', revision: ['status', 'artifact', 'revision'] },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmChart', resource: 'helmcharts', revision: ['status', 'artifact', 'revision'] },
];

/** `kube-state-metrics.customResourceState` values: one `gotk_resource_info` metric per Flux kind. */
export function fluxCustomResourceState(): Record<string, unknown> {
  return {
    enabled: true,
    config: {
      kind: 'CustomResourceStateMetrics',
      spec: {
        resources: FLUX_KINDS.map((k) => ({
          groupVersionKind: { group: k.group, version: k.version, kind: k.kind },
          metricNamePrefix: 'gotk',
          metricNamePrefixIsOverride: false,
          metrics: [{
            name: 'resource_info',
            help: `The current state of a Flux ${k.kind}.`,
            each: { type: 'Info', info: { labelsFromPath: { name: ['metadata', 'name'] } } },
            labelsFromPath: {
              exported_namespace: ['metadata', 'namespace'],
              ready: ['status', 'conditions', '[type=Ready]', 'status'],
              suspended: ['spec', 'suspend'],
              revision: k.revision,
            },
          }],
        })),
      },
    },
  };
}

/** RBAC kube-state-metrics needs to list and watch the Flux kinds above. */
export function fluxStateMetricsRules(): Record<string, unknown>[] {
  const groups = [...new Set(FLUX_KINDS.map((k) => k.group))];
  return groups.map((group) => ({
    apiGroups: [group],
    resources: FLUX_KINDS.filter((k) => k.group === group).map((k) => k.resource),
    verbs: ['list', 'watch'],
  }));
}
