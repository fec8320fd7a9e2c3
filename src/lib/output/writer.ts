import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isGenerated } from './yaml.js';

/** What a write changes, as repository-relative paths, sorted. */
export interface TreeDiff {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  readonly unchanged: number;
}

/** Lists every file under `dir` as paths relative to `root` (`/`-separated), sorted. */
export function listFiles(root: string, dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Compares the files synth wants with the generated files on disk under `root/outDir`.
 * Files without the generated marker are the user's: never counted as removed.
 */
export function diffTree(root: string, outDir: string, files: ReadonlyMap<string, string>): TreeDiff {
  const diff: TreeDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  const onDisk = new Set(listFiles(root, join(root, outDir)));
  for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!onDisk.has(path)) diff.added.push(path);
    else if (readFileSync(join(root, path), 'utf8') !== content) diff.changed.push(path);
    else (diff as { unchanged: number }).unchanged++;
  }
  for (const path of onDisk) {
    if (!files.has(path) && isGenerated(readFileSync(join(root, path), 'utf8'))) diff.removed.push(path);
  }
  return diff;
}

/**
 * Replaces `root/outDir` with exactly `files` plus the user's own files, atomically: the new tree
 * is built in a staging folder beside it and swapped in with two renames, so a crash leaves the
 * old or the new tree, never a mix. A lock folder keeps two synths from interleaving.
 */
export function writeTreeAtomically(root: string, outDir: string, files: ReadonlyMap<string, string>, hooks: WriteHooks = {}): void {
  const target = join(root, outDir);
  const lock = join(root, `.${outDir}-lock`);
  recoverInterruptedSwap(root, outDir);
  try {
    mkdirSync(lock);
  } catch {
    throw new Error(`another synth is writing ${outDir}/ (lock ${lock} exists); wait for it, or remove the folder if no synth is running`);
  }
  const staging = join(root, `.${outDir}-staging-${process.pid}`);
  const old = join(root, `.${outDir}-old-${process.pid}`);
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    copyUserFiles(root, outDir, staging, files);
    let n = 0;
    for (const [path, content] of files) {
      const dest = join(staging, relative(outDir, path));
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, content);
      hooks.afterFile?.(++n);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Test hooks for simulating a failure in the middle of a write. */
export interface WriteHooks {
  readonly afterFile?: (count: number) => void;
}

/** Keeps files synth does not own (no generated marker): user SOPS files, gotk-components.yaml… */
function copyUserFiles(root: string, outDir: string, staging: string, files: ReadonlyMap<string, string>): void {
  for (const path of listFiles(root, join(root, outDir))) {
    if (files.has(path)) continue;
    const src = join(root, path);
    if (isGenerated(readFileSync(src, 'utf8'))) continue;
    const dest = join(staging, relative(outDir, path));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(src, dest);
  }
}

/** If a previous synth died between its two renames, put the old tree back. */
function recoverInterruptedSwap(root: string, outDir: string): void {
  const target = join(root, outDir);
  if (existsSync(target)) return;
  const leftovers = readdirSync(root).filter((f) => f.startsWith(`.${outDir}-old-`) && statSync(join(root, f)).isDirectory());
  if (leftovers.length > 0) renameSync(join(root, leftovers.sort()[0]), target);
}
