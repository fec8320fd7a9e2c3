/**
 * Loads and checks import.config.mjs, the hand-maintained list of every upstream input of
 * `npm run import` (charts with their pins, CRD files, Talos schemas). A mistake in it is
 * reported as one list of errors naming the entry and field, before anything is fetched or
 * imports/ is touched, so a bad edit never leaves a half-regenerated tree.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImportInputError, REPO_ROOT } from './util.mjs';

/** Where the manifest lives (relative to the repository root). */
export const MANIFEST_FILE = 'import.config.mjs';

/** The Talos inputs talos.mjs reads, by path below talos/. */
export const TALOS_FILES = ['siderolabs/config.schema.json', 'talhelper/talconfig.json'];

const CHART_KEYS = new Set(['name', 'version', 'repository', 'type', 'alternatives', 'deprecated', 'notes', 'images', 'source']);
const CRD_KEYS = new Set(['files', 'chart', 'split']);
const NAME = /^[a-z0-9][a-z0-9.-]*$/;
const FILE = /^[\w.-]+\.ya?ml$/;

/**
 * @typedef {object} ManifestChart
 * @property {string} name
 * @property {string} version
 * @property {string} repository
 * @property {'https'|'oci'} type
 * @property {string[]} alternatives
 * @property {boolean} deprecated
 * @property {string|undefined} notes
 * @property {string[]} images
 * @property {string|undefined} source
 *
 * @typedef {{ kind: 'url', files: Record<string, string> }
 *   | { kind: 'chart', chart: string, files: string[] }
 *   | { kind: 'split', url: string, files: string[] }} CrdSource
 *
 * @typedef {object} Manifest
 * @property {ManifestChart[]} charts   sorted by name
 * @property {Record<string, CrdSource>} crds   by source folder, sorted
 * @property {Record<string, string>} talos     path below talos/ -> URL
 */

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v) => typeof v === 'string' && v.trim() !== '';
const isUrl = (v, schemes = ['https:']) => {
  if (!isString(v)) return false;
  try {
    return schemes.includes(new URL(v).protocol);
  } catch {
    return false;
  }
};
const stringList = (v) => Array.isArray(v) && v.every(isString);

/** Checks one chart entry; pushes problems, returns the normalised chart. */
function checkChart(c, i, errors) {
  const where = `charts[${i}]${isObject(c) && isString(c.name) ? ` (${c.name})` : ''}`;
  if (!isObject(c)) {
    errors.push(`${where}: must be an object`);
    return undefined;
  }
  for (const k of Object.keys(c)) if (!CHART_KEYS.has(k)) errors.push(`${where}: unknown field '${k}' (known: ${[...CHART_KEYS].join(', ')})`);
  if (!isString(c.name) || !NAME.test(c.name)) errors.push(`${where}: name must be a chart name (lower case, digits, '-', '.')`);
  if (!isString(c.version) || /\s/.test(c.version)) errors.push(`${where}: version must be the exact chart version, e.g. '1.2.3'`);
  if (c.type !== 'https' && c.type !== 'oci') errors.push(`${where}: type must be 'https' or 'oci', not ${JSON.stringify(c.type)}`);
  else if (!isUrl(c.repository, [c.type === 'oci' ? 'oci:' : 'https:'])) errors.push(`${where}: repository must be a${c.type === 'oci' ? 'n oci://' : ' https://'} URL (type ${c.type})`);
  if (c.alternatives !== undefined && !stringList(c.alternatives)) errors.push(`${where}: alternatives must be a list of URLs`);
  if (c.images !== undefined && !stringList(c.images)) errors.push(`${where}: images must be a list of image references`);
  if (c.deprecated !== undefined && typeof c.deprecated !== 'boolean') errors.push(`${where}: deprecated must be true or false`);
  for (const k of ['notes', 'source']) if (c[k] !== undefined && !isString(c[k])) errors.push(`${where}: ${k} must be a non-empty string`);
  return {
    name: c.name,
    version: c.version,
    repository: c.repository,
    type: c.type,
    alternatives: c.alternatives ?? [],
    deprecated: c.deprecated === true,
    notes: c.notes === undefined ? undefined : String(c.notes).trim(),
    images: c.images ?? [],
    source: c.source,
  };
}

/** Checks one CRD source; pushes problems, returns the normalised source. */
function checkCrdSource(name, s, chartNames, errors) {
  const where = `crds.${name}`;
  if (!NAME.test(name)) errors.push(`${where}: source folder names are lower case, digits and '-'`);
  if (!isObject(s)) {
    errors.push(`${where}: must be an object with files (and chart or split)`);
    return undefined;
  }
  for (const k of Object.keys(s)) if (!CRD_KEYS.has(k)) errors.push(`${where}: unknown field '${k}' (known: files, chart, split)`);
  const badFiles = (files) => files.filter((f) => !FILE.test(f));
  if (s.chart !== undefined || s.split !== undefined) {
    if (s.chart !== undefined && s.split !== undefined) errors.push(`${where}: give chart or split, not both`);
    if (!stringList(s.files) || s.files.length === 0) errors.push(`${where}: files must list the CRD file names to take`);
    else if (badFiles(s.files).length) errors.push(`${where}: not a YAML file name: ${badFiles(s.files).join(', ')}`);
    if (s.chart !== undefined) {
      if (!chartNames.has(s.chart)) errors.push(`${where}: chart '${s.chart}' is not in charts`);
      return { kind: 'chart', chart: s.chart, files: [...(s.files ?? [])].sort() };
    }
    if (!isUrl(s.split)) errors.push(`${where}: split must be an https:// URL of a multi-document YAML file`);
    return { kind: 'split', url: s.split, files: [...(s.files ?? [])].sort() };
  }
  if (!isObject(s.files) || Object.keys(s.files).length === 0) {
    errors.push(`${where}: files must map each CRD file name to its https:// URL (or give chart/split)`);
    return undefined;
  }
  for (const [f, url] of Object.entries(s.files)) {
    if (!FILE.test(f)) errors.push(`${where}: not a YAML file name: ${f}`);
    if (!isUrl(url)) errors.push(`${where}.files['${f}']: must be an https:// URL, not ${JSON.stringify(url)}`);
  }
  return { kind: 'url', files: Object.fromEntries(Object.keys(s.files).sort().map((f) => [f, s.files[f]])) };
}

/**
 * Checks a manifest object (the default export of import.config.mjs). Throws one Error
 * listing every problem; returns the normalised manifest (charts and sources sorted).
 * @returns {Manifest}
 */
export function parseManifest(raw, file = MANIFEST_FILE) {
  const errors = [];
  if (!isObject(raw)) throw new ImportInputError(`${file}: the default export must be an object with charts, crds and talos`);
  for (const k of Object.keys(raw)) if (!['charts', 'crds', 'talos'].includes(k)) errors.push(`unknown top-level field '${k}' (known: charts, crds, talos)`);
  if (!Array.isArray(raw.charts)) errors.push('charts must be a list');
  const charts = (Array.isArray(raw.charts) ? raw.charts : []).map((c, i) => checkChart(c, i, errors)).filter(Boolean);
  const seen = new Set();
  for (const c of charts) {
    if (seen.has(c.name)) errors.push(`charts: ${c.name} is listed twice`);
    seen.add(c.name);
  }
  if (!isObject(raw.crds)) errors.push('crds must be an object: source folder -> { files, chart?, split? }');
  const crds = {};
  for (const name of Object.keys(isObject(raw.crds) ? raw.crds : {}).sort()) {
    const s = checkCrdSource(name, raw.crds[name], seen, errors);
    if (s) crds[name] = s;
  }
  const talos = {};
  if (!isObject(raw.talos)) errors.push(`talos must be an object: ${TALOS_FILES.join(', ')} -> URL`);
  else {
    for (const k of Object.keys(raw.talos)) if (!TALOS_FILES.includes(k)) errors.push(`talos: unknown file '${k}' (known: ${TALOS_FILES.join(', ')})`);
    for (const k of TALOS_FILES) {
      if (!isUrl(raw.talos[k])) errors.push(`talos['${k}']: must be an https:// URL`);
      else talos[k] = raw.talos[k];
    }
  }
  if (errors.length) throw new ImportInputError(`${file}: ${errors.length} problem(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  return { charts: [...charts].sort((a, b) => a.name.localeCompare(b.name)), crds, talos };
}

/** Imports and checks the manifest file (default: import.config.mjs at the repository root). */
export async function loadManifest(file = path.join(REPO_ROOT, MANIFEST_FILE)) {
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new ImportInputError(`${path.relative(REPO_ROOT, file) || file}: cannot be loaded: ${err.message}`);
  }
  return parseManifest(mod.default, path.relative(REPO_ROOT, file) || file);
}
