import type { k8s } from 'cdk8s-plus-28';

/**
 * The hardened pod every workload the library renders itself starts from: no service-account
 * token, no Service links, non-root with a fixed uid/gid, seccomp `RuntimeDefault`, and containers
 * with every capability dropped, no privilege escalation and a read-only root filesystem (writable
 * scratch space on emptyDirs). Relaxations are fields of {@link Hardening}, so a workload that needs
 * one says so where it is built (the App construct takes them, with reasons, from its props).
 */

/** Capabilities the `baseline` Pod Security level still lets a container add. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** A capability as the kernel names it, without `CAP_` (`cap_net_bind_service` → `NET_BIND_SERVICE`). */
export function normalizeCapability(c: string): string {
  return String(c).toUpperCase().replace(/^CAP_/, '');
}

/** The per-network-namespace sysctl below which binding a port needs CAP_NET_BIND_SERVICE. */
export const UNPRIVILEGED_PORT_START_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/** Who the pod runs as and which hardened defaults it relaxes. */
export interface Hardening {
  /** @default - not written: the image's own user (its Dockerfile `USER`), still required non-root */
  readonly runAsUser?: number;
  /** @default - not written: the image's own group */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default - not written: volumes keep their owner */
  readonly fsGroup?: number;
  /** @default [] */
  readonly supplementalGroups?: readonly number[];
  /** Run as root (the image's entrypoint needs uid 0). @default false */
  readonly root?: boolean;
  /** @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** Capabilities added back after dropping ALL. @default [] */
  readonly capabilities?: readonly string[];
  /** Privileged containers (raw device access; allows privilege escalation). @default false */
  readonly privileged?: boolean;
  /** Mount the service-account token (the workload talks to the Kubernetes API). @default false */
  readonly serviceAccountToken?: boolean;
  /**
   * Share the node's user namespace (`false`: the pod's uids map to unprivileged host uids,
   * `hostUsers: false`). @default true — the Kubernetes default, not written
   */
  readonly hostUsers?: boolean;
  /**
   * Lowers `net.ipv4.ip_unprivileged_port_start` in the pod's network namespace (a safe sysctl) so
   * a process without CAP_NET_BIND_SERVICE can bind ports from this one up (apps/privileged-ports.ts).
   * @default - not written: the runtime's own value (1024 on CRI-O and containerd 1.x)
   */
  readonly unprivilegedPortStart?: number;
}

/** How much of the hardening is written out. */
export interface HardenedPodOptions {
  /** Set `fsGroupChangePolicy: OnRootMismatch` (volumes are chowned only when their root is not the fsGroup's). @default true */
  readonly fsGroupChangePolicy?: boolean;
  /** Repeat `runAsNonRoot` and the seccomp profile on every container, for checks that read containers alone. @default true */
  readonly repeatOnContainers?: boolean;
}

/** The pod-level fields of a hardened pod: token, Service links and security context. */
export function hardenedPodFields(h: Hardening, options: HardenedPodOptions = {}): Pick<k8s.PodSpec, 'automountServiceAccountToken' | 'enableServiceLinks' | 'securityContext' | 'hostUsers'> {
  return {
    automountServiceAccountToken: h.serviceAccountToken ?? false,
    enableServiceLinks: false,
    ...(h.hostUsers === false ? { hostUsers: false } : {}),
    securityContext: hardenedPodSecurityContext(h, options),
  };
}

/** The pod's security context: identity, volume ownership and the seccomp profile. */
export function hardenedPodSecurityContext(h: Hardening, options: HardenedPodOptions = {}): k8s.PodSecurityContext {
  const groups = h.supplementalGroups ?? [];
  return {
    runAsNonRoot: !h.root,
    ...(h.runAsUser !== undefined ? { runAsUser: h.runAsUser } : {}),
    ...(h.runAsGroup !== undefined ? { runAsGroup: h.runAsGroup } : {}),
    ...(h.fsGroup !== undefined ? { fsGroup: h.fsGroup } : {}),
    ...((options.fsGroupChangePolicy ?? true) && h.fsGroup !== undefined ? { fsGroupChangePolicy: 'OnRootMismatch' } : {}),
    ...(groups.length > 0 ? { supplementalGroups: [...groups] } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
    ...(h.unprivilegedPortStart !== undefined ? { sysctls: [{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: String(h.unprivilegedPortStart) }] } : {}),
  };
}

/** A container's security context: capabilities dropped (some added back), no escalation, read-only root. */
export function hardenedContainerSecurityContext(h: Hardening, options: HardenedPodOptions = {}): k8s.SecurityContext {
  const privileged = h.privileged ?? false;
  const added = h.capabilities ?? [];
  const repeat = options.repeatOnContainers ?? true;
  return {
    ...(repeat ? { runAsNonRoot: !h.root } : {}),
    allowPrivilegeEscalation: privileged,
    privileged,
    readOnlyRootFilesystem: h.readOnlyRootFilesystem ?? true,
    capabilities: { drop: ['ALL'], ...(added.length > 0 ? { add: [...added] } : {}) },
    ...(repeat ? { seccompProfile: { type: 'RuntimeDefault' } } : {}),
  };
}

/** emptyDir volumes, by name, and their mounts: writable scratch space under a read-only root filesystem. */
export function scratchVolumes(mountPaths: Readonly<Record<string, string>>): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  const entries = Object.entries(mountPaths);
  return {
    volumes: entries.map(([name]) => ({ name, emptyDir: {} })),
    mounts: entries.map(([name, mountPath]) => ({ name, mountPath })),
  };
}
