import { availableParallelism } from 'node:os';
import { parseAllDocuments } from 'yaml';
import type { Problem, Warning } from '../estate/problems.js';
import { podSecurityFindings } from '../safety/pod-security.js';
import { containersOf, identityOf, Manifest, podTemplateOf } from '../tree/manifests.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { checkSchema, Schema } from '../validation/structural-schema.js';
import { formatPath } from '../validation/paths.js';
import { kindScope, validateManifest } from '../validation/index.js';
import { celNotEvaluated } from '../validation/cel-validator.js';
import { ChartLookup, findChart, LocalChart } from './chart-source.js';
import type { HelmBinary } from './helm-binary.js';
import { helmTemplate } from './helm-template.js';
import { releasesOf, ReleaseTarget } from './releases.js';
import { unreadValueKeys } from './unread-values.js';

export interface RenderCheckOptions extends Omit<ChartLookup, 'helm'> {
  readonly helm: HelmBinary;
  /** Renders run at once. @default os.availableParallelism() */
  readonly concurrency?: number;
}

/** One release that was rendered. */
export interface RenderedRelease {
  readonly target: ReleaseTarget;
  readonly chart: LocalChart;
  /** Objects helm rendered (namespaces filled in for namespaced kinds). */
  readonly objects: readonly Manifest[];
  readonly cached: boolean;
  readonly ms: number;
}

/** The render check of an estate. */
export interface RenderReport {
  readonly rendered: readonly RenderedRelease[];
  /** Releases that could not be rendered, with why: never counted as passing. */
  readonly notChecked: readonly { readonly target: ReleaseTarget; readonly reason: string }[];
  readonly problems: readonly Problem[];
  readonly warnings: readonly Warning[];
  /** Kinds rendered without any schema to check them against, `group/version/Kind` → count. */
  readonly unvalidated: ReadonlyMap<string, number>;
  /** Wall milliseconds: finding charts and rendering (in parallel), then checking the output. */
  readonly timings: { readonly render: number; readonly check: number };
}

/**
 * Renders every HelmRelease of the trees with its real chart and checks what comes out like the
 * tree's own objects: strict schemas (custom resources against imports/ or the CRD the release
 * itself ships), Pod Security of the namespace, objects two owners would both manage, images
 * without a pinned tag, values keys no template reads.
 */
export async function runRenderCheck(trees: readonly ClusterTree[], options: RenderCheckOptions): Promise<RenderReport> {
  let t0 = performance.now();
  const targets = trees.flatMap((t) => releasesOf(t));
  const outcomes = await pool(targets, options.concurrency ?? availableParallelism(), (t) => renderOne(t, options));
  const rendered: RenderedRelease[] = [];
  const notChecked: { target: ReleaseTarget; reason: string }[] = [];
  const problems: Problem[] = [];
  outcomes.forEach((o, i) => {
    if ('reason' in o) notChecked.push({ target: targets[i], reason: o.reason });
    else if ('error' in o) problems.push(renderProblem(targets[i], o.error));
    else rendered.push(o);
  });
  const render = performance.now() - t0;
  t0 = performance.now();
  const warnings: Warning[] = [];
  const unvalidated = new Map<string, number>();
  for (const tree of trees) {
    const mine = rendered.filter((r) => r.target.cluster === tree.cluster.name);
    checkCluster(tree, mine, problems, warnings, unvalidated);
  }
  return { rendered, notChecked, problems, warnings, unvalidated, timings: { render, check: performance.now() - t0 } };
}

type Outcome = RenderedRelease | { readonly reason: string } | { readonly error: string };

async function renderOne(t: ReleaseTarget, options: RenderCheckOptions): Promise<Outcome> {
  if (!t.version) return { reason: 'no chart version in the tree' };
  const chart = await findChart(t, { ...options, helm: options.helm.path });
  if ('missing' in chart) return { reason: chart.missing };
  const out = await helmTemplate(options.helm, t, chart, options.cacheDir, (yaml) => parseRendered(yaml, t.namespace));
  if (!out.ok) return { error: out.error };
  return { target: t, chart, objects: out.objects, cached: out.cached, ms: out.ms };
}

/** Runs `work` over `items` with at most `limit` at once, results in item order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Documents of helm's output; namespaced objects without a namespace get the release's, as Helm applies them. */
export function parseRendered(yaml: string, namespace: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    const o = withoutNulls(doc.toJSON()) as Manifest | undefined;
    if (!o || typeof o !== 'object' || !o.kind) continue;
    if (!o.metadata?.namespace && kindScope(String(o.apiVersion), String(o.kind)) !== 'Cluster' && !isClusterScopedGuess(o)) {
      o.metadata = { ...o.metadata, namespace };
    }
    out.push(o);
  }
  return out;
}

/**
 * The object as the API server decodes it: a field set to null is a field not set (charts write
 * `annotations: null` when a values map is empty), so nulls are dropped before validation.
 */
export function withoutNulls(v: unknown): unknown {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(withoutNulls);
  if (typeof v === 'object') {
    const out: Manifest = {};
    for (const [k, x] of Object.entries(v as Manifest)) {
      const y = withoutNulls(x);
      if (y !== undefined) out[k] = y;
    }
    return out;
  }
  return v;
}

/** Kinds neither imports/ nor the built-in list know, but that are cluster-scoped by name. */
function isClusterScopedGuess(o: Manifest): boolean {
  return String(o.kind).startsWith('Cluster') || o.kind === 'CustomResourceDefinition';
}

function site(t: ReleaseTarget): string {
  return `${t.manifest.path} (${t.manifest.file})`;
}

/** A render error, with the values path when helm's schema message names one. */
function renderProblem(t: ReleaseTarget, error: string): Problem {
  const at = /at '\/([^']*)'/.exec(error)?.[1];
  return {
    cluster: t.cluster,
    path: site(t),
    field: at ? `spec.values.${at.split('/').join('.')}` : 'spec.values',
    message: `chart ${t.chart} ${t.version} does not render for HelmRelease '${t.id}': ${error}`,
    fix: 'fix the value the chart names (see its values.yaml and templates at this version); helm-controller would fail the install with this message',
  };
}

function checkCluster(tree: ClusterTree, releases: readonly RenderedRelease[], problems: Problem[], warnings: Warning[], unvalidated: Map<string, number>): void {
  const crds = renderedCrdSchemas(releases);
  const owners = new Map<string, string>();
  for (const m of tree.manifests) if (m.object.apiVersion !== 'kustomize.config.k8s.io/v1beta1') owners.set(identityOf(m.object), `the tree (${m.file})`);
  const renderedManifests: RenderedManifest[] = [];
  for (const r of releases) {
    const t = r.target;
    for (const o of r.objects) {
      renderedManifests.push({ cluster: t.cluster, file: t.manifest.file, path: `${t.manifest.path} › chart ${t.chart} ${t.version}`, object: o });
      const skipped = celNotEvaluated().length;
      for (const issue of validateRendered(o, crds, unvalidated)) {
        problems.push({ cluster: t.cluster, path: site(t), field: 'spec.values', message: `chart ${t.chart} ${t.version} renders ${describe(o)} that the API server would refuse: ${issue}`, fix: 'change the values that produce this field (or report it to the chart); helm-controller would fail the install' });
      }
      for (const n of celNotEvaluated().slice(skipped)) {
        warnings.push({ cluster: t.cluster, path: site(t), code: 'cel-rule-not-evaluated', message: `chart ${t.chart} ${t.version} renders ${n.object}: at ${n.field} CEL rule \`${n.rule}\` could not be evaluated here (${n.error}); the API server will evaluate it` });
      }
      const owner = owners.get(identityOf(o));
      if (owner) {
        problems.push({ cluster: t.cluster, path: site(t), field: 'spec.chart', message: `${describe(o)} is rendered by HelmRelease '${t.id}' and also owned by ${owner}: Helm refuses to adopt an object another owner manages, and the two would overwrite each other`, fix: 'keep one owner: turn the chart\'s copy off in its values, or drop the other' });
      } else {
        owners.set(identityOf(o), `HelmRelease '${t.id}'`);
      }
      for (const image of unpinnedImages(o)) {
        warnings.push({ cluster: t.cluster, path: site(t), code: 'render-image-unpinned', message: `chart ${t.chart} ${t.version} runs image '${image}' in ${describe(o)} without a pinned tag: a restart may pull something else; pin it in the release's values` });
      }
    }
    for (const key of unreadValueKeys(r.chart.dir, t.values)) {
      warnings.push({ cluster: t.cluster, path: site(t), code: 'render-values-unread', message: `values key '${key}' of HelmRelease '${t.id}' is read by no template of chart ${t.chart} ${t.version}: a typo, or a key the chart renamed or dropped` });
    }
  }
  const input = { cluster: tree.cluster, manifests: [...tree.manifests, ...renderedManifests] };
  for (const f of podSecurityFindings(input, renderedManifests)) {
    problems.push({ cluster: tree.cluster.name, path: f.site.path, field: f.field, message: f.message, fix: f.fix });
  }
}

function describe(o: Manifest): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} '${ns ? `${ns}/` : ''}${o.metadata?.name}'`;
}

/**
 * Schema issues of a rendered object. A kind imports/ does not know is checked against the CRD a
 * release of the cluster renders for it; with neither, it is counted as unvalidated (listed in
 * the report), not failed: its CRD comes from somewhere the check cannot see.
 */
function validateRendered(o: Manifest, crds: ReadonlyMap<string, Schema>, unvalidated: Map<string, number>): string[] {
  const issues = validateManifest(o);
  const unknown = issues.length === 1 && issues[0].field === 'apiVersion' && issues[0].message.startsWith('no schema for');
  if (!unknown) return issues.map((i) => `${i.field || '(root)'}: ${i.message}`);
  const key = `${o.apiVersion}/${o.kind}`;
  const schema = crds.get(key);
  if (!schema) {
    unvalidated.set(key, (unvalidated.get(key) ?? 0) + 1);
    return [];
  }
  return checkSchema(schema, o).map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`);
}

/** `group/version/Kind` → schema of every CRD the releases render (metadata left to the API server). */
function renderedCrdSchemas(releases: readonly RenderedRelease[]): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const r of releases) {
    for (const o of r.objects) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      for (const v of o.spec?.versions ?? []) {
        const schema = v.schema?.openAPIV3Schema as Schema | undefined;
        if (!schema) continue;
        const properties = { ...(schema.properties ?? {}), metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as Schema, apiVersion: { type: 'string' } as Schema, kind: { type: 'string' } as Schema };
        out.set(`${o.spec.group}/${v.name}/${o.spec.names?.kind}`, { ...schema, properties });
      }
    }
  }
  return out;
}

/** Images of a rendered workload that have neither a digest nor a tag other than `latest`. */
export function unpinnedImages(o: Manifest): string[] {
  const template = podTemplateOf(o);
  if (!template) return [];
  return containersOf(template.spec).map(({ container }) => String(container.image ?? '')).filter((image) => {
    if (image.includes('@sha256:')) return false;
    const last = image.split('/').pop() ?? '';
    const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
    return tag === '' || tag === 'latest';
  });
}
