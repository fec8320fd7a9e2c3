import type { IConstruct } from 'constructs';
import { Diagnostics } from '../estate/diagnostics.js';
import type { AppPort } from './app-props.js';
import type { ResolvedSecurity } from './security.js';

/**
 * Ports below 1024 under the hardened pod. The kernel lets a socket bind a port below
 * `net.ipv4.ip_unprivileged_port_start` (1024 unless lowered) only with CAP_NET_BIND_SERVICE, and
 * every container here drops ALL capabilities. A capability added back does not help a non-root
 * process either: Kubernetes sets no ambient capabilities, so exec() clears it unless the binary
 * carries the file capability. The sysctl is per network namespace and on the kubelet's safe list
 * (allowed by the baseline and restricted Pod Security levels), so the App writes it on the pod,
 * lowered to its lowest port, instead of relying on the runtime's default (containerd 2 lowers it
 * to 0, CRI-O and containerd 1.x keep 1024). Under hostNetwork the pod shares the node's namespace
 * and the kubelet refuses any `net.*` sysctl, so a low port there is an error.
 */

/** The first port the kernel lets any process bind, unless the sysctl lowers it. */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/** Whether the container's process holds CAP_NET_BIND_SERVICE: root with it added back, or privileged. */
function holdsBindCapability(s: ResolvedSecurity): boolean {
  return s.privileged || (s.root && s.capabilities.includes('NET_BIND_SERVICE'));
}

/**
 * The value of `net.ipv4.ip_unprivileged_port_start` the pod needs (its lowest port below 1024),
 * or undefined when no port is that low or the process may bind it anyway. On the host network a
 * low port a non-root process cannot bind is reported on `ports`.
 */
export function unprivilegedPortStart(scope: IConstruct, ports: readonly AppPort[], s: ResolvedSecurity): number | undefined {
  const low = ports.filter((p) => Number.isInteger(p.port) && p.port >= 1 && p.port < FIRST_UNPRIVILEGED_PORT);
  if (low.length === 0 || holdsBindCapability(s)) return undefined;
  const lowest = Math.min(...low.map((p) => p.port));
  if (s.hostNetwork) {
    const named = low.map((p) => `${p.name} (${p.port})`).join(', ');
    Diagnostics.of(scope).error(scope, 'ports', `${named} is below ${FIRST_UNPRIVILEGED_PORT} on the node's network: the process has no CAP_NET_BIND_SERVICE and the kubelet refuses the net.ipv4.ip_unprivileged_port_start sysctl on a hostNetwork pod, so the bind fails`, `move the port to ${FIRST_UNPRIVILEGED_PORT} or above (the app's port setting), or run as root with security.addCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: '…' }`);
    return undefined;
  }
  return lowest;
}
