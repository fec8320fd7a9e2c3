#!/usr/bin/env node
// Type-check step of `npm run synth` and `npm test`: runs `tsc --noEmit` (incremental) unless
// nothing tsc reads has changed since its last clean run. Even incremental, tsc parses all ~900
// files on every run (5–15 s of wall time on the 2-core machines) just to find that nothing
// changed; a fingerprint of the inputs' paths, sizes and modification times answers that in
// milliseconds. The fingerprint is written only after a clean check, so a type error is reported
// again on every run until it is fixed. TYPECHECK_FORCE=1 always runs tsc.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampPath = join(root, 'build', '.typecheck-ok');
const buildInfo = join('build', '.tsbuildinfo');

/** Every file tsc's result depends on that a developer edits: sources, config, the lockfile (types of dependencies). */
function inputs() {
  const out = ['tsconfig.json', 'package-lock.json'].map((f) => join(root, f)).filter(existsSync);
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) out.push(p);
    }
  };
  for (const dir of ['src', 'imports', 'bench', 'test']) walk(join(root, dir));
  return out.sort();
}

function fingerprint() {
  const h = createHash('sha256');
  for (const file of inputs()) {
    const s = statSync(file);
    h.update(`${relative(root, file)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest('hex');
}

const before = fingerprint();
if (!process.env.TYPECHECK_FORCE && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === before) process.exit(0);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
// Files edited while tsc ran were maybe not seen: record the fingerprint only if nothing moved.
if (fingerprint() === before) {
  mkdirSync(dirname(stampPath), { recursive: true });
  writeFileSync(stampPath, before);
}
