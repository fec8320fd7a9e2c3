import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { bootstrapPlan } from '../bootstrap/plan.js';
import { bootstrapSecrets } from '../bootstrap/secrets.js';
import { BUILTIN_GROUPS, Capability, crdGroup, DEFAULT_STORAGE_CLASS, gateway, ingressClass, service, storageClass } from '../estate/capabilities.js';
import type { Component } from '../estate/component.js';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { componentSecretDeclarations, userSecrets } from '../estate/user-secrets.js';
import { FLUX_DEFAULT_HELM_TIMEOUT, formatDuration, kustomizationTimeout, parseDuration, SYNC_SOURCE } from '../flux/kustomization.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { kindScope } from '../validation/kind-scope.js';
import { apiGroup, claimedStorageClasses, describeObject, isKustomizeFile, isPvc, Manifest } from '../tree/manifests.js';
import { Reporter } from './report.js';

/**
 * First-reconcile simulation: walks each cluster's rendered tree in the order Flux applies it on a
 * fresh cluster and requires every object's prerequisites to exist by the time its Kustomization
 * applies. It reads the tree, not the model, so it catches a dependsOn the renderer got wrong.
 *
 * The order, as Flux documents it:
 * - the root Kustomization (the FluxInstance's sync, or gotk-sync's) applies first; a Kustomization
 *   object exists once its parent applied, and it applies once every dependsOn is Ready;
 * - a Kustomization is Ready after its apply; with `wait: true` only once every object it applied
 *   is healthy (HelmReleases installed, child Kustomizations Ready), with healthChecks once those are;
 * - a HelmRelease installs after its Kustomization applied it and its dependsOn are Ready; the
 *   CRDs, StorageClasses… its chart creates exist only once it is Ready;
 * - inside one apply, kustomize-controller applies CRDs, ClusterRoles and Namespaces first and
 *   waits for them, then class objects (StorageClass, IngressClass, GatewayClass…), then the rest
 *   (fluxcd/pkg ssa ApplyAllStaged). So a plain CRD or Namespace in the same Kustomization as its
 *   users is fine, one from a HelmRelease of that Kustomization is not: the dry-run fails first.
 *
 * Prerequisites are classed by when they are needed: `build` (decryption key, substituteFrom:
 * before the Kustomization builds anything), `apply` (CRD, Namespace: the dry-run fails without
 * them), `runtime` (StorageClass, IngressClass, GatewayClass, Gateway, issuer, secret store, chart
 * source, HelmRelease dependsOn: the object waits, and a waiting Kustomization with it). Producers:
 * objects of the tree; the charts of components that provide a capability (the model's provide(),
 * the only record of which chart installs which CRDs); the bootstrap helmfile's releases and hooks;
 * the distribution's builtins; Secrets created at bootstrap or declared user-provided.
 *
 * Also checked: a Kustomization waiting on a HelmRelease must not time out before the release can.
 */

type Stage = 'build' | 'apply' | 'runtime';

/** One Flux Kustomization of the tree (or the synthetic root a FluxInstance creates). */
interface FluxKs {
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

interface HelmNode {
  readonly id: string;
  readonly site: RenderedManifest;
  readonly container: FluxKs;
  readonly dependsOn: string[];
}

/** Something that creates a prerequisite, and when it exists. */
type Producer =
  | { readonly kind: 'bootstrap'; readonly by: string }
  | { readonly kind: 'object'; readonly ks: FluxKs; readonly by: string }
  | { readonly kind: 'helm'; readonly hr: HelmNode; readonly by: string }
  | { readonly kind: 'ready'; readonly ks: FluxKs; readonly by: string };

interface Need {
  readonly stage: Stage;
  /** Human wording: `the CRDs of API group 'cert-manager.io'`. */
  readonly what: string;
  readonly field: string;
  readonly producers: Producer[];
  /**
   * The object waits for it and converges once it appears, so a producer that is merely not waited
   * for costs time (a Kustomization timeout, a retry), not the cluster: a warning. A claim for a
   * StorageClass that does not exist yet stays Pending and binds when it appears (the PV controller
   * retries; a claim without a class gets the default retroactively since Kubernetes 1.28).
   */
  readonly eventual?: boolean;
}

const ksId = (namespace: string, name: string): string => `ks:${namespace}/${name}`;
const hrId = (namespace: string, name: string): string => `hr:${namespace}/${name}`;
const isFluxKs = (o: Manifest): boolean => o.kind === 'Kustomization' && apiGroup(o) === 'kustomize.toolkit.fluxcd.io';
const isHelmRelease = (o: Manifest): boolean => o.kind === 'HelmRelease' && apiGroup(o) === 'helm.toolkit.fluxcd.io';
const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const stripDot = (p: string): string => posix.normalize(p.replace(/^\.\//, '')).replace(/\/$/, '');

/** Runs the simulation on one cluster; findings go to the estate's diagnostics. `read` gives SOPS files' content. */
export function checkFirstReconcile(tree: ClusterTree, read?: (path: string) => string | undefined): void {
  const sim = new Simulation(tree, read);
  sim.run();
}

class Simulation {
  private readonly r: Reporter;
  private readonly kss = new Map<string, FluxKs>();
  private readonly hrs = new Map<string, HelmNode>();
  private readonly byFile = new Map<string, RenderedManifest[]>();
  private readonly kustomizeFiles = new Map<string, RenderedManifest>();
  /** Which Kustomization applies each manifest. */
  private readonly owner = new Map<RenderedManifest, FluxKs>();
  private readonly before = new Map<FluxKs, Set<string>>();
  private readonly bootstrapped: { releases: Set<string>; namespaces: Set<string>; gatewayApi: boolean };
  private readonly components: readonly Component[];

  constructor(private readonly tree: ClusterTree, private readonly read?: (path: string) => string | undefined) {
    this.r = new Reporter(tree.cluster);
    this.components = tree.cluster.components;
    for (const m of tree.manifests) {
      if (isKustomizeFile(m.object)) this.kustomizeFiles.set(m.file, m);
      else this.byFile.set(m.file, [...(this.byFile.get(m.file) ?? []), m]);
    }
    this.bootstrapped = this.bootstrapFacts();
  }

  public run(): void {
    this.buildGraph();
    for (const ks of this.kss.values()) {
      if (!this.reachable(ks)) continue;
      if (this.waitsForItself(ks)) continue;
      for (const m of ks.contents) this.checkObject(ks, m);
      this.checkKustomizationInputs(ks);
      this.checkTimeout(ks);
    }
  }

  // ------------------------------------------------------------------ the graph

  private buildGraph(): void {
    const fi = this.tree.manifests.find((m) => m.object.kind === 'FluxInstance' && apiGroup(m.object) === 'fluxcd.controlplane.io');
    const roots: FluxKs[] = [];
    if (fi && str(fi.object.spec?.sync?.path)) {
      // flux-operator's sync Kustomization: named after the namespace, no wait, the sync path.
      const ns = String(fi.object.metadata?.namespace ?? 'flux-system');
      const spec = { path: fi.object.spec.sync.path, wait: false, sourceRef: { kind: fi.object.spec.sync.kind, name: ns } };
      roots.push(this.addKs(ns, String(fi.object.spec.sync.name ?? ns), fi, spec));
    }
    for (const m of this.tree.manifests.filter((x) => isFluxKs(x.object))) {
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
    this.rootsFound = roots;
  }

  private rootsFound: FluxKs[] = [];

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

  /** A Kustomization no root reaches is never applied: reported, its objects not judged. */
  private reachable(ks: FluxKs): boolean {
    let k: FluxKs | undefined = ks;
    const seen = new Set<FluxKs>();
    while (k && !seen.has(k)) {
      if (this.rootsFound.includes(k)) return true;
      seen.add(k);
      k = k.parent;
    }
    this.r.error(ks.site, 'metadata.name', `Kustomization '${ks.name}' (${ks.site.file}) is applied by no Kustomization: no root's path includes the file, so Flux never creates it and nothing of it is applied`, `list ${ks.site.file} in a kustomization.yaml under the cluster's sync path`);
    return false;
  }

  // ------------------------------------------------------------------ the order

  /**
   * What is guaranteed when `ks` applies, as facts `applied|ks:…` (its objects exist) and
   * `ready|ks:…`/`ready|hr:…`: the closure of its parent's apply and its dependsOn being Ready.
   */
  private beforeOf(ks: FluxKs): Set<string> {
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

  private readyableId(m: RenderedManifest): string | undefined {
    const o = m.object;
    if (isHelmRelease(o)) return hrId(String(o.metadata?.namespace ?? 'default'), String(o.metadata?.name));
    if (isFluxKs(o)) return ksId(String(o.metadata?.namespace ?? 'flux-system'), String(o.metadata?.name));
    return undefined;
  }

  /** A dependsOn that is missing, or leads back to the Kustomization itself, means it never applies. */
  private waitsForItself(ks: FluxKs): boolean {
    for (const d of ks.dependsOn) {
      if (!this.kss.has(d)) {
        const name = d.slice(d.indexOf('/') + 1);
        this.r.error(ks.site, 'spec.dependsOn', `Kustomization '${ks.name}' depends on Kustomization '${name}', which is not in the tree: it waits forever and applies nothing`, `remove the dependency, or add the Kustomization '${name}'`);
        return true;
      }
    }
    const facts = this.beforeOf(ks);
    if (facts.has(`applied|${ks.id}`) || facts.has(`ready|${ks.id}`)) {
      this.r.error(ks.site, 'spec.dependsOn', `Kustomization '${ks.name}' waits for itself: its dependsOn (through waiting Kustomizations and HelmReleases) lead back to it, so on a fresh cluster it never applies`, 'remove one dependency of the cycle (a derived dependsOn comes from a requirement; see the dependsOn of the Kustomizations named)');
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ prerequisites

  private checkObject(ks: FluxKs, m: RenderedManifest): void {
    for (const need of this.needsOf(ks, m)) this.judge(ks, m, need);
  }

  private checkKustomizationInputs(ks: FluxKs): void {
    const ns = ks.namespace;
    const site = ks.site;
    const dec = ks.spec.decryption?.secretRef?.name;
    if (str(dec)) {
      this.judge(ks, site, { stage: 'build', what: `the decryption Secret '${ns}/${dec}'`, field: 'spec.decryption.secretRef', producers: this.secretProducers(ns, dec, 'Secret') });
    }
    (ks.spec.postBuild?.substituteFrom ?? []).forEach((s: Manifest, i: number) => {
      if (s?.optional === true || !str(s?.name)) return;
      const kind = s.kind === 'ConfigMap' ? 'ConfigMap' : 'Secret';
      this.judge(ks, site, { stage: 'build', what: `the ${kind} '${ns}/${s.name}' it substitutes variables from`, field: `spec.postBuild.substituteFrom[${i}]`, producers: this.secretProducers(ns, s.name, kind) });
    });
  }

  /** What one object needs before it can be applied and become healthy. */
  private needsOf(ks: FluxKs, m: RenderedManifest): Need[] {
    const o = m.object;
    const out: Need[] = [];
    const group = apiGroup(o);
    const ns: string | undefined = str(ks.spec.targetNamespace) ? ks.spec.targetNamespace : o.metadata?.namespace;
    if (!BUILTIN_GROUPS.has(group)) {
      out.push({ stage: 'apply', what: `the CRDs of API group '${group}' (kind ${o.kind})`, field: 'apiVersion', producers: this.crdProducers(group, String(o.kind)) });
    }
    if (str(ns) && kindScope(String(o.apiVersion), String(o.kind)) !== 'Cluster') {
      out.push(this.namespaceNeed(ns, 'metadata.namespace'));
    }
    if (isHelmRelease(o)) out.push(...this.helmReleaseNeeds(o, ns ?? 'default'));
    if (isFluxKs(o) && o.spec?.sourceRef && !(o.spec.sourceRef.kind === SYNC_SOURCE.kind && o.spec.sourceRef.name === SYNC_SOURCE.name)) {
      const ref = o.spec.sourceRef;
      out.push({ stage: 'runtime', what: `its source ${ref.kind} '${ref.namespace ?? ns}/${ref.name}'`, field: 'spec.sourceRef', producers: this.objectProducers(ref.kind, (x) => x.metadata?.name === ref.name && x.metadata?.namespace === (ref.namespace ?? ns)) });
    }
    // A claim bound to a named volume needs no class; one with class '' asks for none.
    if (!(isPvc(o) && o.spec?.volumeName)) {
      for (const sc of claimedStorageClasses(o)) {
        if (sc === '') continue;
        out.push({ stage: 'runtime', what: sc === undefined ? 'a default StorageClass' : `StorageClass '${sc}'`, field: isPvc(o) ? 'spec.storageClassName' : 'storageClass', producers: this.storageClassProducers(sc), eventual: true });
      }
    }
    if (o.kind === 'Ingress' && group === 'networking.k8s.io') {
      const cls = o.spec?.ingressClassName ?? o.metadata?.annotations?.['kubernetes.io/ingress.class'];
      if (str(cls)) out.push({ stage: 'runtime', what: `IngressClass '${cls}'`, field: 'spec.ingressClassName', producers: [...this.objectProducers('IngressClass', (x) => x.metadata?.name === cls), ...this.capabilityProducers(ingressClass(cls))] });
    }
    if (o.kind === 'Gateway' && group === 'gateway.networking.k8s.io' && str(o.spec?.gatewayClassName)) {
      const cls = o.spec.gatewayClassName;
      out.push({ stage: 'runtime', what: `GatewayClass '${cls}'`, field: 'spec.gatewayClassName', producers: [...this.objectProducers('GatewayClass', (x) => x.metadata?.name === cls), ...this.capabilityProducers(service('gateway-class', cls))] });
    }
    if (group === 'gateway.networking.k8s.io' && /Route$/.test(String(o.kind))) {
      (o.spec?.parentRefs ?? []).forEach((p: Manifest, i: number) => {
        if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || !str(p.name)) return;
        const gns = String(p.namespace ?? ns ?? 'default');
        out.push({ stage: 'runtime', what: `Gateway '${gns}/${p.name}'`, field: `spec.parentRefs[${i}]`, producers: [...this.objectProducers('Gateway', (x) => x.metadata?.name === p.name && x.metadata?.namespace === gns), ...this.capabilityProducers(gateway(gns, p.name))] });
      });
    }
    out.push(...this.issuerNeeds(o, ns));
    if (o.kind === 'ExternalSecret' && group === 'external-secrets.io') {
      const ref = o.spec?.secretStoreRef ?? {};
      const kind = ref.kind ?? 'SecretStore';
      if (str(ref.name)) {
        const where = kind === 'ClusterSecretStore' ? `${kind} '${ref.name}'` : `${kind} '${ns}/${ref.name}'`;
        out.push({
          stage: 'runtime', what: where, field: 'spec.secretStoreRef',
          producers: [
            ...this.objectProducers(kind, (x) => apiGroup(x) === 'external-secrets.io' && x.metadata?.name === ref.name && (kind === 'ClusterSecretStore' || x.metadata?.namespace === ns)),
            ...(kind === 'ClusterSecretStore' ? this.capabilityProducers(service('secret-store', ref.name)) : []),
          ],
        });
      }
    }
    return out;
  }

  private namespaceNeed(ns: string, field: string): Need {
    return { stage: 'apply', what: `namespace '${ns}'`, field, producers: this.memoized(`namespace ${ns}`, () => this.namespaceProducers(ns)) };
  }

  private namespaceProducers(ns: string): Producer[] {
    const producers: Producer[] = this.objectProducers('Namespace', (x) => x.apiVersion === 'v1' && x.metadata?.name === ns);
    if (BUILTIN_NAMESPACES.has(ns)) producers.push({ kind: 'bootstrap', by: 'Kubernetes (or the Flux bootstrap)' });
    if (this.bootstrapped.namespaces.has(ns)) producers.push({ kind: 'bootstrap', by: 'the bootstrap helmfile (createNamespace)' });
    for (const hr of this.hrs.values()) {
      const s = hr.site.object.spec ?? {};
      if (s.install?.createNamespace === true && (s.targetNamespace ?? hr.site.object.metadata?.namespace) === ns) producers.push(this.helmProducer(hr, 'creates it (install.createNamespace)'));
    }
    return producers;
  }

  private helmReleaseNeeds(o: Manifest, ns: string): Need[] {
    const out: Need[] = [];
    const spec = o.spec ?? {};
    if (str(spec.targetNamespace) && spec.install?.createNamespace !== true) out.push(this.namespaceNeed(spec.targetNamespace, 'spec.targetNamespace'));
    const ref = spec.chartRef ?? spec.chart?.spec?.sourceRef;
    if (ref && str(ref.name)) {
      const sns = String(ref.namespace ?? ns);
      out.push({ stage: 'runtime', what: `its chart source ${ref.kind} '${sns}/${ref.name}'`, field: spec.chartRef ? 'spec.chartRef' : 'spec.chart.spec.sourceRef', producers: this.objectProducers(ref.kind, (x) => x.metadata?.name === ref.name && x.metadata?.namespace === sns) });
    }
    (spec.dependsOn ?? []).forEach((d: Manifest, i: number) => {
      if (!str(d?.name)) return;
      const dns = String(d.namespace ?? ns);
      const target = this.hrs.get(hrId(dns, d.name));
      // The HelmRelease it waits for must exist; whether it is installed in time is its own Kustomization's business.
      out.push({ stage: 'runtime', what: `HelmRelease '${dns}/${d.name}' (its dependsOn)`, field: `spec.dependsOn[${i}]`, producers: target ? [{ kind: 'object', ks: target.container, by: `HelmRelease '${dns}/${d.name}'` }] : [] });
    });
    return out;
  }

  private issuerNeeds(o: Manifest, ns: string | undefined): Need[] {
    const out: Need[] = [];
    const issuer = (kind: string, name: string, field: string): void => {
      const where = kind === 'ClusterIssuer' ? `ClusterIssuer '${name}'` : `Issuer '${ns}/${name}'`;
      out.push({ stage: 'runtime', what: where, field, producers: this.objectProducers(kind, (x) => apiGroup(x) === 'cert-manager.io' && x.metadata?.name === name && (kind === 'ClusterIssuer' || x.metadata?.namespace === ns)) });
    };
    if (o.kind === 'Certificate' && apiGroup(o) === 'cert-manager.io') {
      const ref = o.spec?.issuerRef ?? {};
      if (str(ref.name) && (ref.group ?? 'cert-manager.io') === 'cert-manager.io') issuer(ref.kind === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer', ref.name, 'spec.issuerRef');
    }
    if (o.kind === 'Ingress' || o.kind === 'Gateway') {
      const a = o.metadata?.annotations ?? {};
      if (str(a['cert-manager.io/cluster-issuer'])) issuer('ClusterIssuer', a['cert-manager.io/cluster-issuer'], 'metadata.annotations.cert-manager.io/cluster-issuer');
      if (str(a['cert-manager.io/issuer'])) issuer('Issuer', a['cert-manager.io/issuer'], 'metadata.annotations.cert-manager.io/issuer');
    }
    return out;
  }

  // ------------------------------------------------------------------ producers

  /**
   * The objects of kind `kind` that also `match`, with the Kustomization applying each. Looked up by kind
   * (an index built once): scanning every object for every need made this check quadratic, 12 of
   * the 15 s of synth at 2500 apps.
   */
  private objectProducers(kind: string, match: (o: Manifest) => boolean): Producer[] {
    const out: Producer[] = [];
    for (const [m, ks] of this.ownedOfKind(kind)) if (match(m.object)) out.push({ kind: 'object', ks, by: `${describeObject(m.object)} (${m.file})` });
    return out;
  }

  private ownerByKind?: Map<string, [RenderedManifest, FluxKs][]>;
  private ownerByPath?: Map<string, [RenderedManifest, FluxKs][]>;

  private ownedOfKind(kind: string): readonly [RenderedManifest, FluxKs][] {
    this.ownerByKind ??= groupOwned(this.owner, (m) => String(m.object.kind));
    return this.ownerByKind.get(kind) ?? [];
  }

  /** The objects a construct path (a component) renders, with the Kustomization applying each. */
  private ownedAt(path: string): readonly [RenderedManifest, FluxKs][] {
    this.ownerByPath ??= groupOwned(this.owner, (m) => m.path);
    return this.ownerByPath.get(path) ?? [];
  }

  /** Producers are a function of the cluster's objects only: computed once per question. */
  private readonly memo = new Map<string, Producer[]>();

  private memoized(key: string, compute: () => Producer[]): Producer[] {
    let hit = this.memo.get(key);
    if (!hit) this.memo.set(key, (hit = compute()));
    return [...hit];
  }

  private helmProducer(hr: HelmNode, what: string): Producer {
    const o = hr.site.object;
    return { kind: 'helm', hr, by: `HelmRelease '${o.metadata?.namespace}/${o.metadata?.name}' ${what}` };
  }

  /**
   * What a component providing `cap` produces it with: its charts (a HelmRelease is Ready once the
   * chart installed everything), else its Kustomizations of other sources, else its own
   * Kustomization being Ready. The distribution's builtins and bootstrap-installed charts count as
   * there from the start.
   */
  private capabilityProducers(cap: Capability): Producer[] {
    return this.memoized(`capability ${cap}`, () => this.computeCapabilityProducers(cap));
  }

  private computeCapabilityProducers(cap: Capability): Producer[] {
    const out: Producer[] = [];
    if (this.tree.cluster.builtins.has(cap)) out.push({ kind: 'bootstrap', by: `the ${this.tree.cluster.distribution} distribution (builtins)` });
    for (const c of this.components.filter((x) => x.provides.has(cap))) {
      const mine = this.ownedAt(c.node.path);
      const charts = mine.filter(([m]) => isHelmRelease(m.object)).map(([m]) => this.hrs.get(this.readyableId(m)!)!).filter(Boolean);
      const external = mine.map(([m]) => this.kss.get(this.readyableId(m) ?? '')).filter((k): k is FluxKs => !!k && k.dir === undefined);
      for (const hr of charts) {
        const o = hr.site.object;
        out.push(this.bootstrapped.releases.has(releaseKey(o))
          ? { kind: 'bootstrap', by: `HelmRelease '${o.metadata?.namespace}/${o.metadata?.name}' of '${c.name}', installed by the bootstrap helmfile` }
          : this.helmProducer(hr, `of '${c.name}' (which provides ${cap})`));
      }
      for (const k of external) out.push({ kind: 'ready', ks: k, by: `Kustomization '${k.name}' of '${c.name}' (which provides ${cap})` });
      if (charts.length === 0 && external.length === 0) {
        // The component's own Kustomizations when it has some (Ready once its objects are), else the ones applying its objects.
        const own = mine.map(([m]) => this.kss.get(this.readyableId(m) ?? '')).filter((k): k is FluxKs => !!k);
        const containers = own.length > 0 ? own : mine.map(([, ks]) => ks);
        for (const k of new Set(containers)) out.push({ kind: 'ready', ks: k, by: `component '${c.name}' (which provides ${cap})` });
      }
    }
    return out;
  }

  private crdProducers(group: string, kind: string): Producer[] {
    return this.memoized(`crd ${group} ${kind}`, () => this.computeCrdProducers(group, kind));
  }

  private computeCrdProducers(group: string, kind: string): Producer[] {
    const out = this.objectProducers('CustomResourceDefinition', (x) => x.spec?.group === group && (x.spec?.names?.kind ?? kind) === kind);
    if (group === 'gateway.networking.k8s.io' && this.bootstrapped.gatewayApi) out.push({ kind: 'bootstrap', by: 'the bootstrap helmfile (applies the Gateway API CRDs first)' });
    return [...out, ...this.capabilityProducers(crdGroup(group))];
  }

  private storageClassProducers(name: string | undefined): Producer[] {
    const isDefault = (o: Manifest): boolean => o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    const objects = this.objectProducers('StorageClass', (x) => apiGroup(x) === 'storage.k8s.io' && (name === undefined ? isDefault(x) : x.metadata?.name === name));
    return [...objects, ...this.capabilityProducers(name === undefined ? DEFAULT_STORAGE_CLASS : storageClass(name))];
  }

  /** Secrets/ConfigMaps a Kustomization reads before it builds: objects, SOPS files, bootstrap and user Secrets, declared sources. */
  private secretProducers(ns: string, name: string, kind: 'Secret' | 'ConfigMap'): Producer[] {
    const out = this.objectProducers(kind, (x) => x.apiVersion === 'v1' && x.metadata?.name === name && x.metadata?.namespace === ns);
    if (kind === 'ConfigMap') return out;
    for (const [m, ks] of this.ownedOfKind('ExternalSecret')) {
      const o = m.object;
      if (o.kind === 'ExternalSecret' && o.metadata?.namespace === ns && (o.spec?.target?.name ?? o.metadata?.name) === name) out.push({ kind: 'ready', ks, by: `ExternalSecret '${ns}/${o.metadata?.name}'` });
    }
    for (const ks of this.kss.values()) {
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

  private sopsSecrets(path: string, ks: FluxKs): { name: string; namespace: string }[] {
    const content = this.read?.(path);
    if (content === undefined) return [];
    try {
      return parseAllDocuments(content).map((d) => d.toJSON() as Manifest)
        .filter((o) => o?.kind === 'Secret' && str(o.metadata?.name))
        .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace ?? ks.spec.targetNamespace ?? 'default' }));
    } catch {
      return [];
    }
  }

  /** Releases, namespaces and CRDs the bootstrap helmfile installs before Flux runs. */
  private bootstrapFacts(): { releases: Set<string>; namespaces: Set<string>; gatewayApi: boolean } {
    // The plan's own problems are reported with the bootstrap files; here only the plan is needed.
    const d = Diagnostics.of(this.tree.cluster);
    const [problems, warnings] = [d.problems.length, d.warnings.length];
    let plan: ReturnType<typeof bootstrapPlan> | undefined;
    try {
      plan = bootstrapPlan(this.tree);
    } catch {
      plan = undefined;
    } finally {
      d.problems.splice(problems);
      d.warnings.splice(warnings);
    }
    const releases = plan?.releases ?? [];
    return {
      releases: new Set(releases.map((r) => `${r.namespace}/${r.name}`)),
      namespaces: new Set(releases.map((r) => r.namespace)),
      gatewayApi: releases.some((r) => r.hooks.some((h) => h.args.some((a) => /gateway-api.*standard-install\.yaml/.test(a)))),
    };
  }

  // ------------------------------------------------------------------ judging

  /** Whether a producer has produced by the time `ks` applies: before, in the same apply, or later. */
  private when(ks: FluxKs, p: Producer): 'before' | 'same' | 'later' {
    const facts = this.beforeOf(ks);
    switch (p.kind) {
      case 'bootstrap': return 'before';
      case 'object': return p.ks === ks ? 'same' : facts.has(`applied|${p.ks.id}`) ? 'before' : 'later';
      case 'helm': return facts.has(`ready|${p.hr.id}`) ? 'before' : p.hr.container === ks ? 'same' : 'later';
      case 'ready': return facts.has(`ready|${p.ks.id}`) ? 'before' : p.ks === ks || p.ks.parent === ks ? 'same' : 'later';
    }
  }

  private judge(ks: FluxKs, m: RenderedManifest, need: Need): void {
    const timing = need.producers.map((p) => ({ p, t: this.when(ks, p) }));
    const ok = timing.some(({ p, t }) => t === 'before' || (t === 'same' && (need.stage === 'runtime' || (need.stage === 'apply' && p.kind === 'object'))));
    if (ok) return;
    const subject = m === ks.site ? `Kustomization '${ks.name}'` : `Kustomization '${ks.name}' applies ${describeObject(m.object)}, which`;
    const needs = `${subject} needs ${need.what}`;
    const same = timing.find((x) => x.t === 'same');
    const later = timing.find((x) => x.t === 'later');
    if (same && need.stage === 'build') {
      this.r.error(m, need.field, `${needs} before it builds anything, but it would only create it itself (${same.p.by})`, `create it before '${ks.name}' applies: at bootstrap, declared user-provided, or in a Kustomization '${ks.name}' depends on`);
    } else if (same) {
      this.r.error(m, need.field, `${needs}, installed by ${same.p.by} in the same Kustomization: on a fresh cluster its dry-run fails before the chart has installed them`, `move ${describeObject(m.object)} to a Kustomization that depends on '${ks.name}' (wait: true), as a component's own CRDs go to '<component>-config'`);
    } else if (later) {
      const producerKs = later.p.kind === 'helm' ? later.p.hr.container : later.p.kind === 'bootstrap' ? undefined : later.p.ks;
      if (need.eventual && producerKs && !this.waitsFor(producerKs, ks)) {
        this.r.warn(m, `first-reconcile-order:${need.what}`, `${needs}; ${later.p.by} ${this.laterWording(ks, producerKs, later.p)}: it waits until then, and a first install may time out once before converging (${this.laterFix(ks, producerKs, later.p)})`);
        return;
      }
      this.r.error(m, need.field, `${needs}; ${later.p.by} ${this.laterWording(ks, producerKs, later.p)}`, this.laterFix(ks, producerKs, later.p));
    } else {
      // The model already refused what this object needs (a missing provider): no second error.
      const component = this.components.find((c) => c.node.path === m.path);
      if (component && this.r.hasProblemUnder(component.node.path)) return;
      this.r.error(m, need.field, `${needs}, which nothing in cluster '${this.tree.cluster.name}' produces: no object of the tree, no component's chart, the bootstrap or the distribution`, 'add the component that provides it, declare it (cluster builtins, a user-provided Secret), or remove the object');
    }
  }

  /** Whether `a` is applied only after `b` applied or became Ready (a path of parents and dependsOn). */
  private waitsFor(a: FluxKs, b: FluxKs): boolean {
    return this.beforeOf(a).has(`applied|${b.id}`) || this.beforeOf(a).has(`ready|${b.id}`);
  }

  private laterWording(ks: FluxKs, producerKs: FluxKs | undefined, p: Producer): string {
    if (!producerKs) return 'is not there yet';
    const after = this.waitsFor(producerKs, ks);
    if (after) return `is applied only after '${ks.name}' (Kustomization '${producerKs.name}' waits for it), so on a fresh cluster '${ks.name}' never gets it`;
    if (p.kind === 'helm' && this.beforeOf(ks).has(`applied|${producerKs.id}`)) return `is applied before, but Kustomization '${producerKs.name}' does not wait for its HelmReleases (wait: false), so the chart may not have installed it yet`;
    return `comes from Kustomization '${producerKs.name}', which '${ks.name}' does not wait for (no dependsOn path from '${ks.name}' to '${producerKs.name}')`;
  }

  private laterFix(ks: FluxKs, producerKs: FluxKs | undefined, p: Producer): string {
    if (!producerKs) return `make '${ks.name}' depend on what produces it`;
    const after = this.waitsFor(producerKs, ks);
    if (after) return `break the cycle: move the object out of '${ks.name}' into a Kustomization depending on '${producerKs.name}', or drop the dependency of '${producerKs.name}' on '${ks.name}'`;
    if (p.kind === 'helm' && this.beforeOf(ks).has(`applied|${producerKs.id}`)) return `set wait: true on Kustomization '${producerKs.name}' (or a healthCheck on the HelmRelease)`;
    return `make Kustomization '${ks.name}' depend on '${producerKs.name}' (in the model: the component requires the capability, or dependsOn)`;
  }

  // ------------------------------------------------------------------ timeouts

  /** A waiting Kustomization must allow each HelmRelease it waits on at least the release's own timeout. */
  private checkTimeout(ks: FluxKs): void {
    const timeout = ks.spec.timeout ?? ks.spec.interval;
    const seconds = parseDuration(timeout);
    if (seconds === undefined) return;
    const waited = ks.contents.filter((m) => isHelmRelease(m.object) && (ks.wait || ks.healthChecks.includes(this.readyableId(m)!)));
    const slow = waited
      .map((m) => ({ m, t: String(m.object.spec?.timeout ?? FLUX_DEFAULT_HELM_TIMEOUT) }))
      .filter(({ t }) => (parseDuration(t) ?? 0) > seconds)
      .sort((a, b) => (parseDuration(b.t) ?? 0) - (parseDuration(a.t) ?? 0));
    if (slow.length === 0) return;
    const { m, t } = slow[0];
    const needed = kustomizationTimeout(waited.map((x) => x.object.spec?.timeout));
    this.r.error(ks.site, 'spec.timeout', `Kustomization '${ks.name}' waits for ${describeObject(m.object)} (timeout ${t}) but gives up after ${formatDuration(seconds)}: a first install taking longer fails it, and everything depending on it waits another retry`, `set the component's timeout to at least ${needed} (its default derives that from its HelmReleases), or lower the HelmRelease's timeout`);
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
