import { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PodSecurityLevel } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { BASELINE_CAPABILITIES, hardenedContainerSecurityContext, hardenedPodSecurityContext, normalizeCapability } from '../estate/hardened-pod.js';
import { SECURITY_REASON_ANNOTATION } from '../tree/manifests.js';

/** Why a hardened default is relaxed. The reason is written next to the workload, for reviewers. */
export interface Relaxation {
  /** One sentence: what in the image needs it. */
  readonly reason: string;
}

/**
 * The app's identity and every relaxation of the hardened defaults (non-root, read-only root
 * filesystem, all capabilities dropped, no privilege escalation, seccomp RuntimeDefault, no
 * service-account token). Each relaxation is a prop with a reason; the namespace's Pod Security
 * level is derived from them.
 */
export interface AppSecurity {
  /** User the container runs as. @default 65534 (nobody) — app constructs set the image's own user */
  readonly runAsUser?: number;
  /** @default - runAsUser */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default - runAsGroup */
  readonly fsGroup?: number;
  /** Extra groups (a GPU's render group). @default [] */
  readonly supplementalGroups?: readonly number[];
  /** Run as root: the image's entrypoint needs uid 0 (drops privileges itself). @default - never root */
  readonly runAsRoot?: Relaxation;
  /** Writable root filesystem: the image writes outside its volumes. @default - read-only root filesystem */
  readonly writableRootFilesystem?: Relaxation;
  /** Capabilities added back after dropping ALL. @default - none */
  readonly addCapabilities?: Relaxation & { readonly capabilities: readonly string[] };
  /** Privileged container (raw device access). Implies the `privileged` Pod Security level. @default - not privileged */
  readonly privileged?: Relaxation;
  /** Mount the service-account token (the app talks to the Kubernetes API). @default - no token */
  readonly serviceAccountToken?: Relaxation;
  /**
   * Run in the node's network namespace (mDNS/SSDP discovery, e.g. Home Assistant or a DLNA server).
   * The pod gets `dnsPolicy: ClusterFirstWithHostNet` (else it would resolve with the node's DNS
   * and lose cluster names), its ports become host ports, the namespace needs the `privileged` Pod
   * Security level (baseline forbids host networking), and NetworkPolicies no longer apply to it.
   * @default - the pod's own network namespace
   */
  readonly hostNetwork?: Relaxation;
  /**
   * Keep the image's own user: no `runAsUser` / `runAsGroup` is written, so the container runs as
   * its Dockerfile's `USER`; `runAsNonRoot: true` stays, and the kubelet refuses to start an image
   * whose user is root — or is a name rather than a number (it cannot tell a name is not root), so
   * this suits images with a numeric `USER`. `fsGroup` is written only when given or when the image's
   * facts (`IMAGE_FACTS`, `image.runtime`) know its group. Not with `runAsUser`/`runAsGroup`/`runAsRoot`.
   * @default false — the library pins a uid (65534, or the one the construct knows)
   */
  readonly runAsImageUser?: boolean;
  /**
   * `false` runs the pod in its own user namespace (`hostUsers: false`): uid 0 inside maps to an
   * unprivileged uid on the node, so a breakout is not root there. Needs Kubernetes 1.33+ (on by
   * default since; stable in 1.36), Linux 6.3+ and a runtime with idmapped mounts (containerd 2.0+,
   * CRI-O 1.25+) on the nodes. Kubernetes refuses it with hostNetwork, hostIPC or hostPID (the API
   * server's validation; KEP-5607 lifts it for hostNetwork behind an alpha gate), and NFS volumes
   * cannot be idmapped. A hardening, not a relaxation: no reason needed.
   * @default true — the Kubernetes default (the node's user namespace), not written
   */
  readonly hostUsers?: boolean;
}

/** Resolved identity and relaxations, with every default filled in. */
export interface ResolvedSecurity {
  /** undefined: the image's own user (`runAsImageUser`). */
  readonly runAsUser: number | undefined;
  readonly runAsGroup: number | undefined;
  readonly fsGroup: number | undefined;
  readonly supplementalGroups: number[];
  readonly root: boolean;
  readonly readOnlyRootFilesystem: boolean;
  readonly capabilities: string[];
  readonly privileged: boolean;
  readonly serviceAccountToken: boolean;
  readonly hostNetwork: boolean;
  readonly hostUsers: boolean;
  /** `net.ipv4.ip_unprivileged_port_start` for ports below 1024 (privileged-ports.ts). @default - not written */
  readonly unprivilegedPortStart?: number;
  /** `name: reason` lines for every relaxation, in a fixed order. */
  readonly relaxations: string[];
}

/**
 * Annotation listing the relaxations of a workload and why: the one the safety policy lint reads
 * (a root or privileged workload without it is flagged).
 */
export const RELAXATIONS_ANNOTATION = SECURITY_REASON_ANNOTATION;

/**
 * Fills in defaults and reports relaxations without a reason. `imageUser` is the image's own user
 * when its facts know it (the fsGroup of `runAsImageUser`).
 */
export function resolveSecurity(scope: IConstruct, s: AppSecurity = {}, imageUser?: { readonly uid: number; readonly gid: number }): ResolvedSecurity {
  const d = Diagnostics.of(scope);
  const relaxations: string[] = [];
  const relax = (name: keyof AppSecurity, r: Relaxation | undefined): boolean => {
    if (!r) return false;
    if (!r.reason?.trim()) {
      d.error(scope, `security.${name}.reason`, `relaxing '${name}' needs a reason`, `say what in the image needs it, e.g. ${name}: { reason: 'the entrypoint writes /etc/…' }`);
    }
    relaxations.push(`${name}: ${r.reason?.trim() ?? ''}`);
    return true;
  };
  const root = relax('runAsRoot', s.runAsRoot);
  const writable = relax('writableRootFilesystem', s.writableRootFilesystem);
  const caps = relax('addCapabilities', s.addCapabilities) ? [...(s.addCapabilities?.capabilities ?? [])].map(normalizeCapability) : [];
  const privileged = relax('privileged', s.privileged);
  const token = relax('serviceAccountToken', s.serviceAccountToken);
  const hostNetwork = relax('hostNetwork', s.hostNetwork);
  if (s.addCapabilities && caps.length === 0) d.error(scope, 'security.addCapabilities.capabilities', 'no capability is listed', "list them, e.g. ['NET_BIND_SERVICE'], or drop addCapabilities");
  if (!root && s.runAsUser === 0) d.error(scope, 'security.runAsUser', 'runAsUser 0 is root', "use a non-root uid, or relax explicitly with runAsRoot: { reason: '…' }");
  const keepImageUser = checkImageUser(scope, s, root);
  const uid = root ? 0 : keepImageUser ? undefined : s.runAsUser ?? 65534;
  const gid = keepImageUser ? undefined : s.runAsGroup ?? uid;
  if (s.hostUsers === false && hostNetwork) {
    d.error(scope, 'security.hostUsers', 'hostUsers: false cannot be combined with hostNetwork: the API server refuses a pod in its own user namespace on the node\'s network', 'drop hostUsers: false, or run the app on the pod network (drop security.hostNetwork)');
  }
  return {
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: s.fsGroup ?? (keepImageUser ? imageUser?.gid : gid),
    supplementalGroups: [...(s.supplementalGroups ?? [])],
    root,
    readOnlyRootFilesystem: !writable,
    capabilities: [...new Set(caps)].sort(),
    privileged,
    serviceAccountToken: token,
    hostNetwork,
    hostUsers: s.hostUsers ?? true,
    relaxations,
  };
}

/** Whether the image's own user is kept (`runAsImageUser`); a uid or root asked for as well is reported. */
function checkImageUser(scope: IConstruct, s: AppSecurity, root: boolean): boolean {
  if (!s.runAsImageUser) return false;
  const clash = (['runAsUser', 'runAsGroup'] as const).filter((k) => s[k] !== undefined);
  if (clash.length > 0 || root) {
    Diagnostics.of(scope).error(scope, 'security.runAsImageUser', `runAsImageUser keeps the image's own user, but ${root ? 'runAsRoot' : clash.join(' and ')} is set too`, `drop one: either the image's user (runAsImageUser: true) or ${root ? 'root' : 'the uid you give'}`);
  }
  return true;
}

/**
 * The Pod Security Admission level the app needs: `restricted` unless it runs as root, adds
 * capabilities beyond NET_BIND_SERVICE (`baseline`), or is privileged / mounts host paths (`privileged`).
 */
export function podSecurityLevel(s: ResolvedSecurity, hostPath: boolean): PodSecurityLevel {
  if (s.privileged || s.hostNetwork || hostPath || s.capabilities.some((c) => !BASELINE_CAPABILITIES.has(c))) return 'privileged';
  if (s.root || s.capabilities.some((c) => c !== 'NET_BIND_SERVICE')) return 'baseline';
  return 'restricted';
}

/** The Pod Security level props ask for, before any validation (the namespace is chosen before the construct exists). */
export function podSecurityLevelOf(s: AppSecurity | undefined, hostPath: boolean): PodSecurityLevel {
  const caps = (s?.addCapabilities?.capabilities ?? []).map(normalizeCapability);
  if (s?.privileged || s?.hostNetwork || hostPath || caps.some((c) => !BASELINE_CAPABILITIES.has(c))) return 'privileged';
  if (s?.runAsRoot || caps.some((c) => c !== 'NET_BIND_SERVICE')) return 'baseline';
  return 'restricted';
}

/** Pod-level security context: the hardened pod's (estate/hardened-pod.ts), with the app's identity and relaxations. */
export function podSecurityContext(s: ResolvedSecurity): k8s.PodSecurityContext {
  return hardenedPodSecurityContext(s);
}

/** Container-level security context: the hardened pod's, with the app's relaxations. */
export function containerSecurityContext(s: ResolvedSecurity): k8s.SecurityContext {
  return hardenedContainerSecurityContext(s);
}
