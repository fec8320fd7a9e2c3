/**
 * Step 1c: imports/charts.ts, one typed constant per Helm chart of <shared>/charts, read
 * from charts/repositories.yaml and each chart's Chart.yaml. Every version pin sits on its
 * own line under a Renovate marker, so Renovate bumps the one place a version lives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { listSorted, sharedRel, tsHeader, writeImport } from './util.mjs';

/**
 * @typedef {object} ChartInfo
 * @property {string} name
 * @property {string} version
 * @property {string|undefined} appVersion
 * @property {string|undefined} kubeVersion
 * @property {string} repository
 * @property {'https'|'oci'} type
 * @property {string[]} alternatives
 * @property {boolean} deprecated
 * @property {string|undefined} notes
 * @property {string[]} images
 * @property {'schema'|'keys'} values   how validateHelmValues checks this chart's values
 * @property {string} dir               absolute chart folder
 */

/** Chart.yaml placeholders that the upstream release tooling replaces. */
const PLACEHOLDER = /^v?0\.0\.0$/;

/** Reads every chart folder plus its repositories.yaml entry. */
export function readCharts(shared) {
  const root = path.join(shared, 'charts');
  const repos = parse(fs.readFileSync(path.join(root, 'repositories.yaml'), 'utf8')).charts;
  const byName = new Map(repos.map((r) => [r.name, r]));
  /** @type {ChartInfo[]} */
  const out = [];
  for (const dirName of listSorted(root)) {
    const dir = path.join(root, dirName);
    if (!fs.statSync(dir).isDirectory()) continue;
    const chart = parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'));
    const repo = byName.get(chart.name);
    if (!repo) throw new Error(`charts/${dirName}: chart ${chart.name} has no entry in repositories.yaml`);
    byName.delete(chart.name);
    const placeholder = PLACEHOLDER.test(String(chart.version));
    if (!placeholder && String(chart.version) !== String(repo.version)) {
      throw new Error(`charts/${dirName}: Chart.yaml version ${chart.version} != repositories.yaml ${repo.version}`);
    }
    if (repo.type !== 'https' && repo.type !== 'oci') throw new Error(`charts/${dirName}: unknown type ${repo.type}`);
    const appVersion = chart.appVersion === undefined ? undefined : String(chart.appVersion);
    out.push({
      name: chart.name,
      version: String(repo.version),
      appVersion: appVersion !== undefined && PLACEHOLDER.test(appVersion) ? String(repo.version) : appVersion,
      kubeVersion: chart.kubeVersion === undefined ? undefined : String(chart.kubeVersion),
      repository: String(repo.repository),
      type: repo.type,
      alternatives: (repo.alternatives ?? []).map(String),
      deprecated: repo.deprecated === true || chart.deprecated === true,
      notes: repo.notes === undefined ? undefined : String(repo.notes).trim(),
      images: (repo.images ?? []).map(String),
      values: fs.existsSync(path.join(dir, 'values.schema.json')) ? 'schema' : 'keys',
      dir,
    });
  }
  if (byName.size) throw new Error(`repositories.yaml lists charts without a folder: ${[...byName.keys()].join(', ')}`);
  return out;
}

/** UPPER_SNAKE constant name of a chart (kube-prometheus-stack -> KUBE_PROMETHEUS_STACK). */
function constName(name) {
  return name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** The Renovate marker for a chart's version line. */
export function renovateMarker(c) {
  if (c.type === 'oci') return `// renovate: datasource=docker depName=${c.repository.replace(/^oci:\/\//, '')}`;
  return `// renovate: datasource=helm depName=${c.name} registryUrl=${c.repository}`;
}

/** A TypeScript string literal. */
const lit = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const optional = (s) => (s === undefined ? 'undefined' : lit(s));
const list = (xs) => (xs.length ? `[\n${xs.map((x) => `    ${lit(x)},`).join('\n')}\n  ]` : '[]');

/** Renders the constant of one chart. */
function renderChart(c) {
  return [
    `/** Helm chart ${c.name} (${c.type} repository). */`,
    `export const ${constName(c.name)}: HelmChartInfo = {`,
    `  name: ${lit(c.name)},`,
    `  ${renovateMarker(c)}`,
    `  version: ${lit(c.version)},`,
    `  appVersion: ${optional(c.appVersion)},`,
    `  kubeVersion: ${optional(c.kubeVersion)},`,
    `  repository: ${lit(c.repository)},`,
    `  type: ${lit(c.type)},`,
    `  alternatives: ${list(c.alternatives)},`,
    `  deprecated: ${c.deprecated},`,
    `  notes: ${optional(c.notes)},`,
    `  images: ${list(c.images)},`,
    `  values: ${lit(c.values)},`,
    '};',
  ].join('\n');
}

/** Writes imports/charts.ts. */
export function writeChartsModule(shared, charts) {
  const sources = [
    sharedRel(path.join(shared, 'charts', 'repositories.yaml')),
    sharedRel(path.join(shared, 'charts')) + '/*/Chart.yaml',
  ];
  const text = [
    tsHeader(sources).trimEnd(),
    '//',
    '// Renovate updates the `version:` line under each "renovate:" marker; after a bump, refresh',
    '// ../shared and rerun `npm run import` so the values schemas and keys match the new version.',
    '',
    '/** What the library knows about one Helm chart. */',
    'export interface HelmChartInfo {',
    '  /** Chart name in its repository. */',
    '  readonly name: string;',
    '  /** Exact chart version (the pin). */',
    '  readonly version: string;',
    "  /** The chart's appVersion, if it declares one. */",
    '  readonly appVersion: string | undefined;',
    "  /** Kubernetes version constraint from Chart.yaml, if any. */",
    '  readonly kubeVersion: string | undefined;',
    '  /** Helm repository URL (https) or full OCI chart reference (oci://…). */',
    '  readonly repository: string;',
    "  /** 'https': classic index.yaml repository (Flux HelmRepository); 'oci': OCI artifact (Flux OCIRepository). */",
    "  readonly type: 'https' | 'oci';",
    '  /** Other places the same chart is published. */',
    '  readonly alternatives: readonly string[];',
    '  /** True when upstream has retired or deprecated the chart. */',
    '  readonly deprecated: boolean;',
    '  /** Caveats recorded with the reference data (deprecation, staleness, version skew). */',
    '  readonly notes: string | undefined;',
    '  /** Default container images of this chart version. */',
    '  readonly images: readonly string[];',
    "  /** How values are checked: the chart's values.schema.json, or the key tree of its values.yaml. */",
    "  readonly values: 'schema' | 'keys';",
    '}',
    '',
    ...charts.flatMap((c) => [renderChart(c), '']),
    '/** Every chart, keyed by chart name. */',
    'export const CHARTS = {',
    ...charts.map((c) => `  ${lit(c.name)}: ${constName(c.name)},`),
    '} as const satisfies Record<string, HelmChartInfo>;',
    '',
    '/** Name of a chart the library knows. */',
    'export type ChartName = keyof typeof CHARTS;',
    '',
  ].join('\n');
  writeImport('charts.ts', text);
}
