/**
 * Reading rendered manifests: which objects hold data, where a workload's pod template is, how to
 * walk Helm values, and how to name an object in messages and acknowledgements. The other files of
 * tree/ read routes, LoadBalancer addresses, charts and workloads; checks and docs use these
 * accessors instead of reading objects field by field themselves.
 */

export type Manifest = Record<string, any>;

/** Flux's annotation that keeps an object when its Kustomization prunes. */
export const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';

/**
 * Annotation on a workload (or its pod template) explaining why it needs root, privileges or host
 * namespaces; with it the policy lint accepts the workload. @example 'node exporter reads /proc of the host'
 */
export const SECURITY_REASON_ANNOTATION = 'homelab.arpa/security-reason';

/** API group of an apiVersion (`''` for core). */
export function apiGroup(o: Manifest): string {
  const v = String(o.apiVersion ?? '');
  return v.includes('/') ? v.split('/')[0] : '';
}

/** `Kind/namespace/name`, or `Kind/name` for objects without a namespace: how acknowledgements name objects. */
export function objectKey(o: Manifest): string {
  const ns = o.metadata?.namespace;
  return ns ? `${o.kind}/${ns}/${o.metadata?.name}` : `${o.kind}/${o.metadata?.name}`;
}

/** Identity used to match objects between two trees: group, kind, namespace and name. */
export function identityOf(o: Manifest): string {
  return `${apiGroup(o)}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
}

/** Human wording: `PersistentVolumeClaim 'apps/jellyfin-config'`. */
export function describeObject(o: Manifest): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} '${ns ? `${ns}/` : ''}${o.metadata?.name}'`;
}

export function isKustomizeFile(o: Manifest): boolean {
  return o.apiVersion === 'kustomize.config.k8s.io/v1beta1';
}

export const isPvc = (o: Manifest): boolean => o.kind === 'PersistentVolumeClaim' && o.apiVersion === 'v1';
export const isCnpgCluster = (o: Manifest): boolean => o.kind === 'Cluster' && apiGroup(o) === 'postgresql.cnpg.io';
export const isLonghornVolume = (o: Manifest): boolean => o.kind === 'Volume' && apiGroup(o) === 'longhorn.io';
export const isLonghornBackupTarget = (o: Manifest): boolean => o.kind === 'BackupTarget' && apiGroup(o) === 'longhorn.io';
export const isStatefulSetWithClaims = (o: Manifest): boolean =>
  o.kind === 'StatefulSet' && apiGroup(o) === 'apps' && (o.spec?.volumeClaimTemplates ?? []).length > 0;

/**
 * Objects whose deletion deletes user data, so Flux must never prune them: claims, CNPG clusters
 * and Longhorn volumes. (A StatefulSet keeps its claims when deleted, so it is guarded at synth only.)
 */
export function isPruneProtectedData(o: Manifest): boolean {
  return isPvc(o) || isCnpgCluster(o) || isLonghornVolume(o);
}

/** Objects the data-loss guard refuses to drop without an acknowledgement (namespaces and StorageClasses are contextual). */
export function holdsData(o: Manifest): boolean {
  return isPruneProtectedData(o) || isStatefulSetWithClaims(o) || isLonghornBackupTarget(o);
}

/** StorageClass names an object claims: `undefined` stands for the cluster default. */
export function claimedStorageClasses(o: Manifest): (string | undefined)[] {
  if (isPvc(o)) return o.spec?.volumeName && !o.spec?.storageClassName ? [] : [o.spec?.storageClassName];
  if (isStatefulSetWithClaims(o)) return o.spec.volumeClaimTemplates.map((t: Manifest) => t.spec?.storageClassName);
  if (isCnpgCluster(o)) return [o.spec?.storage?.storageClass, ...(o.spec?.walStorage ? [o.spec.walStorage.storageClass] : [])];
  return [];
}

/** A pod template inside a workload, with where it sits in the object (for error fields). */
export interface PodTemplateRef {
  readonly spec: Manifest;
  readonly metadata: Manifest;
  /** Field path of the pod spec, e.g. `spec.template.spec`. */
  readonly at: string;
}

/** Workload kinds whose pods the checks look at. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** The pod template of a workload object, or `undefined` for other objects. */
export function podTemplateOf(o: Manifest): PodTemplateRef | undefined {
  if (!WORKLOAD_KINDS.has(o.kind)) return undefined;
  const group = apiGroup(o);
  if (o.kind === 'Pod' && group === '') return o.spec ? { spec: o.spec, metadata: o.metadata ?? {}, at: 'spec' } : undefined;
  if (o.kind === 'CronJob' && group === 'batch') {
    const t = o.spec?.jobTemplate?.spec?.template;
    return t?.spec ? { spec: t.spec, metadata: t.metadata ?? {}, at: 'spec.jobTemplate.spec.template.spec' } : undefined;
  }
  if (group !== 'apps' && group !== 'batch') return undefined;
  const t = o.spec?.template;
  return t?.spec ? { spec: t.spec, metadata: t.metadata ?? {}, at: 'spec.template.spec' } : undefined;
}

/** Every container of a pod spec with its field path (`containers[0]`, `initContainers[1]`). */
export function containersOf(spec: Manifest): { container: Manifest; at: string; init: boolean }[] {
  return [
    ...(spec.initContainers ?? []).map((c: Manifest, i: number) => ({ container: c, at: `initContainers[${i}]`, init: true })),
    ...(spec.containers ?? []).map((c: Manifest, i: number) => ({ container: c, at: `containers[${i}]`, init: false })),
  ];
}

/** The security reason a workload gives (annotation on the object or its pod template), if any. */
export function securityReason(o: Manifest, template?: PodTemplateRef): string | undefined {
  const r = o.metadata?.annotations?.[SECURITY_REASON_ANNOTATION] ?? template?.metadata?.annotations?.[SECURITY_REASON_ANNOTATION];
  return typeof r === 'string' && r.trim() !== '' ? r : undefined;
}

/** Calls `visit` on `value` and every value below it (arrays and objects), with its field path from `path`. */
export function walkValues(value: unknown, path: string, visit: (path: string, value: unknown, parent: Record<string, unknown> | undefined) => void, parent?: Record<string, unknown>): void {
  visit(path, value, parent);
  if (Array.isArray(value)) value.forEach((v, i) => walkValues(v, `${path}[${i}]`, visit, undefined));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkValues(v, `${path}.${k}`, visit, value as Record<string, unknown>);
}

/** Whether an object carries Flux's `prune: disabled` (Flux never deletes it). */
export function isPruneProtected(o: Manifest): boolean {
  return o.metadata?.annotations?.[PRUNE_ANNOTATION] === 'disabled';
}

/** The Pod Security level a Namespace enforces (its `pod-security.kubernetes.io/enforce` label), if set. */
export function enforcedPodSecurity(ns: Manifest): string | undefined {
  return ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
}

/** Whether `o` is a StorageClass marked the cluster default. */
export function isDefaultStorageClass(o: Manifest): boolean {
  return o.kind === 'StorageClass' && o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
}
