import { CHARTS } from '../../../../imports/charts.js';
import { DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { CertManager, Traefik } from '../../../../src/lib/platform/ingress/index.js';
import { CloudNativePg } from '../../../../src/lib/platform/databases/cloudnative-pg.js';
import { KubePrometheusStack, PROMETHEUS_OPERATOR_VERSION, PrometheusOperatorCrds } from '../../../../src/lib/platform/observability/index.js';
import { testCluster } from '../../../helpers.js';
import { provider, synth } from './support.js';

const CRDS = 'monitoring/prometheus-operator-crds';

/** A cluster with default storage and kube-prometheus-stack on its defaults. */
function withStack(extra?: (c: ReturnType<typeof testCluster>['cluster']) => void) {
  const { estate, cluster } = testCluster({ domain: 'example.com' });
  provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS, storageClass('longhorn'));
  new KubePrometheusStack(cluster, 'kube-prometheus-stack');
  extra?.(cluster);
  return { cluster, out: synth(estate) };
}

const dependsOn = (out: ReturnType<typeof synth>, rel: string): string[] => (out.doc(rel).spec.dependsOn ?? []).map((d: { name: string }) => d.name);

describe('PrometheusOperatorCrds', () => {
  test('kube-prometheus-stack brings its CRDs as an early component pinned to the operator the chart runs; the chart installs none', () => {
    const { out } = withStack();
    expect(PROMETHEUS_OPERATOR_VERSION).toBe(CHARTS['kube-prometheus-stack'].appVersion);
    const repo = out.doc(`${CRDS}/app/gitrepository.yaml`);
    expect(repo.spec).toMatchObject({ url: 'https://github.com/prometheus-operator/prometheus-operator', ref: { tag: PROMETHEUS_OPERATOR_VERSION } });
    expect(repo.spec.ignore).toBe('/*\n!/example/prometheus-operator-crd/\n');
    const ks = out.doc(`${CRDS}/app/kustomization-prometheus-operator-upstream-crds.yaml`);
    // Never pruned: deleting a CRD deletes every monitor of the cluster.
    expect(ks.spec).toMatchObject({ path: './example/prometheus-operator-crd', prune: false, wait: true, sourceRef: { kind: 'GitRepository', name: 'prometheus-operator-upstream-crds' } });
    expect(out.doc('monitoring/kube-prometheus-stack/app/helmrelease.yaml').spec.values.crds).toEqual({ enabled: false });
    expect(dependsOn(out, 'monitoring/kube-prometheus-stack/ks.yaml')).toContain('prometheus-operator-crds');
    expect(dependsOn(out, `${CRDS}/ks.yaml`)).toEqual([]);
  });

  test('Traefik + cert-manager + kube-prometheus-stack on their defaults: no cycle, and monitors wait for the CRDs only', () => {
    const { out } = withStack((c) => {
      new Traefik(c, 'traefik');
      new CertManager(c, 'cert-manager', { issuers: [{ type: 'self-signed' }] });
      new CloudNativePg(c, 'cnpg');
    });
    const certManager = dependsOn(out, 'certs/cert-manager/ks.yaml');
    expect(certManager).toContain('prometheus-operator-crds');
    expect(certManager).not.toContain('kube-prometheus-stack');
    expect(dependsOn(out, 'databases/cnpg/ks.yaml')).not.toContain('kube-prometheus-stack');
    expect(out.result.warnings.filter((w) => w.code.startsWith('first-reconcile'))).toEqual([]);
  });

  test('a PrometheusOperatorCrds of the user (another tag) is the one used; none is added beside it', () => {
    const { out } = withStack((c) => { new PrometheusOperatorCrds(c, 'monitoring-crds', { version: 'v0.93.0' }); });
    expect(out.has(`${CRDS}/ks.yaml`)).toBe(false);
    expect(out.doc('monitoring/monitoring-crds/app/gitrepository.yaml').spec.ref).toEqual({ tag: 'v0.93.0' });
    expect(dependsOn(out, 'monitoring/kube-prometheus-stack/ks.yaml')).toContain('monitoring-crds');
  });
});

describe("KubePrometheusStack crds: 'chart'", () => {
  test('the chart installs the CRDs and provides them; no separate component', () => {
    const { estate, cluster } = testCluster();
    provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
    const kps = new KubePrometheusStack(cluster, 'kube-prometheus-stack', { crds: 'chart' });
    const out = synth(estate);
    expect(out.has(`${CRDS}/ks.yaml`)).toBe(false);
    expect(out.doc('monitoring/kube-prometheus-stack/app/helmrelease.yaml').spec.values.crds).toEqual({ enabled: true });
    expect(kps.provides.has(crdGroup('monitoring.coreos.com'))).toBe(true);
  });
});
