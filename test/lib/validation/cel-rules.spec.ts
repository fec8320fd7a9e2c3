import { locationSteps, ruleSites, schemaAt } from '../../../src/lib/validation/cel-rules.js';

describe('where a rule applies', () => {
  const obj = { spec: { listeners: [{ tls: { mode: 'x' } }, { name: 'plain' }], labels: { a: '1', b: '2' } } };

  test('properties, every list item and every map value; absent optional fields give no site', () => {
    expect(ruleSites(obj, '/properties/spec/properties/listeners/items/properties/tls')).toEqual([{ value: { mode: 'x' }, path: ['spec', 'listeners', 0, 'tls'] }]);
    expect(ruleSites(obj, '/properties/spec/properties/labels/additionalProperties').map((s) => s.path)).toEqual([['spec', 'labels', 'a'], ['spec', 'labels', 'b']]);
    expect(ruleSites(obj, '/properties/spec/properties/missing')).toEqual([]);
    expect(ruleSites(obj, '')).toEqual([{ value: obj, path: [] }]);
  });

  test('pointer tokens are unescaped and anything but the three steps is refused', () => {
    expect(locationSteps('/properties/a~1b~0c/items')).toEqual([{ property: 'a/b~c' }, 'items']);
    expect(() => locationSteps('/allOf/0')).toThrow(/unexpected 'allOf'/);
  });

  test('the schema node at a location', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { l: { type: 'array', items: { type: 'integer' } } } } } };
    expect(schemaAt(schema, '/properties/spec/properties/l/items')).toEqual({ type: 'integer' });
    expect(schemaAt(schema, '/properties/nope/items')).toBeUndefined();
  });
});
