#!/usr/bin/env node
// Fast build for `npm run synth` and `npm run bench`: transpiles src/, imports/ and bench/ into build/
// with TypeScript's own transpiler and tsconfig.json's options, and only the files changed since
// their output was written. The project sets isolatedModules, so each file compiles on its own,
// byte-identical to what `tsc -p tsconfig.json` emits. A full `tsc` also type-checks the whole
// project (about 16 s of CPU on the 2-core machines); `npm test` and CI do that type-check, so synth
// does not pay it on every run. TRANSPILE_OUT_DIR overrides the output folder (tests).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsconfigPath = join(root, 'tsconfig.json');
const tsconfigText = readFileSync(tsconfigPath, 'utf8');
let compilerOptions;
try {
  compilerOptions = JSON.parse(tsconfigText).compilerOptions;
} catch {
  compilerOptions = undefined; // comments or trailing commas: TypeScript reads it below
}
const outDir = resolve(root, process.env.TRANSPILE_OUT_DIR ?? compilerOptions?.outDir ?? 'build');
// A changed tsconfig.json (or this script) changes every output.
const configTime = Math.max(statSync(tsconfigPath).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);

const sources = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) sources.push(p);
  }
};
for (const dir of process.argv.length > 2 ? process.argv.slice(2) : ['src', 'imports', 'bench']) walk(join(root, dir));

const outputOf = (file) => join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
const stale = sources.filter((file) => {
  const out = outputOf(file);
  if (!existsSync(out)) return true;
  const outTime = statSync(out).mtimeMs;
  return outTime < statSync(file).mtimeMs || outTime < configTime;
});

if (stale.length > 0) {
  // Loading TypeScript costs about 0.4 s: only when something is stale.
  const { default: ts } = await import('typescript');
  const { config, error } = ts.parseConfigFileTextToJson(tsconfigPath, tsconfigText);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
  // tsc picks NodeNext's output format from package.json ("type": "module": ES modules); a file
  // transpiled alone has no package scope, so it is told.
  options.module = ts.ModuleKind.ESNext;
  options.moduleResolution = ts.ModuleResolutionKind.Bundler;
  for (const file of stale) {
    const result = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    const problems = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (problems.length > 0) {
      for (const d of problems) console.error(`${relative(root, file)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      process.exit(1);
    }
    mkdirSync(dirname(outputOf(file)), { recursive: true });
    // Written beside and renamed: a transpile killed mid-write leaves no truncated file whose fresh
    // mtime would make the next run take it as up to date.
    const partial = `${outputOf(file)}.${process.pid}.partial`;
    writeFileSync(partial, result.outputText);
    // Test hook: die as a kill mid-write would, with the content written but not yet in place.
    if (process.env.TRANSPILE_CRASH_BEFORE_RENAME) process.exit(137);
    renameSync(partial, outputOf(file));
  }
}
if (process.env.TRANSPILE_VERBOSE) console.error(`transpile: ${stale.length} of ${sources.length} files written to ${relative(root, outDir) || '.'}/`);
