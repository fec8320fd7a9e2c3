import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * The everyday `npm run synth` changes nothing: the sources, the compiled code and the tree are as
 * the last run left them. Synth is deterministic in exactly these inputs, so when their fingerprint
 * (paths, sizes, modification times) and the arguments match the last successful run's, that run's
 * output is printed again instead of loading the library (~0.7 s of modules) and synthesizing
 * (~0.9 s). Kept light on purpose: node built-ins only, loaded before anything else.
 *
 * Inputs: src/, build/ (what runs), imports/ (schemas read at run time), clusters/ (the old tree the
 * data-loss check reads, SOPS files), the files at the repository root (lockfile, settings), the
 * arguments and every HOMELAB_* variable. HOMELAB_FORCE_SYNTH=1 always synthesizes.
 */

const STAMP = join('build', '.last-synth.json');
const WATCHED_DIRS = ['src', 'build', 'imports', 'clusters'];

interface Stamp {
  readonly fingerprint: string;
  readonly output: readonly string[];
}

/** Fingerprint of every input of a synth run in `root`, with these arguments. */
export function synthFingerprint(root: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(argv));
  for (const key of Object.keys(env).filter((k) => k.startsWith('HOMELAB_')).sort()) h.update(`\0${key}=${env[key]}`);
  const add = (file: string): void => {
    const s = statSync(file);
    h.update(`\n${relative(root, file)}\0${s.size}\0${s.mtimeMs}`);
  };
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && p !== join(root, STAMP)) add(p);
    }
  };
  for (const e of readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) if (e.isFile()) add(join(root, e.name));
  for (const dir of WATCHED_DIRS) walk(join(root, dir));
  return h.digest('hex');
}

/** The last successful run's output, when nothing it depended on has changed since; else undefined. */
export function unchangedSinceLastRun(root: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): readonly string[] | undefined {
  if (env.HOMELAB_FORCE_SYNTH || env.CDK8S_OUTDIR !== undefined) return undefined;
  const path = join(root, STAMP);
  if (!existsSync(path)) return undefined;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(path, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  return stamp.fingerprint === synthFingerprint(root, argv, env) ? stamp.output : undefined;
}

/** Records a successful run: its output and the fingerprint of its inputs as it left them. */
export function recordRun(root: string, argv: readonly string[], output: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const path = join(root, STAMP);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ fingerprint: synthFingerprint(root, argv, env), output } satisfies Stamp));
}
