import { releaseCharts, rendersChart } from '../../../src/lib/tree/charts.js';
import { componentIndex, manifestsByComponentPath } from '../../../src/lib/tree/components.js';
import { addressAsks, addressPools, dottedField, gatewayAddress, hasMetalLbPool, loadBalancerAddressUses, loadBalancerAsks } from '../../../src/lib/tree/load-balancers.js';
import { hostUses, routeHostnames, routeHosts } from '../../../src/lib/tree/routes.js';
import type { RenderedManifest } from '../../../src/lib/tree/tree.js';
import { containerImages, podWorkload } from '../../../src/lib/tree/workloads.js';
import { cnpgRecovery, isHibernationManaged } from '../../../src/lib/tree/databases.js';
import { renderCluster } from '../../../src/lib/synth/render.js';
import { rawComponent, testCluster } from '../../helpers.js';

type Manifest = Record<string, any>;
const at = (object: Manifest, path = 'c/x'): RenderedManifest => ({ cluster: 'c', file: 'clusters/c/x.yaml', path, object });

describe('route hostnames', () => {
  const ingressRoute = { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'r' }, spec: { routes: [{ match: 'Host(`a.example.com`) && PathPrefix(`/api`)' }, { match: 'Host(``)' }] } };

  test('Ingress rules with their paths, HTTPRoute hostnames with their matches, Traefik Host(...) rules', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', spec: { rules: [{ host: 'x.example.com', http: { paths: [{ path: '/a' }, { path: '/b' }] } }, { http: {} }] } };
    expect(routeHosts(ingress)).toEqual([{ host: 'x.example.com', field: 'spec.rules[0].host', paths: ['/a', '/b'] }]);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', spec: { hostnames: ['y.example.com'], rules: [{ matches: [{ path: { value: '/y' } }] }] } };
    expect(hostUses(at(route)).map((u) => [u.host, u.path, u.field])).toEqual([['y.example.com', '/y', 'spec.hostnames[0]']]);
    expect(hostUses(at(ingressRoute)).map((u) => [u.host, u.path, u.field])).toEqual([['a.example.com', '/api', 'spec.routes[0].match'], ['', '/', 'spec.routes[1].match']]);
  });

  test('docs list non-empty hostnames; checks see routes of known API groups only', () => {
    expect(routeHostnames(ingressRoute)).toEqual(['a.example.com']);
    expect(hostUses(at({ ...ingressRoute, apiVersion: 'traefik.containo.us/v1alpha1' }))).toEqual([]);
    expect(routeHostnames({ ...ingressRoute, apiVersion: 'traefik.containo.us/v1alpha1' })).toEqual(['a.example.com']);
  });
});

describe('LoadBalancer addresses and pools', () => {
  test('one reading of the addresses: every Service, annotations of any implementation, values annotations with their sharing map', () => {
    const clusterIp = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c', annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.7' } }, spec: { loadBalancerIP: ' 10.0.0.8' } };
    expect(addressAsks(clusterIp).map((a) => [a.ip, dottedField(a.at), a.annotation, a.loadBalancerService])).toEqual([
      [' 10.0.0.8', 'spec.loadBalancerIP', undefined, false],
      ['10.0.0.7', 'metadata.annotations', 'metallb.io/loadBalancerIPs', false],
    ]);
    expect(loadBalancerAddressUses(at(clusterIp))).toEqual([]);
    const values = { service: { annotations: { 'lbipam.cilium.io/ips': '10.0.0.9', 'lbipam.cilium.io/sharing-key': 'k' } }, items: [{ loadBalancerIP: '10.0.0.10' }] };
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'r' }, spec: { values } };
    expect(addressAsks(release).map((a) => [a.ip, dottedField(a.at), a.annotation, a.sharing?.['lbipam.cilium.io/sharing-key'], a.fluxRelease])).toEqual([
      ['10.0.0.9', 'spec.values.service.annotations', 'lbipam.cilium.io/ips', 'k', true],
      ['10.0.0.10', 'spec.values.items[0].loadBalancerIP', undefined, undefined, true],
    ]);
    expect(loadBalancerAddressUses(at(release)).map((u) => u.field)).toEqual(['spec.values.items[0].loadBalancerIP']);
  });

  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', annotations: { 'lbipam.cilium.io/ips': '10.0.0.5, 10.0.0.6', 'lbipam.cilium.io/sharing-key': 'k' } }, spec: { type: 'LoadBalancer', loadBalancerIP: '10.0.0.4' } };

  test('Service addresses and annotations carry the sharing key; Helm values and Gateways are read', () => {
    expect(loadBalancerAddressUses(at(svc)).map((u) => [u.ip, u.field, u.sharingKey])).toEqual([
      ['10.0.0.4', 'spec.loadBalancerIP', 'k'],
      ['10.0.0.5', 'metadata.annotations.lbipam.cilium.io/ips', 'k'],
      ['10.0.0.6', 'metadata.annotations.lbipam.cilium.io/ips', 'k'],
    ]);
    const hr = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'h' }, spec: { values: { service: { type: 'LoadBalancer', loadBalancerIP: '10.0.0.7' } } } };
    expect(loadBalancerAddressUses(at(hr)).map((u) => [u.ip, u.field])).toEqual([['10.0.0.7', 'spec.values.service.loadBalancerIP']]);
    expect(loadBalancerAsks(at(hr))).toEqual([{ field: 'spec.values.service.type', what: "the Service of HelmRelease 'h'" }]);
    const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { addresses: [{ value: '10.0.0.8' }] } };
    expect(gatewayAddress(gw)).toBe('10.0.0.8');
    expect(gatewayAddress(undefined)).toBeUndefined();
  });

  test('Cilium blocks (host bits masked, as the controller reads them) and MetalLB addresses', () => {
    const cilium = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'lan' }, spec: { blocks: [{ cidr: '10.0.50.97/28' }, { start: '10.0.60.1' }, { cidr: 'bad' }] } };
    const metallb = { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'mlb' }, spec: { addresses: ['10.0.70.1 - 10.0.70.9'] } };
    const pools = addressPools([at(cilium), at(metallb)]);
    expect(pools.map((p) => [p.name, p.ranges.length])).toEqual([['lan', 2], ['mlb', 1]]);
    expect(pools[0].ranges[0]).toMatchObject({ start: 167785056, stop: 167785071 });
    expect(hasMetalLbPool([at(cilium)])).toBe(false);
    expect(hasMetalLbPool([at(metallb)])).toBe(true);
  });
});

describe('charts, workloads and components', () => {
  test('a HelmRelease with its chart, version and source', () => {
    const repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'r', namespace: 'n' }, spec: { url: 'https://charts.example.com' } };
    const hr = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'h', namespace: 'n' }, spec: { chart: { spec: { chart: 'cilium', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'r' } } } } };
    expect(releaseCharts([repo, hr])).toEqual([{ object: hr, release: 'h', namespace: 'n', chart: 'cilium', version: '1.2.3', source: 'https://charts.example.com' }]);
    expect(rendersChart([at(hr)], 'cilium')).toBe(true);
    expect(rendersChart([at(hr)], 'longhorn')).toBe(false);
  });

  test('a workload: replicas as written, containers that run to completion, placement rules', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: {
      initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }, { name: 's', restartPolicy: 'Always' }],
      containers: [{ name: 'c', resources: { limits: { memory: '1Gi' } } }],
      nodeSelector: { disk: 'ssd' },
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } },
    } } } };
    const w = podWorkload(job)!;
    expect(w).toMatchObject({ kind: 'Job', name: 'j', perNode: false, transient: true, replicas: undefined, podSpecAt: 'spec.template.spec', nodeSelector: { disk: 'ssd' }, onePerNode: true });
    expect(w.containers.map((c) => [c.field, c.runsToCompletion, c.requests, c.limits])).toEqual([
      ['spec.template.spec.initContainers[0].resources', true, { cpu: '1' }, {}],
      ['spec.template.spec.initContainers[1].resources', false, {}, {}],
      ['spec.template.spec.containers[0].resources', false, {}, { memory: '1Gi' }],
    ]);
    expect(podWorkload({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });

  test("manifests map to the component whose construct path holds them", () => {
    const { cluster } = testCluster();
    const web = rawComponent(cluster, { name: 'web', namespace: 'web' }, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }]);
    const tree = renderCluster(cluster, () => undefined);
    const cm = tree.manifests.find((m) => m.object.kind === 'ConfigMap')!;
    expect(componentIndex(cluster)(cm)).toBe(web);
    expect(componentIndex(cluster)(at({}, 'elsewhere/x'))).toBeUndefined();
    expect(manifestsByComponentPath(cluster, tree).get(web.node.path)).toContain(cm);
  });
});

describe('images and CloudNativePG clusters', () => {
  test('container images of pod specs, init containers included, sorted and once each', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { initContainers: [{ image: 'b:1' }], containers: [{ image: 'a:1' }, { image: 'b:1' }] } } } };
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: 'c:1' }] } } } } } };
    expect(containerImages([deploy, cron])).toEqual(['a:1', 'b:1', 'c:1']);
  });

  test('a recovery names the backup it reads; hibernation follows the annotation', () => {
    const restore = {
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db-restore', annotations: { 'cnpg.io/hibernation': 'off' } },
      spec: { bootstrap: { recovery: { source: 'origin' } }, externalClusters: [{ name: 'origin', plugin: { parameters: { barmanObjectName: 'store', serverName: 'db' } } }] },
    };
    expect(cnpgRecovery(restore)).toEqual({ clusterName: 'db-restore', objectStore: 'store', serverName: 'db' });
    expect(cnpgRecovery({ ...restore, spec: {} })).toBeUndefined();
    expect(isHibernationManaged(restore)).toBe(true);
    expect(isHibernationManaged({ ...restore, metadata: { name: 'db' } })).toBe(false);
  });
});
