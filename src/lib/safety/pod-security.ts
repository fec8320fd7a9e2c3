import { BASELINE_CAPABILITIES, normalizeCapability } from '../estate/hardened-pod.js';
import type { PodSecurityLevel } from '../estate/component.js';
import type { Distribution } from '../estate/cluster.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { containersOf, describeObject, enforcedPodSecurity, Manifest, podTemplateOf } from '../tree/manifests.js';
import { Reporter } from './report.js';

/**
 * Pod Security admission, simulated at synth: the API server accepts a Deployment whose pods break
 * its namespace's enforced Pod Security Standard, then refuses every pod (the ReplicaSet reports
 * `FailedCreate`, the Kustomization waits until its timeout). This check applies the standard's
 * controls (kubernetes.io/docs/concepts/security/pod-security-standards, version "latest") to every
 * pod template of the tree against the level its namespace enforces, so the error comes before the
 * commit and names the field.
 */

/** One control of the standard that a pod template breaks. */
export interface PodSecurityViolation {
  /** The lowest level that forbids it: `baseline` controls are also part of `restricted`. */
  readonly level: Exclude<PodSecurityLevel, 'privileged'>;
  /** Field path inside the pod spec (`containers[0].securityContext.privileged`). */
  readonly field: string;
  /** What is wrong, in a few words. */
  readonly message: string;
}

const RANK: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/** Sysctls `baseline` allows (the "safe" set, up to Kubernetes 1.29). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** SELinux types `baseline` allows. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Volume sources `restricted` allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * Level a namespace enforces when it has no `pod-security.kubernetes.io/enforce` label, per
 * distribution. Talos configures the admission plugin with `enforce: baseline` and exempts
 * kube-system (talos.dev, "Pod Security"); k3s and OKE run the plugin with its upstream default,
 * `privileged`.
 */
export function defaultEnforcedLevel(distribution: Distribution, namespace: string): PodSecurityLevel {
  if (distribution !== 'talos' || namespace === 'kube-system') return 'privileged';
  return 'baseline';
}

/** Every control of the standard the pod spec breaks, baseline first. */
export function podSecurityViolations(pod: Manifest, metadata: Manifest = {}): PodSecurityViolation[] {
  return [...baselineViolations(pod, metadata), ...restrictedViolations(pod)];
}

/** The most restrictive level that admits the pod spec. */
export function levelAdmitting(violations: readonly PodSecurityViolation[]): PodSecurityLevel {
  if (violations.some((v) => v.level === 'baseline')) return 'privileged';
  if (violations.some((v) => v.level === 'restricted')) return 'baseline';
  return 'restricted';
}

/** Whether a namespace enforcing `enforced` admits a pod needing `needed`. */
export function admits(enforced: PodSecurityLevel, needed: PodSecurityLevel): boolean {
  return RANK[enforced] >= RANK[needed];
}

function baselineViolations(pod: Manifest, metadata: Manifest): PodSecurityViolation[] {
  const out: PodSecurityViolation[] = [];
  const add = (field: string, message: string) => out.push({ level: 'baseline', field, message });
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[k] === true) add(k, `${k}: true shares the node's namespace`);
  if (pod.securityContext?.windowsOptions?.hostProcess === true) add('securityContext.windowsOptions.hostProcess', 'a Windows HostProcess pod');
  (pod.volumes ?? []).forEach((v: Manifest, i: number) => {
    if (v.hostPath) add(`volumes[${i}].hostPath`, `volume '${v.name}' mounts the host path ${v.hostPath.path}`);
  });
  (pod.securityContext?.sysctls ?? []).forEach((s: Manifest, i: number) => {
    if (!SAFE_SYSCTLS.has(s.name)) add(`securityContext.sysctls[${i}]`, `sysctl ${s.name} is not in the safe set`);
  });
  checkSeccomp(pod.securityContext, 'securityContext', add);
  checkSeLinux(pod.securityContext, 'securityContext', add);
  checkAppArmor(pod.securityContext, 'securityContext', add);
  for (const { container, at } of allContainers(pod)) {
    const sc = container.securityContext ?? {};
    const where = `${at}.securityContext`;
    if (sc.privileged === true) add(`${where}.privileged`, `${at} (${container.name}) is privileged`);
    if (sc.windowsOptions?.hostProcess === true) add(`${where}.windowsOptions.hostProcess`, `${at} (${container.name}) is a Windows HostProcess container`);
    const extra = (sc.capabilities?.add ?? []).filter((c: string) => !BASELINE_CAPABILITIES.has(normalizeCapability(c)));
    if (extra.length > 0) add(`${where}.capabilities.add`, `${at} (${container.name}) adds ${extra.join(', ')}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add(`${where}.procMount`, `${at} (${container.name}) sets procMount ${sc.procMount}`);
    checkSeccomp(sc, where, add);
    checkSeLinux(sc, where, add);
    checkAppArmor(sc, where, add);
    (container.ports ?? []).forEach((p: Manifest, i: number) => {
      if (p.hostPort !== undefined && p.hostPort !== 0) add(`${at}.ports[${i}].hostPort`, `${at} (${container.name}) binds host port ${p.hostPort}`);
    });
    const annotation = metadata.annotations?.[`container.apparmor.security.beta.kubernetes.io/${container.name}`];
    if (annotation !== undefined && annotation !== 'runtime/default' && !String(annotation).startsWith('localhost/')) {
      add(`metadata.annotations.container.apparmor.security.beta.kubernetes.io/${container.name}`, `${at} (${container.name}) runs with AppArmor ${annotation}`);
    }
  }
  return out;
}

function restrictedViolations(pod: Manifest): PodSecurityViolation[] {
  const out: PodSecurityViolation[] = [];
  const add = (field: string, message: string) => out.push({ level: 'restricted', field, message });
  (pod.volumes ?? []).forEach((v: Manifest, i: number) => {
    const source = Object.keys(v).find((k) => k !== 'name');
    if (source && source !== 'hostPath' && !RESTRICTED_VOLUMES.has(source)) add(`volumes[${i}].${source}`, `volume '${v.name}' is of type ${source} (restricted allows ${[...RESTRICTED_VOLUMES].join(', ')})`);
  });
  const podSc = pod.securityContext ?? {};
  if (podSc.runAsUser === 0) add('securityContext.runAsUser', 'the pod runs as uid 0');
  for (const { container, at } of allContainers(pod)) {
    const sc = container.securityContext ?? {};
    const where = `${at}.securityContext`;
    const name = `${at} (${container.name})`;
    if (sc.allowPrivilegeEscalation !== false) add(`${where}.allowPrivilegeEscalation`, `${name} does not set allowPrivilegeEscalation: false`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) add(`${where}.runAsNonRoot`, `${name} does not set runAsNonRoot: true (nor does the pod)`);
    if (sc.runAsUser === 0) add(`${where}.runAsUser`, `${name} runs as uid 0`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${where}.seccompProfile.type`, `${name} has no seccomp profile RuntimeDefault or Localhost (nor does the pod)`);
    const drop: string[] = (sc.capabilities?.drop ?? []).map(normalizeCapability);
    if (!drop.includes('ALL')) add(`${where}.capabilities.drop`, `${name} does not drop ALL capabilities`);
    const added = (sc.capabilities?.add ?? []).filter((c: string) => normalizeCapability(c) !== 'NET_BIND_SERVICE' && BASELINE_CAPABILITIES.has(normalizeCapability(c)));
    if (added.length > 0) add(`${where}.capabilities.add`, `${name} adds ${added.join(', ')} (restricted allows only NET_BIND_SERVICE)`);
  }
  return out;
}

type Add = (field: string, message: string) => void;

function checkSeccomp(sc: Manifest | undefined, where: string, add: Add): void {
  if (sc?.seccompProfile?.type === 'Unconfined') add(`${where}.seccompProfile.type`, `${where} sets seccomp Unconfined`);
}

function checkSeLinux(sc: Manifest | undefined, where: string, add: Add): void {
  const o = sc?.seLinuxOptions;
  if (!o) return;
  if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) add(`${where}.seLinuxOptions.type`, `${where} sets SELinux type ${o.type}`);
  if (o.user) add(`${where}.seLinuxOptions.user`, `${where} sets an SELinux user`);
  if (o.role) add(`${where}.seLinuxOptions.role`, `${where} sets an SELinux role`);
}

function checkAppArmor(sc: Manifest | undefined, where: string, add: Add): void {
  if (sc?.appArmorProfile?.type === 'Unconfined') add(`${where}.appArmorProfile.type`, `${where} runs AppArmor Unconfined`);
}

function allContainers(pod: Manifest): { container: Manifest; at: string }[] {
  return [
    ...containersOf(pod),
    ...(pod.ephemeralContainers ?? []).map((c: Manifest, i: number) => ({ container: c, at: `ephemeralContainers[${i}]` })),
  ];
}

/** The level each namespace of the tree enforces, and where that level comes from. */
export interface EnforcedLevel {
  readonly level: PodSecurityLevel;
  /** `label` (the Namespace in the tree sets it) or `default` (the distribution's admission default). */
  readonly source: 'label' | 'default';
  /** The Namespace manifest in the tree, if the tree creates it. */
  readonly namespace?: RenderedManifest;
}

/** The objects a Pod Security check looks at: a cluster's tree, or its tree plus what its charts render. */
export type PodSecurityInput = Pick<ClusterTree, 'cluster' | 'manifests'>;

/** Where the enforced level of `namespace` comes from in a cluster's tree. */
export function enforcedLevel(tree: PodSecurityInput, namespace: string): EnforcedLevel {
  const ns = tree.manifests.find((m) => m.object.kind === 'Namespace' && m.object.apiVersion === 'v1' && m.object.metadata?.name === namespace);
  const label = ns && enforcedPodSecurity(ns.object);
  if (label === 'privileged' || label === 'baseline' || label === 'restricted') return { level: label, source: 'label', namespace: ns };
  return { level: defaultEnforcedLevel(tree.cluster.distribution, namespace), source: 'default', namespace: ns };
}

/** A workload whose pods its namespace would refuse. */
export interface PodSecurityFinding {
  readonly site: RenderedManifest;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * Every workload among `manifests` (default: all of the input) whose pods its namespace's Pod
 * Security level would refuse, with the first offending field, every violation, and both ways
 * out (harden the pod, or admit it).
 */
export function podSecurityFindings(input: PodSecurityInput, manifests: readonly RenderedManifest[] = input.manifests): PodSecurityFinding[] {
  const out: PodSecurityFinding[] = [];
  for (const m of manifests) {
    const template = podTemplateOf(m.object);
    const namespace = m.object.metadata?.namespace;
    if (!template || typeof namespace !== 'string') continue;
    const enforced = enforcedLevel(input, namespace);
    const refused = podSecurityViolations(template.spec, template.metadata).filter((v) => !admits(enforced.level, levelAdmitting([v])));
    if (refused.length === 0) continue;
    const needed = levelAdmitting(refused);
    const why = enforced.source === 'label'
      ? `namespace '${namespace}' enforces '${enforced.level}'`
      : `namespace '${namespace}' has no enforce label, so ${input.cluster.distribution}'s admission default '${enforced.level}' applies`;
    out.push({
      site: m,
      field: `${template.at}.${refused[0].field}`,
      message: `Pod Security admission would refuse the pods of ${describeObject(m.object)}: ${why}, and ${refused.map((v) => v.message).join('; ')}. The ${m.object.kind} is accepted, its pods never start`,
      fix: enforced.namespace
        ? `harden the pod (the fields above), or admit it: on its component, namespace: { name: '${namespace}', podSecurity: '${needed}' }`
        : `harden the pod (the fields above), or move it to a namespace the cluster creates, with podSecurity: '${needed}' (the cluster does not create '${namespace}', so it cannot label it)`,
    });
  }
  return out;
}

/** Reports every Pod Security finding of a cluster's tree as a synth error. */
export function checkPodSecurity(tree: ClusterTree): void {
  const r = new Reporter(tree.cluster);
  for (const f of podSecurityFindings(tree)) r.error(f.site, f.field, f.message, f.fix);
}
