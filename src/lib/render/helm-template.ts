import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelmBinary } from './helm-binary.js';
import type { LocalChart } from './chart-source.js';
import type { ReleaseTarget } from './releases.js';

/** What `helm template` made of one release. */
export type TemplateOutcome =
  | { readonly ok: true; readonly objects: Record<string, any>[]; readonly cached: boolean; readonly ms: number }
  | { readonly ok: false; readonly error: string; readonly ms: number };

/** The arguments Flux's helm-controller effectively renders with, for `helm template`. */
export function templateArgs(t: ReleaseTarget, chartDir: string, valuesFile: string): string[] {
  return [
    'template', t.releaseName, chartDir,
    '--namespace', t.namespace,
    '--kube-version', t.kubeVersion,
    ...t.apiVersions.flatMap((v) => ['--api-versions', v]),
    // helm-controller installs CRDs from crds/ (policy Create) and never runs test hooks by default.
    '--include-crds', '--skip-tests',
    '--values', valuesFile,
  ];
}

/**
 * Renders a release with helm and parses the output with `parse`. The parsed objects are cached
 * as JSON under `cacheDir/rendered/` by a key over helm's version, the chart's digest and every
 * input of the render, so an unchanged release is never rendered (nor its YAML parsed) twice; a
 * failed render is not cached.
 */
export function helmTemplate(helm: HelmBinary, t: ReleaseTarget, chart: LocalChart, cacheDir: string, parse: (yaml: string) => Record<string, any>[]): Promise<TemplateOutcome> {
  // Releases with the same inputs (one chart, same values, in several clusters) render once.
  const key = renderKey(helm, t, chart);
  const inFlight = rendering.get(`${cacheDir}|${key}`);
  if (inFlight) return inFlight.then((o) => (o.ok ? { ...o, cached: true } : o));
  const p = renderOnce(helm, t, chart, cacheDir, key, parse);
  rendering.set(`${cacheDir}|${key}`, p);
  return p;
}

const rendering = new Map<string, Promise<TemplateOutcome>>();

async function renderOnce(helm: HelmBinary, t: ReleaseTarget, chart: LocalChart, cacheDir: string, key: string, parse: (yaml: string) => Record<string, any>[]): Promise<TemplateOutcome> {
  const started = performance.now();
  const cached = join(cacheDir, 'rendered', `${key}.json`);
  if (existsSync(cached)) return { ok: true, objects: JSON.parse(readFileSync(cached, 'utf8')), cached: true, ms: performance.now() - started };
  const work = mkdtempSync(join(tmpdir(), 'homelab-render-'));
  try {
    const valuesFile = join(work, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(t.values));
    const objects = parse(await execHelm(helm.path, templateArgs(t, chart.dir, valuesFile)));
    mkdirSync(join(cacheDir, 'rendered'), { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(objects));
    renameSync(partial, cached);
    return { ok: true, objects, cached: false, ms: performance.now() - started };
  } catch (e) {
    return { ok: false, error: helmMessage(e), ms: performance.now() - started };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The cache key of a render: everything that can change helm's output. */
export function renderKey(helm: HelmBinary, t: ReleaseTarget, chart: LocalChart): string {
  const inputs = [helm.version, chart.digest, t.releaseName, t.namespace, t.kubeVersion, t.apiVersions, t.values];
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

function execHelm(helm: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(helm, args, { maxBuffer: 256 * 1024 * 1024, timeout: 300_000, env: { ...process.env, HELM_CACHE_HOME: join(tmpdir(), 'homelab-helm-cache') } }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr }));
      else resolve(stdout);
    });
  });
}

/** Helm's own message, without its "Error: " prefix and usage noise. */
function helmMessage(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  const text = String(err.stderr || err.message || e).trim();
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !/^(WARNING|walk\.go|install\.go)/.test(l));
  return lines.join(' ').replace(/^Error: /, '') || text;
}
