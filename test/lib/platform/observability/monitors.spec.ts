import { DEFAULT_STORAGE_CLASS, crdGroup } from '../../../../src/lib/estate/capabilities.js';
import { ChartRelease } from '../../../../src/lib/flux/helm-release.js';
import { KubePrometheusStack } from '../../../../src/lib/platform/observability/index.js';
import { declareMonitorTarget } from '../../../../src/lib/platform/observability/monitors.js';
import { CloudNativePg } from '../../../../src/lib/platform/databases/cloudnative-pg.js';
import { Longhorn } from '../../../../src/lib/platform/storage/longhorn.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { fakeIngress, provider, synth } from './support.js';

const MON = 'monitoring/kube-prometheus-stack-monitors';

function cluster(extra?: (c: ReturnType<typeof testCluster>['cluster']) => void) {
  const t = testCluster();
  provider(t.cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
  const kps = new KubePrometheusStack(t.cluster, 'kube-prometheus-stack');
  extra?.(t.cluster);
  return { ...t, kps, out: synth(t.estate) };
}

/** Every monitor object of the monitors component, by kind/name. */
function monitors(out: ReturnType<typeof synth>): Record<string, any> {
  return Object.fromEntries(out.all()
    .filter((o) => String(o.apiVersion).startsWith('monitoring.coreos.com/'))
    .map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

describe('derived monitors', () => {
  test('Flux controllers are always scraped (PodMonitor on http-prom in flux-system), in their own component after the CRDs', () => {
    const { out, kps } = cluster();
    const flux = out.doc(`${MON}/app/podmonitor.yaml`);
    expect(flux).toMatchObject({
      kind: 'PodMonitor',
      metadata: { name: 'flux-controllers', namespace: 'monitoring' },
      spec: {
        namespaceSelector: { matchNames: ['flux-system'] },
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] }] },
        podMetricsEndpoints: [{ port: 'http-prom', interval: '60s', path: '/metrics', scheme: 'http' }],
      },
    });
    // The CRDs come from prometheus-operator-crds, the namespace from the stack (derived from the objects).
    expect(out.doc(`${MON}/ks.yaml`).spec.dependsOn).toEqual([{ name: 'kube-prometheus-stack' }, { name: 'prometheus-operator-crds' }]);
    expect(out.doc(`${MON}/ks.yaml`).spec.interval).toBe('10m');
    expect(kps.monitors.targets.map((t) => t.name)).toEqual(['flux-controllers']);
  });

  test('Longhorn, CloudNativePG and the ingress controller get their monitor when they run in the cluster', () => {
    const { out } = cluster((c) => {
      new Longhorn(c, 'longhorn');
      new CloudNativePg(c, 'cnpg', { podMonitor: false });
      fakeIngress(c);
    });
    const m = monitors(out);
    expect(Object.keys(m).sort()).toEqual(['PodMonitor/cnpg', 'PodMonitor/flux-controllers', 'PodMonitor/ingress-nginx', 'ServiceMonitor/longhorn']);
    expect(m['ServiceMonitor/longhorn'].spec).toMatchObject({ namespaceSelector: { matchNames: ['longhorn-system'] }, selector: { matchLabels: { app: 'longhorn-manager' } }, endpoints: [{ port: 'manager' }] });
    expect(m['PodMonitor/cnpg'].spec).toMatchObject({ namespaceSelector: { matchNames: ['cnpg-system'] }, selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } }, podMetricsEndpoints: [{ port: 'metrics' }] });
    expect(m['PodMonitor/ingress-nginx'].spec).toMatchObject({
      namespaceSelector: { matchNames: ['ingress-nginx'] },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
      podMetricsEndpoints: [{ port: 'metrics' }],
    });
    expect(out.files.has('clusters/test/monitoring/kube-prometheus-stack-monitors/app/servicemonitor.yaml')).toBe(true);
  });

  test('never declared twice: a component that already renders or enables its own monitor gets none', () => {
    const { out } = cluster((c) => {
      const cnpg = rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' });
      declareMonitorTarget(cnpg, { kind: 'PodMonitor', selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } }, port: 'metrics', reason: 'test' });
      new ChartRelease(cnpg, 'chart', { chart: 'cloudnative-pg', values: { monitoring: { podMonitorEnabled: true } } });
      cnpg.require(crdGroup('monitoring.coreos.com'), 'the chart renders a PodMonitor');
      const longhorn = rawComponent(c, { name: 'longhorn', namespace: 'longhorn-system', layer: 'apps' }, [
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'longhorn' }, spec: { selector: { matchLabels: { app: 'longhorn-manager' } }, endpoints: [{ port: 'manager' }] } },
      ]);
      declareMonitorTarget(longhorn, { kind: 'ServiceMonitor', selector: { matchLabels: { app: 'longhorn-manager' } }, port: 'manager', reason: 'test' });
    });
    const all = out.all().filter((o) => String(o.apiVersion).startsWith('monitoring.coreos.com/'));
    expect(all.filter((o) => o.metadata.name === 'cnpg')).toEqual([]);
    expect(all.filter((o) => o.metadata.name === 'longhorn').map((o) => o.metadata.namespace)).toEqual(['longhorn-system']);
    expect(out.has('longhorn-system/longhorn/app/servicemonitor.yaml')).toBe(true);
  });

  test('an ingress without metrics, or one no monitor is known for, is a warning instead of a dead target', () => {
    const off = cluster((c) => fakeIngress(c, { metrics: false })).out;
    expect(Object.keys(monitors(off))).toEqual(['PodMonitor/flux-controllers']);
    expect(off.result.warnings.find((w) => w.code === 'monitor-gap')?.message).toContain('controller.metrics.enabled: true');
    const gateway = cluster((c) => fakeIngress(c, { implementation: 'gateway-api' })).out;
    expect(gateway.result.warnings.find((w) => w.code === 'monitor-gap')?.message).toContain("ingress implementation 'gateway-api'");
  });
});
