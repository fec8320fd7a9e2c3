import { FLUX_DEFAULT_HELM_TIMEOUT, formatDuration, kustomizationTimeout, parseDuration } from '../flux/kustomization.js';
import type { Component } from '../estate/component.js';
import { describeObject } from '../tree/manifests.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { FluxGraph, FluxKs, isHelmRelease } from './first-reconcile/graph.js';
import { Need, Needs } from './first-reconcile/needs.js';
import { Producer, Producers } from './first-reconcile/producers.js';
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
 *
 * Its parts, in first-reconcile/: graph.ts (the Kustomizations, what each applies, the order),
 * producers.ts (what creates each prerequisite), needs.ts (what each object needs).
 */

/** Runs the simulation on one cluster; findings go to the estate's diagnostics. `read` gives SOPS files' content. */
export function checkFirstReconcile(tree: ClusterTree, read?: (path: string) => string | undefined): void {
  const sim = new Simulation(tree, read);
  sim.run();
}

class Simulation {
  private readonly r: Reporter;
  private readonly graph: FluxGraph;
  private readonly needs: Needs;
  private readonly components: readonly Component[];

  constructor(private readonly tree: ClusterTree, read?: (path: string) => string | undefined) {
    this.r = new Reporter(tree.cluster);
    this.components = tree.cluster.components;
    this.graph = new FluxGraph(tree.manifests);
    this.needs = new Needs(this.graph, new Producers(tree, this.graph, read));
  }

  public run(): void {
    for (const ks of this.graph.kss.values()) {
      if (!this.reachable(ks)) continue;
      if (this.waitsForItself(ks)) continue;
      for (const m of ks.contents) for (const need of this.needs.needsOf(ks, m)) this.judge(ks, m, need);
      for (const need of this.needs.kustomizationInputs(ks)) this.judge(ks, ks.site, need);
      this.checkTimeout(ks);
    }
  }

  /** A Kustomization no root reaches is never applied: reported, its objects not judged. */
  private reachable(ks: FluxKs): boolean {
    let k: FluxKs | undefined = ks;
    const seen = new Set<FluxKs>();
    while (k && !seen.has(k)) {
      if (this.graph.roots.includes(k)) return true;
      seen.add(k);
      k = k.parent;
    }
    this.r.error(ks.site, 'metadata.name', `Kustomization '${ks.name}' (${ks.site.file}) is applied by no Kustomization: no root's path includes the file, so Flux never creates it and nothing of it is applied`, `list ${ks.site.file} in a kustomization.yaml under the cluster's sync path`);
    return false;
  }

  /** A dependsOn that is missing, or leads back to the Kustomization itself, means it never applies. */
  private waitsForItself(ks: FluxKs): boolean {
    for (const d of ks.dependsOn) {
      if (!this.graph.kss.has(d)) {
        const name = d.slice(d.indexOf('/') + 1);
        this.r.error(ks.site, 'spec.dependsOn', `Kustomization '${ks.name}' depends on Kustomization '${name}', which is not in the tree: it waits forever and applies nothing`, `remove the dependency, or add the Kustomization '${name}'`);
        return true;
      }
    }
    const facts = this.graph.beforeOf(ks);
    if (facts.has(`applied|${ks.id}`) || facts.has(`ready|${ks.id}`)) {
      this.r.error(ks.site, 'spec.dependsOn', `Kustomization '${ks.name}' waits for itself: its dependsOn (through waiting Kustomizations and HelmReleases) lead back to it, so on a fresh cluster it never applies`, 'remove one dependency of the cycle (a derived dependsOn comes from a requirement; see the dependsOn of the Kustomizations named)');
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ judging

  /** Whether a producer has produced by the time `ks` applies: before, in the same apply, or later. */
  private when(ks: FluxKs, p: Producer): 'before' | 'same' | 'later' {
    const facts = this.graph.beforeOf(ks);
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
      if (need.eventual && producerKs && !this.graph.waitsFor(producerKs, ks)) {
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

  private laterWording(ks: FluxKs, producerKs: FluxKs | undefined, p: Producer): string {
    if (!producerKs) return 'is not there yet';
    const after = this.graph.waitsFor(producerKs, ks);
    if (after) return `is applied only after '${ks.name}' (Kustomization '${producerKs.name}' waits for it), so on a fresh cluster '${ks.name}' never gets it`;
    if (p.kind === 'helm' && this.graph.beforeOf(ks).has(`applied|${producerKs.id}`)) return `is applied before, but Kustomization '${producerKs.name}' does not wait for its HelmReleases (wait: false), so the chart may not have installed it yet`;
    return `comes from Kustomization '${producerKs.name}', which '${ks.name}' does not wait for (no dependsOn path from '${ks.name}' to '${producerKs.name}')`;
  }

  private laterFix(ks: FluxKs, producerKs: FluxKs | undefined, p: Producer): string {
    if (!producerKs) return `make '${ks.name}' depend on what produces it`;
    const after = this.graph.waitsFor(producerKs, ks);
    if (after) return `break the cycle: move the object out of '${ks.name}' into a Kustomization depending on '${producerKs.name}', or drop the dependency of '${producerKs.name}' on '${ks.name}'`;
    if (p.kind === 'helm' && this.graph.beforeOf(ks).has(`applied|${producerKs.id}`)) return `set wait: true on Kustomization '${producerKs.name}' (or a healthCheck on the HelmRelease)`;
    return `make Kustomization '${ks.name}' depend on '${producerKs.name}' (in the model: the component requires the capability, or dependsOn)`;
  }

  // ------------------------------------------------------------------ timeouts

  /** A waiting Kustomization must allow each HelmRelease it waits on at least the release's own timeout. */
  private checkTimeout(ks: FluxKs): void {
    const timeout = ks.spec.timeout ?? ks.spec.interval;
    const seconds = parseDuration(timeout);
    if (seconds === undefined) return;
    const waited = ks.contents.filter((m) => isHelmRelease(m.object) && (ks.wait || ks.healthChecks.includes(this.graph.readyableId(m)!)));
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
