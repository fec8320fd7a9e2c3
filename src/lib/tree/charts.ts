/** The Helm charts of the rendered tree: each HelmRelease with the chart, version and repository it pins. */
import type { Manifest } from './manifests.js';
import type { RenderedManifest } from './tree.js';

/** One HelmRelease of the tree and what it installs. */
export interface ReleaseChart {
  readonly object: Manifest;
  readonly release: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  /** Repository URL (https index or oci:// reference); `''` when its source is not in the tree. */
  readonly source: string;
}

const isSource = (o: Manifest): boolean => (o.kind === 'HelmRepository' || o.kind === 'OCIRepository') && String(o.apiVersion).startsWith('source.toolkit.fluxcd.io/');
const isFluxHelmRelease = (o: Manifest): boolean => o.kind === 'HelmRelease' && String(o.apiVersion).startsWith('helm.toolkit.fluxcd.io/');

/** What a HelmRelease installs: through `chartRef` (an OCIRepository is the chart) or `chart.spec` (a chart of a repository). */
function chartOf(o: Manifest, sources: ReadonlyMap<string, Manifest>): ReleaseChart {
  const namespace = String(o.metadata?.namespace ?? '');
  const spec = o.spec ?? {};
  let chart = '';
  let version = '';
  let source = '';
  if (spec.chartRef) {
    const src = sources.get(`${spec.chartRef.kind}/${spec.chartRef.namespace ?? namespace}/${spec.chartRef.name}`);
    source = String(src?.spec?.url ?? '');
    chart = source.split('/').pop() ?? String(spec.chartRef.name);
    version = String(src?.spec?.ref?.tag ?? src?.spec?.ref?.semver ?? src?.spec?.ref?.digest ?? '');
  } else if (spec.chart?.spec) {
    const s = spec.chart.spec;
    chart = String(s.chart ?? '');
    version = String(s.version ?? '');
    const ref = s.sourceRef ?? {};
    const src = sources.get(`${ref.kind}/${ref.namespace ?? namespace}/${ref.name}`);
    source = String(src?.spec?.url ?? '');
  }
  return { object: o, release: String(o.metadata?.name), namespace, chart, version, source };
}

/** Every Flux HelmRelease of `objects`, in order, with the chart it installs. */
export function releaseCharts(objects: readonly Manifest[]): ReleaseChart[] {
  const sources = new Map<string, Manifest>();
  for (const o of objects) if (isSource(o)) sources.set(`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o);
  return objects.filter(isFluxHelmRelease).map((o) => chartOf(o, sources));
}

/** Whether the tree installs chart `chart` (by `chart.spec.chart`, any API group, as the capacity check counts Cilium). */
export function rendersChart(manifests: readonly RenderedManifest[], chart: string): boolean {
  return manifests.some((m) => m.object.kind === 'HelmRelease' && m.object.spec?.chart?.spec?.chart === chart);
}
