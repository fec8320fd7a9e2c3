import type { Component } from '../estate/component.js';
import { LOAD_BALANCER } from '../estate/capabilities.js';
import { HomelabCluster } from '../estate/cluster.js';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { isRouteHostname, routeHostInDomain } from '../estate/hostnames.js';
import { parseIpv4, rangeContains } from '../estate/ip.js';
import { componentIndex } from '../tree/components.js';
import { addressPools, hasMetalLbPool, LbAddressUse, loadBalancerAddressUses, loadBalancerAsks } from '../tree/load-balancers.js';
import { apiGroup, containersOf, Manifest, podTemplateOf, walkValues } from '../tree/manifests.js';
import { HostUse, hostUses } from '../tree/routes.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { closestName } from '../validation/suggest.js';
import { addressesReportedByConstructs, checkedReplicaCount, checksOwnImages, cniChecksAddress } from './construct-checks.js';
import { Reporter } from './report.js';

/** Which component rendered a manifest (constructs check some findings themselves: construct-checks.ts). */
type ComponentOf = (m: RenderedManifest) => Component | undefined;

/**
 * Checks on a cluster's rendered tree that catch user mistakes no single construct can see:
 * unpinned images and charts, hostnames outside the domain or served twice, LoadBalancer IPs
 * duplicated or outside every pool, port collisions, more Longhorn replicas than nodes, and
 * cluster settings naming namespaces that do not exist. Every finding is an error, except an
 * empty cluster (a warning, fatal under `--strict`). Each finding is reported once: what a
 * construct checks itself is left to it (construct-checks.ts), and a value already reported here
 * (an image, a hostname, an address, the replica count) is not reported again.
 */
export function checkInputs(tree: ClusterTree): void {
  const r = new Reporter(tree.cluster);
  const manifests = tree.manifests.filter((m) => m.object.apiVersion !== 'kustomize.config.k8s.io/v1beta1');
  const componentOf = componentIndex(tree.cluster);
  // A cluster with no nodes is an error of the model; one without components is a warning that
  // fails --strict (CI), so a cluster can be declared before its components land.
  if (tree.cluster.components.length === 0) {
    r.warn(tree.cluster, 'empty-cluster', `cluster '${tree.cluster.name}' has no components: Flux would run there with nothing to reconcile; add a platform or app component, or remove the cluster from src/clusters/index.ts`);
  }
  checkPins(manifests, componentOf, r);
  checkHostnames(tree.cluster, manifests, componentOf, r);
  checkLoadBalancerIps(tree.cluster, manifests, r);
  checkLoadBalancerImplementation(tree.cluster, manifests, r);
  checkPorts(manifests, r);
  checkLonghornReplicas(tree.cluster, manifests, componentOf, r);
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

/**
 * Unpinned images (in pod templates and Helm values), chart versions and OCI refs. An image is
 * reported once, at its first unpinned use; an App's own images are its business.
 */
function checkPins(manifests: RenderedManifest[], componentOf: ComponentOf, r: Reporter): void {
  const reported = new Set<string>();
  for (const m of manifests) {
    const o = m.object;
    const t = podTemplateOf(o);
    if (t && !checksOwnImages(componentOf(m))) {
      for (const { container, at } of containersOf(t.spec)) {
        const image: unknown = container.image;
        const why = typeof image === 'string' ? imagePinProblem(image) : 'is missing';
        if (!why || (typeof image === 'string' && reported.has(image))) continue;
        if (typeof image === 'string') reported.add(image);
        r.error(m, `${t.at}.${at}.image`, `image '${container.image ?? ''}' of ${o.kind} '${o.metadata?.name}' ${why}`, 'pin an exact version tag (or digest) in an exported const with a renovate comment above it');
      }
    }
    if (o.kind === 'HelmRelease' && apiGroup(o) === 'helm.toolkit.fluxcd.io') checkReleasePins(m, reported, r);
    if (o.kind === 'OCIRepository' && apiGroup(o) === 'source.toolkit.fluxcd.io') {
      const ref = o.spec?.ref ?? {};
      if (!ref.digest && (typeof ref.tag !== 'string' || ref.tag === 'latest' || ref.semver !== undefined)) {
        r.error(m, 'spec.ref', `OCIRepository '${o.metadata?.name}' does not pin an exact tag or digest (${JSON.stringify(ref)})`, 'set ref.tag to the exact chart version from imports/charts.ts');
      }
    }
  }
}

/** A HelmRelease's chart version, and the image tags its values set; `reported` collects the images named. */
function checkReleasePins(m: RenderedManifest, reported: Set<string>, r: Reporter): void {
  const o = m.object;
  const spec = o.spec?.chart?.spec;
  if (spec && (typeof spec.version !== 'string' || !EXACT_SEMVER.test(spec.version))) {
    r.error(m, 'spec.chart.spec.version', `HelmRelease '${o.metadata?.name}' does not pin chart '${spec.chart}' to an exact version (${spec.version === undefined ? 'no version: Flux takes the newest' : `'${spec.version}'`})`, 'use the version pinned in imports/charts.ts (ChartRelease does this)');
  }
  walkValues(o.spec?.values, 'spec.values', (path, value, parent) => {
    if (path.endsWith('.tag') && (value === 'latest' || value === '') && typeof parent?.repository === 'string') {
      reported.add(parent.repository);
      r.error(m, path, `HelmRelease '${o.metadata?.name}' sets image tag ${JSON.stringify(value)} for '${parent.repository}'`, 'pin an exact version tag in an exported const with a renovate comment');
    } else if (/(^|\.)image$/.test(path) && typeof value === 'string' && /[:/]/.test(value) && imagePinProblem(value) === 'uses the moving tag :latest') {
      reported.add(value);
      r.error(m, path, `HelmRelease '${o.metadata?.name}' sets image '${value}'`, 'pin an exact version tag in an exported const with a renovate comment');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Hostnames

/**
 * Route hostnames: valid DNS names, inside the cluster's domain, each hostname and path served by
 * one route kind. A hostname is reported once (outside the domain, or served twice at `/`); hostnames of
 * routes the constructs render were checked when exposed, and never reach the tree outside the
 * domain or twice.
 */
function checkHostnames(cluster: HomelabCluster, manifests: RenderedManifest[], componentOf: ComponentOf, r: Reporter): void {
  const seen = new Map<string, HostUse>();
  const reported = new Set<string>();
  for (const use of manifests.flatMap((m) => hostUses(m, componentOf(m)))) {
    if (!isRouteHostname(use.host)) {
      r.error(use.m, use.field, `hostname '${use.host}' is not a valid DNS name`, "use lowercase letters, digits, '-' and '.', e.g. 'app.example.com'");
      continue;
    }
    if (!routeHostInDomain(use.host, cluster.domain) && !reported.has(use.host)) {
      reported.add(use.host);
      r.error(use.m, use.field, `hostname '${use.host}' is outside the cluster's domain '${cluster.domain}'`, `use a name under ${cluster.domain} (give the app a subdomain and let the cluster derive the hostname)`);
    }
    const key = `${use.m.object.kind}|${use.host}|${use.path}`;
    const first = seen.get(key);
    if (first && first.m.object !== use.m.object) {
      const served = `${use.host}${use.path === '/' ? '' : use.path}`;
      if (!reported.has(use.host)) {
        reported.add(served);
        r.error(use.m, use.field, `hostname '${served}' is already served by ${first.m.object.kind} '${first.m.object.metadata?.namespace}/${first.m.object.metadata?.name}' (${first.m.file})`, 'give one of the apps another hostname or subdomain');
      }
    } else if (!first) {
      seen.set(key, use);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// LoadBalancer IPs

/**
 * LoadBalancer addresses: IPv4, inside an address pool when the tree has pools, not a node's
 * address or the VIP, used once (unless shared on purpose). An address is reported once; those
 * Cilium or a Gateways component check themselves are left to them.
 */
function checkLoadBalancerIps(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const pools = addressPools(manifests);
  const seen = new Map<string, LbAddressUse>();
  const nodeIps = new Map(cluster.nodes.filter((n) => n.ip).map((n) => [n.ip!, n.name]));
  const reported = addressesReportedByConstructs(cluster);
  for (const use of manifests.flatMap(loadBalancerAddressUses)) {
    const ip = parseIpv4(use.ip);
    const what = `${use.m.object.kind} '${use.m.object.metadata?.name}'`;
    if (ip === undefined) {
      r.error(use.m, use.field, `LoadBalancer IP '${use.ip}' of ${what} is not an IPv4 address`, 'write four dot-separated numbers, e.g. 10.0.50.101');
      continue;
    }
    const byCilium = cniChecksAddress(cluster, use);
    if (pools.length > 0 && !pools.some((p) => p.ranges.some((range) => rangeContains(range, ip))) && !byCilium && !reported.has(use.ip)) {
      reported.add(use.ip);
      r.error(use.m, use.field, `LoadBalancer IP ${use.ip} of ${what} is outside every address pool (${pools.map((p) => p.name).join(', ')})`, 'pick an address inside a pool, or widen the pool');
    }
    const clash = nodeIps.get(use.ip) ?? (cluster.network.vip === use.ip ? 'the control-plane VIP' : undefined);
    if (clash) {
      reported.add(use.ip);
      r.error(use.m, use.field, `LoadBalancer IP ${use.ip} of ${what} is already ${clash.startsWith('the') ? clash : `node '${clash}'`}'s address`, 'pick a free address');
    }
    const first = seen.get(use.ip);
    if (first && first.m.object !== use.m.object && !(first.sharingKey && first.sharingKey === use.sharingKey)) {
      if (!reported.has(use.ip) && !(byCilium && cniChecksAddress(cluster, first))) {
        reported.add(use.ip);
        r.error(use.m, use.field, `LoadBalancer IP ${use.ip} of ${what} is also used by ${first.m.object.kind} '${first.m.object.metadata?.namespace}/${first.m.object.metadata?.name}'`, 'give every LoadBalancer its own address (or share on purpose with lbipam.cilium.io/sharing-key)');
      }
    } else if (!first) {
      seen.set(use.ip, use);
    }
  }
}

/**
 * A LoadBalancer in a cluster where nothing assigns addresses stays `<pending>`: Helm's wait (and so
 * the HelmRelease and its Kustomization) times out, and a Gateway is never Programmed.
 */
function checkLoadBalancerImplementation(cluster: HomelabCluster, manifests: RenderedManifest[], r: Reporter): void {
  const implemented = cluster.builtins.has(LOAD_BALANCER) || cluster.components.some((c) => c.provides.has(LOAD_BALANCER))
    || hasMetalLbPool(manifests);
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

/**
 * More Longhorn replicas per volume than schedulable nodes: reported once per cluster. A count the
 * Longhorn component set itself it checked against the storage nodes already.
 */
function checkLonghornReplicas(cluster: HomelabCluster, manifests: RenderedManifest[], componentOf: ComponentOf, r: Reporter): void {
  const nodes = cluster.schedulableNodes.length;
  const tooMany = (n: number): boolean => Number.isFinite(n) && n > nodes;
  const fix = `set the replica count to ${Math.min(nodes, 3)} or fewer (Longhorn places each replica of a volume on a different node)`;
  let reported = false;
  for (const m of manifests) {
    const o = m.object;
    if (o.kind === 'StorageClass' && o.provisioner === 'driver.longhorn.io' && o.parameters?.numberOfReplicas !== undefined) {
      const n = Number(o.parameters.numberOfReplicas);
      if (tooMany(n) && !reported && !checkedReplicaCount(componentOf(m), n)) {
        reported = true;
        r.error(m, 'parameters.numberOfReplicas', `StorageClass '${o.metadata?.name}' asks for ${n} replicas per volume but cluster '${cluster.name}' has ${nodes} schedulable node(s): volumes would stay degraded`, fix);
      }
    }
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'longhorn') {
      const v = o.spec.values ?? {};
      for (const [field, value] of [['spec.values.persistence.defaultClassReplicaCount', v.persistence?.defaultClassReplicaCount], ['spec.values.defaultSettings.defaultReplicaCount', v.defaultSettings?.defaultReplicaCount]] as const) {
        if (value !== undefined && tooMany(Number(value)) && !reported && !checkedReplicaCount(componentOf(m), value)) {
          reported = true;
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
