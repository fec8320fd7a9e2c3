import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crdGroup, storageClass } from '../../../src/lib/estate/capabilities.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { SynthError } from '../../../src/lib/estate/problems.js';
import { ChartRelease } from '../../../src/lib/flux/helm-release.js';
import { App } from '../../../src/lib/apps/app.js';
import { IngressNginx } from '../../../src/lib/platform/ingress/ingress-nginx.js';
import { Cloudflared } from '../../../src/lib/platform/ingress/cloudflared.js';
import { Traefik } from '../../../src/lib/platform/ingress/traefik.js';
import { Cilium } from '../../../src/lib/platform/network/cilium.js';
import { Redis } from '../../../src/lib/platform/databases/redis.js';
import { CloudNativePg, PostgresCluster, requestDatabase } from '../../../src/lib/platform/databases/index.js';
import { BitwardenSecretsManagerStore, ExternalSecrets, OnePasswordConnectStore, VaultSecretStore, requestExternalSecret } from '../../../src/lib/platform/secrets/index.js';
import { Longhorn } from '../../../src/lib/platform/storage/longhorn.js';
import { NfsCsi } from '../../../src/lib/platform/storage/nfs-csi.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { configMap, copyRoot, rawComponent, readTree, tempRoot } from '../../helpers.js';
import { cli, deployment, ingress, lab, labProps, pvc, service } from './fixtures.js';

type Manifest = Record<string, any>;

/** One bad input: how to build it, and the problem synth must print for it. */
interface BadInput {
  readonly name: string;
  readonly build: () => Estate;
  /** Files the user has under clusters/ before the run (SOPS files). */
  readonly files?: Record<string, string>;
  readonly argv?: string[];
  readonly cluster: string;
  /** Construct path as printed (prefix). */
  readonly path: string;
  readonly field: string;
  readonly message: RegExp;
  readonly fix?: RegExp;
}

const add = (objects: Manifest[], props: Partial<Parameters<typeof rawComponent>[1]> = {}) =>
  (c: HomelabCluster): Component => rawComponent(c, { name: 'extra', namespace: 'extra', layer: 'apps', ...props }, objects);

const extraFile = (file: string) => `lab/extra (clusters/lab/extra/extra/app/${file})`;

const lbService = (name: string, ip: string) => service(name, { type: 'LoadBalancer', loadBalancerIP: ip });

const ciliumPool = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'lan' }, spec: { blocks: [{ start: '10.0.50.100', stop: '10.0.50.120' }] } };

const IMAGE = { repository: 'ghcr.io/example/app', tag: '1.0.0' };
const HTTP = [{ name: 'http', port: 8080 }];
const lanPool = { name: 'lan', blocks: ['10.0.50.100-10.0.50.120'] };

/** An App named web2 with the given props (also ones the types forbid: bad input arrives through `as any`). */
const app = (props: Record<string, unknown>) => (c: HomelabCluster) => new App(c, 'web2', { image: IMAGE, ports: HTTP, ...props } as any);
/** The lab's nodes with node `i` changed. */
const labNodes = (i: number, change: Record<string, unknown>) => labProps().nodes.map((n, j) => (j === i ? { ...n, ...change } : n));

const PLAINTEXT_SOPS = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: hunter2\n';

const CASES: BadInput[] = [
  // ---------------------------------------------------------------- names and identity
  {
    name: 'duplicate cluster names',
    build: () => { const e = lab(); new HomelabCluster(e, labProps()); return e; },
    cluster: '(estate)', path: '(estate)', field: 'cluster.lab', message: /two clusters are named 'lab'/,
  },
  {
    name: 'duplicate component names',
    build: () => lab({ extra: (c) => rawComponent(c, { name: 'web', namespace: 'web2' }, [configMap('x')]) }),
    cluster: 'lab', path: 'lab', field: 'component.web', message: /two components are named 'web'/,
  },
  {
    name: 'cluster name not a DNS-1123 label',
    build: () => lab({ cluster: { name: 'Lab_1' } }),
    cluster: 'Lab_1', path: 'Lab_1', field: 'name', message: /cluster name 'Lab_1' is not a DNS-1123 label/,
  },
  {
    name: 'component name not a DNS-1123 label',
    build: () => lab({ extra: (c) => rawComponent(c, { name: 'Media_Stack', namespace: 'media' }, [configMap('x')]) }),
    cluster: 'lab', path: 'lab/Media_Stack', field: 'name', message: /component name 'Media_Stack' is not a DNS-1123 label/,
  },
  {
    name: 'namespace not a DNS-1123 label',
    build: () => lab({ extra: (c) => rawComponent(c, { name: 'media', namespace: 'My Media', group: 'media' }, [configMap('x')]) }),
    cluster: 'lab', path: 'lab/media', field: 'namespace', message: /namespace 'My Media' is not a DNS-1123 label/,
  },
  {
    name: 'node name not a DNS-1123 label',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'Worker_2', role: 'worker', cpu: 4, memory: '8Gi' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].name', message: /node name 'Worker_2' is not a DNS-1123 label/,
  },
  {
    name: 'duplicate node names',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'w1', role: 'worker', cpu: 4, memory: '8Gi' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].name', message: /node name 'w1' is used twice/,
  },
  {
    name: 'object name not DNS-1123',
    build: () => lab({ extra: add([configMap('App_Settings')]) }),
    cluster: 'lab', path: extraFile('configmap.yaml'), field: 'metadata.name', message: /'App_Settings' is not a valid ConfigMap name/,
  },
  {
    name: 'an App name starting with a digit (its Service must be a DNS-1035 label)',
    build: () => lab({ extra: (c) => { new App(c, '1password', { image: IMAGE, ports: HTTP }); } }),
    cluster: 'lab', path: 'lab/1password (clusters/lab/1password/1password/app/service.yaml)', field: 'metadata.name', message: /'1password' is not a valid Service name: it must start with a letter/,
  },
  {
    name: 'a StatefulSet name too long for its revision label',
    build: () => lab({ extra: (c) => { new Redis(c, 'r'.repeat(55)); } }),
    cluster: 'lab', path: `lab/${'r'.repeat(55)}`, field: 'metadata.name', message: /StatefulSet name 'r+' is 55 characters, over 52/,
  },
  {
    name: 'two objects with one identity',
    build: () => lab({ extra: add([service('web')], { namespace: 'web', group: 'extra' }) }),
    cluster: 'lab', path: 'lab/', field: 'metadata.name', message: /Service 'web\/web' is also defined in clusters\/lab\/(web|extra)\//,
  },
  // ---------------------------------------------------------------- storage
  {
    name: 'two default StorageClasses',
    build: () => lab({ extra: (c) => new NfsCsi(c, 'nfs-media', { server: 'nas.lab.example.com', share: '/volume1/media', storageClassName: 'nfs-media', default: true, namespace: 'nfs-media' }) }),
    cluster: 'lab', path: 'lab/nfs-media', field: 'default', message: /a default StorageClass is provided by several components: nfs, nfs-media/, fix: /mark exactly one StorageClass as the default/,
  },
  {
    name: 'unknown StorageClass',
    build: () => lab({ extra: add([pvc('cache', { storageClassName: 'fast-ssd' })]) }),
    cluster: 'lab', path: 'lab/extra', field: 'requires', message: /needs StorageClass 'fast-ssd' \(PersistentVolumeClaim 'cache' claims storage\) but no component in cluster 'lab' provides it/,
  },
  {
    name: 'more Longhorn replicas than schedulable nodes',
    build: () => lab({
      extra: (c) => {
        const x = add([{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'longhorn' }, provisioner: 'driver.longhorn.io', reclaimPolicy: 'Retain', parameters: { numberOfReplicas: '3' } }])(c);
        x.provide(storageClass('longhorn'));
      },
    }),
    cluster: 'lab', path: extraFile('storageclass.yaml'), field: 'parameters.numberOfReplicas', message: /asks for 3 replicas per volume but cluster 'lab' has 2 schedulable node\(s\)/,
  },
  // ---------------------------------------------------------------- hostnames
  {
    name: 'hostname outside the cluster domain',
    build: () => lab({ extra: add([service('blog'), ingress('blog', 'blog.other.org')]) }),
    cluster: 'lab', path: extraFile('ingress.yaml'), field: 'spec.rules[0].host', message: /hostname 'blog.other.org' is outside the cluster's domain 'lab.example.com'/,
  },
  {
    name: 'duplicate hostnames',
    build: () => lab({ extra: add([service('blog'), ingress('blog', 'web.lab.example.com')]) }),
    cluster: 'lab', path: extraFile('ingress.yaml'), field: 'spec.rules[0].host', message: /hostname 'web.lab.example.com' is already served by Ingress 'web\/web'/,
  },
  {
    name: 'hostname not a DNS name',
    build: () => lab({ extra: add([service('blog'), ingress('blog', 'my_blog.lab.example.com')]) }),
    cluster: 'lab', path: extraFile('ingress.yaml'), field: 'spec.rules[0].host', message: /'my_blog.lab.example.com' is not a valid DNS name/,
  },
  // ---------------------------------------------------------------- LoadBalancer IPs
  {
    name: 'LoadBalancer IP duplicated',
    build: () => lab({ extra: add([lbService('dns', '10.0.50.100'), lbService('gw', '10.0.50.100')]) }),
    cluster: 'lab', path: 'lab/extra', field: 'spec.loadBalancerIP', message: /LoadBalancer IP 10.0.50.100 of Service '(gw|dns)' is also used by Service 'extra\/(dns|gw)'/,
  },
  {
    name: 'LoadBalancer IP outside every pool',
    build: () => lab({ extra: (c) => { add([ciliumPool, lbService('gw', '10.0.60.5')])(c).provide(crdGroup('cilium.io')); } }),
    cluster: 'lab', path: extraFile('service.yaml'), field: 'spec.loadBalancerIP', message: /LoadBalancer IP 10.0.60.5 of Service 'gw' is outside every address pool \(lan\)/,
  },
  {
    name: 'LoadBalancer IP already a node address',
    build: () => lab({ extra: add([lbService('gw', '10.0.50.10')]) }),
    cluster: 'lab', path: extraFile('service.yaml'), field: 'spec.loadBalancerIP', message: /LoadBalancer IP 10.0.50.10 of Service 'gw' is already node 'w1''s address/,
  },
  // ---------------------------------------------------------------- cluster network model
  {
    name: 'VIP not in the node subnet',
    build: () => lab({ cluster: { network: { nodeCidr: '10.0.50.0/24', vip: '10.0.51.50' } } }),
    cluster: 'lab', path: 'lab', field: 'network.vip', message: /VIP 10.0.51.50 is not in the node subnet 10.0.50.0\/24/,
  },
  {
    name: 'VIP not on the nodes\' network (no nodeCidr declared)',
    build: () => lab({ cluster: { network: { vip: '192.168.1.50' } } }),
    cluster: 'lab', path: 'lab', field: 'network.vip', message: /VIP 192.168.1.50 is not on the nodes' network \(10.0.50.0\/24\)/,
  },
  {
    name: 'VIP not an IPv4 address',
    build: () => lab({ cluster: { network: { nodeCidr: '10.0.50.0/24', vip: '10.0.50' } } }),
    cluster: 'lab', path: 'lab', field: 'network.vip', message: /'10.0.50' is not an IPv4 address/,
  },
  {
    name: 'VIP equal to a node address',
    build: () => lab({ cluster: { network: { nodeCidr: '10.0.50.0/24', vip: '10.0.50.1' } } }),
    cluster: 'lab', path: 'lab', field: 'network.vip', message: /VIP 10.0.50.1 is also node 'cp''s address/,
  },
  {
    name: 'node IPs duplicated',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.10' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].ip', message: /IP 10.0.50.10 is already used by node 'w1'/,
  },
  {
    name: 'node IP not an address',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.300' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].ip', message: /'10.0.50.300' is not an IPv4 address/,
  },
  {
    name: 'node IP outside the node subnet',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.60.11' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].ip', message: /node 'w2' address 10.0.60.11 is outside the node subnet 10.0.50.0\/24/,
  },
  {
    name: 'pod and service CIDRs overlap',
    build: () => lab({ cluster: { network: { podCidr: '10.42.0.0/15', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' } } }),
    cluster: 'lab', path: 'lab', field: 'network.serviceCidr', message: /serviceCidr 10.43.0.0\/16 overlaps podCidr 10.42.0.0\/15/,
  },
  {
    name: 'pod CIDR overlaps the node subnet',
    build: () => lab({ cluster: { network: { podCidr: '10.0.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' } } }),
    cluster: 'lab', path: 'lab', field: 'network.nodeCidr', message: /nodeCidr 10.0.50.0\/24 overlaps podCidr 10.0.0.0\/16/,
  },
  {
    name: 'CIDR that does not parse',
    build: () => lab({ cluster: { network: { serviceCidr: '10.43.0.0', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' } } }),
    cluster: 'lab', path: 'lab', field: 'network.serviceCidr', message: /'10.43.0.0' is not an IPv4 CIDR/,
  },
  // ---------------------------------------------------------------- dependencies
  {
    name: 'dependsOn cycle',
    build: () => lab({
      extra: (c, { web }) => {
        const a = rawComponent(c, { name: 'a', namespace: 'a', dependsOn: [web] }, [configMap('a')]);
        web.addDependsOn(a, 'declared in dependsOn');
      },
    }),
    cluster: 'lab', path: 'lab/', field: 'dependsOn', message: /dependency cycle: (web → a → web|a → web → a)/,
  },
  {
    name: 'component depending on one of another cluster',
    build: () => {
      const e = lab();
      const other = new HomelabCluster(e, labProps({ name: 'other' }));
      const db = rawComponent(other, { name: 'db', namespace: 'db' }, [configMap('db')]);
      rawComponent(e.clusters[0], { name: 'app', namespace: 'app', dependsOn: [db] }, [configMap('a')]);
      return e;
    },
    cluster: 'lab', path: 'lab/app', field: 'dependsOn', message: /depends on 'db', which belongs to cluster 'other'/,
  },
  {
    name: 'database on a cluster without PostgreSQL',
    build: () => lab({ extra: add([{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Database', metadata: { name: 'app' }, spec: { name: 'app', owner: 'app', cluster: { name: 'pg' } } }]) }),
    cluster: 'lab', path: 'lab/extra', field: 'requires', message: /needs the CRDs of API group 'postgresql.cnpg.io' .* but no component in cluster 'lab' provides it/,
    fix: /add the operator component/,
  },
  {
    name: 'exposure through an ingress class the cluster does not have',
    build: () => lab({ extra: add([service('blog'), { ...ingress('blog', 'blog.lab.example.com'), spec: { ...ingress('blog', 'blog.lab.example.com').spec, ingressClassName: 'nginx' } }]) }),
    cluster: 'lab', path: 'lab/extra', field: 'requires', message: /needs IngressClass 'nginx' .* but no component in cluster 'lab' provides it/,
  },
  {
    name: 'object in a namespace nobody creates',
    build: () => lab({ extra: add([{ ...configMap('x'), metadata: { name: 'x', namespace: 'ghost' } }]) }),
    cluster: 'lab', path: 'lab/extra', field: 'requires', message: /needs namespace 'ghost'/,
  },
  {
    name: 'platform component depending on an apps component (layered layout)',
    build: () => lab({ cluster: { flux: { layout: 'layered' } }, extra: (c, { web }) => rawComponent(c, { name: 'mon', namespace: 'mon', layer: 'platform', dependsOn: [web] }, [configMap('m')]) }),
    cluster: 'lab', path: 'lab/mon', field: 'layer', message: /platform component 'mon' depends on apps component 'web'/,
  },
  // ---------------------------------------------------------------- Helm values
  {
    name: 'misspelt Helm values key',
    build: () => lab({ extra: (c) => new ChartRelease(rawComponent(c, { name: 'nfs2', namespace: 'nfs2' }), 'chart', { chart: 'csi-driver-nfs', values: { controller: { replicaz: 2 } } }) }),
    cluster: 'lab', path: 'lab/nfs2/chart', field: 'values.controller.replicaz', message: /replicaz/,
  },
  {
    name: 'Helm value of the wrong type',
    build: () => lab({ extra: (c) => new ChartRelease(rawComponent(c, { name: 'nfs2', namespace: 'nfs2' }), 'chart', { chart: 'csi-driver-nfs', values: { controller: { replicas: 'two' } } }) }),
    cluster: 'lab', path: 'lab/nfs2/chart', field: 'values.controller.replicas', message: /must be a number/,
  },
  // ---------------------------------------------------------------- pins
  {
    name: 'image :latest',
    build: () => lab({ extra: add([deployment('blog', { image: 'ghost:latest' })]) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.containers[0].image', message: /image 'ghost:latest' of Deployment 'blog' uses the moving tag :latest/,
  },
  {
    name: 'image without a tag',
    build: () => lab({ extra: add([deployment('blog', { image: 'docker.io/library/ghost' })]) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.containers[0].image', message: /image 'docker.io\/library\/ghost' of Deployment 'blog' has no tag/,
  },
  {
    name: 'image tag latest in Helm values',
    build: () => lab({ extra: (c) => new ChartRelease(rawComponent(c, { name: 'nfs2', namespace: 'nfs2' }), 'chart', { chart: 'csi-driver-nfs', values: { image: { nfs: { repository: 'registry.k8s.io/sig-storage/nfsplugin', tag: 'latest' } } } }) }),
    cluster: 'lab', path: 'lab/nfs2 (clusters/lab/nfs2/nfs2/app/helmrelease.yaml)', field: 'spec.values.image.nfs.tag', message: /sets image tag "latest" for 'registry.k8s.io\/sig-storage\/nfsplugin'/,
  },
  {
    name: 'chart version not pinned',
    build: () => lab({
      extra: add([
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'bitnami' }, spec: { interval: '1h', url: 'https://charts.bitnami.com/bitnami' } },
        { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'redis' }, spec: { interval: '1h', chart: { spec: { chart: 'redis', version: '>=18.0.0', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } } } },
      ]),
    }),
    cluster: 'lab', path: extraFile('helmrelease.yaml'), field: 'spec.chart.spec.version', message: /does not pin chart 'redis' to an exact version \('>=18.0.0'\)/,
  },
  // ---------------------------------------------------------------- secrets
  {
    name: 'plaintext Secret data',
    build: () => lab({ extra: add([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } }]) }),
    cluster: 'lab', path: extraFile('secret.yaml'), field: 'data', message: /Secret 'db' would be written in plaintext/,
  },
  {
    name: '*.sops.yaml that is not encrypted',
    build: () => lab({ cluster: { sops: { ageRecipients: ['age1qqqq'] } }, extra: (c) => add([configMap('x')])(c).addSopsFile('token.sops.yaml') }),
    files: { 'clusters/lab/extra/extra/app/token.sops.yaml': PLAINTEXT_SOPS },
    cluster: 'lab', path: 'lab/extra', field: 'sopsFiles', message: /token.sops.yaml' is not SOPS-encrypted: it has no sops metadata block/,
  },
  {
    name: 'SOPS file missing',
    build: () => lab({ cluster: { sops: { ageRecipients: ['age1qqqq'] } }, extra: (c) => add([configMap('x')])(c).addSopsFile('token.sops.yaml') }),
    cluster: 'lab', path: 'lab/extra', field: 'sopsFiles', message: /the SOPS file 'clusters\/lab\/extra\/extra\/app\/token.sops.yaml' does not exist/,
  },
  {
    name: 'missing decryption key reference',
    build: () => lab({ extra: (c) => add([configMap('x')])(c).addSopsFile('token.sops.yaml') }),
    files: { 'clusters/lab/extra/extra/app/token.sops.yaml': 'stringData:\n  token: ENC[AES256_GCM,data:x,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:y,type:str]\n  age:\n    - recipient: age1qqqq\n' },
    cluster: 'lab', path: 'lab/extra', field: 'sopsFiles', message: /carries SOPS files but cluster 'lab' has no sops settings/,
  },
  // ---------------------------------------------------------------- placement and architecture
  {
    name: 'amd64-only image on an arm-only cluster',
    build: () => lab({
      cluster: { nodes: labProps().nodes.map((n) => ({ ...n, arch: 'arm64' as const })) },
      extra: (c) => add([configMap('x')])(c).addWorkload({ name: 'plex', cpuRequest: '500m', memoryRequest: '1Gi', arch: ['amd64'] }),
    }),
    cluster: 'lab', path: 'lab/extra', field: 'workloads.plex.arch/nodeSelector/tolerates', message: /Deployment 'plex' can run on no node of the cluster: its image exists for amd64 only, and nodes 'cp', 'w1', 'w2' are arm64/,
    fix: /use an image built for arm64/,
  },
  {
    name: 'requests exceeding what can ever be scheduled',
    build: () => lab({ extra: (c) => add([configMap('x')])(c).addWorkload({ name: 'llm', cpuRequest: '2', memoryRequest: '64Gi' }) }),
    cluster: 'lab', path: 'lab/extra', field: 'workloads.llm.cpuRequest/memoryRequest', message: /Deployment 'llm' requests 2 CPU \/ 64Gi per pod, more than any node it may run on can ever give/,
  },
  {
    name: 'more replicas than nodes with required anti-affinity',
    build: () => lab({
      extra: add([deployment('api', {
        replicas: 3,
        pod: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'api' } } }] } } },
      })]),
    }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.replicas', message: /Deployment 'api' wants 3 replicas on distinct nodes \(required anti-affinity\) but only 2 node\(s\) may run it: w1, w2/,
  },
  // ---------------------------------------------------------------- ports
  {
    name: 'two containers of a pod on one port',
    build: () => lab({ extra: add([deployment('blog', { pod: { containers: [deployment('blog').spec.template.spec.containers[0], { ...deployment('blog').spec.template.spec.containers[0], name: 'sidecar' }] } })]) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.containers[1].ports[0].containerPort', message: /port 8080\/TCP of Deployment 'blog' is also opened by containers\[0\]/,
  },
  {
    name: 'Service port listed twice',
    build: () => lab({ extra: add([service('blog', { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'web', port: 80, targetPort: 8081 }] })]) }),
    cluster: 'lab', path: extraFile('service.yaml'), field: 'spec.ports[1].port', message: /Service 'blog' lists port 80\/TCP twice/,
  },
  {
    name: 'host port used by two workloads',
    build: () => lab({
      extra: add([
        deployment('dns-a', { container: { ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] } }),
        deployment('dns-b', { container: { ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] } }),
      ]),
    }),
    cluster: 'lab', path: extraFile('deployment-dns-b.yaml'), field: 'spec.template.spec.containers[0].ports[0].hostPort', message: /host port 53\/UDP of Deployment 'dns-b' is also used by Deployment 'extra\/dns-a'/,
  },
  // ---------------------------------------------------------------- resource quantities
  {
    name: 'negative CPU request',
    build: () => lab({ extra: (c) => add([configMap('x')])(c).addWorkload({ name: 'job', cpuRequest: '-500m', memoryRequest: '128Mi' }) }),
    cluster: 'lab', path: 'lab/extra', field: 'workloads[0].cpuRequest', message: /cpu "-500m" is negative/,
  },
  {
    name: 'zero memory request',
    build: () => lab({ extra: add([deployment('blog', { resources: { requests: { cpu: '100m', memory: '0' } } })]) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.containers[0].resources.requests.memory', message: /memory "0" is zero/,
  },
  {
    name: 'memory quantity that does not parse',
    build: () => lab({ extra: add([deployment('blog', { resources: { requests: { cpu: '100m', memory: '512 MB' } } })]) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.containers[0].resources.requests.memory', message: /memory "512 MB" is not a Kubernetes quantity|does not match its schema/,
  },
  {
    name: 'CPU quantity that does not parse',
    build: () => lab({ extra: (c) => add([configMap('x')])(c).addWorkload({ name: 'api', cpuRequest: 'two', memoryRequest: '128Mi' }) }),
    cluster: 'lab', path: 'lab/extra', field: 'workloads[0].cpuRequest', message: /cpu "two" is not a Kubernetes quantity/,
  },
  {
    name: 'node memory that does not parse',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'w2', role: 'worker', cpu: 4, memory: '8 GB' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].memory', message: /memory "8 GB" is not a positive quantity/,
  },
  {
    name: 'node with zero CPU',
    build: () => lab({ cluster: { nodes: [...labProps().nodes.slice(0, 2), { name: 'w2', role: 'worker', cpu: 0, memory: '8Gi' }] } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].cpu', message: /cpu 0 is not a positive number of cores/,
  },
  {
    name: 'negative replicas',
    build: () => lab({ extra: (c) => add([configMap('x')])(c).addWorkload({ name: 'api', replicas: -1, cpuRequest: '100m', memoryRequest: '128Mi' }) }),
    cluster: 'lab', path: 'lab/extra', field: 'workloads[0].replicas', message: /workload 'api' has -1 replicas/,
  },
  // ---------------------------------------------------------------- the cluster itself
  {
    name: 'empty cluster (no components) under --strict',
    argv: ['--strict'],
    build: () => { const e = lab(); new HomelabCluster(e, labProps({ name: 'spare' })); return e; },
    cluster: 'spare', path: 'spare', field: 'empty-cluster', message: /cluster 'spare' has no components/,
  },
  {
    name: 'cluster without nodes',
    build: () => lab({ cluster: { nodes: [] } }),
    cluster: 'lab', path: 'lab', field: 'nodes', message: /the cluster has no nodes/,
  },
  {
    name: 'no control-plane node',
    build: () => lab({ cluster: { nodes: labProps().nodes.map((n) => ({ ...n, role: 'worker' as const })) } }),
    cluster: 'lab', path: 'lab', field: 'nodes', message: /no node has role control-plane/,
  },
  {
    name: 'Git URL missing',
    build: () => lab({ cluster: { git: { url: '' } } }),
    cluster: 'lab', path: 'lab', field: 'git.url', message: /the Git repository URL is missing/,
  },
  {
    name: 'Git URL not a URL',
    build: () => lab({ cluster: { git: { url: 'github.com/me/homelab' } } }),
    cluster: 'lab', path: 'lab', field: 'git.url', message: /'github.com\/me\/homelab' is not an https:\/\/ or ssh:\/\/ URL/,
  },
  {
    name: 'sensitive namespace that does not exist',
    build: () => lab({ cluster: { sensitiveNamespaces: ['webb'] } }),
    cluster: 'lab', path: 'lab', field: 'sensitiveNamespaces[0]', message: /'webb' is not a namespace of cluster 'lab'/, fix: /did you mean 'web'\?/,
  },
  {
    name: 'malformed data-loss acknowledgement',
    build: () => lab({ cluster: { allowDataLoss: ['jellyfin-config'] } }),
    cluster: 'lab', path: 'lab', field: 'allowDataLoss[0]', message: /'jellyfin-config' does not name an object/,
  },
  {
    name: 'accepted warning without a reason',
    build: () => lab({ cluster: { acceptedWarnings: { 'runs-as-root': ' ' } } }),
    cluster: 'lab', path: 'lab', field: 'acceptedWarnings.runs-as-root', message: /accepting warning 'runs-as-root' needs a reason/,
  },
  // ---------------------------------------------------------------- the platform and app constructs' own checks
  {
    name: 'App image :latest',
    build: () => lab({ extra: (c) => new App(c, 'blog', { image: { repository: 'ghost', tag: 'latest' }, ports: HTTP }) }),
    cluster: 'lab', path: 'lab/blog', field: 'image.tag', message: /image 'ghost:latest' uses the moving tag 'latest'/,
  },
  {
    name: 'App hostname outside the cluster domain',
    build: () => lab({ extra: (c) => { new IngressNginx(c, 'ingress'); new App(c, 'blog', { image: IMAGE, ports: HTTP, expose: 'internal', hostname: 'blog.other.org' }); } }),
    cluster: 'lab', path: 'lab/blog', field: 'hostname', message: /hostname 'blog.other.org' is outside the cluster's domain 'lab.example.com'/,
  },
  {
    name: 'two Apps on one hostname',
    build: () => lab({ extra: (c) => { new IngressNginx(c, 'ingress'); new App(c, 'blog', { image: IMAGE, ports: HTTP, expose: 'internal', subdomain: 'www' }); new App(c, 'shop', { image: IMAGE, ports: HTTP, expose: 'internal', subdomain: 'www' }); } }),
    cluster: 'lab', path: 'lab/shop', field: 'hostname', message: /hostname 'www.lab.example.com' is already exposed by 'blog'/,
  },
  {
    name: 'public exposure without ingress or tunnel',
    build: () => lab({ extra: (c) => new App(c, 'blog', { image: IMAGE, ports: HTTP, expose: 'public' }) }),
    cluster: 'lab', path: 'lab/blog', field: 'expose', message: /should be exposed publicly, but cluster 'lab' has no ingress and no tunnel/,
  },
  {
    name: 'App needing a database on a cluster without PostgreSQL',
    build: () => lab({ extra: (c) => new App(c, 'blog', { image: IMAGE, ports: HTTP, database: { postgres: {} } }) }),
    cluster: 'lab', path: 'lab/blog', field: 'database', message: /asks for PostgreSQL database 'blog' but cluster 'lab' has no PostgreSQL service/,
  },
  {
    name: 'App with an amd64-only image on an arm-only cluster',
    build: () => lab({ cluster: { nodes: labProps().nodes.map((n) => ({ ...n, arch: 'arm64' as const })) }, extra: (c) => new App(c, 'plex', { image: { ...IMAGE, archs: ['amd64'] }, ports: HTTP }) }),
    cluster: 'lab', path: 'lab/plex', field: 'image.archs', message: /is published for amd64 only, but the nodes it may run on are arm64/,
  },
  {
    name: 'Longhorn replicas above the schedulable nodes',
    build: () => lab({ extra: (c) => new Longhorn(c, 'longhorn', { replicas: 3 }) }),
    cluster: 'lab', path: 'lab/longhorn', field: 'replicas', message: /3 replicas need 3 storage nodes, but only 2 match \(w1, w2\)/,
  },
  {
    name: 'LoadBalancer IP outside every Cilium pool',
    build: () => lab({ extra: (c) => { new Cilium(c, 'cilium', { loadBalancerPools: [lanPool] }); add([lbService('gw', '10.0.60.5')])(c); } }),
    cluster: 'lab', path: 'lab/extra', field: 'spec.loadBalancerIP', message: /asks for LoadBalancer IP 10.0.60.5, outside every Cilium LoadBalancer pool/,
  },
  {
    name: 'LoadBalancer IP requested twice on a Cilium cluster',
    build: () => lab({ extra: (c) => { new Cilium(c, 'cilium', { loadBalancerPools: [lanPool] }); add([lbService('gw', '10.0.50.101'), lbService('dns', '10.0.50.101')])(c); } }),
    cluster: 'lab', path: 'lab/extra', field: 'spec.loadBalancerIP', message: /asks for LoadBalancer IP 10.0.50.101, already requested by Service 'extra\/(gw|dns)'/,
  },
  {
    name: 'a privileged container in a namespace enforcing restricted',
    build: () => lab({ extra: add([deployment('probe', { container: { securityContext: { privileged: true } } })]) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.containers[0].securityContext.privileged',
    message: /Pod Security admission would refuse the pods of Deployment 'extra\/probe': namespace 'extra' enforces 'restricted', and containers\[0\] \(probe\) is privileged/,
    fix: /namespace: \{ name: 'extra', podSecurity: 'privileged' \}/,
  },
  {
    name: 'hostNetwork in an unlabelled namespace on Talos (admission default baseline)',
    build: () => lab({ extra: add([deployment('dns', { pod: { hostNetwork: true } })], { namespace: 'default', group: 'extra' }) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'spec.template.spec.hostNetwork',
    message: /namespace 'default' has no enforce label, so talos's admission default 'baseline' applies, and hostNetwork: true/,
    fix: /move it to a namespace the cluster creates, with podSecurity: 'privileged'/,
  },
  // ---------------------------------------------------------------- issue 19: what the API server, the kubelet or the image would refuse
  {
    name: 'node label the kubelet sets itself (kubernetes.io/hostname)',
    build: () => lab({ cluster: { nodes: labNodes(1, { labels: { 'kubernetes.io/hostname': 'x' } }) } }),
    cluster: 'lab', path: 'lab', field: 'nodes[1].labels.kubernetes.io/hostname', message: /is set by the kubelet from the machine itself/,
  },
  {
    name: 'node role label on Talos (NodeRestriction refuses it)',
    build: () => lab({ cluster: { nodes: labNodes(1, { labels: { 'node-role.kubernetes.io/storage': '' } }) } }),
    cluster: 'lab', path: 'lab', field: 'nodes[1].labels.node-role.kubernetes.io/storage', message: /in a namespace the kubelet may not set: talos applies node labels with the node's own identity/,
    fix: /use your own prefix/,
  },
  {
    name: 'App env: a URL with a password in it',
    build: () => lab({ extra: app({ env: { DB_URL: 'postgres://u:hunter2@db:5432/x' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'env.DB_URL', message: /is a URL with a password in it/, fix: /\$\(DB_PASSWORD\)/,
  },
  {
    name: 'App env: a *_SECRET_KEY given as plaintext',
    build: () => lab({ extra: app({ env: { DJANGO_SECRET_KEY: 'abcdef123456' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'env.DJANGO_SECRET_KEY', message: /looks like a credential but is given as a plaintext value/,
  },
  ...(['kube-system', 'flux-system', 'default'] as const).map((ns): BadInput => ({
    name: `App in ${ns}`,
    build: () => lab({ extra: app({ namespace: ns }) }),
    cluster: 'lab', path: 'lab/web2', field: 'namespace', message: new RegExp(`app 'web2' would run in '${ns}', a namespace the cluster does not create`), fix: /namespace: 'web2'/,
  })),
  {
    name: 'namespace label overriding the Pod Security level',
    build: () => lab({ extra: app({ namespace: { name: 'web2', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'namespace.labels.pod-security.kubernetes.io/enforce', message: /would be overwritten/, fix: /podSecurity: 'privileged'/,
  },
  {
    name: 'invalid annotation key',
    build: () => lab({ extra: app({ podAnnotations: { 'bad key!': 'x' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'podAnnotations.bad key!', message: /annotation key 'bad key!' is invalid/,
  },
  {
    name: 'uppercase image repository',
    build: () => lab({ extra: app({ image: { repository: 'ghcr.io/Example/App', tag: '1.0.0' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'image.repository', message: /has uppercase letters/, fix: /'ghcr.io\/example\/app'/,
  },
  {
    name: 'negative grace period',
    build: () => lab({ extra: app({ terminationGracePeriodSeconds: -5 }) }),
    cluster: 'lab', path: 'lab/web2', field: 'terminationGracePeriodSeconds', message: /-5 is not a grace period/,
  },
  {
    name: 'two sidecars with one name',
    build: () => lab({ extra: app({ sidecars: [{ name: 's', image: IMAGE }, { name: 's', image: IMAGE }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'containers.s', message: /two containers of the pod are named 's'/,
  },
  {
    name: 'probe period of 0',
    build: () => lab({ extra: app({ probes: { liveness: { http: { path: '/' }, periodSeconds: 0 } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.liveness.periodSeconds', message: /periodSeconds 0 is out of range/,
  },
  {
    name: 'probe with two handlers',
    build: () => lab({ extra: app({ probes: { readiness: { http: { path: '/' }, exec: ['true'] } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.readiness', message: /names http and exec; a probe has exactly one handler/, fix: /keep one of 'http', 'exec'/,
  },
  {
    name: "probe on a sidecar's port",
    build: () => lab({ extra: app({ sidecars: [{ name: 'exporter', ports: [{ name: 'metrics', port: 9100 }] }], probes: { liveness: { tcp: { port: 'metrics' } } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.liveness.tcp.port', message: /port 'metrics', which this container does not declare/, fix: /use one of: http/,
  },
  {
    name: 'hostUsers false on the host network',
    build: () => lab({ extra: app({ security: { hostUsers: false, hostNetwork: { reason: 'mDNS discovery' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'security.hostUsers', message: /hostUsers: false cannot be combined with hostNetwork/, fix: /drop hostUsers: false, or run the app on the pod network/,
  },
  {
    name: 'a non-root app on port 80 on the host network',
    build: () => lab({ extra: app({ ports: [{ name: 'http', port: 80 }], security: { hostNetwork: { reason: 'mDNS discovery' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'ports', message: /http \(80\) is below 1024 on the node's network/, fix: /move the port to 1024 or above/,
  },
  {
    name: 'a further Service publishing a port the app does not have',
    build: () => lab({ extra: app({ services: [{ name: 'lan', ports: ['mqtt'] }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'services[0].ports[0]', message: /the app has no port 'mqtt'/, fix: /use one of: http/,
  },
  {
    name: 'a further Service name given twice',
    build: () => lab({ extra: app({ services: [{ name: 'lan', ports: ['http'] }, { name: 'lan', type: 'NodePort', ports: ['http'] }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'services[1].name', message: /service 'lan' is given twice/, fix: /give each Service its own name/,
  },
  {
    name: "the image's own user and a uid at once",
    build: () => lab({ extra: app({ security: { runAsImageUser: true, runAsUser: 1000 } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'security.runAsImageUser', message: /runAsImageUser keeps the image's own user, but runAsUser is set too/, fix: /drop one/,
  },
  {
    name: 'a USB device on no node',
    build: () => lab({ extra: app({ devices: [{ path: '/dev/ttyUSB0', reason: 'Zigbee coordinator' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'devices[0].node', message: /device \/dev\/ttyUSB0 names no node: the pod must be pinned to the node the device is plugged into/, fix: /node: '<node name>' or nodeLabel/,
  },
  {
    name: 'half a GPU',
    build: () => lab({ extra: app({ resources: { extended: { 'gpu.intel.com/i915': '0.5' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'resources.extended.gpu.intel.com/i915', message: /'0.5' is not a whole number of devices/, fix: /ask for whole devices/,
  },
  {
    name: 'a CronJob with a six-field schedule',
    build: () => lab({ extra: app({ ports: [], workload: { kind: 'CronJob', schedule: '0 30 3 * * *' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'workload.schedule', message: /schedule '0 30 3 \* \* \*' is not a cron expression/, fix: /write five fields/,
  },
  {
    name: 'a sidecar in a Job',
    build: () => lab({ extra: app({ ports: [], workload: { kind: 'Job' }, sidecars: [{ name: 'proxy' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'sidecars', message: /a sidecar would keep the Job's pod running/, fix: /make it a native sidecar/,
  },
  {
    name: 'a file given by a relative path',
    build: () => lab({ extra: app({ files: [{ path: 'config/app.yaml', content: 'a: 1\n' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'files[0].path', message: /file path 'config\/app.yaml' is not an absolute file path/, fix: /write the file's full path/,
  },
  {
    name: 'restartPolicy on a sidecar',
    build: () => lab({ extra: app({ sidecars: [{ name: 'log', restartPolicy: 'Always' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'containers.log.restartPolicy', message: /sidecar 'log' sets restartPolicy, which only init containers take/, fix: /move the container to initContainers/,
  },
  {
    name: 'liveness probe with successThreshold 2',
    build: () => lab({ extra: app({ probes: { liveness: { exec: ['true'], successThreshold: 2 } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.liveness.successThreshold', message: /the liveness probe's successThreshold must be 1/, fix: /set it on the readiness probe/,
  },
  {
    name: 'gRPC probe by port name',
    build: () => lab({ extra: app({ probes: { readiness: { grpc: { port: 0 } } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.readiness.grpc.port', message: /gRPC probe port 0 is not a port number/, fix: /1–65535/,
  },
  {
    name: 'TCP probe on a UDP port',
    build: () => lab({ extra: app({ ports: [...HTTP, { name: 'dns', port: 53, protocol: 'UDP' }], probes: { liveness: { tcp: { port: 'dns' } } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.liveness.tcp.port', message: /connects over TCP to port 'dns', which is UDP/, fix: /use an exec probe/,
  },
  {
    name: 'empty exec probe',
    build: () => lab({ extra: app({ probes: { startup: { exec: [] } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'probes.startup.exec', message: /the probe command is empty/, fix: /give the command/,
  },
  {
    name: 'a sidecar probe without a handler',
    build: () => lab({ extra: app({ sidecars: [{ name: 'exporter', ports: [{ name: 'metrics', port: 9100 }], probes: { readiness: { periodSeconds: 5 } } }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'containers.exporter.probes.readiness', message: /names no handler, and this container has no derived one/, fix: /give one: http/,
  },
  {
    name: 'runAsImageUser for an image whose user is root',
    build: () => lab({ extra: app({ image: { ...IMAGE, runtime: { source: 'test', user: { uid: 0, gid: 0 } } }, security: { runAsImageUser: true } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'security.runAsImageUser', message: /runs as root when the pod sets no user/, fix: /give a uid instead/,
  },
  {
    name: 'a device path outside /dev',
    build: () => lab({ extra: app({ devices: [{ path: '/srv/zigbee', node: 'w1', reason: 'Zigbee' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'devices[0].path', message: /device path '\/srv\/zigbee' is not under \/dev/, fix: /\/dev\/serial\/by-id/,
  },
  {
    name: 'a device without a reason',
    build: () => lab({ extra: app({ devices: [{ path: '/dev/ttyUSB0', node: 'w1', reason: '' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'devices[0].reason', message: /device \/dev\/ttyUSB0 needs a reason: it makes the pod privileged/, fix: /say what the app does with it/,
  },
  {
    name: 'devices on two nodes',
    build: () => lab({ extra: app({ devices: [{ path: '/dev/ttyUSB0', node: 'w1', reason: 'Zigbee' }, { path: '/dev/ttyACM0', node: 'cp', reason: 'Z-Wave' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'devices', message: /a pod runs on one node/, fix: /plug the devices into one node/,
  },
  {
    name: 'a device on a node the cluster lacks',
    build: () => lab({ extra: app({ devices: [{ path: '/dev/ttyUSB0', node: 'nuc', reason: 'Zigbee' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'devices', message: /no node of cluster 'lab' matches/, fix: /name a node of the cluster/,
  },
  {
    name: 'an extended resource without a domain',
    build: () => lab({ extra: app({ resources: { extended: { gpu: '1' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'resources.extended.gpu', message: /'gpu' is not an extended resource name/, fix: /gpu.intel.com\/i915/,
  },
  {
    name: 'replicas on a DaemonSet',
    build: () => lab({ extra: app({ workload: 'DaemonSet', replicas: 2 }) }),
    cluster: 'lab', path: 'lab/web2', field: 'replicas', message: /a DaemonSet has no replica count/, fix: /narrow the nodes with nodeSelector/,
  },
  {
    name: 'a DaemonSet on a ReadWriteOnce claim',
    build: () => lab({ extra: app({ workload: 'DaemonSet', persistence: { data: { type: 'existingClaim', claimName: 'data', mountPath: '/data' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'persistence.data', message: /can be attached to one node only/, fix: /ReadWriteMany storage/,
  },
  // ---------------------------------------------------------------- App routes (several hostnames, path rules, headers)
  {
    name: 'a route rule to a port the app does not have',
    build: () => lab({ extra: app({ routes: [{ hostnames: ['web2'], expose: 'internal', rules: [{ path: '/' }, { path: '/api', port: 'api' }] }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].rules[1].port', message: /no port named 'api'/, fix: /use one of the Service's ports: http/,
  },
  {
    name: 'a route without hostnames',
    build: () => lab({ extra: app({ routes: [{ hostnames: [], expose: 'internal' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].hostnames', message: /route 'web2-route-1' lists no hostname/, fix: /hostnames: \['web2'\]/,
  },
  {
    name: 'a route hostname outside the cluster domain',
    build: () => lab({ extra: app({ routes: [{ hostnames: ['web2', 'photos.other.org'], expose: 'internal' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].hostnames[1]', message: /hostname 'photos.other.org' is outside the cluster's domain 'lab.example.com'/, fix: /photos.lab.example.com/,
  },
  {
    name: 'a route with an empty rule list',
    build: () => lab({ extra: app({ routes: [{ hostnames: ['web2'], expose: 'internal', rules: [] }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].rules', message: /route routes\[0\] lists no rule/, fix: /leave rules out/,
  },
  {
    name: 'two route rules for one path',
    build: () => lab({ extra: app({ routes: [{ hostnames: ['web2'], expose: 'internal', rules: [{ path: '/api' }, { path: '/api', match: 'PathPrefix' }] }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].rules[1].path', message: /rules\[0\] and rules\[1\] both match PathPrefix '\/api'/, fix: /give each path one rule/,
  },
  {
    name: 'a route path that is not absolute',
    build: () => lab({ extra: app({ routes: [{ hostnames: ['web2'], expose: 'internal', rules: [{ path: 'api' }] }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].rules[0].path', message: /path "api" is not an absolute URL path/, fix: /start it with '\/'/,
  },
  {
    name: 'a route header both set and removed',
    build: () => lab({ extra: app({ routes: [{ hostnames: ['web2'], expose: 'internal', headers: { request: { set: { 'X-User': 'me' }, remove: ['x-user'] } } }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].headers.request.remove[0]', message: /header 'x-user' is changed twice in the request/, fix: /set replaces, add appends, remove deletes/,
  },
  {
    name: 'route header filters on an ingress-nginx cluster',
    build: () => lab({ extra: (c) => { new IngressNginx(c, 'ingress'); app({ routes: [{ hostnames: ['web2'], expose: 'internal', headers: { response: { remove: ['Server'] } } }] })(c); } }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].headers', message: /cluster 'lab' serves routes with ingress-nginx, which cannot set or remove headers per Ingress/, fix: /move the cluster to Traefik or Gateways/,
  },
  {
    name: 'a route header appended on a Traefik cluster',
    build: () => lab({ extra: (c) => { new Traefik(c, 'traefik'); app({ routes: [{ hostnames: ['web2'], expose: 'internal', headers: { request: { add: { 'X-Tag': 'a' } } } }] })(c); } }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].headers.request.add', message: /cluster 'lab' serves routes with Traefik, whose Headers middleware can only set/, fix: /use request.set instead/,
  },
  {
    name: 'a route label the library sets',
    build: () => lab({ extra: (c) => { new IngressNginx(c, 'ingress'); app({ routes: [{ hostnames: ['web2'], expose: 'internal', labels: { 'homelab/exposure': 'public' } }] })(c); } }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].labels.homelab/exposure', message: /label 'homelab\/exposure' is set by the library on route 'web2-route-1'/, fix: /leave 'homelab\/exposure' out/,
  },
  {
    name: 'a route annotation the library sets',
    build: () => lab({ extra: (c) => {
      new IngressNginx(c, 'ingress');
      new Cloudflared(c, 'cloudflared', { tunnel: { mode: 'remote', tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef', token: { name: 'tunnel-token' } } });
      app({ routes: [{ hostnames: ['web2'], expose: 'public', annotations: { 'external-dns.alpha.kubernetes.io/target': 'home.example.net' } }] })(c);
    } }),
    cluster: 'lab', path: 'lab/web2', field: 'routes[0].annotations.external-dns.alpha.kubernetes.io/target', message: /annotation 'external-dns.alpha.kubernetes.io\/target' is set by the library on route 'web2-route-1' \(to '6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com'\)/, fix: /leave 'external-dns.alpha.kubernetes.io\/target' out/,
  },
  {
    name: 'routes on a Job',
    build: () => lab({ extra: app({ workload: { kind: 'Job' }, routes: [{ hostnames: ['web2'], expose: 'internal' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'routes', message: /a Job's pods run to completion, so nothing can be routed to them/, fix: /remove routes/,
  },
  {
    name: 'hostname aliases on an app that is not exposed',
    build: () => lab({ extra: app({ aliases: ['www.lab.example.com'] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'aliases', message: /aliases are set but expose is 'none'/, fix: /set expose to 'internal' or 'public'/,
  },
  {
    name: 'a heavy DaemonSet',
    build: () => lab({ extra: app({ workload: 'DaemonSet', heavy: true }) }),
    cluster: 'lab', path: 'lab/web2', field: 'heavy', message: /a DaemonSet cannot be stopped by the scale-down profile/, fix: /use a Deployment/,
  },
  {
    name: 'spread on a CronJob',
    build: () => lab({ extra: app({ ports: [], workload: { kind: 'CronJob', schedule: '@daily' }, spread: {} }) }),
    cluster: 'lab', path: 'lab/web2', field: 'spread', message: /a CronJob's pods are not spread/, fix: /drop spread/,
  },
  {
    name: 'an exposed Job',
    build: () => lab({ extra: app({ workload: { kind: 'Job' }, expose: 'internal' }) }),
    cluster: 'lab', path: 'lab/web2', field: 'expose', message: /a Job's pods run to completion, so nothing can be routed to them/, fix: /expose: 'none'/,
  },
  {
    name: 'metrics on a CronJob',
    build: () => lab({ extra: app({ workload: { kind: 'CronJob', schedule: '@daily' }, metrics: { port: 'http' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'metrics', message: /a CronJob has no Service to scrape/, fix: /Pushgateway/,
  },
  {
    name: 'a CronJob time zone that is not IANA',
    build: () => lab({ extra: app({ ports: [], workload: { kind: 'CronJob', schedule: '@daily', timeZone: 'CET summer' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'workload.timeZone', message: /'CET summer' is not an IANA time zone name/, fix: /Europe\/Berlin/,
  },
  {
    name: 'a CronJob schedule with an inline time zone',
    build: () => lab({ extra: app({ ports: [], workload: { kind: 'CronJob', schedule: 'CRON_TZ=UTC 0 3 * * *' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'workload.schedule', message: /sets its time zone inline/, fix: /give it as timeZone/,
  },
  {
    name: 'a negative Job backoff limit',
    build: () => lab({ extra: app({ ports: [], workload: { kind: 'Job', backoffLimit: -1 } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'workload.backoffLimit', message: /backoffLimit -1 is out of range/, fix: /≥ 0/,
  },
  {
    name: 'one file path twice',
    build: () => lab({ extra: app({ files: [{ path: '/etc/app.conf', content: 'a' }, { path: '/etc/app.conf', content: 'b' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'files[1].path', message: /'\/etc\/app.conf' is given twice/, fix: /give each file once/,
  },
  {
    name: 'a file where a volume is mounted',
    build: () => lab({ extra: app({ files: [{ path: '/data', content: 'a' }], persistence: { data: { type: 'emptyDir', mountPath: '/data' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'files[0].path', message: /'\/data' is also the mount path of a volume/, fix: /inside the volume's directory/,
  },
  {
    name: 'a file mode out of range',
    build: () => lab({ extra: app({ files: [{ path: '/etc/app.conf', content: 'a', mode: 0o1777 }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'files[0].mode', message: /is not a file mode/, fix: /0o444/,
  },
  {
    name: 'files over 1 MiB',
    build: () => lab({ extra: app({ files: [{ path: '/etc/big', content: 'x'.repeat(1024 * 1024 + 1) }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'files', message: /more than a ConfigMap's 1 MiB/, fix: /in the image or on a volume/,
  },
  {
    name: "a volume named like the files' volume",
    build: () => lab({ extra: app({ files: [{ path: '/etc/app.conf', content: 'a' }], persistence: { 'config-files': { type: 'emptyDir', mountPath: '/x' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'persistence.config-files', message: /'config-files' is the volume the files are mounted from/, fix: /rename the volume/,
  },
  {
    name: "a volume named like a device's",
    build: () => lab({ extra: app({ devices: [{ path: '/dev/ttyUSB0', node: 'w1', reason: 'Zigbee' }], persistence: { 'device-0': { type: 'emptyDir', mountPath: '/x' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'persistence.device-0', message: /is the one of devices\[0\]/, fix: /rename the volume/,
  },
  {
    name: 'toleration with operator Exists and a value',
    build: () => lab({ extra: app({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }) }),
    cluster: 'lab', path: 'lab/web2', field: 'tolerations[0].value', message: /operator Exists matches any value/,
  },
  {
    name: 'health-check path without a leading slash',
    build: () => lab({ extra: app({ healthCheck: { path: 'healthz' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'healthCheck.path', message: /does not start with '\/'/, fix: /'\/healthz'/,
  },
  {
    name: 'NFS server written as host:/path',
    build: () => lab({ extra: app({ persistence: { media: { type: 'nfs', server: 'nas:/volume1', path: '/media', mountPath: '/media' } } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'persistence.media.server', message: /NFS server 'nas:\/volume1' is not a host name/, fix: /server: 'nas', path: '\/volume1'/,
  },
  {
    name: 'replicas Infinity (through as any)',
    build: () => lab({ extra: app({ replicas: Infinity }) }),
    cluster: 'lab', path: 'lab/web2', field: 'replicas', message: /replicas must be a whole number, not Infinity/,
  },
  {
    name: 'ports given as a string (through as any)',
    build: () => lab({ extra: app({ ports: '8080' }) }),
    cluster: 'lab', path: 'lab/web2', field: 'ports', message: /ports must be a list, not the string '8080'/,
  },
  {
    name: 'a misspelled App prop (through as any)',
    build: () => lab({ extra: app({ replica: 2 }) }),
    cluster: 'lab', path: 'lab/web2', field: 'replica', message: /replica is not a known field \(did you mean 'replicas'\?\)/,
  },
  {
    name: 'a nested prop of the wrong type (through as any)',
    build: () => lab({ extra: app({ resources: { memoryLimit: 512 } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'resources.memoryLimit', message: /resources\.memoryLimit must be a string, not 512/,
  },
  {
    name: 'Git branch with a space',
    build: () => lab({ cluster: { git: { ...labProps().git, branch: 'my branch' } } }),
    cluster: 'lab', path: 'lab', field: 'git.branch', message: /'my branch' is not a valid Git branch name/,
  },
  {
    name: 'scp-style SSH Git URL',
    build: () => lab({ cluster: { git: { ...labProps().git, url: 'git@github.com:me/homelab.git' } } }),
    cluster: 'lab', path: 'lab', field: 'git.url', message: /is not an https:\/\/ or ssh:\/\/ URL/, fix: /ssh:\/\/git@host\/owner\/repo/,
  },
  {
    name: 'Flux version latest',
    build: () => lab({ cluster: { flux: { version: 'latest' } as any } }),
    cluster: 'lab', path: 'lab', field: 'flux.version', message: /Flux version 'latest' is not an exact release/,
  },
  {
    name: 'VIP on the broadcast address',
    build: () => lab({ cluster: { network: { nodeCidr: '10.0.50.0/24', vip: '10.0.50.255' } } }),
    cluster: 'lab', path: 'lab', field: 'network.vip', message: /broadcast address of 10\.0\.50\.0\/24/,
  },
  {
    name: 'node IP with a leading zero (a duplicate in disguise)',
    build: () => lab({ cluster: { nodes: labNodes(2, { ip: '10.0.50.010' }) } }),
    cluster: 'lab', path: 'lab', field: 'nodes[2].ip', message: /'10\.0\.50\.010' is not an IPv4 address/, fix: /without leading zeros/,
  },
  {
    name: 'taint with an effect Kubernetes does not know',
    build: () => lab({ cluster: { nodes: labNodes(1, { taints: [{ key: 'homelab.arpa/gpu', effect: 'Never' }] }) } }),
    cluster: 'lab', path: 'lab', field: 'nodes[1].taints[0].effect', message: /taint effect 'Never' is not one Kubernetes knows/,
  },
  {
    name: 'App image on the moving tag stable',
    build: () => lab({ extra: app({ image: { repository: 'ghcr.io/example/app', tag: 'stable' } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'image.tag', message: /uses the moving tag 'stable'/,
  },
  {
    name: 'a Secret reference with an invalid name',
    build: () => lab({ extra: app({ env: { TOKEN: { secretKeyRef: { name: 'My_Secret', key: 'token' } } } }) }),
    cluster: 'lab', path: 'lab/web2 (clusters/lab/web2/web2/app/deployment.yaml)', field: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef', message: /'My_Secret' .* is not a valid Secret name/, fix: /'my-secret'/,
  },
  {
    name: 'a newline in the cluster description',
    build: () => lab({ cluster: { description: 'home\nlab' } }),
    cluster: 'lab', path: 'lab', field: 'description', message: /spans several lines/,
  },
  {
    name: 'a newline in the cluster source file name',
    build: () => lab({ cluster: { sourceFile: 'src/clusters/lab\n.ts' } }),
    cluster: 'lab', path: 'lab', field: 'sourceFile', message: /spans several lines/,
  },
  {
    name: 'App props undefined (through as any)',
    build: () => lab({ extra: (c) => { new App(c, 'web2', undefined as any); } }),
    cluster: 'lab', path: 'lab/web2', field: 'props', message: /an App needs its props, got undefined/,
  },
  {
    name: 'App spread with a skew of 0',
    build: () => lab({ extra: app({ spread: { maxSkew: 0 } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'spread.maxSkew', message: /0 is not a skew/,
  },
  {
    name: 'App dnsConfig nameserver given as a host name',
    build: () => lab({ extra: app({ dnsConfig: { nameservers: ['dns.lan'] } }) }),
    cluster: 'lab', path: 'lab/web2', field: 'dnsConfig.nameservers[0]', message: /'dns\.lan' is not an IP address/,
  },
  {
    name: 'an App created in a finalize hook',
    build: () => lab({ extra: (c) => c.onPhase('finalize', () => { new App(c, 'late', { image: IMAGE, ports: HTTP }); }) }),
    cluster: 'lab', path: 'lab', field: 'component.late', message: /created during the 'finalize' phase: the wire phase is over/,
  },
  {
    name: 'layered layout: a component folder clashing with the CRD-dependent part of another',
    build: () => lab({ cluster: { flux: { layout: 'layered' } }, extra: (c) => {
      const cm = rawComponent(c, { name: 'cert-manager', namespace: 'cert-manager' }, [{ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'self' }, spec: { selfSigned: {} } }]);
      new ChartRelease(cm, 'chart', { chart: 'cert-manager', values: { crds: { enabled: true } } });
      cm.provide(crdGroup('cert-manager.io'));
      rawComponent(c, { name: 'cert-manager-config', namespace: 'cert-manager', layer: 'apps' }, [configMap('x')]);
    } }),
    cluster: 'lab', path: 'lab/cert-manager', field: 'name', message: /would be written to clusters\/lab\/apps\/cert-manager\/cert-manager-config\/, which already holds component 'cert-manager-config'/,
  },
  // ---------------------------------------------------------------- data loss and strictness
  {
    name: 'removing a PersistentVolumeClaim',
    build: () => lab({ withoutClaim: true }),
    cluster: 'lab', path: 'lab (clusters/lab/web/web/app/persistentvolumeclaim.yaml)', field: 'allowDataLoss', message: /PersistentVolumeClaim 'web\/web-data' holds data and would be removed/,
    fix: /allowDataLoss: \['PersistentVolumeClaim\/web\/web-data'\].*--allow-data-loss=PersistentVolumeClaim\/web\/web-data/,
  },
  {
    name: 'a container running as root under --strict',
    argv: ['--strict'],
    build: () => lab({ extra: add([deployment('legacy', { pod: { securityContext: {} } })], { namespace: { name: 'extra', podSecurity: 'baseline' } }) }),
    cluster: 'lab', path: extraFile('deployment.yaml'), field: 'runs-as-root', message: /containers\[0\] may run as root/, fix: /synth without --strict/,
  },
  // ---------------------------------------------------------------- data: several PostgreSQL clusters, secret stores
  {
    name: 'a second default PostgresCluster',
    build: () => lab({ extra: (c) => { new CloudNativePg(c, 'cnpg'); new PostgresCluster(c, 'postgres'); new PostgresCluster(c, 'immich-db'); } }),
    cluster: 'lab', path: 'lab/immich-db', field: 'registerService', message: /already has a default PostgreSQL cluster \('postgres'\), and this one would be a second default/,
    fix: /set registerService: false on 'immich-db' and bind its consumers by name/,
  },
  {
    name: 'a database asked of a PostgreSQL cluster that does not exist',
    build: () => lab({ extra: (c, { web }) => { new CloudNativePg(c, 'cnpg'); new PostgresCluster(c, 'postgres'); requestDatabase(web, 'web', { cluster: 'photos' }); } }),
    cluster: 'lab', path: 'lab/web', field: 'database.cluster', message: /asks PostgreSQL cluster 'photos' for database 'web', but cluster 'lab' has only 'postgres'/,
    fix: /name one of 'postgres'/,
  },
  {
    name: 'a PostgreSQL parameter CloudNativePG manages itself',
    build: () => lab({ extra: (c) => { new CloudNativePg(c, 'cnpg'); new PostgresCluster(c, 'postgres', { parameters: { archive_mode: 'off' } }); } }),
    cluster: 'lab', path: 'lab/postgres', field: 'parameters.archive_mode', message: /'archive_mode' is managed by CloudNativePG itself and its webhook refuses it/,
  },
  {
    name: 'shared_preload_libraries among the PostgreSQL parameters',
    build: () => lab({ extra: (c) => { new CloudNativePg(c, 'cnpg'); new PostgresCluster(c, 'postgres', { parameters: { shared_preload_libraries: 'vchord.so' } }); } }),
    cluster: 'lab', path: 'lab/postgres', field: 'parameters.shared_preload_libraries', message: /CloudNativePG refuses shared_preload_libraries among the parameters/,
    fix: /sharedPreloadLibraries: \['vchord.so'\]/,
  },
  {
    name: 'a PostgreSQL imageName without a tag',
    build: () => lab({ extra: (c) => { new CloudNativePg(c, 'cnpg'); new PostgresCluster(c, 'postgres', { imageName: 'ghcr.io/tensorchord/cloudnative-vectorchord' }); } }),
    cluster: 'lab', path: 'lab/postgres', field: 'imageName', message: /'ghcr.io\/tensorchord\/cloudnative-vectorchord' has no tag/,
  },
  {
    name: 'a database extension listed twice',
    build: () => lab({ extra: (c, { web }) => { new CloudNativePg(c, 'cnpg'); new PostgresCluster(c, 'postgres'); requestDatabase(web, 'web', { extensions: [{ name: 'vector' }, { name: 'vector' }] }); } }),
    cluster: 'lab', path: 'lab/web', field: 'database.extensions[1].name', message: /extension 'vector' is listed twice/,
  },
  {
    name: 'a second default secret store',
    build: () => lab({ extra: (c) => {
      const eso = new ExternalSecrets(c, 'external-secrets', { store: false });
      new VaultSecretStore(c, 'vault', { operator: eso, server: 'https://vault.lab.example.com:8200', auth: { token: {} } });
      new OnePasswordConnectStore(c, 'onepassword', { operator: eso, connectHost: 'http://op-connect.lab.example.com:8080', vaults: ['lab'] });
    } }),
    cluster: 'lab', path: 'lab/onepassword', field: 'registerService', message: /already has a default secret store \('vault'\), and 'onepassword' would be a second default/,
    fix: /set registerService: false on 'onepassword'/,
  },
  {
    name: 'an ExternalSecret asked of a store that does not exist',
    build: () => lab({ extra: (c, { web }) => {
      const eso = new ExternalSecrets(c, 'external-secrets', { store: false });
      new VaultSecretStore(c, 'vault', { operator: eso, server: 'https://vault.lab.example.com:8200', auth: { token: {} } });
      requestExternalSecret(web, 'web-token', { token: { key: 'apps/web' } }, { store: 'onepassword' });
    } }),
    cluster: 'lab', path: 'lab/web', field: 'externalSecrets.web-token.store', message: /asks ClusterSecretStore 'onepassword' for Secret 'web-token', but cluster 'lab' has only 'vault'/,
    fix: /name one of 'vault'/,
  },
  {
    name: 'a Bitwarden store without the SDK server',
    build: () => lab({ extra: (c) => {
      const eso = new ExternalSecrets(c, 'external-secrets', { store: false });
      new BitwardenSecretsManagerStore(c, 'bitwarden', { operator: eso, organizationID: '11111111-2222-3333-4444-555555555555', projectID: '66666666-7777-8888-9999-000000000000' });
    } }),
    cluster: 'lab', path: 'lab/bitwarden', field: 'operator', message: /needs the Bitwarden SDK server, but 'external-secrets' does not run it/,
    fix: /bitwardenSdkServer: true/,
  },
  {
    name: 'a 1Password store without vaults',
    build: () => lab({ extra: (c) => {
      const eso = new ExternalSecrets(c, 'external-secrets', { store: false });
      new OnePasswordConnectStore(c, 'onepassword', { operator: eso, connectHost: 'http://op-connect.lab.example.com:8080', vaults: [] });
    } }),
    cluster: 'lab', path: 'lab/onepassword', field: 'vaults', message: /1Password store 'onepassword' lists no usable vault/,
  },
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bad input: one clear error, nothing written', () => {
  let goodRoot: string;
  let good: Map<string, string>;

  beforeAll(() => {
    goodRoot = tempRoot('bad-input-');
    synthesize(lab(), { root: goodRoot });
    good = readTree(goodRoot);
  });

  test(`bad-input table: ${CASES.length} cases`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(good.size).toBeGreaterThan(10);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const root = c.files ? copyRoot(goodRoot) : goodRoot;
    for (const [path, content] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    const before = readTree(root);
    const { code, out } = cli(c.argv ?? [], c.build, root);
    expect(code).toBe(1);
    expect(out).toContain('nothing was written');
    const head = new RegExp(`^\\[${escape(c.cluster)}\\] ${escape(c.path)}.* › ${escape(c.field)}: .*`, 'm');
    const lines = out.split('\n');
    const i = lines.findIndex((l) => head.test(l) && c.message.test(l));
    if (i < 0) throw new Error(`expected a problem [${c.cluster}] ${c.path} › ${c.field}: ${c.message}, got:\n${out}`);
    expect(lines[i + 1]).toMatch(/^ {4}fix: \S/);
    if (c.fix) expect(lines[i + 1]).toMatch(c.fix);
    expect(out).not.toMatch(/\n\s+at .*:\d+:\d+\)?$/m);
    expect([...readTree(root)]).toEqual([...before]);
    if (!c.files) expect([...before]).toEqual([...good]);
  });

  test('every mistake of one run is listed at once, and the library throws a SynthError carrying them', () => {
    const estate = lab({
      cluster: { network: { nodeCidr: '10.0.50.0/24', vip: '10.0.51.50' } },
      extra: add([deployment('blog', { image: 'ghost:latest' }), service('blog'), ingress('blog', 'blog.other.org')]),
    });
    let error: unknown;
    try {
      synthesize(estate, { root: goodRoot });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).problems.map((p) => p.field)).toEqual(expect.arrayContaining(['network.vip', 'spec.template.spec.containers[0].image', 'spec.rules[0].host']));
    expect([...readTree(goodRoot)]).toEqual([...good]);
  });

  test('a fix line follows every problem, and problems name the cluster they belong to', () => {
    const { out } = cli([], () => lab({ cluster: { git: { url: '' } }, extra: add([deployment('x', { image: 'a' })]) }), goodRoot);
    const problems = out.split('\n').filter((l) => l.startsWith('['));
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const p of problems) expect(p).toMatch(/^\[lab\] lab/);
  });
});
