import { availableParallelism } from 'node:os';
import { findChart } from '../render/chart-source.js';
import { parseRendered } from '../render/check.js';
import type { HelmBinary } from '../render/helm-binary.js';
import { helmTemplate } from '../render/helm-template.js';
import { releasesInManifests, ReleaseTarget } from '../render/releases.js';
import { ClusterObjects, componentOf, TreeObject, treeObject } from './objects.js';

/** What `helm template` is told about a cluster (the same for both sides, so only the tree's changes show). */
export interface ClusterContext {
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
}

export interface RenderSideOptions {
  /** `undefined`: no helm, every release is listed as not rendered. */
  readonly helm: HelmBinary | undefined;
  readonly mirror?: string;
  readonly cacheDir: string;
  /** `helm pull` charts in neither mirror nor cache (network). @default false */
  readonly pull?: boolean;
  readonly concurrency?: number;
  readonly contextOf: (cluster: string) => ClusterContext;
}

/** One HelmRelease of one side: the objects it renders, or why it was not rendered. */
export interface ReleaseRender {
  readonly cluster: string;
  readonly component: string;
  /** `namespace/name` of the HelmRelease. */
  readonly id: string;
  readonly chart: string;
  readonly version: string;
  readonly objects?: readonly TreeObject[];
  readonly reason?: string;
  readonly cached?: boolean;
}

/** The key releases are paired by across the two sides. */
export function releaseKey(r: Pick<ReleaseRender, 'cluster' | 'component' | 'id'>): string {
  return `${r.cluster}/${r.component}/${r.id}`;
}

/**
 * Renders every HelmRelease of one side with the chart at the version that side pins (mirror or
 * cache; the network only with `pull`), through the render command's cached `helm template`.
 */
export async function renderSide(sets: readonly ClusterObjects[], options: RenderSideOptions): Promise<ReleaseRender[]> {
  const targets = sets.flatMap((s) => {
    const ctx = options.contextOf(s.cluster);
    return releasesInManifests(s.cluster, s.manifests, ctx.kubeVersion, ctx.apiVersions);
  });
  return pool(targets, options.concurrency ?? availableParallelism(), (t) => renderRelease(t, options));
}

async function renderRelease(t: ReleaseTarget, options: RenderSideOptions): Promise<ReleaseRender> {
  const component = componentOf(t.manifest.file);
  const base = { cluster: t.cluster, component, id: t.id, chart: t.chart, version: t.version };
  if (!options.helm) return { ...base, reason: 'no helm found (npm ci installs it; or set HELM_BIN)' };
  if (!t.version) return { ...base, reason: 'no chart version in the tree' };
  const chart = await findChart(t, { mirror: options.mirror, cacheDir: options.cacheDir, pull: options.pull === true, helm: options.helm.path });
  if ('missing' in chart) return { ...base, reason: chart.missing };
  const out = await helmTemplate(options.helm, t, chart, options.cacheDir, (yaml) => parseRendered(yaml, t.namespace));
  if (!out.ok) return { ...base, reason: `helm template failed: ${out.error}` };
  const origin = `HelmRelease ${t.id} › chart ${t.chart} ${t.version}`;
  return { ...base, cached: out.cached, objects: out.objects.map((o) => treeObject(t.cluster, component, o, origin)) };
}

/** Runs `work` over `items` with at most `limit` at once, results in item order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
