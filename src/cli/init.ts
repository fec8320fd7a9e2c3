import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scaffolds `cdk8s-homelab init` knows (templates/<name>/cluster.ts). */
/** The scaffold's own package version: the user's estate starts unreleased (not a dependency pin). */
const SCAFFOLD_PACKAGE_VERSION = '0.0.0';

export const TEMPLATES = ['talos-single-node', 'talos-ha', 'k3s', 'oke'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export interface ScaffoldOptions {
  readonly template: TemplateName;
  /** Cluster name (a DNS label). @default the directory's name, made a DNS label */
  readonly name?: string;
  /** What package.json depends on: a version range, or `file:<tarball>`. @default '^<this library's version>' */
  readonly library?: string;
}

const INIT_USAGE = `usage: cdk8s-homelab init <dir> --template <${TEMPLATES.join('|')}> [--name NAME] [--library SPEC]`;

/** The library's package root (package.json beside src/ or dist/). */
function packageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    if (dirname(dir) === dir) throw new Error('cdk8s-homelab: templates/ not found beside package.json (a broken install?)');
  }
}

interface LibraryPackage {
  readonly name: string;
  readonly version: string;
  readonly engines?: { node?: string };
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/** `my-Lab_2` → `my-lab-2`; '' when nothing usable is left. */
function dnsLabel(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

/** `my-lab` → `myLab` (a function name); prefixed when it would start with a digit. */
function functionName(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(camel) ? `cluster${camel}` : camel;
}

/** Every file of a folder, paths relative to it, sorted. */
function walk(dir: string, base = dir, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, base, out);
    else out.push(relative(base, p));
  }
  return out.sort();
}

/** Template path → scaffold path: a leading `_` in a segment is a `.`; `gitignore` is `.gitignore`. */
function targetPath(path: string): string {
  return path.split('/').map((seg) => (seg === 'gitignore' ? '.gitignore' : seg.replace(/^_/, '.'))).join('/');
}

/**
 * The files of a new estate repository, path → content. Pure: `runInit` writes them.
 */
export function scaffold(options: ScaffoldOptions): Map<string, string> {
  const root = packageRoot();
  const lib = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as LibraryPackage;
  const name = options.name ?? 'home';
  const node = /(\d+)/.exec(lib.engines?.node ?? '22')?.[1] ?? '22';
  const vars: Record<string, string> = { name, fn: functionName(name), template: options.template, library: options.library ?? `^${lib.version}`, node };
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
  const files = new Map<string, string>();
  const common = join(root, 'templates', 'common');
  for (const path of walk(common)) files.set(targetPath(path), fill(readFileSync(join(common, path), 'utf8')));
  files.set(`src/clusters/${name}.ts`, fill(readFileSync(join(root, 'templates', options.template, 'cluster.ts'), 'utf8')));
  // The user's direct dependencies, at the versions the library itself is built and tested with.
  const pin = (dep: string) => lib.dependencies?.[dep] ?? lib.devDependencies?.[dep];
  const pkg = {
    name: `${name}-estate`,
    version: SCAFFOLD_PACKAGE_VERSION,
    private: true,
    description: `Homelab estate (cdk8s-homelab, template ${options.template}): the Flux trees under clusters/ are generated from src/.`,
    type: 'module',
    engines: { node: lib.engines?.node ?? '>=22' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      synth: 'tsc -p tsconfig.json && cdk8s-homelab synth',
      test: 'tsc -p tsconfig.json && node --test build/test/estate.test.js',
      diff: 'tsc -p tsconfig.json && cdk8s-homelab diff',
      render: 'tsc -p tsconfig.json && cdk8s-homelab render',
    },
    'cdk8s-homelab': { estate: 'build/src/main.js' },
    dependencies: { [lib.name]: vars.library, cdk8s: pin('cdk8s'), constructs: pin('constructs') },
    devDependencies: { '@types/node': pin('@types/node'), typescript: pin('typescript') },
  };
  files.set('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `cdk8s-homelab init <dir> --template T [--name N] [--library SPEC]`; returns the exit code. */
export function runInit(argv: readonly string[], cwd: string, log: (line: string) => void = console.log): number {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(template|name|library)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined) return usage(log, `--${m[1]} needs a value`);
      flags.set(m[1], value);
    } else if (a.startsWith('-')) return usage(log, `unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) return usage(log, 'name exactly one directory');
  const template = flags.get('template');
  if (template === undefined) return usage(log, '--template is required');
  if (!(TEMPLATES as readonly string[]).includes(template)) return usage(log, `unknown template '${template}'`);
  const dir = resolve(cwd, positional[0]);
  const name = flags.get('name') ?? (dnsLabel(basename(dir)) || 'home');
  if (!/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(name)) return usage(log, `--name '${name}' is not a DNS label (lower-case letters, digits, '-')`);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) {
      log(`init: ${dir} exists and is not a directory; nothing was written`);
      return 1;
    }
    const entries = readdirSync(dir).filter((e) => e !== '.git');
    if (entries.length > 0) {
      log(`init: ${dir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}); nothing was written. Pick a new or empty directory.`);
      return 1;
    }
  }
  const files = scaffold({ template: template as TemplateName, name, library: flags.get('library') });
  for (const [path, content] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    if (path === '.ci/run') chmodSync(full, 0o755);
  }
  log(`init: wrote ${files.size} files to ${relative(cwd, dir) || '.'} (template ${template}, cluster ${name}). Next:`);
  log(`  cd ${relative(cwd, dir) || '.'} && npm install && npm run synth && npm test`);
  return 0;
}

function usage(log: (line: string) => void, message: string): number {
  log(`init: ${message}\n${INIT_USAGE}`);
  return 2;
}
