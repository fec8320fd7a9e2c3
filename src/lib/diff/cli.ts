import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Estate } from '../estate/estate.js';
import { SynthError } from '../estate/problems.js';
import { missingMirrorMessage, parseConcurrency, RENDER_CACHE_DIR, synthFailureLines } from '../render/cli.js';
import { HelmBinary, locateHelm } from '../render/helm-binary.js';
import { installedApiVersions, kubernetesVersionOf } from '../render/releases.js';
import type { ClusterTree } from '../tree/tree.js';
import { synthesize } from '../synth/synth.js';
import { KUBERNETES_SCHEMA_VERSION } from '../validation/schema-urls.js';
import { compareSides, DiffResult, DiffSide } from './compare.js';
import { formatFullDiff } from './full.js';
import { objectsOfTree } from './objects.js';
import { ClusterContext, renderSide } from './rendered.js';
import { counts, formatSummary } from './summary.js';
import { folderTreeFiles, gitTreeFiles, synthTreeFiles, TreeFiles, TreeSourceError } from './tree-files.js';
import { usageError } from '../synth/exit-codes.js';

/** Parsed command line of `npm run diff -- …`. */
export interface DiffCliOptions {
  /** Git ref or folder of the old tree. @default 'HEAD' */
  readonly from: string;
  /** Git ref or folder of the new tree. @default - what synth produces now */
  readonly to?: string;
  readonly clusters: readonly string[];
  readonly mirror?: string;
  readonly out: string;
  readonly render: boolean;
  /** Fetch charts in neither mirror nor cache with `helm pull` (network). */
  readonly pull: boolean;
  readonly cacheDir?: string;
  readonly concurrency?: number;
}

const USAGE = 'usage: npm run diff -- [--from REF|DIR] [--to REF|DIR] [--cluster NAME]… [--mirror DIR] [--out DIR] [--no-render] [--pull] [--cache DIR] [--concurrency N]';
const VALUED = new Set(['from', 'to', 'cluster', 'mirror', 'out', 'cache', 'concurrency']);

/** Reads `--name value` and `--name=value` alike; the message of a usage error otherwise. */
export function parseDiffArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DiffCliOptions | string {
  const values = new Map<string, string[]>();
  let render = true;
  let pull = false;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (m && m[1] === 'no-render' && m[2] === undefined) {
      render = false;
      continue;
    }
    if (m && m[1] === 'pull' && m[2] === undefined) {
      pull = true;
      continue;
    }
    if (!m || !VALUED.has(m[1])) return `unknown argument: ${argv[i]}\n${USAGE}`;
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '' || (m[2] === undefined && value.startsWith('--'))) return `--${m[1]} needs a value\n${USAGE}`;
    values.set(m[1], [...(values.get(m[1]) ?? []), value]);
  }
  const one = (name: string): string | undefined => values.get(name)?.[values.get(name)!.length - 1];
  const concurrency = parseConcurrency(one('concurrency'), USAGE);
  if (typeof concurrency === 'string') return concurrency;
  return {
    from: one('from') ?? 'HEAD',
    to: one('to'),
    clusters: values.get('cluster') ?? [],
    mirror: one('mirror') ?? (env.HOMELAB_CHART_MIRROR || undefined),
    out: one('out') ?? join('dist', 'diff'),
    render,
    pull,
    cacheDir: one('cache'),
    concurrency,
  };
}

/**
 * The diff command: what Flux would change between two trees, object by object, with the objects
 * every HelmRelease renders. Writes `<out>/summary.md` (printed too) and `<out>/full.diff`.
 * Exit code: 0 for any diff (it is a report), 1 when synth fails, 2 for bad usage.
 */
export async function runDiffCli(argv: readonly string[], build: () => Estate, root: string, log: (s: string) => void = console.log, findHelm: () => HelmBinary | undefined = () => locateHelm(root)): Promise<number> {
  const opts = parseDiffArgs(argv);
  if (typeof opts === 'string') return usageError(log, opts);
  const started = performance.now();
  const noMirror = missingMirrorMessage('diff', opts.mirror);
  if (noMirror) {
    log(noMirror);
    return 2;
  }
  let oldFiles: TreeFiles;
  let newFiles: TreeFiles;
  let trees: ClusterTree[] | undefined;
  try {
    oldFiles = readSide(root, opts.from);
    if (opts.to !== undefined) newFiles = readSide(root, opts.to);
    else {
      trees = synthesize(build(), { root, check: true }).trees;
      newFiles = synthTreeFiles(root, new Map(trees.flatMap((t) => [...t.files])));
    }
  } catch (e) {
    if (e instanceof TreeSourceError) {
      log(`diff failed: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (!(e instanceof SynthError)) throw e;
    synthFailureLines('diff', e).forEach((line) => log(line));
    return 1;
  }
  const result = await diffTrees(oldFiles, newFiles, {
    ...opts,
    fromLabel: opts.from,
    toLabel: opts.to ?? 'synth (working tree)',
    helm: opts.render ? findHelm() : undefined,
    cacheDir: resolve(root, opts.cacheDir ?? RENDER_CACHE_DIR),
    mirror: opts.mirror ? resolve(root, opts.mirror) : undefined,
    contextOf: contexts(trees ?? (opts.render ? tryTrees(build, root) : undefined)),
  });
  if (typeof result === 'string') {
    log(result);
    return 2;
  }
  const summary = formatSummary(result);
  const outDir = resolve(root, opts.out);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'summary.md'), summary);
  const full = formatFullDiff(result);
  writeFileSync(join(outDir, 'full.diff'), full);
  log(summary.trimEnd());
  const c = counts(result);
  log(`diff: ${c.changed} changed, ${c.added} added, ${c.removed} removed, ${result.entries.filter((e) => e.risks.length > 0).length} risky, ${result.notRendered.length} not rendered in ${(performance.now() - started).toFixed(0)} ms; summary ${Buffer.byteLength(summary)} bytes, full diff ${Buffer.byteLength(full)} bytes in ${opts.out}`);
  return 0;
}

/** A git ref, or a folder when one of that name exists. */
function readSide(root: string, source: string): Map<string, string> {
  const dir = resolve(root, source);
  if (existsSync(dir) && statSync(dir).isDirectory()) return folderTreeFiles(dir);
  return gitTreeFiles(root, source);
}

export interface DiffTreesOptions {
  readonly fromLabel: string;
  readonly toLabel: string;
  readonly clusters: readonly string[];
  readonly render: boolean;
  readonly helm: HelmBinary | undefined;
  readonly pull?: boolean;
  readonly mirror?: string;
  readonly cacheDir: string;
  readonly concurrency?: number;
  readonly contextOf: (cluster: string) => ClusterContext;
}

/** Diffs two trees of files; a message when `--cluster` names a cluster neither side has. */
export async function diffTrees(oldFiles: TreeFiles, newFiles: TreeFiles, o: DiffTreesOptions): Promise<DiffResult | string> {
  const only = o.clusters.length > 0 ? (c: string) => o.clusters.includes(c) : undefined;
  const from = objectsOfTree(oldFiles, only);
  const to = objectsOfTree(newFiles, only);
  const known = new Set([...from, ...to].map((c) => c.cluster));
  const unknown = o.clusters.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    const all = [...new Set([...objectsOfTree(oldFiles), ...objectsOfTree(newFiles)].map((c) => c.cluster))].sort();
    return `diff failed: no cluster named ${unknown.join(', ')} (clusters: ${all.join(', ')})`;
  }
  const side = async (label: string, clusters: typeof from): Promise<DiffSide> => ({ label, clusters, releases: o.render ? await renderSide(clusters, o) : undefined });
  const [a, b] = await Promise.all([side(o.fromLabel, from), side(o.toLabel, to)]);
  return compareSides(a, b);
}

/**
 * What helm is told about each cluster, from the model: the same for both sides, so a render
 * differs only by what the trees change. A cluster the model no longer has gets the schemas'
 * Kubernetes version and no custom APIs.
 */
function contexts(trees: readonly ClusterTree[] | undefined): (cluster: string) => ClusterContext {
  const known = new Map((trees ?? []).map((t) => [t.cluster.name, { kubeVersion: kubernetesVersionOf(t.cluster), apiVersions: installedApiVersions(t.cluster) }]));
  return (cluster) => known.get(cluster) ?? { kubeVersion: KUBERNETES_SCHEMA_VERSION, apiVersions: [] };
}

/** The model's trees when it synthesizes; none when it does not (ref-vs-ref needs no working model). */
function tryTrees(build: () => Estate, root: string): ClusterTree[] | undefined {
  try {
    return synthesize(build(), { root, check: true }).trees;
  } catch {
    return undefined;
  }
}
