/**
 * The first-reconcile simulation's producers: what creates each prerequisite (objects of the tree,
 * charts of components providing a capability, the bootstrap helmfile, the distribution's builtins,
 * bootstrap and user-provided Secrets), with the Kustomization or HelmRelease it comes with.
 */
import { bootstrapPlanOnly } from '../../bootstrap/plan.js';
import { bootstrapSecrets } from '../../bootstrap/secrets.js';
import { Capability, crdGroup, DEFAULT_STORAGE_CLASS, storageClass } from '../../estate/capabilities.js';
import type { Component } from '../../estate/component.js';
import { BUILTIN_NAMESPACES } from '../../estate/dependencies.js';
import { componentSecretDeclarations, userSecrets } from '../../estate/user-secrets.js';
import { apiGroup, describeObject, isDefaultStorageClass, Manifest } from '../../tree/manifests.js';
import { sopsFileSecrets } from '../../tree/secrets.js';
import type { ClusterTree, RenderedManifest } from '../../tree/tree.js';
import { FluxGraph, FluxKs, HelmNode, isHelmRelease } from './graph.js';

/** Something that creates a prerequisite, and when it exists. */
export type Producer =
  | { readonly kind: 'bootstrap'; readonly by: string }
  | { readonly kind: 'object'; readonly ks: FluxKs; readonly by: string }
  | { readonly kind: 'helm'; readonly hr: HelmNode; readonly by: string }
  | { readonly kind: 'ready'; readonly ks: FluxKs; readonly by: string };

/** Answers "what produces X, and with which Kustomization", memoized per question. */
export class Producers {
  private readonly bootstrapped: { releases: Set<string>; namespaces: Set<string>; gatewayApi: boolean };
  private readonly components: readonly Component[];

  constructor(private readonly tree: ClusterTree, private readonly graph: FluxGraph, private readonly read?: (path: string) => string | undefined) {
    this.components = tree.cluster.components;
    this.bootstrapped = this.bootstrapFacts();
  }

  /** Namespace `ns`: a Namespace object, Kubernetes itself, the bootstrap helmfile, a HelmRelease creating it. */
  public namespaceProducers(ns: string): Producer[] {
    return this.memoized(`namespace ${ns}`, () => this.computeNamespaceProducers(ns));
  }

  private computeNamespaceProducers(ns: string): Producer[] {
    const producers: Producer[] = this.objectProducers('Namespace', (x) => x.apiVersion === 'v1' && x.metadata?.name === ns);
    if (BUILTIN_NAMESPACES.has(ns)) producers.push({ kind: 'bootstrap', by: 'Kubernetes (or the Flux bootstrap)' });
    if (this.bootstrapped.namespaces.has(ns)) producers.push({ kind: 'bootstrap', by: 'the bootstrap helmfile (createNamespace)' });
    for (const hr of this.graph.hrs.values()) {
      const s = hr.site.object.spec ?? {};
      if (s.install?.createNamespace === true && (s.targetNamespace ?? hr.site.object.metadata?.namespace) === ns) producers.push(this.helmProducer(hr, 'creates it (install.createNamespace)'));
    }
    return producers;
  }

  /**
   * The objects of kind `kind` that also `match`, with the Kustomization applying each. Looked up by kind
   * (an index built once): scanning every object for every need made this check quadratic, 12 of
   * the 15 s of synth at 2500 apps.
   */
  public objectProducers(kind: string, match: (o: Manifest) => boolean): Producer[] {
    const out: Producer[] = [];
    for (const [m, ks] of this.ownedOfKind(kind)) if (match(m.object)) out.push({ kind: 'object', ks, by: `${describeObject(m.object)} (${m.file})` });
    return out;
  }

  private ownerByKind?: Map<string, [RenderedManifest, FluxKs][]>;
  private ownerByPath?: Map<string, [RenderedManifest, FluxKs][]>;

  private ownedOfKind(kind: string): readonly [RenderedManifest, FluxKs][] {
    this.ownerByKind ??= groupOwned(this.graph.owner, (m) => String(m.object.kind));
    return this.ownerByKind.get(kind) ?? [];
  }

  /** The objects a construct path (a component) renders, with the Kustomization applying each. */
  private ownedAt(path: string): readonly [RenderedManifest, FluxKs][] {
    this.ownerByPath ??= groupOwned(this.graph.owner, (m) => m.path);
    return this.ownerByPath.get(path) ?? [];
  }

  /** Producers are a function of the cluster's objects only: computed once per question. */
  private readonly memo = new Map<string, Producer[]>();

  private memoized(key: string, compute: () => Producer[]): Producer[] {
    let hit = this.memo.get(key);
    if (!hit) this.memo.set(key, (hit = compute()));
    return [...hit];
  }

  /** A HelmRelease as producer (`what`: how it produces, for messages). */
  public helmProducer(hr: HelmNode, what: string): Producer {
    const o = hr.site.object;
    return { kind: 'helm', hr, by: `HelmRelease '${o.metadata?.namespace}/${o.metadata?.name}' ${what}` };
  }

  /**
   * What a component providing `cap` produces it with: its charts (a HelmRelease is Ready once the
   * chart installed everything), else its Kustomizations of other sources, else its own
   * Kustomization being Ready. The distribution's builtins and bootstrap-installed charts count as
   * there from the start.
   */
  public capabilityProducers(cap: Capability): Producer[] {
    return this.memoized(`capability ${cap}`, () => this.computeCapabilityProducers(cap));
  }

  private computeCapabilityProducers(cap: Capability): Producer[] {
    const out: Producer[] = [];
    if (this.tree.cluster.builtins.has(cap)) out.push({ kind: 'bootstrap', by: `the ${this.tree.cluster.distribution} distribution (builtins)` });
    for (const c of this.components.filter((x) => x.provides.has(cap))) {
      const mine = this.ownedAt(c.node.path);
      const charts = mine.filter(([m]) => isHelmRelease(m.object)).map(([m]) => this.graph.hrs.get(this.graph.readyableId(m)!)!).filter(Boolean);
      const external = mine.map(([m]) => this.graph.kss.get(this.graph.readyableId(m) ?? '')).filter((k): k is FluxKs => !!k && k.dir === undefined);
      for (const hr of charts) {
        const o = hr.site.object;
        out.push(this.bootstrapped.releases.has(releaseKey(o))
          ? { kind: 'bootstrap', by: `HelmRelease '${o.metadata?.namespace}/${o.metadata?.name}' of '${c.name}', installed by the bootstrap helmfile` }
          : this.helmProducer(hr, `of '${c.name}' (which provides ${cap})`));
      }
      for (const k of external) out.push({ kind: 'ready', ks: k, by: `Kustomization '${k.name}' of '${c.name}' (which provides ${cap})` });
      if (charts.length === 0 && external.length === 0) {
        // The component's own Kustomizations when it has some (Ready once its objects are), else the ones applying its objects.
        const own = mine.map(([m]) => this.graph.kss.get(this.graph.readyableId(m) ?? '')).filter((k): k is FluxKs => !!k);
        const containers = own.length > 0 ? own : mine.map(([, ks]) => ks);
        for (const k of new Set(containers)) out.push({ kind: 'ready', ks: k, by: `component '${c.name}' (which provides ${cap})` });
      }
    }
    return out;
  }

  /** The CRDs of `group` (kind `kind`): CRD objects, the bootstrap, components providing `crd:group`. */
  public crdProducers(group: string, kind: string): Producer[] {
    return this.memoized(`crd ${group} ${kind}`, () => this.computeCrdProducers(group, kind));
  }

  private computeCrdProducers(group: string, kind: string): Producer[] {
    const out = this.objectProducers('CustomResourceDefinition', (x) => x.spec?.group === group && (x.spec?.names?.kind ?? kind) === kind);
    if (group === 'gateway.networking.k8s.io' && this.bootstrapped.gatewayApi) out.push({ kind: 'bootstrap', by: 'the bootstrap helmfile (applies the Gateway API CRDs first)' });
    return [...out, ...this.capabilityProducers(crdGroup(group))];
  }

  /** StorageClass `name` (`undefined`: the default one): objects and components providing it. */
  public storageClassProducers(name: string | undefined): Producer[] {
    const objects = this.objectProducers('StorageClass', (x) => apiGroup(x) === 'storage.k8s.io' && (name === undefined ? isDefaultStorageClass(x) : x.metadata?.name === name));
    return [...objects, ...this.capabilityProducers(name === undefined ? DEFAULT_STORAGE_CLASS : storageClass(name))];
  }

  /** Secrets/ConfigMaps a Kustomization reads before it builds: objects, SOPS files, bootstrap and user Secrets, declared sources. */
  public secretProducers(ns: string, name: string, kind: 'Secret' | 'ConfigMap'): Producer[] {
    const out = this.objectProducers(kind, (x) => x.apiVersion === 'v1' && x.metadata?.name === name && x.metadata?.namespace === ns);
    if (kind === 'ConfigMap') return out;
    for (const [m, ks] of this.ownedOfKind('ExternalSecret')) {
      const o = m.object;
      if (o.kind === 'ExternalSecret' && o.metadata?.namespace === ns && (o.spec?.target?.name ?? o.metadata?.name) === name) out.push({ kind: 'ready', ks, by: `ExternalSecret '${ns}/${o.metadata?.name}'` });
    }
    for (const ks of this.graph.kss.values()) {
      for (const f of ks.sops) if (this.sopsSecrets(f, ks).some((s) => s.name === name && s.namespace === ns)) out.push({ kind: 'object', ks, by: `SOPS file ${f}` });
    }
    if (bootstrapSecrets(this.tree.cluster).some((s) => s.name === name && s.namespace === ns)) out.push({ kind: 'bootstrap', by: 'the bootstrap (see bootstrap/README.md)' });
    if (userSecrets(this.tree.cluster).some((s) => s.name === name && s.namespace === ns)) out.push({ kind: 'bootstrap', by: 'a person, before the first reconcile (declared user-provided)' });
    for (const c of this.components) {
      for (const s of componentSecretDeclarations(c).sources) {
        if (s.name !== name || s.namespace !== ns) continue;
        for (const ks of new Set(this.ownedAt(c.node.path).map(([, k]) => k))) out.push({ kind: 'ready', ks, by: `${s.by} (declared by '${c.name}')` });
      }
    }
    return out;
  }

  /** The Secrets SOPS file `path` (applied by `ks`) defines; none when it cannot be read. */
  private sopsSecrets(path: string, ks: FluxKs): { name: string; namespace: string }[] {
    const content = this.read?.(path);
    return content === undefined ? [] : sopsFileSecrets(content, ks.spec.targetNamespace ?? 'default');
  }

  /** Releases, namespaces and CRDs the bootstrap helmfile installs before Flux runs. */
  private bootstrapFacts(): { releases: Set<string>; namespaces: Set<string>; gatewayApi: boolean } {
    let plan: ReturnType<typeof bootstrapPlanOnly> | undefined;
    try {
      plan = bootstrapPlanOnly(this.tree);
    } catch {
      plan = undefined; // a model broken enough to break the plan fails synth with its own problems
    }
    const releases = plan?.releases ?? [];
    return {
      releases: new Set(releases.map((r) => `${r.namespace}/${r.name}`)),
      namespaces: new Set(releases.map((r) => r.namespace)),
      gatewayApi: releases.some((r) => r.hooks.some((h) => h.args.some((a) => /gateway-api.*standard-install\.yaml/.test(a)))),
    };
  }
}


/** `namespace/release` as the bootstrap helmfile names a HelmRelease's release. */
function releaseKey(o: Manifest): string {
  return `${o.spec?.targetNamespace ?? o.metadata?.namespace}/${o.spec?.releaseName ?? o.metadata?.name}`;
}

/** The entries of `owner` grouped by `key`, in their original order. */
function groupOwned(owner: ReadonlyMap<RenderedManifest, FluxKs>, key: (m: RenderedManifest) => string): Map<string, [RenderedManifest, FluxKs][]> {
  const out = new Map<string, [RenderedManifest, FluxKs][]>();
  for (const [m, ks] of owner) {
    const k = key(m);
    const list = out.get(k);
    if (list) list.push([m, ks]);
    else out.set(k, [[m, ks]]);
  }
  return out;
}
