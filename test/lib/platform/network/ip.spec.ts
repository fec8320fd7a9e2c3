import { formatIpv4, formatRange, parseBlock, parseCidr, parseIpv4, rangeWithin, rangesOverlap } from '../../../../src/lib/estate/ip.js';

describe('IPv4 pools arithmetic', () => {
  test('parses and formats addresses', () => {
    expect(parseIpv4('10.0.50.100')).toBe(167785060);
    expect(formatIpv4(167785060)).toBe('10.0.50.100');
    expect(formatIpv4(parseIpv4('255.255.255.255')!)).toBe('255.255.255.255');
    for (const bad of ['10.0.50', '10.0.50.256', '10.0.50.1.2', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBeUndefined();
  });

  test('parses CIDRs (network address only), ranges and single addresses', () => {
    expect(formatRange(parseCidr('10.0.50.96/28')!)).toBe('10.0.50.96-10.0.50.111');
    expect(parseCidr('10.0.50.97/28')).toBeUndefined();
    expect(parseCidr('10.0.50.0/33')).toBeUndefined();
    expect(formatRange(parseBlock('10.0.50.100-10.0.50.120')!)).toBe('10.0.50.100-10.0.50.120');
    expect(formatRange(parseBlock('10.0.50.7')!)).toBe('10.0.50.7');
    expect(parseBlock('10.0.50.120-10.0.50.100')).toBeUndefined();
    expect(parseBlock('10.0.50.1-10.0.50.2-10.0.50.3')).toBeUndefined();
  });

  test('overlap and containment', () => {
    const subnet = parseCidr('10.0.50.0/24')!;
    expect(rangeWithin(parseBlock('10.0.50.100-10.0.50.120')!, subnet)).toBe(true);
    expect(rangeWithin(parseBlock('10.0.50.250-10.0.51.5')!, subnet)).toBe(false);
    expect(rangesOverlap(parseBlock('10.0.50.1-10.0.50.10')!, parseBlock('10.0.50.10')!)).toBe(true);
    expect(rangesOverlap(parseBlock('10.0.50.1-10.0.50.9')!, parseBlock('10.0.50.10')!)).toBe(false);
  });
});
