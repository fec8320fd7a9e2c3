import { Capability, crdGroup, ingressClass } from '../estate/capabilities.js';
import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import { INGRESS, TUNNEL } from '../estate/services.js';
import { releaseCharts } from '../tree/charts.js';
import { componentIndex } from '../tree/components.js';
import { gatewayAddress } from '../tree/load-balancers.js';
import { gatewaysByKey, ingressClassOf, labelledExposure, recordedRoute, routeGateway, routeHostnames } from '../tree/routes.js';
import type { ClusterTree } from '../tree/tree.js';

type Manifest = Record<string, any>;

/** Where a route's traffic enters the cluster: a Gateway, or an ingress controller's component. */
export interface EntryFact {
  /** Stable key (`gateway:ns/name`, `component:traefik`). */
  readonly key: string;
  /** What it is, for humans: `Gateway internal`, `traefik`. */
  readonly name: string;
  /** Namespace it runs in. */
  readonly namespace: string;
  /** Load-balancer address when the rendered objects say it. @default - unknown */
  readonly address?: string;
}

/** One route object of the rendered tree (Ingress, Traefik IngressRoute or HTTPRoute). */
export interface RouteFact {
  /** Component whose folder holds the route (the app). */
  readonly component: Component | undefined;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly hostnames: readonly string[];
  /** `internal` or `public`: the recorded route's, or a hand-written object's exposure label (`internal` when unlabelled). */
  readonly exposure: 'internal' | 'public';
  readonly entry: EntryFact;
}

/** A Helm release of the tree with the chart and version it pins. */
export interface ChartFact {
  readonly component: Component | undefined;
  readonly release: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  /** Repository URL (https index or oci:// reference). */
  readonly source: string;
}

/** Facts the docs need about a rendered cluster, indexed once. */
export interface TreeFacts {
  readonly cluster: HomelabCluster;
  readonly tree: ClusterTree;
  /** The objects each component renders (the Flux Kustomizations of `ks.yaml` excluded). */
  readonly objects: ReadonlyMap<Component, readonly Manifest[]>;
  /** Flux Kustomization names of each component (`x`, and `x-config` when it has a config part). */
  readonly kustomizations: ReadonlyMap<Component, readonly string[]>;
  readonly routes: readonly RouteFact[];
  readonly charts: readonly ChartFact[];
  /** The tunnel component (Cloudflare Tunnel), if the cluster has one. */
  readonly tunnel?: Component;
  /** Whether the tunnel forwards public hostnames to the ingress (else straight to the app's Service). */
  readonly tunnelToIngress: boolean;
}

const FLUX_KS = 'kustomize.toolkit.fluxcd.io/';
const isFluxKustomization = (o: Manifest): boolean => o.kind === 'Kustomization' && String(o.apiVersion).startsWith(FLUX_KS);
const isKustomizeFile = (o: Manifest): boolean => String(o.apiVersion).startsWith('kustomize.config.k8s.io/');

/** Indexes the rendered tree of a cluster for the docs. */
export function treeFacts(tree: ClusterTree): TreeFacts {
  const cluster = tree.cluster;
  const componentOf = componentIndex(cluster);
  const objects = new Map<Component, Manifest[]>(cluster.components.map((c) => [c, []]));
  const kustomizations = new Map<Component, string[]>(cluster.components.map((c) => [c, []]));
  const owner = new Map<Manifest, Component | undefined>();
  for (const m of tree.manifests) {
    const c = componentOf(m);
    owner.set(m.object, c);
    if (!c || isKustomizeFile(m.object)) continue;
    if (isFluxKustomization(m.object) && m.file.endsWith('/ks.yaml')) kustomizations.get(c)!.push(String(m.object.metadata?.name));
    else objects.get(c)!.push(m.object);
  }
  const all = tree.manifests.map((m) => m.object);
  const ingress = cluster.service(INGRESS);
  const tunnel = cluster.service(TUNNEL);
  return {
    cluster,
    tree,
    objects,
    kustomizations,
    routes: routeFacts(cluster, all, owner),
    charts: chartFacts(all, owner),
    tunnel: tunnel?.component,
    tunnelToIngress: tunnel !== undefined && ingress !== undefined && typeof ingress.originFor === 'function',
  };
}

const ROUTE_KINDS = new Set(['Ingress', 'IngressRoute', 'HTTPRoute']);

function routeFacts(cluster: HomelabCluster, all: readonly Manifest[], owner: Map<Manifest, Component | undefined>): RouteFact[] {
  const gateways = gatewaysByKey(all);
  const routes: RouteFact[] = [];
  for (const o of all) {
    if (!ROUTE_KINDS.has(o.kind)) continue;
    const component = owner.get(o);
    const recorded = recordedRoute(component, o);
    const hostnames = routeHostnames(o, component);
    if (hostnames.length === 0) continue;
    const namespace = String(o.metadata?.namespace ?? '');
    routes.push({
      component,
      kind: o.kind,
      name: String(o.metadata?.name),
      namespace,
      hostnames,
      exposure: recorded?.exposure ?? labelledExposure(o),
      entry: entryOf(cluster, o, gateways),
    });
  }
  return routes.sort((a, b) => a.hostnames[0].localeCompare(b.hostnames[0]) || a.name.localeCompare(b.name));
}

function entryOf(cluster: HomelabCluster, o: Manifest, gateways: Map<string, Manifest>): EntryFact {
  const ref = routeGateway(o);
  if (ref) {
    const address = gatewayAddress(gateways.get(`${ref.namespace}/${ref.name}`));
    return { key: `gateway:${ref.namespace}/${ref.name}`, name: `Gateway ${ref.name}`, namespace: ref.namespace, ...(address ? { address } : {}) };
  }
  const provider = routeProvider(cluster, o);
  if (provider) return { key: `component:${provider.name}`, name: provider.name, namespace: provider.namespace };
  return { key: 'ingress:unknown', name: 'ingress', namespace: '' };
}

/** The component serving a route object: the IngressClass provider, Traefik for IngressRoutes, else the cluster's ingress. */
function routeProvider(cluster: HomelabCluster, o: Manifest): Component | undefined {
  const providing = (cap: Capability): Component | undefined => cluster.components.find((c) => c.provides.has(cap));
  const className = ingressClassOf(o);
  if (className !== undefined) {
    const byClass = providing(ingressClass(className));
    if (byClass) return byClass;
  }
  if (o.kind === 'IngressRoute') {
    const traefik = providing(crdGroup(String(o.apiVersion).split('/')[0]));
    if (traefik) return traefik;
  }
  return cluster.service(INGRESS)?.component;
}

function chartFacts(all: readonly Manifest[], owner: Map<Manifest, Component | undefined>): ChartFact[] {
  const out: ChartFact[] = releaseCharts(all).map(({ object, ...chart }) => ({ component: owner.get(object), ...chart }));
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.release.localeCompare(b.release));
}
