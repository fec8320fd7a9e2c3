import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Test files are grouped: each `*.test.ts` runner loads every `*.spec.ts` under its scope into one
 * Jest module registry. Jest evaluates a test file's whole module graph afresh (the library, the
 * generated imports/, the validators: ~1.4 s of CPU), so 92 files paid it 92 times, about half of
 * `npm test`'s CPU time; 14 runners pay it 14 times. One spec still runs on its own with
 * `npm run test:spec -- <path>`.
 */

const TEST_DIR = join(process.cwd(), 'test');

/** Every `*.spec.ts` below `test/<scope>` (only directly in it when not recursive), sorted. */
export function specFiles(scope: string, recursive = true): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (recursive && e.name !== 'fixtures' && e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.spec.ts')) out.push(p);
    }
  };
  walk(join(TEST_DIR, scope));
  return out.sort();
}

/**
 * Imports the specs of a scope in order; their describe/test calls register with the runner. A
 * spec that fails to load (a broken cluster at module level, a syntax error) fails as one test
 * named after its file; the other specs of the runner still run.
 */
export async function loadSpecs(scope: string, recursive = true): Promise<void> {
  for (const file of specFiles(scope, recursive)) {
    const name = relative(TEST_DIR, file);
    let loadError: unknown;
    await import(file).catch((e: unknown) => { loadError = e ?? new Error(`${name} failed to load`); });
    if (loadError !== undefined) {
      describe(name, () => {
        test('loads', () => {
          throw loadError;
        });
      });
    }
  }
}
