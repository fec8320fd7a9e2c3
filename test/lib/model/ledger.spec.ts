import { DerivedKind, FactKind, Ledger } from '../../../src/lib/model/ledger.js';

const ROUTE = new FactKind<{ hostname: string }>('route');
const PORT = new FactKind<number>('port');
const TOTAL = new DerivedKind<number>('total');

describe('Ledger', () => {
  test('keeps facts per kind in recording order', () => {
    const l = new Ledger();
    l.record(ROUTE, { hostname: 'a' });
    l.record(PORT, 80);
    l.record(ROUTE, { hostname: 'b' });
    expect(l.all(ROUTE).map((r) => r.hostname)).toEqual(['a', 'b']);
    expect(l.all(PORT)).toEqual([80]);
    expect(l.has(PORT)).toBe(true);
    expect(l.has(new FactKind<number>('port'))).toBe(false);
  });

  test('lists an owner\'s facts without the others', () => {
    const l = new Ledger();
    const one = {};
    const two = {};
    l.record(PORT, 1, one);
    l.record(PORT, 2, two);
    l.record(PORT, 3, one);
    l.record(PORT, 4);
    expect(l.of(PORT, one)).toEqual([1, 3]);
    expect(l.of(PORT, two)).toEqual([2]);
    expect(l.of(ROUTE, one)).toEqual([]);
    expect(l.all(PORT)).toEqual([1, 2, 3, 4]);
  });

  test('derives a value once', () => {
    const l = new Ledger();
    let calls = 0;
    const derive = (): number => ++calls * 10;
    expect(l.derive(TOTAL, derive)).toBe(10);
    expect(l.derive(TOTAL, derive)).toBe(10);
    expect(calls).toBe(1);
  });
});
