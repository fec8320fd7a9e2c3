import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempRoot } from '../helpers.js';

/**
 * scripts/import/manifest.mjs: import.config.mjs is checked before anything is fetched, and every
 * mistake is reported at once, naming the entry and the field.
 */
const load = () => import(pathToFileURL(join(process.cwd(), 'scripts', 'import', 'manifest.mjs')).href);

const TALOS = { 'siderolabs/config.schema.json': 'https://raw.example.com/c.json', 'talhelper/talconfig.json': 'https://raw.example.com/t.json' };
const chart = { name: 'demo', version: '1.0.0', repository: 'https://charts.example.com', type: 'https' };
const valid = { charts: [chart], crds: { demo: { files: { 'a.yaml': 'https://raw.example.com/a.yaml' } } }, talos: TALOS };

describe('scripts/import/manifest.mjs', () => {
  test('the committed import.config.mjs is valid: every chart once, with URLs for every CRD and Talos schema', async () => {
    const { loadManifest } = await load();
    const m = await loadManifest();
    expect(m.charts.length).toBeGreaterThanOrEqual(19);
    expect(m.charts.map((c: { name: string }) => c.name)).toEqual([...m.charts.map((c: { name: string }) => c.name)].sort());
    expect(m.charts.find((c: { name: string }) => c.name === 'kube-prometheus-stack')).toMatchObject({ type: 'oci', repository: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack' });
    expect(m.crds.traefik).toMatchObject({ kind: 'chart', chart: 'traefik' });
    expect(m.crds.longhorn.kind).toBe('split');
    expect(Object.keys(m.talos)).toEqual(['siderolabs/config.schema.json', 'talhelper/talconfig.json']);
  });

  test('normalises: charts sorted, defaults for the optional fields, notes trimmed', async () => {
    const { parseManifest } = await load();
    const m = parseManifest({ ...valid, charts: [{ ...chart, name: 'zeta', notes: ' old \n' }, chart] });
    expect(m.charts.map((c: { name: string }) => c.name)).toEqual(['demo', 'zeta']);
    expect(m.charts[0]).toEqual({ ...chart, alternatives: [], deprecated: false, notes: undefined, images: [], source: undefined });
    expect(m.charts[1].notes).toBe('old');
    expect(m.crds.demo).toEqual({ kind: 'url', files: { 'a.yaml': 'https://raw.example.com/a.yaml' } });
  });

  test('lists every problem with its entry and field', async () => {
    const { parseManifest } = await load();
    const bad = {
      charts: [
        { ...chart, version: '' },
        { ...chart, name: 'oci-one', type: 'oci' },
        { ...chart, name: 'typo', repo: 'x' },
        chart,
        { ...chart, name: 'other', type: 'git' },
      ],
      crds: { demo: { files: { 'a.json': 'http://insecure/a.json' } }, fromchart: { chart: 'nope', files: ['b.yaml'] }, both: { chart: 'demo', split: 'https://x/y.yaml', files: ['c.yaml'] } },
      talos: { 'talhelper/talconfig.json': 'https://raw.example.com/t.json', 'extra.json': 'https://x' },
      extra: true,
    };
    let message = '';
    try {
      parseManifest(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'import.config.mjs: 12 problem(s):',
      "  - unknown top-level field 'extra' (known: charts, crds, talos)",
      "  - charts[0] (demo): version must be the exact chart version, e.g. '1.2.3'",
      '  - charts[1] (oci-one): repository must be an oci:// URL (type oci)',
      "  - charts[2] (typo): unknown field 'repo' (known: name, version, repository, type, alternatives, deprecated, notes, images, source)",
      "  - charts[4] (other): type must be 'https' or 'oci', not \"git\"",
      '  - charts: demo is listed twice',
      '  - crds.both: give chart or split, not both',
      '  - crds.demo: not a YAML file name: a.json',
      "  - crds.demo.files['a.json']: must be an https:// URL, not \"http://insecure/a.json\"",
      "  - crds.fromchart: chart 'nope' is not in charts",
      "  - talos: unknown file 'extra.json' (known: siderolabs/config.schema.json, talhelper/talconfig.json)",
      "  - talos['siderolabs/config.schema.json']: must be an https:// URL",
    ]);
  });

  test('a manifest that does not load, or exports no object, is one clear error', async () => {
    const { loadManifest, parseManifest } = await load();
    const dir = tempRoot('import-manifest-');
    writeFileSync(join(dir, 'broken.mjs'), 'export default {\n');
    await expect(loadManifest(join(dir, 'broken.mjs'))).rejects.toThrow(/broken\.mjs: cannot be loaded: /);
    expect(() => parseManifest(undefined)).toThrow('import.config.mjs: the default export must be an object with charts, crds and talos');
    expect(() => parseManifest({ charts: [], crds: {}, talos: TALOS })).not.toThrow();
  });
});
