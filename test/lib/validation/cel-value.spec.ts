import { toCelValue, withDefaults, type DefaultingSchema } from '../../../src/lib/validation/cel-value.js';

const schema: DefaultingSchema = {
  type: 'object',
  properties: {
    replicas: { type: 'integer', default: 1 },
    ratio: { type: 'number' },
    namespace: { type: 'string' },
    path: { type: 'object', default: {}, properties: { type: { type: 'string', default: 'PathPrefix' }, value: { type: 'string', default: '/' } } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    items: { type: 'array', items: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
  },
};

describe('objects as the API server hands them to CEL', () => {
  test('absent properties get their defaults, nested defaults too; present values are kept', () => {
    expect(withDefaults({ items: [{}, { weight: 5 }] }, schema)).toEqual({
      replicas: 1,
      path: { type: 'PathPrefix', value: '/' },
      items: [{ weight: 1 }, { weight: 5 }],
    });
    expect(withDefaults({ replicas: 3, path: { value: '/x' } }, schema)).toEqual({ replicas: 3, path: { type: 'PathPrefix', value: '/x' } });
  });

  test('whole numbers are ints except under type number; properties escaped, map keys not', () => {
    const v = toCelValue({ replicas: 2, ratio: 2, namespace: 'ns', labels: { namespace: 'x' } }, schema) as Map<string, unknown>;
    expect(v.get('replicas')).toBe(2n);
    expect(v.get('ratio')).toBe(2);
    expect(v.get('__namespace__')).toBe('ns');
    expect((v.get('labels') as Map<string, unknown>).get('namespace')).toBe('x');
  });

  test('without a schema (preserved unknown fields) keys stay and whole numbers are ints', () => {
    expect(toCelValue({ 'a-b': [1, 1.5] }, undefined)).toEqual(new Map([['a-b', [1n, 1.5]]]));
  });
});
