type Manifest = Record<string, any>;

/** Order in which kinds are listed in a folder: what others need comes first. */
const KIND_ORDER = [
  'Namespace', 'ResourceQuota', 'LimitRange', 'PriorityClass', 'NetworkPolicy', 'CiliumNetworkPolicy',
  'ServiceAccount', 'Secret', 'SecretStore', 'ClusterSecretStore', 'ExternalSecret', 'ConfigMap',
  'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'ClusterRole', 'ClusterRoleBinding',
  'Role', 'RoleBinding', 'HelmRepository', 'OCIRepository', 'GitRepository', 'HelmRelease',
  'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'PodDisruptionBudget',
  'Ingress', 'Gateway', 'HTTPRoute',
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** Sorts manifests by kind order, then kind, namespace and name: stable, readable folders. */
export function sortManifests(objects: readonly Manifest[]): Manifest[] {
  const key = (o: Manifest) => [String(o.metadata?.namespace ?? ''), String(o.metadata?.name ?? '')];
  return [...objects].sort((a, b) =>
    kindRank(a.kind) - kindRank(b.kind)
    || String(a.kind).localeCompare(String(b.kind))
    || key(a)[0].localeCompare(key(b)[0])
    || key(a)[1].localeCompare(key(b)[1]));
}

/**
 * File names for a folder's manifests: `<kind>.yaml` when the kind occurs once,
 * `<kind>-<name>.yaml` otherwise (`<kind>-<namespace>-<name>.yaml` if names repeat). A Flux
 * `Kustomization` is always `kustomization-<name>.yaml`: `kustomization.yaml` is kustomize's own file.
 */
export function manifestFileNames(objects: readonly Manifest[]): string[] {
  const kindCount = new Map<string, number>();
  for (const o of objects) kindCount.set(o.kind, (kindCount.get(o.kind) ?? 0) + 1);
  const names = objects.map((o) => {
    const kind = String(o.kind).toLowerCase();
    // kustomization.yaml is the folder's kustomize file: a Flux Kustomization always gets its name appended.
    return kindCount.get(o.kind) === 1 && kind !== 'kustomization' ? `${kind}.yaml` : `${kind}-${o.metadata?.name}.yaml`;
  });
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n)
    ? `${String(objects[i].kind).toLowerCase()}-${objects[i].metadata?.namespace ?? 'cluster'}-${objects[i].metadata?.name}.yaml`
    : n));
}

/** A kustomize `kustomization.yaml` body listing `resources` in the given order. */
export function kustomizeFile(resources: readonly string[]): Manifest {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] };
}
