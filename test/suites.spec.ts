import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { specFiles } from './specs.js';

/** Every spec runs: each `*.spec.ts` is loaded by exactly one `*.test.ts` runner (test/specs.ts). */
describe('test runners', () => {
  const runners = (dir: string, out: string[] = []): string[] => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'fixtures') runners(p, out);
      else if (e.name.endsWith('.test.ts')) out.push(p);
    }
    return out;
  };

  test('every spec file is loaded by exactly one runner', () => {
    const loadedBy = new Map<string, string[]>();
    for (const runner of runners('test')) {
      const calls = [...readFileSync(runner, 'utf8').matchAll(/loadSpecs\('([^']+)'(, false)?\)/g)];
      expect(calls.length).toBeGreaterThan(0);
      for (const [, scope, flat] of calls) {
        for (const spec of specFiles(scope, !flat)) loadedBy.set(relative('test', spec), [...(loadedBy.get(relative('test', spec)) ?? []), runner]);
      }
    }
    const all = specFiles('.').map((f) => relative('test', f));
    expect(all.length).toBeGreaterThan(90);
    expect(all.filter((f) => loadedBy.get(f)?.length !== 1).map((f) => `${f}: ${loadedBy.get(f)?.join(', ') ?? 'no runner'}`)).toEqual([]);
  });
});
