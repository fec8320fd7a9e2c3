import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempRoot } from '../helpers.js';

/**
 * scripts/import/resolve.mjs, stage.mjs and keep.mjs: where `npm run import` finds each input of
 * import.config.mjs (mirror → cache → old ../shared layout → download), what it stages, and the
 * error naming what is missing. The network steps are replaced by fakes: no test goes online.
 */
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'import');
const load = (name: string) => import(pathToFileURL(join(process.cwd(), 'scripts', 'import', name)).href);

const demo = { name: 'demo', version: '1.0.0', repository: 'https://charts.example.com', type: 'https', alternatives: [], deprecated: false, notes: undefined, images: [], source: undefined };

/** Options as importOptions builds them, with a fresh cache. */
function options(overrides: Record<string, unknown> = {}) {
  return { mirror: undefined, shared: undefined, cache: tempRoot('import-cache-'), online: false, offline: true, keepMissing: false, ...overrides };
}

/** Network fakes that record their calls; pullChart copies the fixture chart, fetchUrl answers from a map. */
function fakeIo(files: Record<string, string> = {}) {
  const calls: string[] = [];
  return {
    calls,
    pullChart: async (chart: { name: string; version: string }, dest: string) => {
      calls.push(`pull ${chart.name} ${chart.version}`);
      cpSync(join(FIXTURES, 'mirror', `${chart.name}-${chart.version}`), dest, { recursive: true });
    },
    fetchUrl: async (url: string) => {
      calls.push(`get ${url}`);
      if (!(url in files)) throw new Error('HTTP 404 Not Found');
      return Buffer.from(files[url]);
    },
  };
}

const CRD = (plural: string, kind: string) =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${plural}.example.com\nspec:\n  group: example.com\n  names: { kind: ${kind}, plural: ${plural} }\n  scope: Namespaced\n  versions: []\n`;

describe('scripts/import/resolve.mjs', () => {
  test('importOptions: flags, environment folders, and the default cache under node_modules/.cache', async () => {
    const { importOptions } = await load('resolve.mjs');
    const root = tempRoot('import-root-');
    const o = importOptions(['--offline', '--keep-missing'], { HOMELAB_CHART_MIRROR: join(FIXTURES, 'mirror') }, root);
    expect(o).toMatchObject({ mirror: join(FIXTURES, 'mirror'), shared: undefined, offline: true, online: false, keepMissing: true });
    expect(o.cache).toBe(join(root, 'node_modules', '.cache', 'cdk8s-homelab', 'import'));
    expect(importOptions([], { HOMELAB_SHARED: join(FIXTURES, 'shared'), SHARED_DIR: '/nowhere' }, root).shared).toBe(join(FIXTURES, 'shared'));
    expect(importOptions([], { SHARED_DIR: join(FIXTURES, 'shared') }, root).shared).toBe(join(FIXTURES, 'shared'));
    expect(importOptions([], { HOMELAB_IMPORT_OFFLINE: '1' }, root).offline).toBe(true);
    expect(() => importOptions(['--fast'], {}, root)).toThrow(/unknown option\(s\) --fast/);
    expect(() => importOptions(['--online', '--offline'], {}, root)).toThrow(/exclude each other/);
    expect(() => importOptions([], { HOMELAB_CHART_MIRROR: '/no/such/mirror' }, root)).toThrow('$HOMELAB_CHART_MIRROR=/no/such/mirror: no such folder');
  });

  test('a chart comes from the mirror first, then the cache, and is pulled only when neither has it', async () => {
    const { resolveChart } = await load('resolve.mjs');
    const io = fakeIo();
    const cache = tempRoot('import-cache-');
    const fromMirror = await resolveChart(demo, options({ mirror: join(FIXTURES, 'mirror'), cache, offline: false }), io);
    expect(fromMirror).toEqual({ dir: join(FIXTURES, 'mirror', 'demo-1.0.0'), from: 'mirror' });

    cpSync(join(FIXTURES, 'mirror', 'demo-1.0.0'), join(cache, 'charts', 'demo-1.0.0'), { recursive: true });
    const fromCache = await resolveChart(demo, options({ mirror: tempRoot('empty-mirror-'), cache, offline: false }), io);
    expect(fromCache).toEqual({ dir: join(cache, 'charts', 'demo-1.0.0'), from: 'cache' });
    expect(io.calls).toEqual([]);

    const pulled = await resolveChart(demo, options({ offline: false }), io);
    expect(pulled.from).toBe('network');
    expect(existsSync(join(pulled.dir, 'Chart.yaml'))).toBe(true);
    expect(io.calls).toEqual(['pull demo 1.0.0']);
  });

  test('a chart found nowhere with downloads off is a message naming it, where it was looked for and how to supply it', async () => {
    const { resolveChart } = await load('resolve.mjs');
    const io = fakeIo();
    const opts = options({ mirror: tempRoot('empty-mirror-') });
    const r = await resolveChart({ ...demo, version: '2.0.0' }, opts, io);
    expect(r.missing).toMatch(/^chart demo 2\.0\.0: not in \$HOMELAB_CHART_MIRROR\/demo-2\.0\.0, the cache \(.*demo-2\.0\.0\); downloads are off \(--offline\)\./);
    expect(r.missing).toContain('Set HOMELAB_CHART_MIRROR to a folder holding demo-2.0.0/');
    expect(io.calls).toEqual([]);
    const failed = await resolveChart({ ...demo, version: '2.0.0' }, options({ offline: false }), { ...io, pullChart: async () => { throw new Error('Error: chart "demo" version "2.0.0" not found'); } });
    expect(failed.missing).toContain('helm pull failed: Error: chart "demo" version "2.0.0" not found');
  });

  test("a chart `npm run render` pulled is adopted into the import cache (render keeps sub-charts packed)", async () => {
    const { resolveChart } = await load('resolve.mjs');
    const renderCache = tempRoot('render-cache-');
    cpSync(join(FIXTURES, 'mirror', 'demo-1.0.0'), join(renderCache, 'demo-1.0.0'), { recursive: true });
    const opts = options({ renderCache });
    const r = await resolveChart(demo, opts, fakeIo());
    expect(r).toEqual({ dir: join(opts.cache, 'charts', 'demo-1.0.0'), from: 'render cache' });
    expect(readFileSync(join(r.dir, 'charts', 'lib', 'values.yaml'), 'utf8')).toBe('common: true\n');
    expect((await resolveChart(demo, opts, fakeIo())).from).toBe('cache');
  });

  test('the old ../shared layout serves a chart only at the pinned version; --online skips every local copy', async () => {
    const { resolveChart } = await load('resolve.mjs');
    const shared = tempRoot('import-shared-');
    cpSync(join(FIXTURES, 'mirror', 'demo-1.0.0'), join(shared, 'charts', 'demo'), { recursive: true });
    expect((await resolveChart(demo, options({ shared }), fakeIo())).from).toBe('shared');
    expect((await resolveChart({ ...demo, version: '1.1.0' }, options({ shared }), fakeIo())).missing).toContain(`${join(shared, 'charts', 'demo')} at version 1.1.0`);
    const io = fakeIo();
    const online = await resolveChart(demo, options({ mirror: join(FIXTURES, 'mirror'), shared, online: true, offline: false }), io);
    expect(online.from).toBe('network');
    expect(io.calls).toEqual(['pull demo 1.0.0']);
  });

  test('a file comes from a local path, else the cache keyed by URL, else one download into the cache', async () => {
    const { resolveFile, cachedUrlPath } = await load('resolve.mjs');
    const url = 'https://raw.example.com/org/repo/v1/crds/widgets.yaml';
    const io = fakeIo({ [url]: CRD('widgets', 'Widget') });
    const local = join(FIXTURES, 'shared', 'crds', 'demo', 'gadgets.yaml');
    const opts = options({ offline: false });
    expect(await resolveFile({ key: 'CRD demo/gadgets.yaml', url, local: [local] }, opts, io)).toEqual({ file: local, from: 'local' });
    const first = await resolveFile({ key: 'CRD demo/widgets.yaml', url, local: ['/nowhere/widgets.yaml'] }, opts, io);
    expect(first).toEqual({ file: cachedUrlPath(opts.cache, url), from: 'network' });
    expect(readFileSync(first.file, 'utf8')).toBe(CRD('widgets', 'Widget'));
    expect(await resolveFile({ key: 'CRD demo/widgets.yaml', url, local: [] }, { ...opts, offline: true }, io)).toEqual({ file: first.file, from: 'cache' });
    expect(io.calls).toEqual([`get ${url}`]);
    // A different URL (a bumped tag) is a different cache entry.
    expect(cachedUrlPath(opts.cache, url.replace('/v1/', '/v2/'))).not.toBe(first.file);
  });

  test('a file found nowhere: offline, the message names it and the URL; online, the failed download', async () => {
    const { resolveFile } = await load('resolve.mjs');
    const url = 'https://raw.example.com/org/repo/v1/crds/missing.yaml';
    const offline = await resolveFile({ key: 'CRD demo/missing.yaml', url, local: ['/nowhere/missing.yaml'] }, options(), fakeIo());
    expect(offline.missing).toMatch(/^CRD demo\/missing\.yaml: not in \/nowhere\/missing\.yaml, .*; downloads are off \(--offline\)\. Run without --offline to fetch https:\/\/raw\.example\.com/);
    const online = await resolveFile({ key: 'CRD demo/missing.yaml', url, local: [] }, options({ offline: false }), fakeIo());
    expect(online.missing).toContain(`fetching ${url} failed: HTTP 404 Not Found`);
  });

  test('splitCrds keeps the text of each CustomResourceDefinition, named <metadata.name>.yaml', async () => {
    const { splitCrds } = await load('resolve.mjs');
    const bundle = `# release file\n---\n${CRD('widgets', 'Widget')}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n---\n${CRD('gadgets', 'Gadget')}`;
    const docs = splitCrds(bundle);
    expect([...docs.keys()]).toEqual(['widgets.example.com.yaml', 'gadgets.example.com.yaml']);
    expect(docs.get('gadgets.example.com.yaml')).toBe(CRD('gadgets', 'Gadget'));
  });
});

describe('scripts/import/stage.mjs', () => {
  const manifest = {
    charts: [demo],
    crds: {
      bundle: { kind: 'split', url: 'https://raw.example.com/all.yaml', files: ['gadgets.example.com.yaml'] },
      demo: { kind: 'url', files: { 'gadgets.yaml': 'https://raw.example.com/gadgets.yaml' } },
      fromchart: { kind: 'chart', chart: 'demo', files: ['widgets.yaml'] },
    },
    talos: { 'siderolabs/config.schema.json': 'https://raw.example.com/config.schema.json', 'talhelper/talconfig.json': 'https://raw.example.com/talconfig.json' },
  };

  /** Every file below dir, relative, sorted. */
  function files(dir: string, prefix = ''): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`])).sort();
  }

  test('stages the values view of each chart (library sub-charts included), the CRDs and the Talos schemas in the reference layout', async () => {
    const { buildStage } = await load('stage.mjs');
    const io = fakeIo({ 'https://raw.example.com/all.yaml': `${CRD('gadgets', 'Gadget')}---\n${CRD('other', 'Other')}` });
    const staged = await buildStage(manifest, options({ mirror: join(FIXTURES, 'mirror'), shared: join(FIXTURES, 'shared'), offline: false }), io);
    expect(staged.missing).toEqual([]);
    expect(files(staged.stage)).toEqual([
      'charts/demo/Chart.yaml',
      'charts/demo/lib/Chart.yaml',
      'charts/demo/lib/values.yaml',
      'charts/demo/values.schema.json',
      'charts/demo/values.yaml',
      'crds/bundle/gadgets.example.com.yaml',
      'crds/demo/gadgets.yaml',
      'crds/fromchart/widgets.yaml',
      'talos/siderolabs/config.schema.json',
      'talos/talhelper/talconfig.json',
    ]);
    expect(staged.charts.map((c: { chart: { name: string }; from: string }) => [c.chart.name, c.from])).toEqual([['demo', 'mirror']]);
    expect(Object.fromEntries([...staged.sources].map(([k, v]) => [k, [...(v as Set<string>)].sort()]))).toEqual({
      local: ['crds/demo', 'talos/siderolabs/config.schema.json', 'talos/talhelper/talconfig.json'],
      mirror: ['chart demo'],
      'chart demo': ['crds/fromchart'],
      network: ['crds/bundle'],
    });
    expect(io.calls).toEqual(['get https://raw.example.com/all.yaml']);
  });

  test('--online downloads every input again, and takes chart CRDs from the freshly pulled chart', async () => {
    const { buildStage } = await load('stage.mjs');
    const io = fakeIo({
      'https://raw.example.com/all.yaml': CRD('gadgets', 'Gadget'),
      'https://raw.example.com/gadgets.yaml': CRD('gadgets', 'Gadget'),
      'https://raw.example.com/config.schema.json': '{}',
      'https://raw.example.com/talconfig.json': '{}',
    });
    const staged = await buildStage(manifest, options({ mirror: join(FIXTURES, 'mirror'), shared: join(FIXTURES, 'shared'), online: true, offline: false }), io);
    expect(staged.missing).toEqual([]);
    expect([...staged.sources.keys()]).toEqual(['network', 'chart demo']);
    expect(io.calls).toEqual([
      'pull demo 1.0.0',
      'get https://raw.example.com/all.yaml',
      'get https://raw.example.com/gadgets.yaml',
      'get https://raw.example.com/config.schema.json',
      'get https://raw.example.com/talconfig.json',
    ]);
  });

  test('offline with nothing local: every missing input is listed, and keptCharts turns the list into one error', async () => {
    const { buildStage } = await load('stage.mjs');
    const { keptCharts } = await load('keep.mjs');
    const opts = options();
    const staged = await buildStage(manifest, opts, fakeIo());
    expect(staged.missingCharts).toEqual(['demo']);
    expect(staged.missing).toHaveLength(6);
    expect(staged.missing[0]).toMatch(/^chart demo 1\.0\.0: /);
    expect(staged.missing.join('\n')).toContain("CRD fromchart/widgets.yaml (from chart demo's crds/): not found (chart demo itself was not found)");
    expect(() => keptCharts(manifest, staged, new Map(), opts)).toThrow(/^npm run import: 6 input\(s\) of import\.config\.mjs not found; nothing was written:\n {2}- chart demo 1\.0\.0: [^]*pass --keep-missing\.$/);
  });

  test('--keep-missing keeps a missing chart imported before at the same version, never one whose version changed', async () => {
    const { keptCharts, restoreKept } = await load('keep.mjs');
    const imports = tempRoot('import-imports-');
    mkdirSync(join(imports, 'charts', 'demo'), { recursive: true });
    mkdirSync(join(imports, 'validators', 'charts'), { recursive: true });
    writeFileSync(join(imports, 'charts', 'demo', 'values-keys.json'), '{}\n');
    writeFileSync(join(imports, 'validators', 'charts', 'demo.cjs'), '// v\n');
    const staged = { missing: ['chart demo 1.0.0: not in the cache'], missingCharts: ['demo'] };
    const before = new Map([['demo', { info: { name: 'demo', version: '1.0.0', appVersion: '2.0', kubeVersion: undefined, values: 'schema' } }]]);
    const kept = keptCharts({ charts: [demo] }, staged, before, { keepMissing: true });
    expect(kept.infos).toEqual([expect.objectContaining({ name: 'demo', version: '1.0.0', appVersion: '2.0', values: 'schema', repository: 'https://charts.example.com' })]);
    const saved = kept.save(imports);
    expect(saved.map((s: { rel: string }) => s.rel)).toEqual([join('charts', 'demo', 'values-keys.json'), join('validators', 'charts', 'demo.cjs')]);
    const fresh = tempRoot('import-imports-');
    restoreKept(fresh, saved);
    expect(readFileSync(join(fresh, 'validators', 'charts', 'demo.cjs'), 'utf8')).toBe('// v\n');

    const bumped = new Map([['demo', { info: { ...before.get('demo')!.info, version: '0.9.0' } }]]);
    expect(() => keptCharts({ charts: [demo] }, staged, bumped, { keepMissing: true })).toThrow('(--keep-missing keeps only a chart imported before at the same version; imports/ has 0.9.0)');
    expect(() => keptCharts({ charts: [demo] }, staged, before, { keepMissing: false })).toThrow(/pass --keep-missing/);
  });
});
