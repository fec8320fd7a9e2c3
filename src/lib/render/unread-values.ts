import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Names a chart's templates mention, and those they take whole (not dereferenced further). */
interface TemplateNames {
  readonly mentioned: ReadonlySet<string>;
  readonly whole: ReadonlySet<string>;
}

const namesByChart = new Map<string, TemplateNames>();

/**
 * Values keys a release sets that no template of the chart (or its subcharts) can read: the
 * key's own name appears in no template, and no parent key is taken whole (`toYaml
 * .Values.podAnnotations`, `range .Values.env`, `index .Values "x"`). A heuristic, so a warning:
 * it catches typos and keys a chart bump renamed, which the values schema misses when the chart
 * has none (or allows additional properties).
 */
export function unreadValueKeys(chartDir: string, values: Record<string, unknown>): string[] {
  const names = templateNames(chartDir);
  return leafPaths(values).filter((path) => !isRead(path, names)).map((p) => p.join('.'));
}

function isRead(path: readonly string[], names: TemplateNames): boolean {
  if (path[0] === 'global') return true; // shared with every subchart; read or not, it is Helm's convention
  if (names.mentioned.has(path[path.length - 1])) return true;
  return path.slice(0, -1).some((segment) => names.whole.has(segment));
}

/** Paths of every leaf (scalar, list, or empty map) of a values map. */
export function leafPaths(values: Record<string, unknown>, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(values)) {
    const path = [...prefix, k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) out.push(...leafPaths(v as Record<string, unknown>, path));
    else out.push(path);
  }
  return out;
}

function templateNames(chartDir: string): TemplateNames {
  let names = namesByChart.get(chartDir);
  if (!names) {
    const mentioned = new Set<string>();
    const whole = new Set<string>();
    for (const file of templateFiles(chartDir)) collectNames(readFileSync(file, 'utf8'), mentioned, whole);
    names = { mentioned, whole };
    namesByChart.set(chartDir, names);
  }
  return names;
}

/** Template and file sources of a chart and of every subchart below `charts/`. */
function templateFiles(chartDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, inChart: boolean) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, inChart || e.name === 'templates' || e.name === 'files');
      else if (inChart && e.isFile()) out.push(p);
    }
  };
  walk(chartDir, false);
  return out.sort();
}

/** Collects `.name` selectors and quoted names inside `{{ … }}` actions. */
function collectNames(text: string, mentioned: Set<string>, whole: Set<string>): void {
  for (const action of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const body = action[1];
    for (const m of body.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)(?=(\.?))/g)) {
      mentioned.add(m[1]);
      if (m[2] !== '.') whole.add(m[1]);
    }
    for (const m of body.matchAll(/"([A-Za-z_][A-Za-z0-9_.-]*)"/g)) {
      for (const part of m[1].split('.')) {
        mentioned.add(part);
        whole.add(part);
      }
    }
  }
}
