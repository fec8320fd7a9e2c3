import { CHARTS } from '../../../../imports/charts.js';
import { DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { MONITORING } from '../../../../src/lib/estate/services.js';
import { componentNodeRequirements } from '../../../../src/lib/estate/node-requirements.js';
import {
  FLUX_MONITORING_EXAMPLE_COMMIT, KUBERNETES_VIEWS_GLOBAL, KubePrometheusStack, LONGHORN_DASHBOARD, NODE_EXPORTER_FULL, declareDashboard, talosMetricsPatch,
} from '../../../../src/lib/platform/observability/index.js';
import { NfsCsi } from '../../../../src/lib/platform/storage/nfs-csi.js';
import { testCluster } from '../../../helpers.js';
import { fakeIngress, problems, provider, synth } from './support.js';

const KPS = 'monitoring/kube-prometheus-stack';

/** A cluster with a default StorageClass and the stack, synthesized. */
function stack(props: ConstructorParameters<typeof KubePrometheusStack>[2] = {}, overrides: Parameters<typeof testCluster>[0] = {}, extra?: (c: ReturnType<typeof testCluster>['cluster']) => void) {
  const { estate, cluster } = testCluster(overrides);
  provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS, storageClass('longhorn'));
  const kps = new KubePrometheusStack(cluster, 'kube-prometheus-stack', props);
  extra?.(cluster);
  return { estate, cluster, kps, out: synth(estate) };
}

describe('KubePrometheusStack', () => {
  test('deploys the pinned OCI chart into a privileged monitoring namespace; the monitoring CRDs come from their own component', () => {
    const { cluster, kps, out } = stack();
    const source = out.doc(`${KPS}/app/ocirepository.yaml`);
    expect(source.spec).toMatchObject({ url: CHARTS['kube-prometheus-stack'].repository, ref: { tag: CHARTS['kube-prometheus-stack'].version } });
    const hr = out.doc(`${KPS}/app/helmrelease.yaml`);
    expect(hr.metadata).toEqual({ name: 'kube-prometheus-stack', namespace: 'monitoring' });
    expect(hr.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'kube-prometheus-stack' });
    expect(out.doc(`${KPS}/app/namespace.yaml`).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(kps.provides.has(crdGroup('monitoring.coreos.com'))).toBe(false);
    expect(kps.requires.has(crdGroup('monitoring.coreos.com'))).toBe(true);
    expect(cluster.service(MONITORING)).toBe(kps);
    expect(kps.selectorLabels).toEqual({});
    expect(out.doc(`${KPS}/ks.yaml`).spec.timeout).toBe('15m');
  });

  test('Prometheus: retention, a size-derived retentionSize, storage on the default StorageClass, selectors open to every namespace', () => {
    const { out } = stack();
    const spec = out.doc(`${KPS}/app/helmrelease.yaml`).spec.values.prometheus.prometheusSpec;
    expect(spec.retention).toBe('15d');
    expect(spec.retentionSize).toBe('17GB');
    expect(spec.scrapeInterval).toBe('60s');
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
    for (const k of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) expect(spec[`${k}SelectorNilUsesHelmValues`]).toBe(false);
    // The claim is inside Helm values, so the dependency on the default StorageClass is declared.
    expect(out.doc(`${KPS}/ks.yaml`).spec.dependsOn).toEqual([{ name: 'block' }, { name: 'prometheus-operator-crds' }]);
  });

  test('a named StorageClass goes into both claims and the dependsOn', () => {
    const { estate, cluster } = testCluster();
    new NfsCsi(cluster, 'nfs', { server: 'nas', share: '/k8s', default: true });
    provider(cluster, 'longhorn', 'longhorn-system', storageClass('longhorn'));
    new KubePrometheusStack(cluster, 'kube-prometheus-stack', { storageClass: 'longhorn', storageSize: '40Gi', retention: '30d', alertmanagerStorageSize: '2Gi' });
    const out = synth(estate);
    const values = out.doc(`${KPS}/app/helmrelease.yaml`).spec.values;
    expect(values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe('longhorn');
    expect(values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe('40Gi');
    expect(values.prometheus.prometheusSpec).toMatchObject({ retention: '30d', retentionSize: '34GB' });
    expect(values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec).toEqual({ storageClassName: 'longhorn', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } });
    expect(out.doc(`${KPS}/ks.yaml`).spec.dependsOn).toEqual([{ name: 'longhorn' }, { name: 'prometheus-operator-crds' }]);
    expect(out.result.warnings.map((w) => w.code)).not.toContain('prometheus-on-nfs');
  });

  test('warns when Prometheus would store its TSDB on NFS', () => {
    const { estate, cluster } = testCluster();
    new NfsCsi(cluster, 'nfs', { server: 'nas', share: '/k8s', default: true });
    new KubePrometheusStack(cluster, 'kube-prometheus-stack');
    const warning = synth(estate).result.warnings.find((w) => w.code === 'prometheus-on-nfs');
    expect(warning?.message).toContain("StorageClass 'nfs-storage' (nfs.csi.k8s.io)");
  });

  test('resources are sized for 4 GB workers, set in values and declared as workloads', () => {
    const { kps, out } = stack();
    const values = out.doc(`${KPS}/app/helmrelease.yaml`).spec.values;
    expect(values.prometheus.prometheusSpec.resources).toEqual({ requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1536Mi' } });
    expect(values.grafana.resources).toEqual({ requests: { cpu: '50m', memory: '160Mi' }, limits: { memory: '384Mi' } });
    expect(values['kube-state-metrics'].resources.requests).toEqual({ cpu: '20m', memory: '64Mi' });
    expect(values['prometheus-node-exporter'].resources.requests).toEqual({ cpu: '20m', memory: '32Mi' });
    expect(values.prometheusOperator.resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(values.alertmanager.alertmanagerSpec.resources.requests).toEqual({ cpu: '10m', memory: '48Mi' });
    const byName = Object.fromEntries(kps.workloads.map((w) => [w.name, w]));
    expect(byName.prometheus).toMatchObject({ cpuRequest: '210m', memoryRequest: '536Mi' });
    expect(byName.grafana).toMatchObject({ cpuRequest: '70m', memoryRequest: '256Mi' });
    expect(byName['node-exporter']).toMatchObject({ perNode: true, cpuRequest: '20m', memoryRequest: '32Mi' });
    const totalMiB = kps.workloads.filter((w) => !w.perNode).reduce((s, w) => s + Number(w.memoryRequest.replace('Mi', '')), 0);
    expect(totalMiB).toBeLessThan(1536);
  });

  test("Grafana provisions seed 004's dashboards pinned by ID and revision (Flux by commit), Longhorn's only when Longhorn runs", () => {
    const { out } = stack();
    const grafana = out.doc(`${KPS}/app/helmrelease.yaml`).spec.values.grafana;
    const dashboards = grafana.dashboards.homelab;
    expect(Object.keys(dashboards).sort()).toEqual(['flux-control-plane', 'flux-reconciliation', 'kubernetes-cluster-overview', 'node-overview']);
    expect(dashboards['node-overview']).toEqual({ ...NODE_EXPORTER_FULL, datasource: 'Prometheus' });
    expect(dashboards['kubernetes-cluster-overview']).toEqual({ ...KUBERNETES_VIEWS_GLOBAL, datasource: 'Prometheus' });
    expect(dashboards['flux-reconciliation'].url).toContain(`/${FLUX_MONITORING_EXAMPLE_COMMIT}/monitoring/configs/dashboards/cluster.json`);
    for (const d of Object.values<any>(dashboards)) if ('gnetId' in d) expect(Number.isInteger(d.revision)).toBe(true);
    expect(grafana.dashboardProviders['dashboardproviders.yaml'].providers[0]).toMatchObject({ name: 'homelab', type: 'file', options: { path: '/var/lib/grafana/dashboards/homelab' } });
    expect(grafana.sidecar.datasources).toEqual({ name: 'Prometheus', uid: 'prometheus' });
    expect(grafana.persistence).toEqual({ enabled: false });

    const withLonghorn = stack({}, {}, (c) => declareDashboard(provider(c, 'longhorn', 'longhorn-system'), 'longhorn-health', LONGHORN_DASHBOARD)).out;
    expect(withLonghorn.doc(`${KPS}/app/helmrelease.yaml`).spec.values.grafana.dashboards.homelab['longhorn-health']).toEqual({ ...LONGHORN_DASHBOARD, datasource: 'Prometheus' });
  });

  test("kube-state-metrics exports Flux objects' readiness for the Flux reconciliation dashboard", () => {
    const ksm = stack().out.doc(`${KPS}/app/helmrelease.yaml`).spec.values['kube-state-metrics'];
    const resources = ksm.customResourceState.config.spec.resources;
    expect(resources.map((r: any) => r.groupVersionKind.kind)).toEqual(expect.arrayContaining(['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository']));
    expect(resources[0].metrics[0].labelsFromPath.ready).toEqual(['status', 'conditions', '[type=Ready]', 'status']);
    expect(ksm.rbac.extraRules).toContainEqual({ apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], verbs: ['list', 'watch'] });
  });

  test('Grafana admin credentials by existing Secret, never a password in values', () => {
    const grafana = stack({ grafanaAdminSecret: 'grafana-admin' }).out.doc(`${KPS}/app/helmrelease.yaml`).spec.values.grafana;
    expect(grafana.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(grafana.adminPassword).toBeUndefined();
  });

  test('Grafana is routed at grafana.<domain> through the cluster ingress (internal), with its root URL', () => {
    const { estate, cluster } = testCluster();
    provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
    const ingress = fakeIngress(cluster);
    const kps = new KubePrometheusStack(cluster, 'kube-prometheus-stack');
    const out = synth(estate);
    expect(ingress.routes).toEqual([expect.objectContaining({ component: kps, name: 'grafana', hostname: 'grafana.example.com', serviceName: 'kube-prometheus-stack-grafana', servicePort: 80, exposure: 'internal' })]);
    expect(out.doc(`${KPS}/app/helmrelease.yaml`).spec.values.grafana['grafana.ini']).toEqual({ server: { root_url: 'https://grafana.example.com' } });
  });

  test('Talos: controller-manager and scheduler selected by their static-pod label, etcd by control-plane IPs, kube-proxy scraped', () => {
    const nodes = [
      { name: 'cp1', role: 'control-plane' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.1' },
      { name: 'cp2', role: 'control-plane' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.2' },
      { name: 'w1', role: 'worker' as const, cpu: 4, memory: '8Gi', ip: '10.0.50.10' },
    ];
    const { out } = stack({}, { nodes });
    const v = out.doc(`${KPS}/app/helmrelease.yaml`).spec.values;
    expect(v.kubeControllerManager).toEqual({
      enabled: true,
      service: { enabled: true, port: 10257, targetPort: 10257, selector: { 'k8s-app': 'kube-controller-manager' } },
      serviceMonitor: { enabled: true, https: true, insecureSkipVerify: true },
    });
    expect(v.kubeScheduler.service).toMatchObject({ port: 10259, selector: { 'k8s-app': 'kube-scheduler' } });
    expect(v.kubeEtcd).toEqual({ enabled: true, endpoints: ['10.0.50.1', '10.0.50.2'], service: { enabled: true, port: 2381, targetPort: 2381 }, serviceMonitor: { enabled: true, scheme: 'http' } });
    expect(v.kubeProxy).toMatchObject({ enabled: true, service: { port: 10249 } });
    expect(out.result.warnings.map((w) => w.code)).not.toContain('control-plane-metrics');
  });

  test('Talos without control-plane IPs: etcd is not scraped, with a warning naming the fix', () => {
    const { out } = stack();
    expect(out.doc(`${KPS}/app/helmrelease.yaml`).spec.values.kubeEtcd).toEqual({ enabled: false });
    expect(out.result.warnings.find((w) => w.code === 'control-plane-metrics')?.message).toContain('set nodes[].ip');
  });

  test('kube-proxy is not scraped when Cilium replaces it; k3s and OKE do not scrape the control plane', () => {
    const cilium = stack({}, {}, (c) => provider(c, 'cilium', 'kube-system', crdGroup('cilium.io'))).out;
    expect(cilium.doc(`${KPS}/app/helmrelease.yaml`).spec.values.kubeProxy).toEqual({ enabled: false });
    for (const distribution of ['k3s', 'oke'] as const) {
      // Both distributions bring a default StorageClass (local-path, oci-bv).
      const { estate, cluster } = testCluster({ distribution });
      new KubePrometheusStack(cluster, 'kube-prometheus-stack');
      const v = synth(estate).doc(`${KPS}/app/helmrelease.yaml`).spec.values;
      expect([v.kubeControllerManager, v.kubeScheduler, v.kubeEtcd, v.kubeProxy]).toEqual(Array(4).fill({ enabled: false }));
    }
  });

  test('the Talos machine-config patch binds control-plane metrics to all addresses (data for the Talos config)', () => {
    const { cluster } = testCluster();
    expect(talosMetricsPatch(cluster)).toEqual({
      cluster: {
        controllerManager: { extraArgs: { 'bind-address': '0.0.0.0' } },
        scheduler: { extraArgs: { 'bind-address': '0.0.0.0' } },
        etcd: { extraArgs: { 'listen-metrics-urls': 'http://0.0.0.0:2381' } },
        proxy: { extraArgs: { 'metrics-bind-address': '0.0.0.0:10249' } },
      },
    });
    expect(talosMetricsPatch(testCluster({ distribution: 'k3s' }).cluster)).toBeUndefined();
  });

  test('on Talos the stack registers that patch as a node requirement (the Talos config applies it); not elsewhere', () => {
    const { cluster, kps } = stack({}, {}, (c) => provider(c, 'cilium', 'kube-system', crdGroup('cilium.io')));
    const patches = componentNodeRequirements(kps).flatMap((r) => r.talosPatches ?? []);
    expect(patches).toEqual([talosMetricsPatch(cluster)]);
    // Cilium replaces kube-proxy: no kube-proxy metrics binding then.
    expect((patches[0] as any).cluster.proxy).toBeUndefined();
    const k3s = testCluster({ distribution: 'k3s' });
    const other = new KubePrometheusStack(k3s.cluster, 'kube-prometheus-stack');
    synth(k3s.estate);
    expect(componentNodeRequirements(other)).toEqual([]);
  });

  test('the layered layout: stack in platform, its monitors applied by the apps layer after the CRDs', () => {
    const { out } = stack({}, { flux: { layout: 'layered' } });
    expect(out.has('platform/monitoring/kube-prometheus-stack/helmrelease.yaml')).toBe(true);
    expect(out.has('apps/monitoring/kube-prometheus-stack-monitors-config/podmonitor.yaml')).toBe(true);
  });

  test.each([
    [{ retention: '15 days' }, 'retention', 'is not a Prometheus duration'],
    [{ scrapeInterval: 'often' }, 'scrapeInterval', 'is not a duration'],
    [{ storageSize: '500Mi' }, 'storageSize', 'at least 1Gi'],
    [{ alertmanagerStorageSize: 'big' }, 'alertmanagerStorageSize', 'is not a storage quantity'],
    [{ resources: { grafana: { cpuRequest: '50m', memoryRequest: '1Gi', memoryLimit: '512Mi' } } }, 'resources.grafana', 'is above the limit'],
    [{ grafanaHostname: 'grafana.elsewhere.org' }, 'grafanaHostname', "is not inside the cluster domain 'example.com'"],
  ])('misuse %j is reported on %s', (props, field, message) => {
    const { estate, cluster } = testCluster();
    provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
    if (field === 'grafanaHostname') fakeIngress(cluster);
    new KubePrometheusStack(cluster, 'kube-prometheus-stack', props as any);
    const found = problems(estate).filter((p) => p.field === field);
    expect(found).toEqual([expect.objectContaining({ path: 'test/kube-prometheus-stack', message: expect.stringContaining(message), fix: expect.any(String) })]);
  });

  test('a Grafana hostname on a cluster without ingress is a problem', () => {
    const { estate, cluster } = testCluster();
    provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
    new KubePrometheusStack(cluster, 'kube-prometheus-stack', { grafanaHostname: 'grafana.example.com' });
    expect(problems(estate)).toEqual([expect.objectContaining({ field: 'grafanaHostname', message: expect.stringContaining('has no ingress') })]);
  });

  test('without any StorageClass the missing provider is reported', () => {
    const { estate, cluster } = testCluster();
    new KubePrometheusStack(cluster, 'kube-prometheus-stack');
    expect(problems(estate)).toEqual([expect.objectContaining({ field: 'requires', message: expect.stringContaining('a default StorageClass (Prometheus and Alertmanager volumes') })]);
  });

  test('two monitoring stacks in one cluster are a problem', () => {
    const { estate, cluster } = testCluster();
    provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
    new KubePrometheusStack(cluster, 'kube-prometheus-stack');
    new KubePrometheusStack(cluster, 'second', { namespace: 'monitoring-2' });
    expect(problems(estate).map((p) => p.field)).toContain('service');
  });
});
