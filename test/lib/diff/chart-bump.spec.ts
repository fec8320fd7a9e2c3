import { helmRelease, helmRepository } from '../render/support.js';
import { formatSummary } from '../../../src/lib/diff/summary.js';
import { formatFullDiff } from '../../../src/lib/diff/full.js';
import { brief, diffRendered, tree } from './support.js';

const withNamespace = (o: Record<string, any>) => ({ ...o, metadata: { ...o.metadata, namespace: 'demo' } });
const demoTree = (version: string, chart = 'demo') => tree({
  'apps/demo/app/helmrepository.yaml': [withNamespace(helmRepository())],
  'apps/demo/app/helmrelease.yaml': [withNamespace(helmRelease('demo', {}, chart, version))],
});

describe('a chart version bump', () => {
  test('1.0.0 → 1.1.0 lists exactly the rendered changes, with the immutable selector and the image major bump', async () => {
    const r = await diffRendered(demoTree('1.0.0'), demoTree('1.1.0'));
    expect(r.notRendered).toEqual([]);
    expect(r.renderedReleases).toBe(1);
    expect(r.unchanged).toBe(1); // the HelmRepository
    expect(r.entries.map((e) => [e.key, e.status, e.fields.map((f) => `${f.path}: ${JSON.stringify(f.old)} → ${JSON.stringify(f.new)}`)])).toEqual([
      ['lab/apps/demo/apps/Deployment/demo/demo', 'changed', [
        'spec.selector.matchLabels.tier: undefined → "web"',
        'spec.template.metadata.labels.tier: undefined → "web"',
        'spec.template.spec.containers[name=web].image: "ghcr.io/example/demo:1.0.0" → "ghcr.io/example/demo:2.0.0"',
        'spec.template.spec.containers[name=web].env: undefined → [{"name":"DEMO_MODE","value":"web"}]',
      ]],
      ['lab/apps/demo/helm.toolkit.fluxcd.io/HelmRelease/demo/demo', 'changed', ['spec.chart.spec.version: "1.0.0" → "1.1.0"']],
    ]);
    expect(brief(r).risks).toEqual([
      expect.stringMatching(/^immutable lab\/apps\/demo\/apps\/Deployment\/demo\/demo: `spec\.selector` changes/),
      'image-major lab/apps/demo/apps/Deployment/demo/demo: `spec.template.spec.containers[name=web].image`: ghcr.io/example/demo:1.0.0 → ghcr.io/example/demo:2.0.0 (major 1 → 2)',
    ]);
    const summary = formatSummary(r);
    expect(summary.indexOf('**Immutable fields (1)**')).toBeLessThan(summary.indexOf('### Changes'));
    expect(summary).toContain('**Image major bumps (1)**');
    expect(summary).toContain('- ~ `apps/demo` Deployment (apps) demo/demo — HelmRelease demo/demo › chart demo 1.1.0');
    const full = formatFullDiff(r);
    expect(full).toContain('--- a/lab/apps/demo/apps/Deployment/demo/demo\n+++ b/lab/apps/demo/apps/Deployment/demo/demo\n@@');
    expect(full).toContain('+            - name: DEMO_MODE');
  });

  test('the same version on both sides renders to no change; a chart in no mirror is listed as not rendered, never as unchanged', async () => {
    const same = await diffRendered(demoTree('1.0.0'), demoTree('1.0.0'));
    expect(same.entries).toEqual([]);
    expect(same.unchanged).toBe(3); // HelmRepository, HelmRelease, the rendered Deployment
    const missing = await diffRendered(demoTree('1.0.0'), demoTree('9.9.9'));
    expect(missing.notRendered).toEqual([expect.objectContaining({ cluster: 'lab', component: 'apps/demo', id: 'demo/demo', old: 'demo 1.0.0', new: 'demo 9.9.9', reasons: [expect.stringMatching(/^new: chart demo-9\.9\.9 is in no mirror/)] })]);
    expect(brief(missing).entries).toEqual(['changed lab/apps/demo/helm.toolkit.fluxcd.io/HelmRelease/demo/demo']);
    expect(formatSummary(missing)).toMatch(/### Not rendered \(1\)\n\n.*\n\n- `lab` `apps\/demo` HelmRelease demo\/demo \(demo 1\.0\.0 → demo 9\.9\.9\): new: chart demo-9\.9\.9 is in no mirror/);
  });

  test('a release added with its chart shows every rendered object added', async () => {
    const r = await diffRendered(tree({ 'apps/demo/app/helmrepository.yaml': [withNamespace(helmRepository())] }), demoTree('1.1.0'));
    expect(brief(r).entries).toEqual(['added lab/apps/demo/apps/Deployment/demo/demo', 'added lab/apps/demo/helm.toolkit.fluxcd.io/HelmRelease/demo/demo']);
  });
});
