import { NETWORK_POLICY_ENFORCEMENT } from '../estate/capabilities.js';
import { INGRESS_NGINX } from '../../../imports/charts.js';
import { HomelabCluster } from '../estate/cluster.js';
import { ChartRelease } from '../flux/helm-release.js';
import type { Component } from '../estate/component.js';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { componentIndex } from '../tree/components.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { apiGroup, containersOf, enforcedPodSecurity, isCnpgCluster, Manifest, podTemplateOf, SECURITY_REASON_ANNOTATION, securityReason } from '../tree/manifests.js';
import { unbindableLowPorts } from './low-ports.js';
import { Reporter } from './report.js';

/**
 * Policy lint: practices that are not errors but deserve a look. Each rule has a stable code,
 * documented in docs/policy-lint.md; synth prints them as warnings and `--strict` fails on them
 * unless the cluster accepts the code (`acceptedWarnings`) with a reason.
 */
export const POLICY_RULES = {
  'pss-labels-missing': 'Namespace without Pod Security Admission labels',
  'privileged-without-reason': 'privileged container or host namespaces without a stated reason',
  'runs-as-root': 'container that may run as root without a stated reason',
  'missing-requests': 'container without CPU or memory requests',
  'network-policy-missing': 'sensitive namespace without any NetworkPolicy',
  'network-policy-not-enforced': 'NetworkPolicies in a cluster whose CNI does not enforce them',
  'cluster-admin-binding': 'subject bound to cluster-admin',
  'ingress-nginx-retired': 'ingress-nginx in use (retired upstream)',
  'etcd-even-control-planes': 'an even number of control-plane nodes (etcd gains no fault tolerance)',
  'longhorn-single-replica': 'Longhorn volumes with one replica on a multi-node cluster',
  'database-without-backup': 'CloudNativePG cluster with no backup configured anywhere',
  'storage-reclaim-delete': 'StorageClass deleting volumes when their claim is deleted',
  'low-port-unbindable': 'container listening below 1024 without the means to bind it',
} as const;

export type PolicyCode = keyof typeof POLICY_RULES;

/** Runs every policy rule on one cluster's rendered tree. */
export function lintCluster(tree: ClusterTree): void {
  const r = new Reporter(tree.cluster);
  const manifests = tree.manifests.filter((m) => m.object.apiVersion !== 'kustomize.config.k8s.io/v1beta1');
  lintNamespaces(manifests, r);
  lintWorkloads(manifests, r);
  lintNetworkPolicies(tree.cluster, manifests, r);
  lintClusterAdmin(manifests, r);
  lintIngressNginx(tree.cluster, manifests, r);
  lintControlPlane(tree.cluster, r);
  lintLonghorn(tree.cluster, manifests, r);
  lintDatabases(manifests, r);
  lintReclaim(manifests, r);
}

function lintNamespaces(manifests: RenderedManifest[], r: Reporter): void {
  for (const m of manifests.filter((x) => x.object.kind === 'Namespace' && x.object.apiVersion === 'v1')) {
    if (!enforcedPodSecurity(m.object)) {
      r.warn(m, 'pss-labels-missing', `Namespace '${m.object.metadata?.name}' has no pod-security.kubernetes.io/enforce label, so any pod, even privileged, is admitted`);
    }
  }
}

function lintWorkloads(manifests: RenderedManifest[], r: Reporter): void {
  for (const m of manifests) {
    const t = podTemplateOf(m.object);
    if (!t) continue;
    const what = `${m.object.kind} '${m.object.metadata?.name}'`;
    const reason = securityReason(m.object, t);
    const pod = t.spec;
    const hostNs = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => pod[k] === true);
    const privileged = containersOf(pod).filter(({ container }) => container.securityContext?.privileged === true).map(({ at }) => at);
    if (!reason && (hostNs.length > 0 || privileged.length > 0)) {
      r.warn(m, 'privileged-without-reason', `${what} uses ${[...hostNs, ...privileged.map((c) => `privileged ${c}`)].join(', ')} without saying why; add the annotation ${SECURITY_REASON_ANNOTATION} with the reason, or drop the privilege`);
    }
    const root = containersOf(pod).filter(({ container }) => mayRunAsRoot(pod.securityContext ?? {}, container.securityContext ?? {})).map(({ at }) => at);
    if (!reason && root.length > 0) {
      r.warn(m, 'runs-as-root', `${what}: ${root.join(', ')} may run as root (no runAsNonRoot: true or non-zero runAsUser); set them, or add the annotation ${SECURITY_REASON_ANNOTATION} with the reason`);
    }
    for (const line of reason ? [] : unbindableLowPorts(pod)) r.warn(m, 'low-port-unbindable', `${what}: ${line}, or state the reason in ${SECURITY_REASON_ANNOTATION}`);
    const missing = containersOf(pod).filter(({ container, init }) => !init && (container.resources?.requests?.cpu === undefined || container.resources?.requests?.memory === undefined)).map(({ at }) => at);
    if (missing.length > 0) {
      r.warn(m, 'missing-requests', `${what}: ${missing.join(', ')} set no CPU or memory request, so the scheduler and the capacity check count it as free`);
    }
  }
}

/** Root unless runAsNonRoot is true or runAsUser is a non-zero uid (container settings override the pod's). */
function mayRunAsRoot(pod: Manifest, container: Manifest): boolean {
  const user = container.runAsUser ?? pod.runAsUser;
  const nonRoot = container.runAsNonRoot ?? pod.runAsNonRoot;
  if (user === 0) return true;
  if (typeof user === 'number' && user > 0) return false;
  return nonRoot !== true;
}

/** Namespaces the cluster marks sensitive: its list plus, with default-deny on, every namespace of an apps component. */
export function sensitiveNamespaces(cluster: HomelabCluster): Set<string> {
  const out = new Set(cluster.sensitiveNamespaces);
  if (cluster.defaultDenyNetworkPolicies) for (const c of cluster.components) if (c.layer === 'apps' && !BUILTIN_NAMESPACES.has(c.namespace)) out.add(c.namespace);
  return out;
}

function lintNetworkPolicies(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const fenced = new Set(manifests
    .filter((m) => (m.object.kind === 'NetworkPolicy' && apiGroup(m.object) === 'networking.k8s.io') || (m.object.kind === 'CiliumNetworkPolicy' && apiGroup(m.object) === 'cilium.io'))
    .map((m) => m.object.metadata?.namespace));
  const namespaces = new Map(manifests.filter((m) => m.object.kind === 'Namespace').map((m) => [String(m.object.metadata?.name), m]));
  const clusterwide = manifests.some((m) => m.object.kind === 'CiliumClusterwideNetworkPolicy');
  const enforced = cluster.builtins.has(NETWORK_POLICY_ENFORCEMENT) || cluster.components.some((c) => c.provides.has(NETWORK_POLICY_ENFORCEMENT));
  const policies = manifests.filter((m) => m.object.kind === 'NetworkPolicy' && apiGroup(m.object) === 'networking.k8s.io');
  if (!enforced && policies.length > 0) {
    r.warn(policies[0], 'network-policy-not-enforced', `${policies.length} NetworkPolicies in cluster '${cluster.name}', but its CNI (${cluster.distribution}'s default) enforces none: the API server accepts them and every pod still accepts traffic from anywhere. Add a CNI component that enforces them (Cilium), or declare the enforcing CNI in the cluster's builtins (NETWORK_POLICY_ENFORCEMENT)`);
  }
  for (const ns of [...sensitiveNamespaces(cluster)].sort()) {
    const site = namespaces.get(ns);
    if (!site) continue; // not created by the cluster: a typo is reported by the input checks
    if (!fenced.has(ns) && !clusterwide) {
      r.warn(site, 'network-policy-missing', `namespace '${ns}' is marked sensitive but has no NetworkPolicy: every pod there accepts traffic from anywhere`);
    }
  }
}

function lintClusterAdmin(manifests: RenderedManifest[], r: Reporter): void {
  for (const m of manifests.filter((x) => (x.object.kind === 'ClusterRoleBinding' || x.object.kind === 'RoleBinding') && apiGroup(x.object) === 'rbac.authorization.k8s.io')) {
    if (m.object.roleRef?.kind === 'ClusterRole' && m.object.roleRef?.name === 'cluster-admin') {
      const subjects = (m.object.subjects ?? []).map((s: Manifest) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ');
      r.warn(m, 'cluster-admin-binding', `${m.object.kind} '${m.object.metadata?.name}' gives cluster-admin to ${subjects || 'its subjects'}; bind a role with only the verbs and resources needed`);
    }
  }
}

/**
 * ingress-nginx in the tree (its chart, or its IngressClass controller): said once per cluster. A
 * HelmRelease a ChartRelease rendered was said already, because ChartRelease warns for every chart
 * the catalog marks deprecated (the ingress-nginx construct under this code, any other release of
 * the chart as `deprecated-chart:ingress-nginx`).
 */
function lintIngressNginx(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const releases = manifests.filter((m) => m.object.kind === 'HelmRelease' && m.object.spec?.chart?.spec?.chart === INGRESS_NGINX.name);
  const used = releases.length > 0 || manifests.some((m) => m.object.kind === 'IngressClass' && m.object.spec?.controller === 'k8s.io/ingress-nginx');
  const componentOf = componentIndex(cluster);
  const warned = INGRESS_NGINX.deprecated === true && releases.some((m) => renderedByChartRelease(componentOf, m));
  if (used && !warned) {
    r.warn(cluster, 'ingress-nginx-retired', 'ingress-nginx is retired upstream (no releases or security fixes after March 2026); plan a move to Traefik or Gateway API (apps only declare expose, so no app changes)');
  }
}

/** Whether a {@link ChartRelease} of the component rendering HelmRelease `m` renders it (same release name). */
function renderedByChartRelease(componentOf: (m: RenderedManifest) => Component | undefined, m: RenderedManifest): boolean {
  const component = componentOf(m);
  return component !== undefined && component.node.findAll().some((c) => c instanceof ChartRelease && c.releaseName === m.object.metadata?.name);
}

function lintControlPlane(cluster: HomelabCluster, r: Reporter): void {
  const n = cluster.controlPlaneNodes.length;
  if (cluster.distribution !== 'oke' && n >= 2 && n % 2 === 0) {
    const tolerated = Math.floor((n - 1) / 2);
    r.warn(cluster, 'etcd-even-control-planes', `${n} control-plane nodes: etcd needs a quorum of ${Math.floor(n / 2) + 1} of ${n}, so it survives ${tolerated === 0 ? 'no node failure' : `only ${tolerated} failure(s), like ${n - 1} nodes`}; use ${n - 1} or ${n + 1}`);
  }
}

function lintLonghorn(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  if (cluster.schedulableNodes.length <= 1) return;
  for (const m of manifests) {
    const o = m.object;
    if (o.kind === 'StorageClass' && o.provisioner === 'driver.longhorn.io' && String(o.parameters?.numberOfReplicas ?? '3') === '1') {
      r.warn(m, 'longhorn-single-replica', `StorageClass '${o.metadata?.name}' keeps one replica of each volume on a ${cluster.schedulableNodes.length}-node cluster: losing that node loses the data`);
    }
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'longhorn') {
      const v = o.spec.values ?? {};
      for (const [field, value] of [['persistence.defaultClassReplicaCount', v.persistence?.defaultClassReplicaCount], ['defaultSettings.defaultReplicaCount', v.defaultSettings?.defaultReplicaCount]] as const) {
        if (value !== undefined && Number(value) === 1) r.warn(m, 'longhorn-single-replica', `Longhorn values ${field} is 1 on a ${cluster.schedulableNodes.length}-node cluster: losing that node loses the data`);
      }
    }
  }
}

function lintDatabases(manifests: RenderedManifest[], r: Reporter): void {
  const scheduled = new Set(manifests.filter((m) => m.object.kind === 'ScheduledBackup' && apiGroup(m.object) === 'postgresql.cnpg.io')
    .map((m) => `${m.object.metadata?.namespace}/${m.object.spec?.cluster?.name}`));
  for (const m of manifests.filter((x) => isCnpgCluster(x.object))) {
    const o = m.object;
    const plugin = (o.spec?.plugins ?? []).some((p: Manifest) => String(p.name ?? '').includes('barman-cloud'));
    const inTree = o.spec?.backup?.barmanObjectStore !== undefined || o.spec?.backup?.volumeSnapshot !== undefined;
    // A cluster bootstrapped by recovery is a restore drill reading someone else's backups.
    const drill = o.spec?.bootstrap?.recovery !== undefined;
    if (!plugin && !inTree && !drill && !scheduled.has(`${o.metadata?.namespace}/${o.metadata?.name}`)) {
      r.warn(m, 'database-without-backup', `CloudNativePG Cluster '${o.metadata?.namespace}/${o.metadata?.name}' has no backup anywhere (no barman-cloud plugin, no backup section, no ScheduledBackup): a lost volume loses the database`);
    }
  }
}

function lintReclaim(manifests: RenderedManifest[], r: Reporter): void {
  for (const m of manifests) {
    const o = m.object;
    if (o.kind === 'StorageClass' && apiGroup(o) === 'storage.k8s.io' && (o.reclaimPolicy ?? 'Delete') === 'Delete') {
      r.warn(m, 'storage-reclaim-delete', `StorageClass '${o.metadata?.name}' has reclaimPolicy ${o.reclaimPolicy ?? 'Delete (the Kubernetes default)'}: deleting a claim deletes its volume; use Retain for user data`);
    }
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'longhorn' && o.spec?.values?.persistence?.reclaimPolicy === 'Delete') {
      r.warn(m, 'storage-reclaim-delete', "Longhorn's StorageClass has reclaimPolicy Delete: deleting a claim deletes its volume; use Retain for user data");
    }
  }
}
