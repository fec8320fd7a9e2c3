import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * scripts/import/bump-report.mjs: after a chart bump, the values keys the estate sets that the new
 * version removed, moved or retyped. Fixture estate (test/fixtures/import/bump/clusters): one
 * HelmRelease of chart "demo" (OCIRepository chartRef, values + a valuesFrom ConfigMap), one of
 * chart "keysonly" (spec.chart, no schema); old/new values schemas of demo beside it.
 */
const BUMP = join(process.cwd(), 'test', 'fixtures', 'import', 'bump');
const load = () => import(pathToFileURL(join(process.cwd(), 'scripts', 'import', 'bump-report.mjs')).href);
const schema = (which: string) => JSON.parse(readFileSync(join(BUMP, which, 'values.schema.json'), 'utf8'));
const info = (name: string, version: string) => ({ name, version, appVersion: undefined, kubeVersion: undefined, values: 'schema' });

describe('scripts/import/bump-report.mjs', () => {
  test('estateValues: the values of every HelmRelease by chart, valuesFrom ConfigMaps merged under spec.values', async () => {
    const { estateValues, valuePaths } = await load();
    const estate = estateValues(join(BUMP, 'clusters'));
    expect([...estate.keys()]).toEqual(['demo', 'keysonly']);
    const [demo] = estate.get('demo');
    expect(demo.file).toBe('clusters/home/demo/helmrelease.yaml');
    expect(demo.values).toEqual({
      metrics: { enabled: true },
      legacyMode: false,
      resources: { limits: { cpu: 1 } },
      replicas: 2,
      image: { tag: 'v1', pullPolicy: 'Always' },
      extraEnv: [{ name: 'A', value: 'b' }],
    });
    expect(valuePaths({ a: { b: 1 }, l: [{ x: 's' }] })).toEqual([
      { path: ['a'], type: 'object' },
      { path: ['a', 'b'], type: 'integer' },
      { path: ['l'], type: 'array' },
      { path: ['l', '[]', 'x'], type: 'string' },
    ]);
  });

  test('compareChart on values schemas: removed, renamed (same leaf elsewhere) and retyped keys; free-form subtrees pass', async () => {
    const { compareChart, estateValues, valuePaths } = await load();
    const [demo] = estateValues(join(BUMP, 'clusters')).get('demo');
    const used = valuePaths(demo.values).map((p: object) => ({ ...p, file: demo.file }));
    const { by, changes } = compareChart({ keys: 'map', schema: schema('old') }, { keys: 'map', schema: schema('new') }, used);
    expect(by).toBe('values schema');
    expect(changes.map((c: { key: string; change: string; detail: string }) => [c.key, c.change, c.detail])).toEqual([
      ['extraEnv[].value', 'removed', 'no longer in the values'],
      ['image.pullPolicy', 'removed', 'no longer in the values'],
      ['legacyMode', 'removed', 'no longer in the values'],
      ['metrics', 'removed', 'no longer in the values'],
      ['metrics.enabled', 'renamed', 'now `monitoring.enabled`?'],
      ['replicas', 'type changed', 'integer → string; the estate sets an integer (no longer accepted)'],
    ]);
    // Same schema on both sides: nothing to report.
    expect(compareChart({ keys: 'map', schema: schema('old') }, { keys: 'map', schema: schema('old') }, used).changes).toEqual([]);
  });

  test('compareChart on key trees when a version ships no schema; a rename guess prefers the closest path', async () => {
    const { compareChart } = await load();
    const used = [
      { path: ['a'], type: 'object', file: 'f.yaml' },
      { path: ['a', 'b'], type: 'integer', file: 'f.yaml' },
      { path: ['c'], type: 'string', file: 'f.yaml' },
      { path: ['free', 'x'], type: 'string', file: 'f.yaml' },
    ];
    const { by, changes } = compareChart({ keys: { a: { b: 'number' }, c: 'string', free: 'map' } }, { keys: { a: { b: 'string' }, d: { c: 'string' }, x: { y: { z: { c: 'string' } } }, free: 'map' } }, used);
    expect(by).toBe('values.yaml key tree');
    expect(changes).toEqual([
      { key: 'a.b', change: 'type changed', detail: 'integer|number → string; the estate sets an integer (no longer accepted)', files: ['f.yaml'] },
      { key: 'c', change: 'renamed', detail: 'now `d.c`?', files: ['f.yaml'] },
    ]);
  });

  test('bumpReport: a Markdown section per bumped chart; nothing when no version changed', async () => {
    const { bumpReport } = await load();
    const before = new Map([
      ['demo', { info: info('demo', '1.0.0'), keys: 'map', schema: schema('old') }],
      ['keysonly', { info: info('keysonly', '1.0.0'), keys: { a: { b: 'number' }, c: 'string' } }],
      ['unused', { info: info('unused', '1.0.0'), keys: 'map' }],
    ]);
    const after = new Map([
      ['demo', { info: info('demo', '2.0.0'), keys: 'map', schema: schema('new') }],
      ['keysonly', { info: info('keysonly', '1.1.0'), keys: { a: { b: 'string' }, c: 'string' } }],
      ['unused', { info: info('unused', '1.1.0'), keys: 'map' }],
      ['added', { info: info('added', '0.1.0'), keys: 'map' }],
    ]);
    const report = bumpReport(before, after, join(BUMP, 'clusters'));
    expect(report).toContain('## demo 1.0.0 → 2.0.0\n\nCompared on the values schema; 13 key(s) set by 1 HelmRelease(s).\n\n| Key | Change | Detail | Set in |\n|---|---|---|---|\n| `extraEnv[].value` | removed |');
    expect(report).toContain('| `replicas` | type changed | integer → string; the estate sets an integer (no longer accepted) | clusters/home/demo/helmrelease.yaml |');
    // A `|` in a cell is escaped, or the Markdown table would split it.
    expect(report).toContain('## keysonly 1.0.0 → 1.1.0\n\nCompared on the values.yaml key tree; 3 key(s) set by 1 HelmRelease(s).\n\n| Key | Change | Detail | Set in |\n|---|---|---|---|\n| `a.b` | type changed | integer\\|number → string; the estate sets an integer (no longer accepted) | clusters/home/demo/other.yaml |');
    const unchanged = bumpReport(new Map([['keysonly', before.get('keysonly')!]]), new Map([['keysonly', { ...before.get('keysonly')!, info: info('keysonly', '1.0.1') }]]), join(BUMP, 'clusters'));
    expect(unchanged).toContain('## keysonly 1.0.0 → 1.0.1\n\nCompared on the values.yaml key tree; 3 key(s) set by 1 HelmRelease(s).\n\nNone of them changed.');
    expect(report).toContain('## unused 1.0.0 → 1.1.0\n\nNo HelmRelease of the estate uses this chart.');
    expect(report).toContain('New charts: added 0.1.0.');
    expect(bumpReport(before, before, join(BUMP, 'clusters'))).toBeUndefined();
  });

  test('readImportedCharts reads the committed imports/ (versions from charts.ts, schema and key tree per chart)', async () => {
    const { readImportedCharts } = await load();
    const imported = readImportedCharts(join(process.cwd(), 'imports'));
    expect(imported.get('cilium').info).toMatchObject({ name: 'cilium', values: 'schema' });
    expect(imported.get('cilium').info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(imported.get('cilium').schema).toBeDefined();
    expect(imported.get('kube-prometheus-stack').schema).toBeUndefined();
    expect(typeof imported.get('kube-prometheus-stack').keys).toBe('object');
    expect(readImportedCharts('/nowhere').size).toBe(0);
  });
});

describe('readCommittedCharts', () => {
  test('reads the imports/ of a git commit, not the working tree; undefined outside a git checkout', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdirSync, writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { readCommittedCharts } = await load();
    const root = mkdtempSync(join(tmpdir(), 'import-git-'));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' });
    const chartsTs = (version: string) => `export const DEMO: HelmChartInfo = {\n  name: 'demo',\n  version: '${version}',\n  appVersion: undefined,\n  kubeVersion: undefined,\n  values: 'keys',\n};\n`;
    mkdirSync(join(root, 'imports', 'charts', 'demo'), { recursive: true });
    writeFileSync(join(root, 'imports', 'charts.ts'), chartsTs('1.0.0'));
    writeFileSync(join(root, 'imports', 'charts', 'demo', 'values-keys.json'), JSON.stringify({ keys: { a: 'string' } }));
    expect(readCommittedCharts(root)).toBeUndefined();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'imports');
    writeFileSync(join(root, 'imports', 'charts.ts'), chartsTs('2.0.0'));
    const committed = readCommittedCharts(root);
    expect(committed.get('demo')).toEqual({ info: { name: 'demo', version: '1.0.0', appVersion: undefined, kubeVersion: undefined, values: 'keys' }, keys: { a: 'string' } });
  });
});
