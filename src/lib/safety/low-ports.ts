import { normalizeCapability, UNPRIVILEGED_PORT_START_SYSCTL as SYSCTL } from '../estate/hardened-pod.js';
import { containersOf, Manifest } from '../tree/manifests.js';

/**
 * The policy lint's reading of ports below 1024 in any rendered pod (raw objects included; App
 * pods write what they need, see apps/privileged-ports.ts). A socket binds a port below
 * `net.ipv4.ip_unprivileged_port_start` (1024 unless lowered) only with CAP_NET_BIND_SERVICE. A
 * non-root process has none after exec (Kubernetes sets no ambient capabilities) unless its binary
 * carries the file capability, which the manifest cannot show: hence a warning, not an error.
 */

/** Effective user of a container: 'root', 'non-root', or undefined when the image decides. */
function userOf(pod: Manifest, c: Manifest): 'root' | 'non-root' | undefined {
  const uid = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  if (uid === 0) return 'root';
  if ((typeof uid === 'number' && uid > 0) || (c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) === true) return 'non-root';
  return undefined;
}

/** Whether a root container keeps CAP_NET_BIND_SERVICE: added back, or in the runtime's default set and not dropped. */
function rootKeepsBindCapability(c: Manifest): boolean {
  const caps = c.securityContext?.capabilities ?? {};
  const added = (caps.add ?? []).map(normalizeCapability);
  const dropped = (caps.drop ?? []).map(normalizeCapability);
  return added.includes('NET_BIND_SERVICE') || added.includes('ALL') || !(dropped.includes('ALL') || dropped.includes('NET_BIND_SERVICE'));
}

/** The pod's own `ip_unprivileged_port_start`, if it sets one. */
function podPortStart(pod: Manifest): number | undefined {
  const s = (pod.securityContext?.sysctls ?? []).find((x: Manifest) => x?.name === SYSCTL);
  const n = s ? Number.parseInt(String(s.value), 10) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** One sentence per container that may fail to bind a low port, for the `low-port-unbindable` warning. */
export function unbindableLowPorts(pod: Manifest): string[] {
  const out: string[] = [];
  const start = pod.hostNetwork === true ? undefined : podPortStart(pod);
  for (const { container, at, init } of containersOf(pod)) {
    if (init && container.restartPolicy !== 'Always') continue;
    const low = (container.ports ?? []).map((p: Manifest) => p.containerPort).filter((p: unknown): p is number => typeof p === 'number' && p < (start ?? 1024));
    if (low.length === 0 || container.securityContext?.privileged === true) continue;
    const user = userOf(pod, container);
    if (user === undefined || (user === 'root' && rootKeepsBindCapability(container))) continue;
    const who = user === 'root' ? 'as root with CAP_NET_BIND_SERVICE dropped' : 'as a non-root user (an added capability is lost at exec: Kubernetes sets no ambient capabilities)';
    const fix = pod.hostNetwork === true
      ? 'on the host network the kubelet refuses net.* sysctls: move the port to 1024 or above, or run as root with NET_BIND_SERVICE'
      : `set ${SYSCTL} to ${Math.min(...low)} in the pod's securityContext.sysctls (a safe sysctl; the runtime's default differs: containerd 2 lowers it, CRI-O and containerd 1.x keep 1024)`;
    out.push(`${at} listens on ${low.join(', ')} ${who}, so the bind fails unless its binary carries the file capability; ${fix}`);
  }
  return out;
}
