/**
 * IPv4 addresses, ranges and CIDRs, for the whole library: the cluster model (node subnet, VIP,
 * pod and service CIDRs), Cilium's LoadBalancer pools, app inputs and the checks of the rendered
 * tree. Addresses are unsigned 32-bit numbers. A leaf module: it imports nothing, so the model can
 * use it without a cycle.
 *
 * Two readings of a CIDR exist on purpose, and are named apart: {@link parseCidr} takes only a
 * network address (`10.0.50.96/28`; a pool block with host bits set is a mistake to report), while
 * {@link parseSubnet} takes any address of the subnet and masks it (`10.0.50.1/24` is the subnet
 * 10.0.50.0/24: the model reports host bits with {@link isCanonicalCidr}, and a rendered pool is
 * read the way its controller reads it).
 */

/** A contiguous, inclusive range of IPv4 addresses. */
export interface IpRange {
  readonly start: number;
  readonly stop: number;
}

/** A subnet: its range, whose first address is the network and last the broadcast address. */
export interface Subnet extends IpRange {
  /** The network address (= `start`). */
  readonly first: number;
  /** The broadcast address (= `stop`). */
  readonly last: number;
}

/** The address as a number, or `undefined` if `s` is not exactly a dotted-quad IPv4 address (no spaces). */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/**
 * True for a dotted-quad IPv4 address without leading zeros: `10.0.50.01` is read as octal by some
 * tools and as decimal by others, and would let two spellings of one address pass as different.
 */
export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** {@link parseIpv4} of `s` with surrounding whitespace ignored (addresses typed in lists, `a - b` ranges). */
export function parseIpv4Trimmed(s: string): number | undefined {
  return parseIpv4(s.trim());
}

/** The dotted-quad form of an address number. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** `a.b.c.d/n` split into address and prefix length, or `undefined` when it is not written so (or n > 32). */
function splitCidr(s: string): { ip: number; bits: number } | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIpv4(m[1]);
  const bits = Number(m[2]);
  return ip === undefined || bits > 32 ? undefined : { ip, bits };
}

/** The range of a CIDR whose address is the network address (`10.0.50.96/28`); `undefined` otherwise or if malformed. */
export function parseCidr(s: string): IpRange | undefined {
  const c = splitCidr(s);
  if (!c) return undefined;
  const size = 2 ** (32 - c.bits);
  return c.ip % size === 0 ? { start: c.ip, stop: c.ip + size - 1 } : undefined;
}

/** The subnet a CIDR names, host bits masked (`10.0.50.1/24` → 10.0.50.0–10.0.50.255); `undefined` if malformed. */
export function parseSubnet(s: string): Subnet | undefined {
  const c = splitCidr(s);
  if (!c) return undefined;
  const size = 2 ** (32 - c.bits);
  const first = Math.floor(c.ip / size) * size;
  return { start: first, stop: first + size - 1, first, last: first + size - 1 };
}

/** True when `s` is a CIDR whose address has no bits set past the prefix (`10.0.0.0/8`, not `10.0.0.1/8`). */
export function isCanonicalCidr(s: string): boolean {
  return parseCidr(s) !== undefined;
}

/** The range from `start` to `stop` (inclusive, exact addresses), as Cilium LB-IPAM pools write them; `undefined` if malformed or backwards. */
export function parseIpRange(start: string, stop: string): IpRange | undefined {
  const a = parseIpv4(start);
  const b = parseIpv4(stop);
  return a === undefined || b === undefined || b < a ? undefined : { start: a, stop: b };
}

/**
 * An address block as written in a pool: a network-address CIDR (`10.0.50.96/28`), a range
 * (`10.0.50.100-10.0.50.120`, spaces allowed) or a single address. `undefined` if malformed or a range runs backwards.
 */
export function parseBlock(s: string): IpRange | undefined {
  if (s.includes('/')) return parseCidr(s);
  const [a, b, ...rest] = s.split('-');
  if (rest.length > 0) return undefined;
  const start = parseIpv4Trimmed(a);
  const stop = b === undefined ? start : parseIpv4Trimmed(b);
  if (start === undefined || stop === undefined || stop < start) return undefined;
  return { start, stop };
}

/** True when `ip` lies inside `r`. */
export function rangeContains(r: IpRange, ip: number): boolean {
  return ip >= r.start && ip <= r.stop;
}

/** True when two ranges share at least one address. */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.start <= b.stop && b.start <= a.stop;
}

/** `a ⊆ b`. */
export function rangeWithin(a: IpRange, b: IpRange): boolean {
  return a.start >= b.start && a.stop <= b.stop;
}

/** `a.b.c.d` for a single address, `a.b.c.d-e.f.g.h` for a longer range. */
export function formatRange(r: IpRange): string {
  return r.start === r.stop ? formatIpv4(r.start) : `${formatIpv4(r.start)}-${formatIpv4(r.stop)}`;
}
