/**
 * The Kubernetes CEL library functions the imported rules use beyond CEL's standard library
 * and its strings extension (which @bufbuild/cel ships). Kubernetes adds more (quantity, url,
 * cidr, semver, format…); they are added here when a rule in ../shared/crds needs one. A rule
 * calling a function that is not bound is listed as unsupported at import, never evaluated.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { CelScalar, celFunc, type CelFunc } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/**
 * Kubernetes' `isIP(string)`: whether the string is an IPv4 or IPv6 address as Kubernetes'
 * `ip()` would accept it. Like Kubernetes it refuses IPv4 octets with leading zeros (Node's
 * parser does too), IPv6 zones (`fe80::1%eth0`) and IPv4-mapped IPv6 (`::ffff:1.2.3.4`).
 */
export function isKubernetesIP(text: string): boolean {
  if (isIPv4(text)) return true;
  if (!isIPv6(text) || text.includes('%')) return false;
  return !isIPv4MappedIPv6(text);
}

/** Whether an IPv6 address is an IPv4 address in IPv6 clothing; the URL parser normalises it. */
function isIPv4MappedIPv6(text: string): boolean {
  return /^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(new URL(`http://[${text}]/`).hostname);
}

/** Kubernetes' IP library, as far as the rules use it. */
const KUBERNETES_IP: CelFunc[] = [celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => isKubernetesIP(s))];

/** Every function bound besides the standard library: CEL's strings extension and Kubernetes'. */
export const CEL_EXTENSIONS: readonly CelFunc[] = [...strings, ...KUBERNETES_IP];
