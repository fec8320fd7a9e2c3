import { compileRule, namesIn } from '../../../src/lib/validation/cel-compile.js';
import { parse } from '@bufbuild/cel';

describe('compiling CRD rules', () => {
  test('a rule of the standard library and its macros compiles to a program', () => {
    const c = compileRule("self.all(l, has(l.name) && l.name.startsWith('a')) && self.exists_one(l, l.name == 'ab') && self.map(l, l.name).size() == 2");
    expect(c.kind).toBe('program');
    if (c.kind === 'program') expect(c.program([{ name: 'ab' }, { name: 'ac' }])).toBe(true);
  });

  test('a rule reading oldSelf is a transition rule, never a program', () => {
    expect(compileRule('self == oldSelf')).toEqual({ kind: 'transition' });
    expect(compileRule('oldSelf == 0 || self == oldSelf')).toEqual({ kind: 'transition' });
  });

  test('a rule calling a function the evaluator lacks is unsupported, with the function named', () => {
    expect(compileRule('isURL(self) && quantity(self.q).isGreaterThan(quantity("1"))')).toEqual({
      kind: 'unsupported',
      reason: 'calls isGreaterThan(), isURL(), quantity(), which this evaluator does not implement',
    });
    expect(compileRule('self.lowerAscii() == self')).toEqual(expect.objectContaining({ kind: 'program' }));
  });

  test('a rule that does not parse is unsupported', () => {
    expect(compileRule('self ==')).toEqual({ kind: 'unsupported', reason: expect.stringMatching(/^does not parse: /) });
  });

  test('namesIn finds calls and identifiers in the expanded expression', () => {
    const { calls, idents } = namesIn(parse("self.a.startsWith('x') || isIP(b)").expr);
    expect([...calls].sort()).toEqual(['_||_', 'isIP', 'startsWith']);
    expect([...idents].sort()).toEqual(['b', 'self']);
  });
});
