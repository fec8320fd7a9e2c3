#!/usr/bin/env node
// `npm run build:package` (and `prepack`, so `npm pack` / `npm publish` ship a fresh build): compiles
// the public entry points (src/index.ts, src/api/*, src/cli/*, src/testing/*) and everything they
// import, imports/ included, into dist/ with declarations (tsconfig.package.json). The JSON schemas
// and precompiled validators under imports/ ship as they are (package.json `files`): the library
// reads them beside its package.json at synth.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const dir of ['dist/src', 'dist/imports']) rmSync(join(root, dir), { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.package.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
chmodSync(join(root, 'dist', 'src', 'cli', 'bin.js'), 0o755);
