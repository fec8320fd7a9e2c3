import { stringify } from 'yaml';
import { buildEstate } from '../../../src/clusters/index.js';
import { fastYaml, toYaml } from '../../../src/lib/output/yaml.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { tempRoot } from '../../helpers.js';

/** What synth wrote before the fast path: the library with the project's options. */
const library = (v: unknown): string => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false, indentSeq: true, version: '1.1' });

/** Strings that are quoted, plain or special in YAML 1.1, in any position. */
const TRICKY = [
  '', ' ', 'plain', 'app.kubernetes.io/name', 'ghcr.io/a/b:1.2.3', 'a:b', 'a: b', 'x:', ':x', 'a #b', '#a', 'a#b', '- a', '-a', '-', '?', '? a',
  'yes', 'Yes', 'YES', 'no', 'No', 'y', 'Y', 'n', 'N', 'on', 'On', 'OFF', 'off', 'true', 'False', 'null', 'Null', 'NULL', '~', 'nothing', 'yesno',
  '1', '01', '1.0', '1e5', '.5', '.inf', '-.inf', '.nan', 'NaN', 'Infinity', '0x1F', '0o17', '0b101', '1_000', '+1', '-1', '1:20', '190:20:30',
  '2024-01-01', '2024-01-01T00:00:00Z', '100m', '128Mi', '10.42.0.0/16', '10.0.0.1', 'v1.2.3', '1.2.3-alpine', '*', '&a', '!tag', '|', '>', '%',
  '@x', '`x', "it's", '"q"', "'q'", '[x]', '{x}', 'a,b', 'a[0]', 'é', 'naïve', 'a\tb', ' lead', 'trail ', 'multi\nline', 'trailing\n', '<<', '=',
  'a=b', 'x+y', '_', '/', '/path/to', 'Host(`x.example.com`)', '${VAR}', 'a\\b', 'x'.repeat(1100), 'y '.repeat(600),
];

/** Deterministic pseudo-random values: nested maps and lists of tricky scalars. */
function* randomValues(count: number): Generator<unknown> {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const scalar = (): unknown => [() => TRICKY[rnd(TRICKY.length)], () => rnd(1000) - 500, () => rnd(2) === 0, () => null, () => rnd(1000) / 7][rnd(5)]();
  const value = (depth: number): unknown => {
    const kind = depth > 3 ? 0 : rnd(4);
    if (kind <= 1) return scalar();
    if (kind === 2) return Array.from({ length: rnd(4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = rnd(5); i > 0; i--) o[rnd(3) === 0 ? TRICKY[rnd(TRICKY.length)] : `k${rnd(50)}`] = rnd(10) === 0 ? undefined : value(depth + 1);
    return o;
  };
  for (let i = 0; i < count; i++) yield { root: value(0), list: [value(1), value(1)] };
}

describe('toYaml fast path', () => {
  test('writes every tricky scalar exactly as the library does, as value, list item and key', () => {
    for (const s of TRICKY) {
      for (const v of [{ k: s }, [s], { [s]: 1 }, { a: [{ [s]: [s] }] }]) expect([s, toYaml(v)]).toEqual([s, library(v)]);
    }
  });

  test('nested and empty collections, numbers, booleans, null and undefined', () => {
    const values: unknown[] = [
      { a: true, b: false, c: null, d: 1.5, e: -3, f: 1e21, g: 0.1, h: 12345678901234567890, i: [], j: {}, k: [[1, 2], [3, []], [{}]], l: [{ x: 1, y: [] }, {}], m: undefined },
      [{ a: 1 }, [1, [2]], 'x', { b: { c: { d: [] } } }],
      { '1': 4, 'a b': 1, 'a: b': 2, '': 3, yes: 5, 'x-y.z/w': 6 },
      { n: [undefined, null] }, { z: -0 }, { inf: Infinity }, {}, [], { date: new Date(0) },
    ];
    for (const v of values) expect(toYaml(v)).toBe(library(v));
  });

  test('random nested data: identical bytes whenever the fast path answers', () => {
    let fast = 0;
    for (const v of randomValues(3000)) {
      const f = fastYaml(v);
      if (f !== undefined) fast++;
      expect(toYaml(v)).toBe(library(v));
    }
    expect(fast).toBeGreaterThan(1000);
  });

  test('falls back to the library for what it does not write itself', () => {
    expect(fastYaml({ script: 'line 1\nline 2' })).toBeUndefined();
    expect(fastYaml({ z: -0 })).toBeUndefined();
    expect(fastYaml({ list: [1, undefined] })).toBeUndefined();
    expect(fastYaml({ when: new Date(0) })).toBeUndefined();
    expect(fastYaml('scalar')).toBeUndefined();
    expect(fastYaml({ a: 'x', b: [{ c: 1 }] })).toBe('a: x\nb:\n  - c: 1\n');
  });

  test('the whole reference estate: every object written byte-identical to the library, almost all by the fast path', () => {
    const result = synthesize(buildEstate(), { root: tempRoot('yaml-'), check: true });
    let total = 0;
    let fast = 0;
    for (const tree of result.trees) {
      for (const m of tree.manifests) {
        total++;
        if (fastYaml(m.object) !== undefined) fast++;
        expect([m.file, toYaml(m.object)]).toEqual([m.file, library(m.object)]);
      }
    }
    expect(total).toBeGreaterThan(300);
    expect(fast / total).toBeGreaterThan(0.9);
  });
});
