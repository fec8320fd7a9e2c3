/**
 * Finds every input the manifest names, locally first, so `npm run import` works offline and a
 * user's clone needs no ../shared:
 *
 *   charts   1. $HOMELAB_CHART_MIRROR/<chart>-<version>/   (a folder of unpacked charts)
 *            2. the cache, <cache>/charts/<chart>-<version>/ (then the chart `npm run render` cached,
 *               copied into it with its sub-charts unpacked)
 *            3. the old reference layout <shared>/charts/<chart>/ when its Chart.yaml has that version
 *            4. `helm pull` into the cache (not with --offline)
 *   files    1. <shared>/crds/<source>/<file>, <shared>/talos/<file> ($HOMELAB_SHARED or $SHARED_DIR,
 *               else ../shared when it exists)
 *   (CRDs,   2. a chart's crds/ folder, for sources that say `chart:`
 *    Talos)  3. the cache, keyed by URL: <cache>/files/<sha256(url) prefix>/<name>
 *            4. an HTTPS download into the cache (not with --offline)
 *
 * `--online` skips the local copies (1-3) and downloads again, refreshing the cache.
 * Whatever is found nowhere is reported together, each input with how to supply it.
 * The network steps are functions in `io`, so tests replace them and never go online.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ImportInputError, REPO_ROOT } from './util.mjs';

const run = promisify(execFile);

/** Chart.yaml versions that upstream release tooling replaces (cert-manager's git tree). */
const PLACEHOLDER = /^v?0\.0\.0$/;

/**
 * @typedef {object} ImportOptions
 * @property {string|undefined} mirror   unpacked chart folders <chart>-<version>/
 * @property {string|undefined} shared   old reference layout (charts/, crds/, talos/)
 * @property {string} cache              download cache
 * @property {string|undefined} renderCache  where `npm run render` keeps the charts it pulled
 * @property {boolean} online            download even when a local copy exists
 * @property {boolean} offline           never download
 * @property {boolean} keepMissing       keep the previous imports of charts found nowhere
 */

/** Reads the command line and environment of `npm run import`. */
export function importOptions(argv = process.argv.slice(2), env = process.env, root = REPO_ROOT) {
  const known = new Set(['--online', '--offline', '--keep-missing']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length) throw new ImportInputError(`npm run import: unknown option(s) ${unknown.join(' ')} (known: ${[...known].join(', ')})`);
  if (argv.includes('--online') && argv.includes('--offline')) throw new ImportInputError('npm run import: --online and --offline exclude each other');
  const dirOf = (name, value) => {
    if (!value) return undefined;
    const dir = path.resolve(value);
    if (!fs.existsSync(dir)) throw new ImportInputError(`$${name}=${value}: no such folder`);
    return dir;
  };
  const defaultShared = path.resolve(root, '..', 'shared');
  const sharedVar = env.HOMELAB_SHARED ? 'HOMELAB_SHARED' : 'SHARED_DIR';
  return {
    mirror: dirOf('HOMELAB_CHART_MIRROR', env.HOMELAB_CHART_MIRROR),
    shared: dirOf(sharedVar, env[sharedVar]) ?? (fs.existsSync(defaultShared) ? defaultShared : undefined),
    cache: path.resolve(env.HOMELAB_IMPORT_CACHE || path.join(root, 'node_modules', '.cache', 'cdk8s-homelab', 'import')),
    renderCache: path.join(root, 'node_modules', '.cache', 'cdk8s-homelab', 'render'),
    online: argv.includes('--online'),
    offline: argv.includes('--offline') || env.HOMELAB_IMPORT_OFFLINE === '1',
    keepMissing: argv.includes('--keep-missing'),
  };
}

/** True when dir holds a Chart.yaml. */
const isChart = (dir) => fs.existsSync(path.join(dir, 'Chart.yaml'));

/** The version a Chart.yaml declares, or undefined. */
function chartVersion(dir) {
  return String((parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) ?? {}).version ?? '');
}

/**
 * Local places a chart may be, in order, each with a description for the error message.
 * @param {import('./manifest.mjs').ManifestChart} chart
 * @param {ImportOptions} opts
 */
export function chartCandidates(chart, opts) {
  const id = `${chart.name}-${chart.version}`;
  const out = [];
  if (opts.mirror) out.push({ from: 'mirror', dir: path.join(opts.mirror, id), what: `$HOMELAB_CHART_MIRROR/${id}` });
  out.push({ from: 'cache', dir: path.join(opts.cache, 'charts', id), what: `the cache (${path.join(opts.cache, 'charts', id)})` });
  if (opts.renderCache) out.push({ from: 'render cache', dir: path.join(opts.renderCache, id), what: "npm run render's cache", copy: true });
  if (opts.shared) {
    out.push({
      from: 'shared',
      dir: path.join(opts.shared, 'charts', chart.name),
      what: `${path.join(opts.shared, 'charts', chart.name)} at version ${chart.version}`,
      accept: (dir) => [chart.version].includes(chartVersion(dir)) || PLACEHOLDER.test(chartVersion(dir)),
    });
  }
  return out;
}

/**
 * The folder of one chart (its root: Chart.yaml, values.yaml, crds/, charts/…), or a
 * `missing` entry saying where it was looked for.
 * @returns {Promise<{ dir: string, from: string } | { missing: string }>}
 */
export async function resolveChart(chart, opts, io = defaultIo()) {
  const tried = [];
  if (!opts.online) {
    for (const c of chartCandidates(chart, opts)) {
      if (isChart(c.dir) && (!c.accept || c.accept(c.dir))) return c.copy ? { dir: await adopt(c.dir, path.join(opts.cache, 'charts', `${chart.name}-${chart.version}`)), from: c.from } : { dir: c.dir, from: c.from };
      tried.push(c.what);
    }
  }
  if (opts.offline) return { missing: missingChart(chart, tried, 'downloads are off (--offline)') };
  const dest = path.join(opts.cache, 'charts', `${chart.name}-${chart.version}`);
  try {
    await io.pullChart(chart, dest);
  } catch (err) {
    return { missing: missingChart(chart, tried, `helm pull failed: ${String(err.message ?? err).trim().split('\n')[0]}`) };
  }
  return { dir: dest, from: 'network' };
}

/**
 * Copies a chart helm pulled elsewhere (render's cache keeps sub-charts packed) into the import
 * cache with its sub-charts unpacked; returns the copy.
 */
async function adopt(dir, dest) {
  const tmp = `${dest}.${process.pid}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(dir, tmp, { recursive: true });
  await unpackSubcharts(tmp);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(tmp, dest);
  return dest;
}

/** The error text of a chart found nowhere. */
function missingChart(chart, tried, why) {
  return `chart ${chart.name} ${chart.version}: not in ${tried.join(', ') || 'any local folder'}; ${why}. `
    + `Set HOMELAB_CHART_MIRROR to a folder holding ${chart.name}-${chart.version}/ (the unpacked chart), or run \`npm run import\` with network access so helm pulls it from ${chart.repository}.`;
}

/** Cache path of a URL: a hash of the URL (so a changed URL is a new entry) plus its file name. */
export function cachedUrlPath(cache, url) {
  const hash = crypto.createHash('sha256').update(url).digest('hex').slice(0, 16);
  return path.join(cache, 'files', hash, path.posix.basename(new URL(url).pathname));
}

/**
 * One file: the first existing local path, else the cached or downloaded copy of url.
 * @param {{ key: string, url?: string, local: string[] }} input  key names it in messages
 * @returns {Promise<{ file: string, from: string } | { missing: string }>}
 */
export async function resolveFile(input, opts, io = defaultIo()) {
  if (!opts.online) {
    for (const p of input.local) if (fs.existsSync(p)) return { file: p, from: 'local' };
  }
  if (!input.url) return { missing: `${input.key}: not found${input.local.length ? ` in ${input.local.join(', ')}` : ''}` };
  const cached = cachedUrlPath(opts.cache, input.url);
  if (!opts.online && fs.existsSync(cached)) return { file: cached, from: 'cache' };
  const where = [...input.local, cached].join(', ');
  if (opts.offline) return { missing: `${input.key}: not in ${where}; downloads are off (--offline). Run without --offline to fetch ${input.url}, or set HOMELAB_SHARED to a folder in the reference layout.` };
  try {
    writeAtomically(cached, await io.fetchUrl(input.url));
  } catch (err) {
    return { missing: `${input.key}: not in ${where}, and fetching ${input.url} failed: ${err.message ?? err}` };
  }
  return { file: cached, from: 'network' };
}

/** Writes a file under a temporary name and renames it, so a broken run leaves no partial file. */
export function writeAtomically(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.partial`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Splits a multi-document YAML release file into its CustomResourceDefinitions, each as its
 * own text (unchanged), keyed `<metadata.name>.yaml` (Longhorn ships all CRDs in one file).
 */
export function splitCrds(text) {
  const out = new Map();
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const body = chunk.replace(/^\r?\n/, '');
    if (!body.trim()) continue;
    const doc = parse(body);
    if (doc?.kind === 'CustomResourceDefinition' && doc.metadata?.name) out.set(`${doc.metadata.name}.yaml`, body.endsWith('\n') ? body : `${body}\n`);
  }
  return out;
}

/** The network steps: `helm pull` and an HTTPS GET. Tests pass their own. */
export function defaultIo() {
  return { pullChart: helmPull, fetchUrl: httpsGet };
}

/** GETs a URL, failing on any non-2xx answer. */
async function httpsGet(url) {
  const res = await fetch(url, { redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * The helm binary: $HELM_BIN, else the one src/lib/render/helm-binary.ts extracts from the pinned
 * npm package (when `npm run render`/synth has built it), else helm on PATH.
 */
async function helmPath() {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  const built = path.join(REPO_ROOT, 'build', 'src', 'lib', 'render', 'helm-binary.js');
  if (fs.existsSync(built)) {
    const { locateHelm } = await import(built);
    const found = locateHelm(REPO_ROOT);
    if (found) return found.path;
  }
  return 'helm';
}

/**
 * `helm pull --untar` of one chart version into dest (via a temporary folder, renamed at the
 * end), with its packaged sub-charts unpacked the way a chart mirror holds them.
 */
async function helmPull(chart, dest) {
  const helm = await helmPath();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-pull-'));
  try {
    const ref = chart.type === 'oci' ? [chart.repository] : [chart.name, '--repo', chart.repository];
    await run(helm, ['pull', ...ref, '--version', chart.version, '--untar', '--untardir', tmp], { timeout: 300_000 });
    const dir = path.join(tmp, chart.name);
    if (!isChart(dir)) throw new Error(`helm pull wrote no ${chart.name}/Chart.yaml`);
    await unpackSubcharts(dir);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(dir, dest);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Unpacks charts/*.tgz of a pulled chart in place (recursively), as a mirror keeps them. */
async function unpackSubcharts(dir) {
  const sub = path.join(dir, 'charts');
  if (!fs.existsSync(sub)) return;
  for (const f of fs.readdirSync(sub).sort()) {
    if (!f.endsWith('.tgz')) continue;
    await run('tar', ['-xzf', f], { cwd: sub });
    fs.rmSync(path.join(sub, f));
  }
  for (const d of fs.readdirSync(sub).sort()) if (isChart(path.join(sub, d))) await unpackSubcharts(path.join(sub, d));
}
