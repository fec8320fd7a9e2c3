import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The reference estate is built like a user's repository: against the package's public entry
 * points only (`src/index.ts`, the `cdk8s-homelab` barrel, or `src/api/<area>.ts`, its subpath
 * exports), never a module of src/lib (or any other internal folder). A name the estate needs and
 * the API lacks is added to src/api, so users get it too.
 */

const ROOT = process.cwd();
const CLUSTERS_DIR = join(ROOT, 'src', 'clusters');

/** Every .ts file under a folder, recursively, sorted. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** Whether a relative import, resolved to a path under the repository, is allowed from a cluster file. */
function allowedTarget(target: string): boolean {
  const rel = relative(ROOT, target).split(sep).join('/').replace(/\.js$/, '.ts');
  if (rel.startsWith('src/clusters/')) return true;
  if (rel === 'src/index.ts') return true;
  return /^src\/api\/[^/]+\.ts$/.test(rel);
}

/**
 * The imports of one source text that reach past the public API: static imports, `export … from`,
 * `import type`, dynamic `import()` and `require` (TypeScript's own pre-processor finds them all).
 * Bare specifiers (packages such as `constructs`) are allowed.
 */
function internalImports(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.') || spec.startsWith('/'))
    .filter((spec) => !allowedTarget(resolve(dirname(file), spec)));
}

describe('the reference estate uses the public API only', () => {
  const files = tsFiles(CLUSTERS_DIR);

  test('src/clusters has cluster files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test('no file under src/clusters imports from src/lib (or anything but src/index.ts, src/api/*, src/clusters)', () => {
    const offending = files.flatMap((f) => internalImports(f, readFileSync(f, 'utf8')).map((spec) => `${relative(ROOT, f)}: ${spec}`));
    expect(offending).toEqual([]);
  });

  test('the checker finds every kind of internal import', () => {
    const file = join(CLUSTERS_DIR, 'example.ts');
    const text = [
      "import { HomelabCluster } from '../api/estate.js';",
      "import { Estate } from '../index.js';",
      "import { ARM_BASE } from './arm-base.js';",
      "import { Construct } from 'constructs';",
      "import { Cilium } from '../lib/platform/network/cilium.js';",
      "import type { NodeSpec } from '../lib/estate/node.js';",
      "export { Traefik } from '../lib/platform/ingress/index.js';",
      "const m = await import('../lib/apps/index.js');",
      "import { runEstateChecks } from '../testing/estate-checks.js';",
      "import { nested } from '../api/nested/deep.js';",
    ].join('\n');
    expect(internalImports(file, text)).toEqual([
      '../lib/platform/network/cilium.js',
      '../lib/estate/node.js',
      '../lib/platform/ingress/index.js',
      '../lib/apps/index.js',
      '../testing/estate-checks.js',
      '../api/nested/deep.js',
    ]);
  });
});
