import { CHARTS } from '../../../../imports/charts.js';
import { crdGroup } from '../../../../src/lib/estate/capabilities.js';
import { BarmanCloudPlugin, CloudNativePg } from '../../../../src/lib/platform/databases/index.js';
import { rawComponent } from '../../../helpers.js';
import { monitoringStub, platformStubs, problemsOf, singleNode, synth } from './fixtures.js';

describe('CloudNativePG operator', () => {
  test('chart cloudnative-pg at its pinned version in cnpg-system, cluster-wide, with explicit resources; provides the CNPG CRDs', () => {
    const { estate, cluster } = singleNode();
    const cnpg = new CloudNativePg(cluster, 'cnpg');
    const out = synth(estate);
    const hr = out.get('HelmRelease', 'cnpg', 'cnpg-system');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'cloudnative-pg', version: CHARTS['cloudnative-pg'].version });
    expect(hr.spec.values).toEqual({
      replicaCount: 1,
      crds: { create: true },
      config: { clusterWide: true },
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      monitoring: { podMonitorEnabled: false, podMonitorAdditionalLabels: {}, grafanaDashboard: { create: false } },
    });
    expect(out.get('HelmRepository', 'cloudnative-pg', 'cnpg-system').spec.url).toBe(CHARTS['cloudnative-pg'].repository);
    expect(out.get('Namespace', 'cnpg-system').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(cnpg.provides.has(crdGroup('postgresql.cnpg.io'))).toBe(true);
    expect(cnpg.workloads).toEqual([{ name: 'cnpg-controller-manager', replicas: 1, cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' }]);
  });

  test("the chart's PodMonitor is enabled, with the Prometheus selector labels, when the cluster collects metrics", () => {
    const { estate, cluster } = singleNode();
    monitoringStub(cluster);
    new CloudNativePg(cluster, 'cnpg');
    const out = synth(estate);
    expect(out.get('HelmRelease', 'cnpg').spec.values.monitoring).toMatchObject({ podMonitorEnabled: true, podMonitorAdditionalLabels: { release: 'kube-prometheus-stack' } });
    expect(out.ks('cnpg').spec.dependsOn.map((d: any) => d.name)).toEqual(['kube-prometheus-stack']);
  });

  test('a custom resource of postgresql.cnpg.io elsewhere depends on the operator (derived)', () => {
    const { estate, cluster } = singleNode();
    platformStubs(cluster);
    new CloudNativePg(cluster, 'cnpg');
    rawComponent(cluster, { name: 'raw-db', namespace: 'raw' }, [{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'raw' }, spec: { instances: 1, storage: { size: '1Gi' } } }]);
    expect(synth(estate).ks('raw-db').spec.dependsOn.map((d: any) => d.name)).toEqual(['cnpg']);
  });
});

describe('Barman Cloud plugin', () => {
  test('chart plugin-barman-cloud in the operator namespace; needs cert-manager (derived dependsOn); provides barmancloud.cnpg.io', () => {
    const { estate, cluster } = singleNode();
    platformStubs(cluster);
    new CloudNativePg(cluster, 'cnpg');
    const plugin = new BarmanCloudPlugin(cluster, 'barman-cloud');
    const out = synth(estate);
    const hr = out.get('HelmRelease', 'barman-cloud', 'cnpg-system');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'plugin-barman-cloud', version: CHARTS['plugin-barman-cloud'].version });
    // no issuerName: the chart documents it, but no template of 0.7.0 reads it (the render check's unread-key warning)
    expect(hr.spec.values.certificate).toEqual({ createClientCertificate: true, createServerCertificate: true, duration: '2160h', renewBefore: '360h' });
    expect(hr.spec.values.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(out.ks('barman-cloud').spec.dependsOn.map((d: any) => d.name)).toEqual(['cert-manager', 'cnpg']);
    expect(plugin.provides.has(crdGroup('barmancloud.cnpg.io'))).toBe(true);
  });

  test('without cert-manager in the cluster the plugin is a problem naming cert-manager.io', () => {
    const { estate, cluster } = singleNode();
    new CloudNativePg(cluster, 'cnpg');
    new BarmanCloudPlugin(cluster, 'barman-cloud');
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'home/barman-cloud', field: 'requires', message: expect.stringContaining("'cert-manager.io' (the plugin chart creates a cert-manager Issuer") })]);
  });

  test("a plugin outside the operator's namespace is a problem", () => {
    const { estate, cluster } = singleNode();
    platformStubs(cluster);
    new CloudNativePg(cluster, 'cnpg', { namespace: 'cnpg' });
    new BarmanCloudPlugin(cluster, 'barman-cloud');
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'home/barman-cloud', field: 'namespace', fix: "install the plugin in the operator's namespace: namespace: 'cnpg'" })]);
  });
});
