// Architecture rules of src/ (issue #17), checked by test/architecture.spec.ts and runnable by hand:
//   node scripts/architecture.mjs      prints import cycles, oversized files and module-level registries.
// Rules: no import cycle (type-only imports count: they tie modules together just as much), no file
// in src/lib over 400 lines, no module-level WeakMap (per-construct state lives on the construct or in
// the cluster's ledger, src/lib/model/ledger.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_LINES = 400;

/** Every .ts file below `dir`, repository-relative, sorted. */
export function sourceFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const IMPORT = /^(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

/** file → the files it imports (relative imports only, type-only included). */
export function importGraph(files) {
  const graph = new Map();
  for (const file of files) {
    const deps = new Set();
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const base = path.resolve(path.dirname(file), m[1]).replace(/\.js$/, '');
      const hit = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
      if (hit) deps.add(path.relative(process.cwd(), hit));
    }
    graph.set(file, [...deps].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
export function importCycles(graph) {
  let next = 0;
  const index = new Map(), low = new Map(), stack = [], onStack = new Set(), cycles = [];
  const visit = (v) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1) cycles.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Files over {@link MAX_LINES} lines: `[file, lines]`. */
export function oversizedFiles(files) {
  return files
    .map((f) => [f, fs.readFileSync(f, 'utf8').split('\n').length - 1])
    .filter(([, n]) => n > MAX_LINES);
}

const REGISTRY = /^(?:export\s+)?(?:const|let)\s+\w+\s*=\s*new WeakMap|^\s+(?:private\s+|public\s+|protected\s+)?static\s+(?:readonly\s+)?\w+\s*=\s*new WeakMap/gm;

/** Module-level (or static) WeakMaps: `file:line`. */
export function moduleRegistries(files) {
  const out = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(REGISTRY)) out.push(`${f}:${text.slice(0, m.index).split('\n').length}`);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = sourceFiles(process.argv[2] ?? 'src');
  const cycles = importCycles(importGraph(files));
  const big = oversizedFiles(files.filter((f) => f.startsWith(`src${path.sep}lib`)));
  const registries = moduleRegistries(files);
  console.log(`${cycles.length} import cycle(s)`);
  for (const c of cycles) console.log(`  ${c.join(' ')}`);
  console.log(`${big.length} file(s) over ${MAX_LINES} lines`);
  for (const [f, n] of big) console.log(`  ${f} ${n}`);
  console.log(`${registries.length} module-level registr${registries.length === 1 ? 'y' : 'ies'}`);
  for (const r of registries) console.log(`  ${r}`);
  process.exitCode = cycles.length + big.length + registries.length > 0 ? 1 : 0;
}
