/**
 * Step 1c: imports/charts.ts, one typed constant per Helm chart of import.config.mjs, with
 * appVersion/kubeVersion from each chart's Chart.yaml. The version lines keep the Renovate
 * marker of the manifest (as documentation: Renovate bumps import.config.mjs, not imports/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { sharedRel, tsHeader, writeImport } from './util.mjs';

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

/**
 * The ChartInfo of every staged chart: pins and metadata from the manifest, appVersion and
 * kubeVersion from the chart's own Chart.yaml (checked against the manifest's version).
 * @param {{ chart: import('./manifest.mjs').ManifestChart, dir: string }[]} staged
 */
export function readCharts(staged) {
  /** @type {ChartInfo[]} */
  const out = [];
  for (const { chart: m, dir } of staged) {
    const chart = parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'));
    if (chart.name !== m.name) throw new Error(`chart ${m.name} ${m.version}: its Chart.yaml names ${chart.name}`);
    const placeholder = PLACEHOLDER.test(String(chart.version));
    if (!placeholder && String(chart.version) !== m.version) {
      throw new Error(`chart ${m.name}: Chart.yaml version ${chart.version} != import.config.mjs ${m.version}`);
    }
    const appVersion = chart.appVersion === undefined ? undefined : String(chart.appVersion);
    out.push({
      name: m.name,
      version: m.version,
      appVersion: appVersion !== undefined && PLACEHOLDER.test(appVersion) ? m.version : appVersion,
      kubeVersion: chart.kubeVersion === undefined ? undefined : String(chart.kubeVersion),
      repository: m.repository,
      type: m.type,
      alternatives: m.alternatives,
      deprecated: m.deprecated || chart.deprecated === true,
      notes: m.notes,
      images: m.images,
      values: fs.existsSync(path.join(dir, 'values.schema.json')) ? 'schema' : 'keys',
      dir,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
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
export function writeChartsModule(stage, charts) {
  const sources = ['import.config.mjs', sharedRel(path.join(stage, 'charts')) + '/*/Chart.yaml'];
  const text = [
    tsHeader(sources).trimEnd(),
    '//',
    '// The pins are copied from import.config.mjs, where Renovate bumps them (renovate.json ignores',
    '// imports/); after a bump, `npm run import` regenerates this file and the values schemas and keys.',
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
