import { crdGroup } from '../../../src/lib/estate/capabilities.js';
import AjvModule from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configMap, tempRoot } from '../../helpers.js';
import { demoComponent, MIRROR, renderLab } from './support.js';

const fields = (r: { problems: readonly { field: string }[] }) => r.problems.map((p) => p.field);

describe('render check', () => {
  test('a release renders with its chart: objects parsed, namespace filled in, nothing reported', async () => {
    const r = await renderLab((c) => demoComponent(c));
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    // the lab's NFS driver chart is not among the test charts: listed, not counted as passing
    expect(r.notChecked.map((n) => `${n.target.chart} ${n.target.version}`)).toEqual(['csi-driver-nfs 4.13.4']);
    expect(r.rendered).toHaveLength(1);
    const [deployment] = r.rendered[0].objects;
    expect(deployment).toMatchObject({ kind: 'Deployment', metadata: { name: 'demo', namespace: 'demo' } });
    // `annotations: {}` stays, a null would have been dropped (the API server reads null as unset)
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/example/demo:1.0.0');
  });

  test('a values mistake the values schema accepts fails the render, with the chart\'s message', async () => {
    const schema = JSON.parse(readFileSync(join(MIRROR, 'demo-1.0.0', 'values.schema.json'), 'utf8'));
    const validate = new AjvModule.default({ strict: false }).compile(schema);
    expect(validate({ mode: 'batch' })).toBe(true);
    const r = await renderLab((c) => demoComponent(c, { mode: 'batch' }));
    expect(r.rendered).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ cluster: 'lab', field: 'spec.values', path: expect.stringContaining('clusters/lab/demo/demo/app/helmrelease.yaml') });
    expect(r.problems[0].message).toContain("chart demo 1.0.0 does not render for HelmRelease 'demo/demo'");
    expect(r.problems[0].message).toContain('mode must be web or worker, not "batch"');
  });

  test('a value the chart\'s schema refuses names the values path', async () => {
    const r = await renderLab((c) => demoComponent(c, { replicas: -1 }));
    expect(fields(r)).toEqual(['spec.values.replicas']);
    expect(r.problems[0].message).toContain('minimum: got -1, want 0');
  });

  test('a chart in no mirror and no cache is listed as not checked, never as rendered', async () => {
    const r = await renderLab((c) => demoComponent(c, {}, [], {}, { name: 'demo', version: '9.9.9' }));
    expect(r.rendered).toEqual([]);
    expect(r.problems).toEqual([]);
    const demo = r.notChecked.filter((n) => n.target.chart === 'demo');
    expect(demo.map((n) => [n.target.id, n.reason])).toEqual([['demo/demo', expect.stringContaining('chart demo-9.9.9 is in no mirror')]]);
    expect(demo[0].reason).toContain('--pull to fetch it from https://charts.example.com');
  });

  test('an object the chart renders and the tree also writes has two owners: an error', async () => {
    const r = await renderLab((c) => demoComponent(c, { configMapName: 'settings' }, [configMap('settings')]));
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringContaining("ConfigMap 'demo/settings' is rendered by HelmRelease 'demo/demo' and also owned by the tree (clusters/lab/demo/demo/app/configmap.yaml)")]);
  });

  test('a values key no template reads is a warning; keys under a map the chart takes whole are read', async () => {
    const r = await renderLab((c) => demoComponent(c, { replica: 2, podAnnotations: { 'example.com/any': 'x' }, image: { tag: '1.0.1' } }));
    expect(r.warnings.map((w) => [w.code, w.message])).toEqual([['render-values-unread', expect.stringContaining("values key 'replica' of HelmRelease 'demo/demo' is read by no template of chart demo 1.0.0")]]);
  });

  test('an image without a tag is a warning', async () => {
    const r = await renderLab((c) => demoComponent(c, { image: { tag: '' } }));
    expect(r.warnings.map((w) => w.code)).toEqual(['render-image-unpinned']);
    expect(r.warnings[0].message).toContain("runs image 'ghcr.io/example/demo' in Deployment 'demo/demo' without a pinned tag");
  });

  test('a rendered pod its namespace refuses is a Pod Security error; the same values pass in a privileged namespace', async () => {
    const restricted = await renderLab((c) => demoComponent(c, { privileged: true }));
    expect(fields(restricted)).toEqual(['spec.template.spec.containers[0].securityContext.privileged']);
    expect(restricted.problems[0].message).toContain("namespace 'demo' enforces 'restricted'");
    expect(restricted.problems[0].path).toContain('› chart demo 1.0.0');
    const privileged = await renderLab((c) => demoComponent(c, { privileged: true }, [], { namespace: { name: 'demo', podSecurity: 'privileged' } }));
    expect(privileged.problems).toEqual([]);
  });

  test('--api-versions carries the CRDs the cluster installs, so capability-gated templates render', async () => {
    const without = await renderLab((c) => demoComponent(c, { monitoring: { serviceMonitor: true } }));
    expect(without.rendered[0].objects.map((o) => o.kind)).toEqual(['Deployment']);
    const withCrds = await renderLab((c) => {
      demoComponent(c, { monitoring: { serviceMonitor: true, interval: 5 } });
      demoComponent(c, {}, [], { name: 'crds', namespace: 'crds' }).provide(crdGroup('monitoring.coreos.com'));
    });
    const demo = withCrds.rendered.find((x) => x.target.id === 'demo/demo')!;
    expect(demo.objects.map((o) => o.kind)).toEqual(['Deployment', 'ServiceMonitor']);
    // and the ServiceMonitor is validated against its CRD: interval 5 is not a duration string
    expect(withCrds.problems.map((p) => p.message)).toEqual([expect.stringContaining("renders ServiceMonitor 'demo/demo' that the API server would refuse: spec.endpoints[0].interval")]);
  });

  test('a second run with the same inputs reads the render cache; a changed value renders again', async () => {
    const cache = tempRoot('render-cache-');
    const first = await renderLab((c) => demoComponent(c), cache);
    const again = await renderLab((c) => demoComponent(c), cache);
    const changed = await renderLab((c) => demoComponent(c, { replicas: 2 }), cache);
    expect([first.rendered[0].cached, again.rendered[0].cached, changed.rendered[0].cached]).toEqual([false, true, false]);
    expect(again.rendered[0].objects).toEqual(first.rendered[0].objects);
  });
});
