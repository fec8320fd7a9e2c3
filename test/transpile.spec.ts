import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { tempRoot } from './helpers.js';

/**
 * scripts/transpile.mjs (the build step of `npm run synth` and `npm run bench`): ES module output
 * like tsc's for this package, only stale files rewritten, type errors left to `npm test`.
 */
describe('scripts/transpile.mjs', () => {
  const run = (out: string, ...dirs: string[]) =>
    spawnSync(process.execPath, ['scripts/transpile.mjs', ...dirs], { env: { ...process.env, TRANSPILE_OUT_DIR: out, TRANSPILE_VERBOSE: '1' }, encoding: 'utf8' });

  test('writes ES modules for the given folders, then only what changed', () => {
    const out = tempRoot('transpile-');
    const first = run(out, 'src/lib/docs');
    expect(first.status).toBe(0);
    const count = Number(/transpile: (\d+) of (\d+) files/.exec(first.stderr)?.[2]);
    expect(count).toBeGreaterThan(5);
    expect(first.stderr).toContain(`transpile: ${count} of ${count} files`);
    const js = readFileSync(join(out, 'src/lib/docs/markdown.js'), 'utf8');
    expect(js).toMatch(/^export function cell\(value\)/m);
    expect(js).not.toMatch(/exports\.|require\(/);
    expect(readFileSync(join(out, 'src/lib/docs/readme.js'), 'utf8')).toMatch(/^import \{ generatedHeader \} from '\.\.\/output\/yaml\.js';$/m);

    // The transpiled module runs.
    const used = spawnSync(process.execPath, ['--input-type=module', '-e', `import { table } from '${join(out, 'src/lib/docs/markdown.js')}'; console.log(table(['a'], [['x|y']]).join('\\n'));`], { encoding: 'utf8' });
    expect(used.stdout).toBe('| a |\n|---|\n| x\\|y |\n');

    expect(run(out, 'src/lib/docs').stderr).toContain(`transpile: 0 of ${count} files`);
    const later = new Date(Date.now() + 60_000);
    utimesSync('src/lib/docs/markdown.ts', later, later);
    try {
      expect(run(out, 'src/lib/docs').stderr).toContain(`transpile: 1 of ${count} files`);
    } finally {
      const now = new Date();
      utimesSync('src/lib/docs/markdown.ts', now, now);
    }
  });

  test('a transpile dying mid-write leaves no output in place: the next run completes the build exactly', () => {
    const reference = tempRoot('transpile-ref-');
    expect(run(reference, 'src/lib/estate').status).toBe(0);
    const out = tempRoot('transpile-killed-');
    const crashed = spawnSync(process.execPath, ['scripts/transpile.mjs', 'src/lib/estate'], { env: { ...process.env, TRANSPILE_OUT_DIR: out, TRANSPILE_CRASH_BEFORE_RENAME: '1' }, encoding: 'utf8' });
    expect(crashed.status).toBe(137);
    const js = (dir: string) => readdirSync(join(dir, 'src/lib/estate')).filter((f) => f.endsWith('.js')).sort();
    // the file being written exists only as its .partial: never as an output the next run would take as up to date
    expect(js(out)).toEqual([]);
    expect(run(out, 'src/lib/estate').status).toBe(0);
    expect(js(out)).toEqual(js(reference));
    for (const f of js(reference)) expect(readFileSync(join(out, 'src/lib/estate', f), 'utf8')).toBe(readFileSync(join(reference, 'src/lib/estate', f), 'utf8'));
  });
});
