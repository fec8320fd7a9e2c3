import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildEstate } from '../../src/clusters/index.js';
import { HomelabCluster } from '../../src/lib/estate/cluster.js';
import { Estate } from '../../src/lib/estate/estate.js';
import { synthesize, SynthResult } from '../../src/lib/synth/synth.js';
import { readTree, tempRoot } from '../helpers.js';

type Manifest = Record<string, any>;

/** One object of a generated tree with the file it is in. */
export interface TreeObject {
  readonly file: string;
  readonly object: Manifest;
}

/** A synthesized estate written into a temporary root, with helpers to query one cluster's files. */
export class SynthesizedEstate {
  public readonly root: string;
  public readonly estate: Estate;
  public readonly result: SynthResult;
  public readonly files: Map<string, string>;

  /** `userFiles`: repository-relative files (e.g. SOPS files) present before synth runs. */
  constructor(estate: Estate = buildEstate(), userFiles: Record<string, string> = {}) {
    this.root = tempRoot('estate-');
    for (const [path, content] of Object.entries(userFiles)) {
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), content);
    }
    this.estate = estate;
    this.result = synthesize(estate, { root: this.root });
    this.files = readTree(this.root);
  }

  private static shared?: SynthesizedEstate;

  /**
   * The reference estate (src/clusters/), synthesized once per module registry: the cluster specs
   * run in one runner (test/clusters.test.ts), so they share it instead of synthesizing all eight
   * clusters each. Read-only: a spec that needs a changed estate builds its own.
   */
  public static reference(): SynthesizedEstate {
    return (SynthesizedEstate.shared ??= new SynthesizedEstate());
  }

  public cluster(name: string): ClusterView {
    const model = this.estate.clusters.find((c) => c.name === name);
    if (!model) throw new Error(`no cluster ${name}`);
    return new ClusterView(model, this.files);
  }
}

/** The generated files and the model of one cluster. */
export class ClusterView {
  public readonly base: string;
  private readonly all: TreeObject[];

  constructor(public readonly model: HomelabCluster, public readonly files: ReadonlyMap<string, string>) {
    this.base = `clusters/${model.name}`;
    this.all = [...files]
      .filter(([p]) => p.startsWith(`${this.base}/`) && p.endsWith('.yaml'))
      .flatMap(([file, content]) => parseAllDocuments(content).map((d) => ({ file, object: d.toJSON() as Manifest })))
      .filter((o) => o.object && typeof o.object === 'object');
  }

  /** Files of this cluster, paths relative to `clusters/<name>/`. */
  public get paths(): string[] {
    return [...this.files.keys()].filter((p) => p.startsWith(`${this.base}/`)).map((p) => p.slice(this.base.length + 1)).sort();
  }

  /** Every object of the cluster's tree. */
  public objectsAll(): Manifest[] {
    return this.all.map((o) => o.object);
  }

  /** The first document of a file, path relative to `clusters/<name>/`. */
  public file(path: string): Manifest {
    return this.docs(path)[0];
  }

  /** Every document of a file, path relative to `clusters/<name>/`. */
  public docs(path: string): Manifest[] {
    const content = this.files.get(`${this.base}/${path}`);
    if (content === undefined) throw new Error(`${this.model.name}: no file ${path}`);
    return parseAllDocuments(content).map((d) => d.toJSON() as Manifest);
  }

  /** Every object of a kind (optionally of an apiVersion prefix). */
  public objects(kind: string, apiVersionPrefix?: string): Manifest[] {
    return this.all.filter((o) => o.object.kind === kind && (!apiVersionPrefix || String(o.object.apiVersion).startsWith(apiVersionPrefix))).map((o) => o.object);
  }

  /** Objects with the file they are in. */
  public entries(kind: string): TreeObject[] {
    return this.all.filter((o) => o.object.kind === kind);
  }

  /** The one object of a kind and name (and namespace); throws when absent so tests fail clearly. */
  public get(kind: string, name: string, namespace?: string): Manifest {
    const found = this.objects(kind).filter((o) => o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
    if (found.length !== 1) throw new Error(`${this.model.name}: expected one ${kind} ${namespace ?? '*'}/${name}, found ${found.length}`);
    return found[0];
  }

  public has(kind: string, name: string, namespace?: string): boolean {
    return this.objects(kind).some((o) => o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  }

  /** Flux Kustomizations (kustomize.toolkit.fluxcd.io), by name. */
  public get kustomizations(): Map<string, Manifest> {
    return new Map(this.objects('Kustomization', 'kustomize.toolkit.fluxcd.io/').map((k) => [k.metadata.name, k]));
  }

  /** dependsOn names of a Flux Kustomization. */
  public dependsOn(name: string): string[] {
    const ks = this.kustomizations.get(name);
    if (!ks) throw new Error(`${this.model.name}: no Kustomization ${name}`);
    return (ks.spec.dependsOn ?? []).map((d: Manifest) => d.name);
  }

  /** Names of the Namespace objects the tree creates. */
  public get namespaces(): string[] {
    return this.objects('Namespace').map((n) => n.metadata.name).sort();
  }

  /** Labels of a Namespace object. */
  public namespaceLabels(name: string): Record<string, string> {
    return this.get('Namespace', name).metadata.labels ?? {};
  }

  /** StorageClass objects by name. */
  public get storageClasses(): Map<string, Manifest> {
    return new Map(this.objects('StorageClass').map((s) => [s.metadata.name, s]));
  }

  /** HelmReleases by `namespace/name`. */
  public get helmReleases(): Map<string, Manifest> {
    return new Map(this.objects('HelmRelease').map((h) => [`${h.metadata.namespace}/${h.metadata.name}`, h]));
  }

  /** Every hostname routed by an Ingress, IngressRoute or HTTPRoute. */
  public get hostnames(): string[] {
    const hosts = new Set<string>();
    for (const i of this.objects('Ingress')) for (const r of i.spec?.rules ?? []) if (r.host) hosts.add(r.host);
    for (const r of this.objects('HTTPRoute')) for (const h of r.spec?.hostnames ?? []) hosts.add(h);
    for (const r of this.objects('IngressRoute')) {
      for (const route of r.spec?.routes ?? []) for (const m of String(route.match).matchAll(/Host\(`([^`]+)`\)/g)) hosts.add(m[1]);
    }
    return [...hosts].sort();
  }

  /** Deployments and StatefulSets, `namespace/name` → object. */
  public get workloads(): Map<string, Manifest> {
    return new Map([...this.objects('Deployment'), ...this.objects('StatefulSet')].map((w) => [`${w.metadata.namespace}/${w.metadata.name}`, w]));
  }
}
