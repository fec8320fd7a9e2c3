import type { Capability } from '../../../../src/lib/estate/capabilities.js';
import { parseAllDocuments } from 'yaml';
import { HomelabCluster } from '../../../../src/lib/estate/cluster.js';
import { Component } from '../../../../src/lib/estate/component.js';
import { SynthError } from '../../../../src/lib/estate/problems.js';
import { Estate } from '../../../../src/lib/estate/estate.js';
import { INGRESS, IngressProvider, RouteSpec } from '../../../../src/lib/estate/services.js';
import { ChartRelease } from '../../../../src/lib/flux/helm-release.js';
import { synthesize, SynthResult } from '../../../../src/lib/synth/synth.js';
import { rawComponent, readTree, tempRoot } from '../../../helpers.js';

type Manifest = Record<string, any>;

/** A synthesized tree: files and every parsed document by path. */
export interface Synthed {
  readonly result: SynthResult;
  readonly files: Map<string, string>;
  /** Parsed documents of `clusters/<cluster>/<rel>`. */
  doc(rel: string): Manifest;
  has(rel: string): boolean;
  /** Every parsed document of the tree. */
  all(): Manifest[];
}

/** Synthesizes into a fresh temp root and parses what it wrote. */
export function synth(estate: Estate, cluster = 'test', root = tempRoot()): Synthed {
  const result = synthesize(estate, { root });
  const files = readTree(root);
  const base = `clusters/${cluster}/`;
  return {
    result,
    files,
    has: (rel) => files.has(base + rel),
    doc: (rel) => {
      const text = files.get(base + rel);
      if (text === undefined) throw new Error(`no file ${base + rel}; have:\n${[...files.keys()].join('\n')}`);
      return parseAllDocuments(text)[0].toJSON();
    },
    all: () => [...files.values()].flatMap((t) => parseAllDocuments(t).map((d) => d.toJSON())).filter((d) => d),
  };
}

/** The problems of a synth that must fail. */
export function problems(estate: Estate, root = tempRoot()): SynthError['problems'] {
  try {
    synthesize(estate, { root });
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
  throw new Error('synth succeeded but problems were expected');
}

/** A stand-in storage component providing capabilities (a StorageClass name, CRD groups…). */
export function provider(cluster: HomelabCluster, name: string, namespace: string, ...caps: Capability[]): Component {
  const c = rawComponent(cluster, { name, namespace });
  for (const cap of caps) c.provide(cap);
  return c;
}

/** A stand-in ingress controller (ingress-nginx with metrics on) recording the routes asked of it. */
export function fakeIngress(cluster: HomelabCluster, opts: { implementation?: string; metrics?: boolean } = {}): IngressProvider & { routes: RouteSpec[] } {
  const component = rawComponent(cluster, { name: 'ingress-nginx', namespace: 'ingress-nginx' });
  new ChartRelease(component, 'chart', { chart: 'ingress-nginx', values: { controller: { metrics: { enabled: opts.metrics ?? true } } } });
  const routes: RouteSpec[] = [];
  const implementation = opts.implementation ?? 'ingress-nginx';
  const p = {
    implementation,
    component,
    proxyPeer: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
    addRoute: (r: RouteSpec) => routes.push(r),
    // Like IngressNginx: port `metrics` when the values enable it; another implementation knows none.
    ...(implementation === 'ingress-nginx' ? { metricsPort: (): string | false => ((opts.metrics ?? true) ? 'metrics' : false) } : {}),
    routes,
  };
  cluster.registerService(INGRESS, p, component);
  return p;
}
