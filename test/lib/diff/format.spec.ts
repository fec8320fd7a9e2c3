import { fieldChanges, formatValue } from '../../../src/lib/diff/field-diff.js';
import { formatFullDiff } from '../../../src/lib/diff/full.js';
import { code, formatSummary } from '../../../src/lib/diff/summary.js';
import { unifiedDiff } from '../../../src/lib/diff/unified.js';
import { deployment, diffPlain, tree } from './support.js';

describe('diff formatting', () => {
  test('unified diff: hunks with three lines of context, removals before additions, nothing for equal texts', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const b = a.map((l, i) => (i === 2 ? 'two' : i === 15 ? 'fifteen' : l));
    expect(unifiedDiff(a.join('\n'), b.join('\n'), 'a/x', 'b/x')).toBe([
      '--- a/x', '+++ b/x',
      '@@ -1,6 +1,6 @@', ' line 0', ' line 1', '-line 2', '+two', ' line 3', ' line 4', ' line 5',
      '@@ -13,7 +13,7 @@', ' line 12', ' line 13', ' line 14', '-line 15', '+fifteen', ' line 16', ' line 17', ' line 18',
      '',
    ].join('\n'));
    expect(unifiedDiff('same\n', 'same\n', 'a', 'b')).toBe('');
    expect(unifiedDiff('', 'new\n', '/dev/null', 'b/x')).toBe('--- /dev/null\n+++ b/x\n@@ -0,0 +1,1 @@\n+new\n');
  });

  test('field paths: named list items by name, scalar lists whole, odd keys quoted; values compact and cut', () => {
    const a = { spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', args: ['--v=1'] }] }, metadata: { annotations: { 'a.io/x': '1' } } };
    const b = { spec: { containers: [{ name: 'b', args: ['--v=2'] }, { name: 'a', image: 'x:2' }] }, metadata: { annotations: { 'a.io/x': '2' } } };
    expect(fieldChanges(a, b).map((f) => f.path)).toEqual(['spec.containers[name=a].image', 'spec.containers[name=b].args', 'metadata.annotations["a.io/x"]']);
    expect(formatValue(undefined)).toBe('(unset)');
    expect(formatValue('x'.repeat(200), 10)).toBe('"xxxxxxxx…');
    expect([code('a'), code('a`b')]).toEqual(['`a`', '`` a`b ``']);
  });

  test('the same two trees give byte-identical summary and full diff', async () => {
    const a = tree({ 'apps/b/app/d.yaml': [deployment('b')], 'apps/a/app/d.yaml': [deployment('a')] });
    const b = tree({ 'apps/a/app/d.yaml': [deployment('a', 'ghcr.io/example/app:2.0.0')], 'apps/c/app/d.yaml': [deployment('c')] });
    const [r1, r2] = [await diffPlain(a, b), await diffPlain(new Map([...a].reverse()), new Map([...b].reverse()))];
    expect(formatSummary(r2)).toBe(formatSummary(r1));
    expect(formatFullDiff(r2)).toBe(formatFullDiff(r1));
    expect(r1.entries.map((e) => `${e.status} ${e.key}`)).toEqual(['changed lab/apps/a/apps/Deployment/demo/a', 'removed lab/apps/b/apps/Deployment/demo/b', 'added lab/apps/c/apps/Deployment/demo/c']);
  });
});
