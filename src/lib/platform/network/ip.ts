/** IPv4 arithmetic for address pools: addresses as unsigned 32-bit numbers. */

/** A contiguous, inclusive range of IPv4 addresses. */
export interface IpRange {
  readonly start: number;
  readonly stop: number;
}

/** The address as a number, or undefined if `s` is not a dotted-quad IPv4 address. */
export function parseIpv4(s: string): number | undefined {
  const parts = s.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The range of a CIDR `a.b.c.d/n` (the address must be the network address), or undefined. */
export function parseCidr(s: string): IpRange | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const base = parseIpv4(m[1]);
  const bits = Number(m[2]);
  if (base === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  if (base % size !== 0) return undefined;
  return { start: base, stop: base + size - 1 };
}

/**
 * An address block as written in a pool: a CIDR (`10.0.50.96/28`), a range
 * (`10.0.50.100-10.0.50.120`) or a single address. Undefined if malformed or a range runs backwards.
 */
export function parseBlock(s: string): IpRange | undefined {
  if (s.includes('/')) return parseCidr(s);
  const [a, b, ...rest] = s.split('-');
  if (rest.length > 0) return undefined;
  const start = parseIpv4(a);
  const stop = b === undefined ? start : parseIpv4(b);
  if (start === undefined || stop === undefined || stop < start) return undefined;
  return { start, stop };
}

export function rangeContains(r: IpRange, ip: number): boolean {
  return ip >= r.start && ip <= r.stop;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.start <= b.stop && b.start <= a.stop;
}

/** `a ⊆ b`. */
export function rangeWithin(a: IpRange, b: IpRange): boolean {
  return a.start >= b.start && a.stop <= b.stop;
}

export function formatRange(r: IpRange): string {
  return r.start === r.stop ? formatIpv4(r.start) : `${formatIpv4(r.start)}-${formatIpv4(r.stop)}`;
}
