import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
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
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR', path: dir });
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

/** Thrown when the tree cannot be written because another synth holds it or changed it meanwhile. */
export class TreeLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeLockedError';
  }
}

/** How long a synth waits for another one to finish writing before giving up. */
export const LOCK_WAIT_MS = 30_000;

/**
 * Replaces `root/outDir` with exactly `files` plus the user's own files, atomically: the new tree
 * is built in a staging folder beside it and swapped in with two renames, so a crash leaves the
 * old or the new tree, never a mix. A lock folder (holding the writer's pid) keeps two synths from
 * interleaving: the second waits up to `LOCK_WAIT_MS`, and a lock left by a dead process is taken
 * over. When `expected` is given (the diff synth computed before writing), the tree is compared
 * again under the lock, and a tree another synth changed meanwhile is not overwritten.
 */
export function writeTreeAtomically(root: string, outDir: string, files: ReadonlyMap<string, string>, hooks: WriteHooks = {}, expected?: TreeDiff): void {
  withTreeLock(root, outDir, () => swapIn(root, outDir, files, hooks, expected), hooks.lockWaitMs);
}

function swapIn(root: string, outDir: string, files: ReadonlyMap<string, string>, hooks: WriteHooks, expected?: TreeDiff): void {
  const target = join(root, outDir);
  const staging = join(root, `.${outDir}-staging-${process.pid}`);
  const old = join(root, `.${outDir}-old-${process.pid}`);
  assertReplaceable(root, target);
  try {
    if (expected && !sameDiff(expected, diffTree(root, outDir, files))) {
      throw new TreeLockedError(`${outDir}/ changed on disk while this synth ran (another synth wrote it); run synth again`);
    }
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    copyUserFiles(root, outDir, staging, files);
    const dests = [...files.keys()].map((path) => join(staging, relative(outDir, path)));
    for (const dir of new Set(dests.map((d) => dirname(d)))) mkdirSync(dir, { recursive: true });
    let n = 0;
    for (const [path, content] of files) {
      writeFileSync(join(staging, relative(outDir, path)), content);
      hooks.afterFile?.(++n);
    }
    if (existsSync(target)) renameSync(target, old);
    hooks.betweenRenames?.();
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    // A failure between the renames (not a crash: that is recovered by the next synth) puts the old tree back.
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Fails before anything moves when the old tree could not be removed after the swap (a read-only
 * folder in it, or `outDir` being a file): otherwise the new tree would be in place with the old
 * one stranded beside it.
 */
function assertReplaceable(root: string, target: string): void {
  accessSync(root, constants.W_OK);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw Object.assign(new Error(`${target} is not a directory`), { code: 'ENOTDIR', path: target });
  }
  const walk = (dir: string): void => {
    accessSync(dir, constants.W_OK);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name));
  };
  walk(target);
}

/** Locks this process holds (re-entrant: synth holds the lock for its whole run, the write inside it). */
const heldLocks = new Set<string>();

/**
 * Runs `fn` holding the tree's lock: a synth reads, renders and writes `outDir` while no other synth
 * can swap it (a second one waits up to `waitMs`, then fails with a {@link TreeLockedError}). On
 * taking the lock, what a killed synth left is repaired first: the old tree is put back if it died
 * between its two renames, and its staging folder is removed. `readOnly` runs (`--check`) skip the
 * lock where the root is not writable, since they change nothing.
 */
export function withTreeLock<T>(root: string, outDir: string, fn: () => T, waitMs = LOCK_WAIT_MS, readOnly = false): T {
  const lockPath = join(root, `.${outDir}-lock`);
  if (heldLocks.has(lockPath)) return fn();
  if (readOnly && !canCreateIn(root)) return fn();
  mkdirSync(root, { recursive: true });
  const lock = acquireLock(root, outDir, waitMs);
  heldLocks.add(lock);
  try {
    recoverInterruptedSwap(root, outDir);
    return fn();
  } finally {
    heldLocks.delete(lock);
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Whether this process may create entries in `dir` (false on a read-only checkout). */
function canCreateIn(dir: string): boolean {
  try {
    accessSync(existsSync(dir) ? dir : dirname(dir), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function sameDiff(a: TreeDiff, b: TreeDiff): boolean {
  return a.unchanged === b.unchanged && [a.added, a.changed, a.removed].every((list, i) => list.join('\n') === [b.added, b.changed, b.removed][i].join('\n'));
}

/** Takes the lock folder, waiting for a live holder and taking over from a dead one. Returns its path. */
function acquireLock(root: string, outDir: string, waitMs: number): string {
  const lock = join(root, `.${outDir}-lock`);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      const started = processStart(process.pid);
      if (started !== undefined) writeFileSync(join(lock, 'started'), started);
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = lockHolder(lock);
    if (holder !== undefined && !isLockOwner(lock, holder)) {
      rmSync(lock, { recursive: true, force: true }); // left by a synth that died: take over
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TreeLockedError(`another synth${holder ? ` (pid ${holder})` : ''} is writing ${outDir}/ (lock ${lock}) and did not finish within ${Math.round(waitMs / 1000)} s; wait for it, or remove the folder if no synth is running`);
    }
    sleep(50);
  }
}

function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // being created right now, or written by an older synth
  }
}

/**
 * Whether `pid` is still the process that took the lock: alive, and (where /proc tells) started
 * when the lock says. After a container restart the pid in a stale lock often belongs to another
 * live process (pid 1): its start time differs, so the lock is taken over instead of waited for.
 */
function isLockOwner(lock: string, pid: number): boolean {
  if (!isAlive(pid)) return false;
  let recorded: string | undefined;
  try {
    recorded = readFileSync(join(lock, 'started'), 'utf8');
  } catch {
    return true; // no start time recorded (older synth, or no /proc): trust the pid
  }
  const now = processStart(pid);
  return now === undefined || now === recorded;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), where /proc exists. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Test hooks for simulating a failure in the middle of a write. */
export interface WriteHooks {
  readonly afterFile?: (count: number) => void;
  /** Runs after the old tree was moved aside and before the new one is moved in. */
  readonly betweenRenames?: () => void;
  /** How long to wait for another synth's lock. @default LOCK_WAIT_MS */
  readonly lockWaitMs?: number;
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

/**
 * Runs under the lock. If a previous synth died between its two renames, puts the old tree back;
 * then removes what dead synths left behind (their staging and old folders).
 */
function recoverInterruptedSwap(root: string, outDir: string): void {
  const target = join(root, outDir);
  const leftovers = (prefix: string): string[] => readdirSync(root).filter((f) => f.startsWith(prefix) && statSync(join(root, f)).isDirectory()).sort();
  const olds = leftovers(`.${outDir}-old-`);
  if (!existsSync(target) && olds.length > 0) renameSync(join(root, olds.shift()!), target);
  for (const f of [...olds, ...leftovers(`.${outDir}-staging-`)]) rmSync(join(root, f), { recursive: true, force: true });
}
