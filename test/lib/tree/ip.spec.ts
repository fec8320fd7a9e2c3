import { isCanonicalCidr, parseCidr, parseIpRange, parseIpv4, parseIpv4Trimmed, parseSubnet } from '../../../src/lib/estate/ip.js';
import { inDomain, isHostname, isRouteHostname, routeHostInDomain } from '../../../src/lib/estate/hostnames.js';

// The model's IPv4 and hostname modules, which the tree accessors read pools and routes with.
describe('IPv4: the two readings of a CIDR, exact and trimmed addresses', () => {
  test('parseCidr takes a network address only; parseSubnet masks host bits', () => {
    expect(parseCidr('10.0.50.1/24')).toBeUndefined();
    expect(parseSubnet('10.0.50.1/24')).toEqual({ start: 167784960, stop: 167785215, first: 167784960, last: 167785215 });
    expect(isCanonicalCidr('10.0.50.0/24')).toBe(true);
    expect(isCanonicalCidr('10.0.50.1/24')).toBe(false);
    expect(parseSubnet('10.0.50.0/33')).toBeUndefined();
  });

  test('parseIpv4 is exact, parseIpv4Trimmed ignores surrounding spaces; ranges run forwards', () => {
    expect(parseIpv4(' 10.0.0.1')).toBeUndefined();
    expect(parseIpv4Trimmed(' 10.0.0.1 ')).toBe(167772161);
    expect(parseIpRange('10.0.0.2', '10.0.0.1')).toBeUndefined();
    expect(parseIpRange('10.0.0.1', '10.0.0.2')).toEqual({ start: 167772161, stop: 167772162 });
  });
});

describe('hostnames', () => {
  test('model hostnames are exact; route hostnames may be wildcards, in any case', () => {
    expect(isHostname('app.example.com')).toBe(true);
    expect(isHostname(`${'a'.repeat(64)}.example.com`)).toBe(false);
    expect(inDomain('app.Example.com', 'example.com')).toBe(false);
    expect(routeHostInDomain('*.App.Example.com', 'example.com')).toBe(true);
    expect(isRouteHostname('*.example.com')).toBe(true);
    expect(isRouteHostname('my_app.example.com')).toBe(false);
  });
});
