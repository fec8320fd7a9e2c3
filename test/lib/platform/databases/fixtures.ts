import { parseAllDocuments } from 'yaml';
import { crdGroup, DEFAULT_STORAGE_CLASS, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { ClusterProps, HomelabCluster } from '../../../../src/lib/estate/cluster.js';
import { Component } from '../../../../src/lib/estate/component.js';
import { Estate } from '../../../../src/lib/estate/estate.js';
import { SynthError } from '../../../../src/lib/estate/problems.js';
import { MONITORING, MonitoringProvider } from '../../../../src/lib/estate/services.js';
import { synthesize } from '../../../../src/lib/synth/synth.js';
import { rawComponent, readTree, tempRoot, testCluster } from '../../../helpers.js';

/** A parsed object of the generated tree with the file it is in. */
export interface Rendered {
  readonly file: string;
  readonly obj: Record<string, any>;
}

/** What the data-service tests need from a synthesized estate. */
export interface Synthesized {
  readonly tree: Map<string, string>;
  readonly objects: Rendered[];
  /** The one object of `kind` named `name` (optionally in `namespace`); fails the test if absent. */
  get(kind: string, name: string, namespace?: string): Record<string, any>;
  /** Every object of `kind`. */
  all(kind: string): Record<string, any>[];
  /** The Flux Kustomization of a component. */
  ks(name: string): Record<string, any>;
}

export function synth(estate: Estate): Synthesized {
  const root = tempRoot('databases-');
  synthesize(estate, { root });
  const tree = readTree(root);
  const objects: Rendered[] = [];
  for (const [file, content] of tree) {
    for (const doc of parseAllDocuments(content)) {
      const obj = doc.toJSON();
      if (obj && typeof obj === 'object') objects.push({ file, obj });
    }
  }
  const matches = (kind: string, name: string, namespace?: string) => objects.filter((o) => o.obj.kind === kind && o.obj.metadata?.name === name && (namespace === undefined || o.obj.metadata?.namespace === namespace));
  return {
    tree,
    objects,
    get(kind, name, namespace) {
      const found = matches(kind, name, namespace);
      if (found.length !== 1) throw new Error(`expected one ${kind} '${name}', found ${found.length}: ${objects.filter((o) => o.obj.kind === kind).map((o) => o.obj.metadata?.name).join(', ')}`);
      return found[0].obj;
    },
    all(kind) {
      return objects.filter((o) => o.obj.kind === kind).map((o) => o.obj);
    },
    ks(name) {
      const found = objects.filter((o) => o.obj.kind === 'Kustomization' && o.obj.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' && o.obj.metadata.name === name);
      if (found.length !== 1) throw new Error(`no Flux Kustomization '${name}'`);
      return found[0].obj;
    },
  };
}

/** The problems a synth reports (fails the test if synth succeeds). */
export function problemsOf(estate: Estate): SynthError['problems'] {
  try {
    synthesize(estate, { root: tempRoot('databases-bad-') });
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
  throw new Error('synth succeeded but problems were expected');
}

/** Stand-ins for the components other engineers build: storage, cert-manager, ESO. */
export function platformStubs(cluster: HomelabCluster): { storage: Component; certManager: Component; eso: Component } {
  const storage = rawComponent(cluster, { name: 'storage', namespace: 'storage' });
  storage.provide(DEFAULT_STORAGE_CLASS);
  storage.provide(storageClass('longhorn'));
  const certManager = rawComponent(cluster, { name: 'cert-manager', namespace: 'cert-manager' });
  certManager.provide(crdGroup('cert-manager.io'));
  const eso = rawComponent(cluster, { name: 'external-secrets', namespace: 'external-secrets' });
  eso.provide(crdGroup('external-secrets.io'));
  eso.provide(crdGroup('generators.external-secrets.io'));
  return { storage, certManager, eso };
}

/** A stand-in for kube-prometheus-stack: provides the CRDs and the MONITORING service. */
export function monitoringStub(cluster: HomelabCluster): Component {
  const c = rawComponent(cluster, { name: 'kube-prometheus-stack', namespace: 'monitoring' });
  c.provide(crdGroup('monitoring.coreos.com'));
  const provider: MonitoringProvider = { component: c, selectorLabels: { release: 'kube-prometheus-stack' } };
  cluster.registerService(MONITORING, provider, c);
  return c;
}

/** A single-node Talos cluster (seed 000's home). */
export function singleNode(overrides: Partial<ClusterProps> = {}): ReturnType<typeof testCluster> {
  return testCluster({ name: 'home', nodes: [{ name: 'node-main', role: 'control-plane', cpu: 10, memory: '56Gi' }], ...overrides });
}
