/**
 * Resolves every input of the manifest (resolve.mjs) and copies what the import steps read into
 * one staging folder in the upstream reference layout:
 *
 *   <stage>/charts/<chart>/{Chart.yaml, values.yaml, values.schema.json, schemas/…, <library>/…}
 *   <stage>/crds/<source>/<file>
 *   <stage>/talos/{talhelper/talconfig.json, siderolabs/config.schema.json}
 *
 * The steps then read one layout whatever the inputs came from (a chart mirror, the cache, a
 * download, the old ../shared), and headers name the staged paths (util.mjs sharedRel), so the
 * generated files are the same whichever source was used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { defaultIo, resolveChart, resolveFile, splitCrds, writeAtomically } from './resolve.mjs';

/** Folders of a chart that are never part of the values view. */
const NOT_VIEW = new Set(['charts', 'templates', 'crds', 'schemas', 'files', 'ci', 'tests']);

/** Reads a Chart.yaml. */
const chartYaml = (dir) => parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) ?? {};

/** Copies one file, creating folders. */
function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Every file below dir (recursive), relative, sorted. */
function filesBelow(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) out.push(...filesBelow(path.join(dir, e.name), `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out;
}

/**
 * The library sub-charts of a chart (Chart.yaml `type: library`), by folder name: in charts/<name>/
 * (a chart as Helm holds it) or <name>/ (the old reference layout). Their values and schemas are
 * the parent's own (app-template's defaults live in bjw-s common), unlike application sub-charts,
 * which get their values below one key and are left out.
 */
function librarySubcharts(dir) {
  const out = new Map();
  for (const base of [path.join(dir, 'charts'), dir]) {
    if (!fs.existsSync(base)) continue;
    for (const e of fs.readdirSync(base, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const sub = path.join(base, e.name);
      if (!e.isDirectory() || (base === dir && NOT_VIEW.has(e.name)) || !fs.existsSync(path.join(sub, 'Chart.yaml'))) continue;
      if (chartYaml(sub).type === 'library' && !out.has(e.name)) out.set(e.name, sub);
    }
  }
  return out;
}

/**
 * Copies the values view of a chart: Chart.yaml, values.yaml, values.schema.json, schemas/
 * (the files a values schema $refs), and the same of each library sub-chart below <name>/.
 */
export function stageChartView(dir, dest) {
  fs.mkdirSync(dest, { recursive: true });
  for (const f of ['Chart.yaml', 'values.yaml', 'values.schema.json']) {
    if (fs.existsSync(path.join(dir, f))) copy(path.join(dir, f), path.join(dest, f));
  }
  const schemas = path.join(dir, 'schemas');
  if (fs.existsSync(schemas)) for (const f of filesBelow(schemas)) if (f.endsWith('.json')) copy(path.join(schemas, f), path.join(dest, 'schemas', f));
  for (const [name, sub] of librarySubcharts(dir)) stageChartView(sub, path.join(dest, name));
}

/** Local paths of one CRD file in the old reference layout. */
const sharedCrd = (opts, source, file) => (opts.shared ? [path.join(opts.shared, 'crds', source, file)] : []);

/**
 * Resolves the CRD files of one source into <stage>/crds/<source>/; returns the missing inputs.
 * @param {import('./manifest.mjs').CrdSource} src
 */
async function stageCrdSource(name, src, ctx) {
  const { opts, io, stage, chartDirs } = ctx;
  const dest = path.join(stage, 'crds', name);
  const missing = [];
  if (src.kind === 'url') {
    for (const [file, url] of Object.entries(src.files)) {
      const r = await resolveFile({ key: `CRD ${name}/${file}`, url, local: sharedCrd(opts, name, file) }, opts, io);
      if ('missing' in r) missing.push(r.missing);
      else {
        copy(r.file, path.join(dest, file));
        ctx.note(`crds/${name}`, r.from);
      }
    }
    return missing;
  }
  if (src.kind === 'chart') {
    const chartDir = chartDirs.get(src.chart);
    for (const file of src.files) {
      // The chart folder is already resolved (downloaded again with --online), so it is read even then.
      const fromChart = chartDir ? [path.join(chartDir, 'crds', file)] : [];
      const local = opts.online ? fromChart : [...sharedCrd(opts, name, file), ...fromChart];
      const r = await resolveFile({ key: `CRD ${name}/${file} (from chart ${src.chart}'s crds/)`, local }, { ...opts, online: false }, io);
      if ('missing' in r) missing.push(chartDir ? r.missing : `${r.missing} (chart ${src.chart} itself was not found)`);
      else {
        copy(r.file, path.join(dest, file));
        ctx.note(`crds/${name}`, chartDir && r.file.startsWith(chartDir) ? `chart ${src.chart}` : r.from);
      }
    }
    return missing;
  }
  // split: the old layout's files when all are there, else the release file, split.
  const local = src.files.map((f) => sharedCrd(opts, name, f)[0]).filter(Boolean);
  if (!opts.online && local.length === src.files.length && local.every((p) => fs.existsSync(p))) {
    src.files.forEach((f, i) => copy(local[i], path.join(dest, f)));
    ctx.note(`crds/${name}`, 'local');
    return missing;
  }
  const r = await resolveFile({ key: `CRD bundle ${name} (${src.url})`, url: src.url, local: [] }, opts, io);
  if ('missing' in r) return [r.missing];
  const docs = splitCrds(fs.readFileSync(r.file, 'utf8'));
  for (const f of src.files) {
    if (docs.has(f)) writeAtomically(path.join(dest, f), docs.get(f));
    else missing.push(`CRD ${name}/${f}: ${src.url} has no CustomResourceDefinition named ${f.replace(/\.ya?ml$/, '')} (it has: ${[...docs.keys()].join(', ')})`);
  }
  ctx.note(`crds/${name}`, r.from);
  return missing;
}

/**
 * Builds the staging folder. Charts in `keep` (name -> true) that are found nowhere are left
 * out instead of failing (--keep-missing); every other missing input ends up in `missing`.
 * @param {import('./manifest.mjs').Manifest} manifest
 * @param {import('./resolve.mjs').ImportOptions} opts
 * @returns {Promise<{ stage: string, charts: { chart: object, dir: string, from: string }[], missingCharts: string[], missing: string[], sources: Map<string, Set<string>> }>}
 */
export async function buildStage(manifest, opts, io = defaultIo()) {
  const stage = path.join(opts.cache, 'stage');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const sources = new Map();
  const note = (what, from) => {
    if (!sources.has(from)) sources.set(from, new Set());
    sources.get(from).add(what);
  };
  const missing = [];
  const missingCharts = [];
  const charts = [];
  const chartDirs = new Map();
  for (const chart of manifest.charts) {
    const r = await resolveChart(chart, opts, io);
    if ('missing' in r) {
      missing.push(r.missing);
      missingCharts.push(chart.name);
      continue;
    }
    chartDirs.set(chart.name, r.dir);
    const view = path.join(stage, 'charts', chart.name);
    stageChartView(r.dir, view);
    charts.push({ chart, dir: view, from: r.from });
    note(`chart ${chart.name}`, r.from);
  }
  const ctx = { opts, io, stage, chartDirs, note };
  for (const [name, src] of Object.entries(manifest.crds)) missing.push(...(await stageCrdSource(name, src, ctx)));
  for (const [file, url] of Object.entries(manifest.talos)) {
    const local = opts.shared ? [path.join(opts.shared, 'talos', file)] : [];
    const r = await resolveFile({ key: `Talos schema ${file}`, url, local }, opts, io);
    if ('missing' in r) missing.push(r.missing);
    else {
      copy(r.file, path.join(stage, 'talos', file));
      note(`talos/${file}`, r.from);
    }
  }
  return { stage, charts, missingCharts, missing, sources };
}
