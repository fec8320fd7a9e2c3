/**
 * IPv4 address and CIDR arithmetic for the network checks (VIP in the node subnet, overlapping
 * pod/service/node ranges, LoadBalancer IPs inside a pool). A leaf module: it imports nothing,
 * so the cluster model can use it without a cycle.
 */

/** An IPv4 range, inclusive, as unsigned 32-bit integers. */
export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

/** Parses a dotted-quad IPv4 address into an unsigned integer, or `undefined`. */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Formats an unsigned integer as a dotted-quad IPv4 address. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/len` into its range, or `undefined` when it is not an IPv4 CIDR. */
export function parseCidr(s: string): Ipv4Range | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIpv4(m[1]);
  const len = Number(m[2]);
  if (ip === undefined || len > 32) return undefined;
  const size = 2 ** (32 - len);
  const first = Math.floor(ip / size) * size;
  return { first, last: first + size - 1 };
}

/** True when `s` is a CIDR whose address has no bits set past the prefix (`10.0.0.0/8`, not `10.0.0.1/8`). */
export function isCanonicalCidr(s: string): boolean {
  const r = parseCidr(s);
  const m = /^([0-9.]+)\//.exec(s.trim());
  return r !== undefined && m !== null && parseIpv4(m[1]) === r.first;
}

/** The range from `start` to `stop` (inclusive), as Cilium LB-IPAM pools write them. */
export function parseIpRange(start: string, stop: string): Ipv4Range | undefined {
  const a = parseIpv4(start);
  const b = parseIpv4(stop);
  return a === undefined || b === undefined || b < a ? undefined : { first: a, last: b };
}

/** True when `ip` lies inside `range`. */
export function rangeContains(range: Ipv4Range, ip: number): boolean {
  return ip >= range.first && ip <= range.last;
}

/** True when two ranges share at least one address. */
export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}
