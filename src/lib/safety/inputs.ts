import { LOAD_BALANCER } from '../estate/capabilities.js';
import { HomelabCluster } from '../estate/cluster.js';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { isRouteHostname, routeHostInDomain } from '../estate/hostnames.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { closestName } from '../validation/suggest.js';
import { IpRange, parseIpRange, parseIpv4, parseSubnet, rangeContains } from '../estate/ip.js';
import { apiGroup, containersOf, Manifest, podTemplateOf } from '../tree/manifests.js';
import { Reporter } from './report.js';

/**
 * Checks on a cluster's rendered tree that catch user mistakes no single construct can see:
 * unpinned images and charts, hostnames outside the domain or served twice, LoadBalancer IPs
 * duplicated or outside every pool, port collisions, more Longhorn replicas than nodes, and
 * cluster settings naming namespaces that do not exist. Every finding is an error, except an
 * empty cluster (a warning, fatal under `--strict`).
 */
export function checkInputs(tree: ClusterTree): void {
  const r = new Reporter(tree.cluster);
  const manifests = tree.manifests.filter((m) => m.object.apiVersion !== 'kustomize.config.k8s.io/v1beta1');
  // A cluster with no nodes is an error of the model; one without components is a warning that
  // fails --strict (CI), so a cluster can be declared before its components land.
  if (tree.cluster.components.length === 0) {
    r.warn(tree.cluster, 'empty-cluster', `cluster '${tree.cluster.name}' has no components: Flux would run there with nothing to reconcile; add a platform or app component, or remove the cluster from src/clusters/index.ts`);
  }
  checkPins(manifests, r);
  checkHostnames(tree.cluster, manifests, r);
  checkLoadBalancerIps(tree.cluster, manifests, r);
  checkLoadBalancerImplementation(tree.cluster, manifests, r);
  checkPorts(manifests, r);
  checkLonghornReplicas(tree.cluster, manifests, r);
  checkClusterNamespaces(tree, r);
}

// ---------------------------------------------------------------------------------------------
// Pins

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Why an image reference is not pinned, or `undefined` when it is (a tag other than latest, or a digest). */
export function imagePinProblem(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'has no tag, so it means :latest';
  const tag = image.slice(colon + 1);
  if (tag === '' ) return 'has an empty tag';
  if (tag === 'latest') return 'uses the moving tag :latest';
  return undefined;
}

function checkPins(manifests: RenderedManifest[], r: Reporter): void {
  for (const m of manifests) {
    const o = m.object;
    const t = podTemplateOf(o);
    if (t) {
      for (const { container, at } of containersOf(t.spec)) {
        const why = typeof container.image === 'string' ? imagePinProblem(container.image) : 'is missing';
        if (why && !r.alreadyReported(`'${container.image}'`)) r.error(m, `${t.at}.${at}.image`, `image '${container.image ?? ''}' of ${o.kind} '${o.metadata?.name}' ${why}`, 'pin an exact version tag (or digest) in an exported const with a renovate comment above it');
      }
    }
    if (o.kind === 'HelmRelease' && apiGroup(o) === 'helm.toolkit.fluxcd.io') {
      const spec = o.spec?.chart?.spec;
      if (spec && (typeof spec.version !== 'string' || !EXACT_SEMVER.test(spec.version))) {
        r.error(m, 'spec.chart.spec.version', `HelmRelease '${o.metadata?.name}' does not pin chart '${spec.chart}' to an exact version (${spec.version === undefined ? 'no version: Flux takes the newest' : `'${spec.version}'`})`, 'use the version pinned in imports/charts.ts (ChartRelease does this)');
      }
      walkValues(o.spec?.values, 'spec.values', (path, value, parent) => {
        if (path.endsWith('.tag') && (value === 'latest' || value === '') && typeof parent?.repository === 'string') {
          r.error(m, path, `HelmRelease '${o.metadata?.name}' sets image tag ${JSON.stringify(value)} for '${parent.repository}'`, 'pin an exact version tag in an exported const with a renovate comment');
        } else if (/(^|\.)image$/.test(path) && typeof value === 'string' && /[:/]/.test(value) && imagePinProblem(value) === 'uses the moving tag :latest') {
          r.error(m, path, `HelmRelease '${o.metadata?.name}' sets image '${value}'`, 'pin an exact version tag in an exported const with a renovate comment');
        }
      });
    }
    if (o.kind === 'OCIRepository' && apiGroup(o) === 'source.toolkit.fluxcd.io') {
      const ref = o.spec?.ref ?? {};
      if (!ref.digest && (typeof ref.tag !== 'string' || ref.tag === 'latest' || ref.semver !== undefined)) {
        r.error(m, 'spec.ref', `OCIRepository '${o.metadata?.name}' does not pin an exact tag or digest (${JSON.stringify(ref)})`, 'set ref.tag to the exact chart version from imports/charts.ts');
      }
    }
  }
}

function walkValues(value: unknown, path: string, visit: (path: string, value: unknown, parent: Record<string, unknown> | undefined) => void, parent?: Record<string, unknown>): void {
  visit(path, value, parent);
  if (Array.isArray(value)) value.forEach((v, i) => walkValues(v, `${path}[${i}]`, visit, undefined));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkValues(v, `${path}.${k}`, visit, value as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// Hostnames

interface HostUse {
  readonly host: string;
  readonly path: string;
  readonly m: RenderedManifest;
  readonly field: string;
}

function hostUses(m: RenderedManifest): HostUse[] {
  const o = m.object;
  const out: HostUse[] = [];
  if (o.kind === 'Ingress' && apiGroup(o) === 'networking.k8s.io') {
    (o.spec?.rules ?? []).forEach((rule: Manifest, i: number) => {
      if (typeof rule.host !== 'string') return;
      const paths = (rule.http?.paths ?? []).map((p: Manifest) => String(p.path ?? '/'));
      for (const p of paths.length > 0 ? paths : ['/']) out.push({ host: rule.host, path: p, m, field: `spec.rules[${i}].host` });
    });
  }
  if (o.kind === 'HTTPRoute' && apiGroup(o) === 'gateway.networking.k8s.io') {
    const paths = (o.spec?.rules ?? []).flatMap((rule: Manifest) => (rule.matches ?? []).map((mt: Manifest) => String(mt.path?.value ?? '/')));
    (o.spec?.hostnames ?? []).forEach((h: string, i: number) => {
      for (const p of paths.length > 0 ? paths : ['/']) out.push({ host: h, path: p, m, field: `spec.hostnames[${i}]` });
    });
  }
  if (o.kind === 'IngressRoute' && apiGroup(o) === 'traefik.io') {
    (o.spec?.routes ?? []).forEach((route: Manifest, i: number) => {
      const match = String(route.match ?? '');
      const path = /PathPrefix\(`([^`]*)`\)/.exec(match)?.[1] ?? '/';
      for (const h of match.matchAll(/Host\(`([^`]*)`\)/g)) out.push({ host: h[1], path, m, field: `spec.routes[${i}].match` });
    });
  }
  return out;
}

function checkHostnames(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const seen = new Map<string, HostUse>();
  for (const use of manifests.flatMap(hostUses)) {
    if (!isRouteHostname(use.host)) {
      r.error(use.m, use.field, `hostname '${use.host}' is not a valid DNS name`, "use lowercase letters, digits, '-' and '.', e.g. 'app.example.com'");
      continue;
    }
    if (!routeHostInDomain(use.host, cluster.domain) && !r.alreadyReported(`'${use.host}'`)) {
      r.error(use.m, use.field, `hostname '${use.host}' is outside the cluster's domain '${cluster.domain}'`, `use a name under ${cluster.domain} (give the app a subdomain and let the cluster derive the hostname)`);
    }
    const key = `${use.m.object.kind}|${use.host}|${use.path}`;
    const first = seen.get(key);
    if (first && first.m.object !== use.m.object) {
      if (!r.alreadyReported(`'${use.host}'`)) {
        r.error(use.m, use.field, `hostname '${use.host}${use.path === '/' ? '' : use.path}' is already served by ${first.m.object.kind} '${first.m.object.metadata?.namespace}/${first.m.object.metadata?.name}' (${first.m.file})`, 'give one of the apps another hostname or subdomain');
      }
    } else if (!first) {
      seen.set(key, use);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// LoadBalancer IPs

const LB_IP_ANNOTATIONS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips', 'metallb.universe.tf/loadBalancerIPs', 'metallb.io/loadBalancerIPs', 'kube-vip.io/loadbalancerIPs'];

interface IpUse {
  readonly ip: string;
  readonly m: RenderedManifest;
  readonly field: string;
  /** Services sharing one IP on purpose (Cilium sharing key / MetalLB allow-shared-ip). */
  readonly sharingKey?: string;
}

function ipUses(m: RenderedManifest): IpUse[] {
  const o = m.object;
  const out: IpUse[] = [];
  if (o.kind === 'Service' && o.apiVersion === 'v1' && o.spec?.type === 'LoadBalancer') {
    const ann = o.metadata?.annotations ?? {};
    const sharingKey = ann['lbipam.cilium.io/sharing-key'] ?? ann['metallb.universe.tf/allow-shared-ip'] ?? ann['metallb.io/allow-shared-ip'];
    if (typeof o.spec.loadBalancerIP === 'string') out.push({ ip: o.spec.loadBalancerIP, m, field: 'spec.loadBalancerIP', sharingKey });
    for (const a of LB_IP_ANNOTATIONS) {
      if (typeof ann[a] === 'string') for (const ip of ann[a].split(',').map((s: string) => s.trim()).filter(Boolean)) out.push({ ip, m, field: `metadata.annotations.${a}`, sharingKey });
    }
  }
  if (o.kind === 'Gateway' && apiGroup(o) === 'gateway.networking.k8s.io') {
    (o.spec?.addresses ?? []).forEach((a: Manifest, i: number) => {
      if ((a.type ?? 'IPAddress') === 'IPAddress' && typeof a.value === 'string') out.push({ ip: a.value, m, field: `spec.addresses[${i}].value` });
    });
    const ann = o.spec?.infrastructure?.annotations ?? {};
    for (const a of LB_IP_ANNOTATIONS) if (typeof ann[a] === 'string') for (const ip of ann[a].split(',').map((s: string) => s.trim()).filter(Boolean)) out.push({ ip, m, field: `spec.infrastructure.annotations.${a}` });
  }
  if (o.kind === 'HelmRelease') {
    walkValues(o.spec?.values, 'spec.values', (path, value) => {
      if (/\.loadBalancerIP$/.test(path) && typeof value === 'string' && value !== '') out.push({ ip: value, m, field: path });
    });
  }
  return out;
}

function poolRanges(manifests: RenderedManifest[]): { name: string; ranges: IpRange[] }[] {
  return manifests.filter((m) => m.object.kind === 'CiliumLoadBalancerIPPool' || (m.object.kind === 'IPAddressPool' && apiGroup(m.object) === 'metallb.io')).map((m) => {
    const o = m.object;
    const ranges: IpRange[] = [];
    for (const b of [...(o.spec?.blocks ?? []), ...(o.spec?.cidrs ?? [])]) {
      const r = b.cidr ? parseSubnet(b.cidr) : b.start ? parseIpRange(b.start, b.stop ?? b.start) : undefined;
      if (r) ranges.push(r);
    }
    for (const a of o.spec?.addresses ?? []) {
      const s = String(a);
      const r = s.includes('-') ? parseIpRange(s.split('-')[0].trim(), s.split('-')[1].trim()) : parseSubnet(s);
      if (r) ranges.push(r);
    }
    return { name: String(o.metadata?.name), ranges };
  });
}

function checkLoadBalancerIps(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const pools = poolRanges(manifests);
  const seen = new Map<string, IpUse>();
  const nodeIps = new Map(cluster.nodes.filter((n) => n.ip).map((n) => [n.ip!, n.name]));
  for (const use of manifests.flatMap(ipUses)) {
    const ip = parseIpv4(use.ip);
    const what = `${use.m.object.kind} '${use.m.object.metadata?.name}'`;
    if (ip === undefined) {
      r.error(use.m, use.field, `LoadBalancer IP '${use.ip}' of ${what} is not an IPv4 address`, 'write four dot-separated numbers, e.g. 10.0.50.101');
      continue;
    }
    if (pools.length > 0 && !pools.some((p) => p.ranges.some((range) => rangeContains(range, ip))) && !r.alreadyReported(use.ip)) {
      r.error(use.m, use.field, `LoadBalancer IP ${use.ip} of ${what} is outside every address pool (${pools.map((p) => p.name).join(', ')})`, 'pick an address inside a pool, or widen the pool');
    }
    const clash = nodeIps.get(use.ip) ?? (cluster.network.vip === use.ip ? 'the control-plane VIP' : undefined);
    if (clash) r.error(use.m, use.field, `LoadBalancer IP ${use.ip} of ${what} is already ${clash.startsWith('the') ? clash : `node '${clash}'`}'s address`, 'pick a free address');
    const first = seen.get(use.ip);
    if (first && first.m.object !== use.m.object && !(first.sharingKey && first.sharingKey === use.sharingKey)) {
      if (!r.alreadyReported(`${use.ip}`)) r.error(use.m, use.field, `LoadBalancer IP ${use.ip} of ${what} is also used by ${first.m.object.kind} '${first.m.object.metadata?.namespace}/${first.m.object.metadata?.name}'`, 'give every LoadBalancer its own address (or share on purpose with lbipam.cilium.io/sharing-key)');
    } else if (!first) {
      seen.set(use.ip, use);
    }
  }
}

/** Where an object asks for a LoadBalancer address: a Service, a chart's `service.type`, a Gateway (its controller's Service). */
function loadBalancerAsks(m: RenderedManifest): { field: string; what: string }[] {
  const o = m.object;
  const what = `${o.kind} '${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}'`;
  if (o.kind === 'Service' && o.apiVersion === 'v1' && o.spec?.type === 'LoadBalancer') return [{ field: 'spec.type', what }];
  if (o.kind === 'Gateway' && apiGroup(o) === 'gateway.networking.k8s.io') return [{ field: 'spec.gatewayClassName', what: `${what} (its controller serves it through a LoadBalancer Service)` }];
  const out: { field: string; what: string }[] = [];
  if (o.kind === 'HelmRelease') {
    walkValues(o.spec?.values, 'spec.values', (path, value) => {
      if (/(^|\.)service\.(spec\.)?type$/.test(path) && value === 'LoadBalancer') out.push({ field: path, what: `the Service of ${what}` });
    });
  }
  return out;
}

/**
 * A LoadBalancer in a cluster where nothing assigns addresses stays `<pending>`: Helm's wait (and so
 * the HelmRelease and its Kustomization) times out, and a Gateway is never Programmed.
 */
function checkLoadBalancerImplementation(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const implemented = cluster.builtins.has(LOAD_BALANCER) || cluster.components.some((c) => c.provides.has(LOAD_BALANCER))
    || manifests.some((m) => m.object.kind === 'IPAddressPool' && apiGroup(m.object) === 'metallb.io');
  if (implemented) return;
  for (const m of manifests) {
    for (const ask of loadBalancerAsks(m)) {
      r.error(m, ask.field, `${ask.what} asks for a LoadBalancer, but nothing in cluster '${cluster.name}' (${cluster.distribution}) assigns LoadBalancer addresses: it stays <pending> and the release waiting on it times out`,
        `give Cilium loadBalancerPools (LB IPAM), add MetalLB, or declare the load balancer running outside the tree in the cluster's builtins (LOAD_BALANCER); or make the Service NodePort/ClusterIP (ingress constructs: serviceType)`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

function checkPorts(manifests: RenderedManifest[], r: Reporter): void {
  const hostPorts = new Map<string, RenderedManifest>();
  for (const m of manifests) {
    const o = m.object;
    const t = podTemplateOf(o);
    if (t) {
      const inPod = new Map<string, string>();
      for (const { container, at, init } of containersOf(t.spec)) {
        if (init && container.restartPolicy !== 'Always') continue;
        (container.ports ?? []).forEach((p: Manifest, i: number) => {
          const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
          const other = inPod.get(key);
          if (other) r.error(m, `${t.at}.${at}.ports[${i}].containerPort`, `port ${key} of ${o.kind} '${o.metadata?.name}' is also opened by ${other}: two containers of one pod share its network namespace`, 'give each container its own port');
          else inPod.set(key, at);
          if (p.hostPort !== undefined) {
            const hk = `${p.hostPort}/${p.protocol ?? 'TCP'}`;
            const prev = hostPorts.get(hk);
            if (prev && prev.object !== o) r.error(m, `${t.at}.${at}.ports[${i}].hostPort`, `host port ${hk} of ${o.kind} '${o.metadata?.name}' is also used by ${prev.object.kind} '${prev.object.metadata?.namespace}/${prev.object.metadata?.name}': their pods cannot share a node`, 'use a Service instead of a host port, or another port');
            else hostPorts.set(hk, m);
          }
        });
      }
    }
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const ports = new Map<string, number>();
      const names = new Map<string, number>();
      (o.spec?.ports ?? []).forEach((p: Manifest, i: number) => {
        const key = `${p.port}/${p.protocol ?? 'TCP'}`;
        if (ports.has(key)) r.error(m, `spec.ports[${i}].port`, `Service '${o.metadata?.name}' lists port ${key} twice (ports[${ports.get(key)}] and ports[${i}])`, 'give each Service port its own number');
        else ports.set(key, i);
        if (typeof p.name === 'string') {
          if (names.has(p.name)) r.error(m, `spec.ports[${i}].name`, `Service '${o.metadata?.name}' names two ports '${p.name}'`, 'give each Service port a unique name');
          else names.set(p.name, i);
        }
        if (p.nodePort !== undefined && (p.nodePort < 30000 || p.nodePort > 32767)) {
          r.error(m, `spec.ports[${i}].nodePort`, `nodePort ${p.nodePort} of Service '${o.metadata?.name}' is outside the node-port range 30000-32767`, 'pick a port in 30000-32767 or leave nodePort out');
        }
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Longhorn replicas vs nodes

function checkLonghornReplicas(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const nodes = cluster.schedulableNodes.length;
  const tooMany = (n: number): boolean => Number.isFinite(n) && n > nodes;
  const fix = `set the replica count to ${Math.min(nodes, 3)} or fewer (Longhorn places each replica of a volume on a different node)`;
  for (const m of manifests) {
    const o = m.object;
    if (o.kind === 'StorageClass' && o.provisioner === 'driver.longhorn.io' && o.parameters?.numberOfReplicas !== undefined) {
      const n = Number(o.parameters.numberOfReplicas);
      if (tooMany(n) && !r.alreadyReported('replica')) r.error(m, 'parameters.numberOfReplicas', `StorageClass '${o.metadata?.name}' asks for ${n} replicas per volume but cluster '${cluster.name}' has ${nodes} schedulable node(s): volumes would stay degraded`, fix);
    }
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'longhorn') {
      const v = o.spec.values ?? {};
      for (const [field, value] of [['spec.values.persistence.defaultClassReplicaCount', v.persistence?.defaultClassReplicaCount], ['spec.values.defaultSettings.defaultReplicaCount', v.defaultSettings?.defaultReplicaCount]] as const) {
        if (value !== undefined && tooMany(Number(value)) && !r.alreadyReported('replica')) {
          r.error(m, field, `Longhorn is set to ${value} replicas per volume but cluster '${cluster.name}' has ${nodes} schedulable node(s): volumes would stay degraded`, fix);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cluster settings naming namespaces

function checkClusterNamespaces(tree: ClusterTree, r: Reporter): void {
  const known = new Set([...BUILTIN_NAMESPACES, ...tree.cluster.components.map((c) => c.namespace)]);
  tree.cluster.sensitiveNamespaces.forEach((ns, i) => {
    if (!known.has(ns)) {
      const hint = closestName(ns, known);
      r.error(tree.cluster, `sensitiveNamespaces[${i}]`, `'${ns}' is not a namespace of cluster '${tree.cluster.name}'`, hint ? `did you mean '${hint}'?` : `use one of: ${[...known].sort().join(', ')}`);
    }
  });
}
