import { relative } from 'node:path';
import { Estate } from '../estate/estate.js';
import { formatProblem, SynthError } from '../estate/problems.js';
import { TreeDiff, TreeLockedError, WriteHooks } from '../output/writer.js';
import { formatCapacityTable } from '../safety/capacity.js';
import type { SynthPipeline } from './pipeline.js';
import { synthesize, SynthResult } from './synth.js';
import { checkSummaryLines, diffAgainstDisk } from '../diff/check-summary.js';
import { usageError } from './exit-codes.js';

/** Parsed command line of `npm run synth -- …`. */
export interface CliOptions {
  readonly check: boolean;
  readonly strict: boolean;
  readonly quiet: boolean;
  /** `--allow-data-loss=Kind/ns/name,…`: data-holding objects this run may remove. */
  readonly allowDataLoss: readonly string[];
}

const USAGE = 'usage: npm run synth -- [--check] [--strict] [--quiet] [--allow-data-loss=Kind/namespace/name,…]';
const ALLOW_DATA_LOSS = '--allow-data-loss=';

export function parseArgs(argv: readonly string[]): CliOptions | string {
  const known = new Set(['--check', '--strict', '--quiet']);
  const unknown = argv.filter((a) => !known.has(a) && !a.startsWith(ALLOW_DATA_LOSS));
  if (unknown.length > 0) return `unknown argument(s): ${unknown.join(' ')}\n${USAGE}`;
  const allowDataLoss = argv.filter((a) => a.startsWith(ALLOW_DATA_LOSS)).flatMap((a) => a.slice(ALLOW_DATA_LOSS.length).split(',')).map((s) => s.trim()).filter(Boolean);
  const malformed = allowDataLoss.filter((id) => !/^([a-z0-9-]+:)?[A-Z][A-Za-z]*\/[^/\s]+(\/[^/\s]+)?$/.test(id));
  if (malformed.length > 0) return `--allow-data-loss: '${malformed.join("', '")}' does not name an object (write Kind/namespace/name, or Kind/name for cluster-scoped objects)\n${USAGE}`;
  return { check: argv.includes('--check'), strict: argv.includes('--strict'), quiet: argv.includes('--quiet'), allowDataLoss };
}

/**
 * The synth command: builds the estate, renders, validates, and writes (or checks) `clusters/`.
 * Returns the exit code: 0 ok, 1 problems or (with --check) a stale tree, 2 bad usage.
 * User mistakes print as a list of problems, never as a stack trace. `pipeline`: the contributors
 * and checks to run (main.ts passes the standard one; synthesize's default otherwise).
 */
export function runCli(argv: readonly string[], build: () => Estate, root: string, log: (s: string) => void = console.log, hooks?: WriteHooks, pipeline?: SynthPipeline): number {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') return usageError(log, opts);
  const t0 = performance.now();
  try {
    const estate = build();
    const constructMs = performance.now() - t0;
    const result = synthesize(estate, { root, check: opts.check, strict: opts.strict, allowDataLoss: opts.allowDataLoss, hooks, pipeline });
    for (const w of result.warnings) log(`warning [${w.cluster}] ${w.path} (${w.code}): ${w.message}${w.accepted ? ` [accepted: ${w.accepted}]` : ''}`);
    if (!opts.quiet) printSummary(result, log);
    if (!opts.quiet) for (const report of result.capacity) for (const line of formatCapacityTable(report)) log(line);
    log(`synth: ${result.files.size} files in ${(performance.now() - t0).toFixed(0)} ms (construct ${constructMs.toFixed(0)}, render ${result.timings.render.toFixed(0)}, validate ${result.timings.validate.toFixed(0)}, write ${result.timings.write.toFixed(0)})`);
    return opts.check ? reportCheck(result, root, log) : 0;
  } catch (e) {
    if (e instanceof SynthError) {
      log(`synth failed: ${e.problems.length} problem(s); nothing was written.`);
      for (const p of e.problems) log(formatProblem(p));
      return 1;
    }
    if (e instanceof TreeLockedError) {
      log(`synth failed: ${e.message}; nothing was written.`);
      return 1;
    }
    // Anything else is a gap in the checks or a broken file system: say what happened, in a line
    // a user can act on, never a stack trace (HOMELAB_DEBUG=1 prints it for a bug report).
    log('synth failed; nothing was written.');
    log(describeUnexpected(e, root));
    if (process.env.HOMELAB_DEBUG) log(String((e as Error)?.stack ?? e));
    return 1;
  }
}

/** A message and fix for an error no check caught. */
export function describeUnexpected(e: unknown, root: string): string {
  // Duck-typed: errors from another realm (Node core under a test VM) fail `instanceof Error`.
  const err = (e !== null && typeof e === 'object' && typeof (e as Error).message === 'string' ? e : new Error(String(e))) as Error;
  const code = (err as NodeJS.ErrnoException).code;
  const path = (err as NodeJS.ErrnoException).path;
  // Name the tree path, not the staging folder synth was building it in.
  const where = path ? ` '${(relative(root, path) || '.').replace(/^\.([^/]+)-(staging|old)-\d+/, '$1')}'` : '';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `cannot write${where} (${code}): the repository is not writable here\n    fix: make clusters/ and the repository root writable by this user, or run synth where they are`;
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') return `cannot write${where} (${code}): a file stands where a directory belongs, or the reverse\n    fix: remove or rename that path (generated files are regenerated), then rerun synth`;
  if (code === 'ENOSPC') return `cannot write${where}: no space left on the device\n    fix: free disk space and rerun synth`;
  if (/cannot find a parent chart/.test(err.message)) {
    // cdk8s throws from the ApiObject constructor, before the model exists: the user's own stack
    // frame is the only place that names it.
    const at = userFrame(err.stack);
    return `a Kubernetes object (ApiObject) was created outside any component${at ? ` at ${at}` : ''}\n    fix: create it inside a Component — new ApiObject(component, id, {…}) — so it gets a folder, a namespace and a Flux Kustomization`;
  }
  if (/Maximum call stack/.test(err.message)) return 'the model nests too deeply to render (Maximum call stack size exceeded)\n    fix: look for a self-referencing or generated object in values or props';
  return `unexpected error: ${err.message}\n    fix: this input is not checked yet, or it is a bug — rerun with HOMELAB_DEBUG=1 for the stack trace and report it`;
}

/** The first stack frame in the user's code (not cdk8s, constructs or this library), as file:line. */
export function userFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?$/.exec(line.trim());
    if (!m || /node_modules|node:internal|\/src\/lib\/|\/build\/src\/lib\//.test(m[1])) continue;
    return `${relative(process.cwd(), m[1].replace(/^file:\/\//, ''))}:${m[2]}`;
  }
  return undefined;
}

function printSummary(result: SynthResult, log: (s: string) => void): void {
  for (const tree of result.trees) {
    const prefix = `clusters/${tree.cluster.name}/`;
    const count = (list: string[]) => list.filter((p) => p.startsWith(prefix)).length;
    const objects = tree.manifests.filter((m) => m.object.apiVersion !== 'kustomize.config.k8s.io/v1beta1').length;
    log(`${tree.cluster.name}: ${objects} objects, ${tree.cluster.components.length} components; files +${count(result.diff.added)} ~${count(result.diff.changed)} -${count(result.diff.removed)}`);
  }
  const live = new Set(result.trees.map((t) => t.cluster.name));
  const removed = new Map<string, number>();
  for (const p of result.diff.removed) {
    const name = /^clusters\/([^/]+)\//.exec(p)?.[1];
    if (name && !live.has(name)) removed.set(name, (removed.get(name) ?? 0) + 1);
  }
  for (const [name, n] of [...removed].sort(([a], [b]) => a.localeCompare(b))) log(`removed cluster ${name}: -${n} files`);
}

function reportCheck(result: SynthResult, root: string, log: (s: string) => void): number {
  const diff: TreeDiff = result.diff;
  const lines = [...diff.added.map((p) => `  added:   ${p}`), ...diff.changed.map((p) => `  changed: ${p}`), ...diff.removed.map((p) => `  removed: ${p}`)];
  if (lines.length === 0) {
    log('check: clusters/ is up to date.');
    return 0;
  }
  log(`check: clusters/ differs from what synth writes (${lines.length} file(s)); run \`npm run synth\` and commit:`);
  for (const l of lines) log(l);
  // What the file changes mean for the cluster: objects and the risk classes (no charts rendered).
  for (const l of checkSummaryLines(diffAgainstDisk(root, result.files))) log(l);
  return 1;
}
