import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempRoot } from './helpers.js';

/**
 * scripts/typecheck.mjs (the type-check step of `npm run synth` and `npm test`): tsc runs when an
 * input changed, is skipped when none did, and a type error is reported on every run until fixed.
 * Exercised on a two-file project beside a copy of the script, so it takes seconds, not the repo's tsc.
 */
describe('scripts/typecheck.mjs', () => {
  const project = (): string => {
    const dir = tempRoot('typecheck-');
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'src'));
    copyFileSync(resolve('scripts/typecheck.mjs'), join(dir, 'scripts/typecheck.mjs'));
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src/**/*.ts'] }));
    writeFileSync(join(dir, 'src/a.ts'), 'export const a: number = 10;\n');
    return dir;
  };
  const run = (dir: string) => spawnSync(process.execPath, ['scripts/typecheck.mjs'], { cwd: dir, encoding: 'utf8' });

  test('checks, records a clean run, skips when nothing changed, and rechecks a changed file', () => {
    const dir = project();
    const file = join(dir, 'src/a.ts');
    // A whole-second time, so that setting it again below restores it exactly.
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(file, mtime, mtime);
    expect(run(dir).status).toBe(0);
    expect(existsSync(join(dir, 'build/.typecheck-ok'))).toBe(true);

    // Same size and modification time: the fingerprint cannot see the change, so tsc is skipped —
    // which shows the skip (this edit is a type error tsc would report).
    writeFileSync(file, "export const a: number = '';\n");
    expect(statSync(file).size).toBe(29);
    utimesSync(file, mtime, mtime);
    expect(run(dir).status).toBe(0);

    // A real change (new modification time) runs tsc, which reports the error, on every run.
    const later = new Date(mtime.getTime() + 5000);
    utimesSync(file, later, later);
    const failed = run(dir);
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toContain("Type 'string' is not assignable to type 'number'");
    expect(run(dir).status).not.toBe(0);

    writeFileSync(file, 'export const a: number = 2;\n');
    expect(run(dir).status).toBe(0);
  });
});
