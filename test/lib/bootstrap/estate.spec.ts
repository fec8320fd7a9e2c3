import { parse } from 'yaml';
import { buildEstate } from '../../../src/clusters/index.js';
import { toYaml } from '../../../src/lib/output/yaml.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { validateMachinePatch } from '../../../src/lib/talos/schema.js';
import { readTree, tempRoot } from '../../helpers.js';
import { schematicErrors, talconfigErrors } from '../talos/support.js';

/** The reference estate, synthesized once: every cluster must be bootstrappable from its own folder. */
const root = tempRoot('estate-bootstrap-');
const result = synthesize(buildEstate(), { root });
const tree = readTree(root);
const clusters = result.trees.map((t) => t.cluster);

describe('reference estate: bootstrap and Talos files', () => {
  test('every cluster has its bootstrap helmfile and runbook; Talos clusters their talos/ folder; k3s clusters one config per node', () => {
    expect(clusters.length).toBeGreaterThan(3);
    for (const c of clusters) {
      const base = `clusters/${c.name}`;
      expect({ c: c.name, helmfile: tree.has(`${base}/bootstrap/helmfile.yaml`), readme: tree.has(`${base}/bootstrap/README.md`) }).toEqual({ c: c.name, helmfile: true, readme: true });
      expect({ c: c.name, talos: tree.has(`${base}/talos/talconfig.yaml`) }).toEqual({ c: c.name, talos: c.distribution === 'talos' });
      const k3sFiles = [...tree.keys()].filter((p) => p.startsWith(`${base}/k3s/`)).sort();
      expect(k3sFiles).toEqual(c.distribution === 'k3s' ? c.nodes.map((n) => `${base}/k3s/${n.name}.yaml`).sort() : []);
    }
  });

  test('Talos clusters: talconfig.yaml and schematic.yaml validate, every patch is valid Talos machine config', () => {
    for (const c of clusters.filter((x) => x.distribution === 'talos')) {
      const doc = parse(tree.get(`clusters/${c.name}/talos/talconfig.yaml`)!);
      expect({ c: c.name, errors: talconfigErrors(doc) }).toEqual({ c: c.name, errors: [] });
      expect({ c: c.name, errors: schematicErrors(parse(tree.get(`clusters/${c.name}/talos/schematic.yaml`)!)) }).toEqual({ c: c.name, errors: [] });
      const patches: string[] = [...(doc.patches ?? []), ...doc.nodes.flatMap((n: any) => n.patches ?? [])];
      for (const p of patches) expect({ c: c.name, p, issues: validateMachinePatch(parse(p)) }).toEqual({ c: c.name, p, issues: [] });
      expect(doc.nodes.map((n: any) => n.hostname)).toEqual(c.nodes.map((n) => n.name));
    }
  });

  test('every release taken from the tree has exactly the version and values of its HelmRelease', () => {
    let compared = 0;
    for (const c of clusters) {
      const hf = parse(tree.get(`clusters/${c.name}/bootstrap/helmfile.yaml`)!);
      const order = hf.releases.map((r: any) => r.name);
      if (c.flux.bootstrap === 'operator') expect({ c: c.name, last: order[order.length - 1] }).toEqual({ c: c.name, last: 'flux-operator' });
      else expect(order).not.toContain('flux-operator');
      for (const r of hf.releases) {
        const hrFile = [...tree].find(([p, content]) => p.endsWith('/helmrelease.yaml') && !p.includes('/bootstrap/') && p.startsWith(`clusters/${c.name}/`)
          && parse(content).spec?.releaseName === r.name && parse(content).metadata.namespace === r.namespace);
        if (!hrFile) continue; // flux-operator from the hand pin
        const hr = parse(hrFile[1]);
        expect({ c: c.name, r: r.name, values: toYaml(r.values[0]) }).toEqual({ c: c.name, r: r.name, values: toYaml(hr.spec.values ?? {}) });
        if (hr.spec.chart) expect(r.version).toBe(hr.spec.chart.spec.version);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});
