import { escapePropertyName } from '../../../src/lib/validation/cel-names.js';

describe('property names as CEL rules see them', () => {
  test('CEL reserved words are wrapped in double underscores', () => {
    expect(escapePropertyName('namespace')).toBe('__namespace__');
    expect(escapePropertyName('if')).toBe('__if__');
  });

  test('odd characters are spelled out, plain names kept', () => {
    expect(escapePropertyName('name')).toBe('name');
    expect(escapePropertyName('a.b-c/d')).toBe('a__dot__b__dash__c__slash__d');
    expect(escapePropertyName('x__y')).toBe('x__underscores__y');
  });

  test('names Kubernetes does not expose give undefined', () => {
    expect(escapePropertyName('1st')).toBeUndefined();
    expect(escapePropertyName('a b')).toBeUndefined();
  });
});
