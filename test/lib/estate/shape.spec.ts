import { describeValue, Shape, shapeProblems } from '../../../src/lib/estate/shape.js';

const PORT: Shape = { fields: { name: 'string', port: 'integer', protocol: { enum: ['TCP', 'UDP'] } }, required: ['name', 'port'] };

describe('shapeProblems', () => {
  it('accepts a value that fits', () => {
    expect(shapeProblems({ name: 'http', port: 80, protocol: 'TCP' }, PORT, 'ports[0]')).toEqual([]);
  });

  it('names each mismatch with its path', () => {
    expect(shapeProblems({ name: 7, port: 1.5, protocol: 'SCTP' }, PORT, 'ports[0]')).toEqual([
      { path: 'ports[0].name', message: 'must be a string, not 7' },
      { path: 'ports[0].port', message: 'must be a whole number, not 1.5' },
      { path: 'ports[0].protocol', message: "must be one of 'TCP', 'UDP', not the string 'SCTP'" },
    ]);
  });

  it('reports a missing required field and an unknown one with a suggestion', () => {
    expect(shapeProblems({ name: 'http', portt: 80 }, PORT, '')).toEqual([
      { path: 'port', message: 'is required' },
      { path: 'portt', message: "is not a known field (did you mean 'port'?)" },
    ]);
  });

  it('accepts unknown fields in an open shape and skips undefined values', () => {
    expect(shapeProblems({ a: 'x', extra: 1, b: undefined }, { fields: { a: 'string', b: 'integer' }, open: true }, '')).toEqual([]);
  });

  it('walks lists and maps', () => {
    expect(shapeProblems([PORT, 'x'].map(() => ({ name: 'a', port: 'b' })), { list: PORT }, 'ports')).toEqual([
      { path: 'ports[0].port', message: "must be a whole number, not the string 'b'" },
      { path: 'ports[1].port', message: "must be a whole number, not the string 'b'" },
    ]);
    expect(shapeProblems({ A: 'x', B: 2 }, { map: 'string' }, 'env')).toEqual([{ path: 'env.B', message: 'must be a string, not 2' }]);
    expect(shapeProblems('80', { list: 'integer' }, 'ports')).toEqual([{ path: 'ports', message: "must be a list, not the string '80'" }]);
    expect(shapeProblems([1], { map: 'string' }, 'env')).toEqual([{ path: 'env', message: 'must be a map, not a list' }]);
  });

  it('explains a oneOf mismatch by its closest option', () => {
    const env: Shape = { oneOf: ['string', { fields: { secretKeyRef: { fields: { name: 'string', key: 'string' }, required: ['name', 'key'] } }, required: ['secretKeyRef'] }] };
    expect(shapeProblems('v', env, 'env.X')).toEqual([]);
    expect(shapeProblems({ secretKeyRef: { name: 's' } }, env, 'env.X')).toEqual([{ path: 'env.X.secretKeyRef.key', message: 'is required' }]);
  });

  it('rejects non-finite numbers and uses custom tests', () => {
    expect(shapeProblems(Infinity, 'number', 'replicas')).toEqual([{ path: 'replicas', message: 'must be a number, not Infinity' }]);
    expect(shapeProblems(NaN, 'integer', 'replicas')).toEqual([{ path: 'replicas', message: 'must be a whole number, not NaN' }]);
    const even: Shape = { test: (v) => typeof v === 'number' && v % 2 === 0, expected: 'an even number' };
    expect(shapeProblems(3, even, 'n')).toEqual([{ path: 'n', message: 'must be an even number, not 3' }]);
    expect(shapeProblems({}, 'any', 'x')).toEqual([]);
  });

  it('describes values briefly', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue('x'.repeat(50))).toBe(`the string '${'x'.repeat(40)}…'`);
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({})).toBe('a map');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
