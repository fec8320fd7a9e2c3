/**
 * The first-reconcile simulation's graph: the Flux Kustomizations of a rendered tree (and the root a
 * FluxInstance creates), what each applies through its kustomization.yaml files, the HelmReleases
 * they apply, and what is guaranteed to exist (or be Ready) by the time each one applies.
 */
import { posix } from 'node:path';
import { SYNC_SOURCE } from '../../flux/kustomization.js';
import { apiGroup, isKustomizeFile, Manifest } from '../../tree/manifests.js';
import type { RenderedManifest } from '../../tree/tree.js';

/** One Flux Kustomization of the tree (or the synthetic root a FluxInstance creates). */
export interface FluxKs {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  /** Where it is written; for the FluxInstance's root, the FluxInstance. */
  readonly site: RenderedManifest;
  readonly spec: Manifest;
  /** Kustomization ids (`ks:ns/name`) it depends on. */
  readonly dependsOn: string[];
  readonly wait: boolean;
  /** Ids of the HelmReleases and Kustomizations named in healthChecks. */
  readonly healthChecks: string[];
  /** Path in the sync repository; `undefined` for a Kustomization of another source (contents unknown). */
  readonly dir: string | undefined;
  contents: RenderedManifest[];
  /** SOPS files listed by its kustomization.yaml files. */
  sops: string[];
  parent: FluxKs | undefined;
}

/** A HelmRelease of the tree, with the Kustomization applying it. */
export interface HelmNode {
  readonly id: string;
  readonly site: RenderedManifest;
  readonly container: FluxKs;
  readonly dependsOn: string[];
}

/** Graph ids: `ks:namespace/name` for a Kustomization, `hr:namespace/name` for a HelmRelease. */
export const ksId = (namespace: string, name: string): string => `ks:${namespace}/${name}`;
export const hrId = (namespace: string, name: string): string => `hr:${namespace}/${name}`;
/** Flux objects the graph is made of. */
export const isFluxKs = (o: Manifest): boolean => o.kind === 'Kustomization' && apiGroup(o) === 'kustomize.toolkit.fluxcd.io';
export const isHelmRelease = (o: Manifest): boolean => o.kind === 'HelmRelease' && apiGroup(o) === 'helm.toolkit.fluxcd.io';
/** A non-empty string. */
export const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const stripDot = (p: string): string => posix.normalize(p.replace(/^\.\//, '')).replace(/\/$/, '');

/** The Kustomization graph of one tree, built once. */
export class FluxGraph {
  /** Kustomizations by id. */
  public readonly kss = new Map<string, FluxKs>();
  /** HelmReleases by id. */
  public readonly hrs = new Map<string, HelmNode>();
  /** Which Kustomization applies each manifest. */
  public readonly owner = new Map<RenderedManifest, FluxKs>();
  /** The Kustomizations Flux applies first: the FluxInstance's sync, or gotk-sync's that applies itself. */
  public readonly roots: FluxKs[] = [];
  private readonly byFile = new Map<string, RenderedManifest[]>();
  private readonly kustomizeFiles = new Map<string, RenderedManifest>();
  private readonly before = new Map<FluxKs, Set<string>>();

  constructor(private readonly manifests: readonly RenderedManifest[]) {
    for (const m of manifests) {
      if (isKustomizeFile(m.object)) this.kustomizeFiles.set(m.file, m);
      else this.byFile.set(m.file, [...(this.byFile.get(m.file) ?? []), m]);
    }
    this.build();
  }

  private build(): void {
    const fi = this.manifests.find((m) => m.object.kind === 'FluxInstance' && apiGroup(m.object) === 'fluxcd.controlplane.io');
    const roots = this.roots;
    if (fi && str(fi.object.spec?.sync?.path)) {
      // flux-operator's sync Kustomization: named after the namespace, no wait, the sync path.
      const ns = String(fi.object.metadata?.namespace ?? 'flux-system');
      const spec = { path: fi.object.spec.sync.path, wait: false, sourceRef: { kind: fi.object.spec.sync.kind, name: ns } };
      roots.push(this.addKs(ns, String(fi.object.spec.sync.name ?? ns), fi, spec));
    }
    for (const m of this.manifests.filter((x) => isFluxKs(x.object))) {
      this.addKs(String(m.object.metadata?.namespace ?? 'flux-system'), String(m.object.metadata?.name), m, m.object.spec ?? {});
    }
    for (const ks of this.kss.values()) {
      if (ks.dir === undefined) continue;
      const { manifests, sops } = this.collect(ks.dir, new Set());
      ks.contents = manifests;
      ks.sops = sops;
      for (const m of manifests) if (!this.owner.has(m)) this.owner.set(m, ks);
    }
    for (const ks of this.kss.values()) {
      const owner = ks.site.object.kind === 'FluxInstance' ? undefined : this.owner.get(ks.site);
      // gotk-sync's root applies itself.
      ks.parent = owner === ks ? undefined : owner;
      if (owner === ks) roots.push(ks);
    }
    for (const [m, ks] of this.owner) {
      if (!isHelmRelease(m.object)) continue;
      const ns = String(m.object.metadata?.namespace ?? 'default');
      const deps = (m.object.spec?.dependsOn ?? []).map((d: Manifest) => hrId(String(d.namespace ?? ns), String(d.name)));
      const id = hrId(ns, String(m.object.metadata?.name));
      this.hrs.set(id, { id, site: m, container: ks, dependsOn: deps });
    }
  }

  private addKs(namespace: string, name: string, site: RenderedManifest, spec: Manifest): FluxKs {
    const src = spec.sourceRef ?? {};
    const fromSync = src.kind === SYNC_SOURCE.kind && src.name === SYNC_SOURCE.name && (src.namespace ?? namespace) === SYNC_SOURCE.namespace;
    const wait = spec.wait === true;
    const checks = (spec.healthChecks ?? []).flatMap((h: Manifest) => {
      const ns = String(h.namespace ?? namespace);
      if (h.kind === 'HelmRelease') return [hrId(ns, String(h.name))];
      if (h.kind === 'Kustomization') return [ksId(ns, String(h.name))];
      return [];
    });
    const ks: FluxKs = {
      id: ksId(namespace, name),
      name,
      namespace,
      site,
      spec,
      dependsOn: (spec.dependsOn ?? []).map((d: Manifest) => ksId(String(d.namespace ?? namespace), String(d.name))),
      wait,
      healthChecks: checks,
      dir: fromSync && str(spec.path) ? stripDot(spec.path) : fromSync ? '' : undefined,
      contents: [],
      sops: [],
      parent: undefined,
    };
    this.kss.set(ks.id, ks);
    return ks;
  }

  /** The manifests a Kustomization at `dir` applies, through its kustomization.yaml files. */
  private collect(dir: string, seen: Set<string>): { manifests: RenderedManifest[]; sops: string[] } {
    const out = { manifests: [] as RenderedManifest[], sops: [] as string[] };
    if (seen.has(dir)) return out;
    seen.add(dir);
    const kf = this.kustomizeFiles.get(dir === '' ? 'kustomization.yaml' : `${dir}/kustomization.yaml`);
    const under = (p: string): RenderedManifest[] => [...this.byFile].filter(([f]) => f.startsWith(`${p}/`)).flatMap(([, ms]) => ms);
    // Without a kustomization.yaml, Flux generates one listing every manifest below the path.
    if (!kf) return { manifests: under(dir), sops: [] };
    for (const res of (kf.object.resources ?? []) as unknown[]) {
      if (!str(res)) continue;
      const p = posix.normalize(posix.join(dir, res));
      if (this.kustomizeFiles.has(`${p}/kustomization.yaml`)) {
        const sub = this.collect(p, seen);
        out.manifests.push(...sub.manifests);
        out.sops.push(...sub.sops);
      } else if (this.byFile.has(p)) {
        out.manifests.push(...this.byFile.get(p)!);
      } else if (p.endsWith('.sops.yaml')) {
        out.sops.push(p);
      } else {
        out.manifests.push(...under(p));
      }
    }
    return out;
  }

  /**
   * What is guaranteed when `ks` applies, as facts `applied|ks:…` (its objects exist) and
   * `ready|ks:…`/`ready|hr:…`: the closure of its parent's apply and its dependsOn being Ready.
   */
  public beforeOf(ks: FluxKs): Set<string> {
    const cached = this.before.get(ks);
    if (cached) return cached;
    const facts = new Set<string>();
    const todo = [...(ks.parent ? [`applied|${ks.parent.id}`] : []), ...ks.dependsOn.map((d) => `ready|${d}`)];
    while (todo.length > 0) {
      const f = todo.pop()!;
      if (facts.has(f)) continue;
      facts.add(f);
      const [state, id] = f.split('|');
      const k = this.kss.get(id);
      const h = this.hrs.get(id);
      if (k) {
        if (k.parent) todo.push(`applied|${k.parent.id}`);
        for (const d of k.dependsOn) todo.push(`ready|${d}`);
        if (state === 'ready') {
          todo.push(`applied|${k.id}`);
          for (const c of k.healthChecks) todo.push(`ready|${c}`);
          if (k.wait) for (const m of k.contents) if (this.readyableId(m)) todo.push(`ready|${this.readyableId(m)}`);
        }
      } else if (h) {
        todo.push(`applied|${h.container.id}`);
        for (const d of h.dependsOn) todo.push(`ready|${d}`);
      }
    }
    this.before.set(ks, facts);
    return facts;
  }

  public readyableId(m: RenderedManifest): string | undefined {
    const o = m.object;
    if (isHelmRelease(o)) return hrId(String(o.metadata?.namespace ?? 'default'), String(o.metadata?.name));
    if (isFluxKs(o)) return ksId(String(o.metadata?.namespace ?? 'flux-system'), String(o.metadata?.name));
    return undefined;
  }

  /** Whether `a` is applied only after `b` applied or became Ready (a path of parents and dependsOn). */
  public waitsFor(a: FluxKs, b: FluxKs): boolean {
    return this.beforeOf(a).has(`applied|${b.id}`) || this.beforeOf(a).has(`ready|${b.id}`);
  }
}
