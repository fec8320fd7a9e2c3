import { HomelabCluster } from '../estate/cluster.js';
import type { ClusterTree, ExistingReader } from '../tree/tree.js';
import { Component } from '../estate/component.js';
import { resolveDependencies } from '../estate/dependencies.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { Estate } from '../estate/estate.js';
import { namespaceManifest, planNamespaces } from '../estate/namespaces.js';
import { deriveRequirements } from '../estate/requirements.js';
import { BUILTIN_GROUPS, crdGroup, groupOf } from '../estate/capabilities.js';
import { classicSyncObjects, fluxInstance } from '../flux/bootstrap.js';
import { fluxKustomization } from '../flux/kustomization.js';
import { kustomizeFile, manifestFileNames, sortManifests } from '../output/files.js';
import { sopsAgeRecipients, sopsProblem } from '../output/sops.js';
import { yamlFile } from '../output/yaml.js';
import { schemaUrlFor } from '../validation/schema-urls.js';
import { protectDataObjects } from './passes.js';
import { kindScope } from '../validation/kind-scope.js';

type Manifest = Record<string, any>;

/**
 * Renders one cluster into files, in memory. Problems are collected in the estate's diagnostics;
 * nothing is written here.
 */
export function renderCluster(cluster: HomelabCluster, readExisting: ExistingReader): ClusterTree {
  const base = `clusters/${cluster.name}`;
  const tree: ClusterTree = { cluster, files: new Map(), manifests: [], dependencies: new Map(), preserved: new Set() };
  cluster.prepare();
  const namespaces = planNamespaces(cluster);
  const objects = new Map<Component, Manifest[]>();
  for (const c of cluster.components) {
    const own = c.renderedObjects().map((o) => ({ object: withoutClusterNamespace(o.toJson() as Manifest), path: o.node.path }));
    const ns = namespaces.get(c.namespace);
    const all = ns?.owner === c ? [namespaceManifest(ns), ...own.map((o) => o.object)] : own.map((o) => o.object);
    deriveRequirements(c, all);
    objects.set(c, sortManifests(all));
  }
  protectDataObjects([...objects.values()].flat());
  const deps = resolveDependencies(cluster);
  deps.forEach((v, k) => tree.dependencies.set(k, v));
  const ctx: RenderContext = { cluster, base, tree, readExisting, objects, config: splitConfigObjects(cluster, objects), folders: new Map() };
  if (cluster.flux.layout === 'layered') renderLayered(ctx);
  else renderComponents(ctx);
  return tree;
}

/**
 * A Component is a cdk8s Chart whose namespace is the component's, so cdk8s puts every object in
 * it by default; cluster-scoped kinds (StorageClass, ClusterRole…) must not carry one.
 */
function withoutClusterNamespace(o: Manifest): Manifest {
  if (o.metadata?.namespace !== undefined && kindScope(o.apiVersion, o.kind) === 'Cluster') delete o.metadata.namespace;
  return o;
}

interface RenderContext {
  readonly cluster: HomelabCluster;
  readonly base: string;
  readonly tree: ClusterTree;
  readonly readExisting: ExistingReader;
  readonly objects: Map<Component, Manifest[]>;
  /** Custom resources that must wait until the CRDs they need are installed (see splitConfigObjects). */
  readonly config: Map<Component, Manifest[]>;
  /** Folder → what it holds (`component 'x'`, `the CRD-dependent part of 'y'`), so no two parts share one. */
  readonly folders: Map<string, string>;
}

/**
 * Custom resources whose CRDs a chart installs cannot be applied in the same Flux apply as that
 * chart's HelmRelease: the dry-run fails before the CRDs exist. Such objects are moved out of
 * `objects` into a `config` part applied after the HelmRelease is ready. In the components layout
 * that is the component's own CRDs (`<component>-config` Kustomization; other components already
 * wait through dependsOn); in the layered layout it is any CRD installed in the same layer.
 */
function splitConfigObjects(cluster: HomelabCluster, objects: Map<Component, Manifest[]>): Map<Component, Manifest[]> {
  const config = new Map<Component, Manifest[]>();
  const layered = cluster.flux.layout === 'layered';
  for (const c of cluster.components) {
    const providers = layered ? cluster.components.filter((p) => p.layer === c.layer) : [c];
    const needsLater = (o: Manifest) => providers.some((p) => p.provides.has(crdGroup(groupOf(String(o.apiVersion)))));
    const all = objects.get(c) ?? [];
    const later = all.filter((o) => !BUILTIN_GROUPS.has(groupOf(String(o.apiVersion))) && needsLater(o));
    if (later.length === 0) continue;
    config.set(c, later);
    objects.set(c, all.filter((o) => !later.includes(o)));
  }
  return config;
}

/** The Flux Kustomization that others wait for: the config part when the component has one. */
function fluxNameOf(ctx: RenderContext, c: Component): string {
  return ctx.config.has(c) ? `${c.name}-config` : c.name;
}

/** `components` layout: `<group>/<component>/ks.yaml` + `app/` (+ `config/`), root kustomization listing them. */
function renderComponents(ctx: RenderContext): void {
  const { cluster, base } = ctx;
  const ksFiles: string[] = [];
  for (const c of cluster.components) {
    const dir = `${c.group}/${c.name}`;
    const appDir = `${base}/${dir}/app`;
    const hasSops = writeComponentFolder(ctx, c, appDir, ctx.objects.get(c) ?? [], true);
    const common = { interval: c.interval, timeout: c.timeout, retryInterval: c.retryInterval, suspend: c.suspend };
    const docs = [fluxKustomization({
      ...common,
      name: c.name,
      path: `./${appDir}`,
      wait: c.wait,
      dependsOn: (ctx.tree.dependencies.get(c) ?? []).map((e) => fluxNameOf(ctx, e.to)),
      decryptionSecret: hasSops ? decryptionSecret(ctx, c) : undefined,
      healthChecks: c.healthChecks,
    })];
    const config = ctx.config.get(c);
    if (config) {
      writeComponentFolder(ctx, c, `${base}/${dir}/config`, config, false);
      docs.push(fluxKustomization({ ...common, name: `${c.name}-config`, path: `./${base}/${dir}/config`, dependsOn: [c.name] }));
    }
    emitAll(ctx, `${base}/${dir}/ks.yaml`, c.node.path, docs);
    ksFiles.push(`${dir}/ks.yaml`);
  }
  writeFluxSystem(ctx, `${base}/flux-system`, base, []);
  emitKustomize(ctx, `${base}/kustomization.yaml`, ['flux-system', ...ksFiles.sort()]);
}

/** `layered` layout (seed 004): `flux/` holds the three Kustomizations, `platform/` and `apps/` the components. */
function renderLayered(ctx: RenderContext): void {
  const { cluster, base } = ctx;
  const layers = { platform: [] as Component[], apps: [] as Component[] };
  for (const c of cluster.components) layers[c.layer].push(c);
  linkLayeredDependencies(ctx);
  const layerKs: Manifest[] = [];
  for (const layer of ['platform', 'apps'] as const) {
    const dirs: string[] = [];
    let sops = false;
    for (const c of layers[layer]) {
      const own = ctx.objects.get(c) ?? [];
      // A component made only of custom resources has nothing left in its own layer.
      if (own.length === 0 && c.sopsFiles.length === 0 && ctx.config.has(c)) continue;
      const dir = `${c.group}/${c.name}`;
      sops = writeComponentFolder(ctx, c, `${base}/${layer}/${dir}`, own, true) || sops;
      dirs.push(dir);
    }
    // Custom resources of CRDs installed by the platform layer are applied by the apps layer.
    if (layer === 'apps') {
      for (const c of layers.platform.filter((p) => ctx.config.has(p))) {
        const dir = `${c.group}/${c.name}-config`;
        writeComponentFolder(ctx, c, `${base}/apps/${dir}`, ctx.config.get(c)!, false);
        dirs.push(dir);
      }
    }
    emitKustomize(ctx, `${base}/${layer}/kustomization.yaml`, dirs.sort());
    layerKs.push(fluxKustomization({
      name: layer,
      path: `./${base}/${layer}`,
      interval: cluster.flux.interval,
      dependsOn: [layer === 'platform' ? 'flux-system' : 'platform'],
      decryptionSecret: sops ? decryptionSecret(ctx, layers[layer][0]) : undefined,
    }));
  }
  writeFluxSystem(ctx, `${base}/flux`, `${base}/flux`, layerKs);
}

/**
 * In the layered layout only three Kustomizations exist, so a dependency inside a layer becomes a
 * HelmRelease dependsOn; dependencies pointing to a later layer, or on CRDs installed in the same
 * layer (which a single apply cannot satisfy), are reported.
 */
function linkLayeredDependencies(ctx: RenderContext): void {
  const d = Diagnostics.of(ctx.cluster);
  for (const [c, objs] of ctx.config) {
    if (c.layer === 'apps' && !ctx.tree.dependencies.get(c)?.some((e) => e.to.layer === 'apps')) {
      d.error(c, 'layer', `'${c.name}' renders ${objs[0].kind} objects whose CRDs it installs itself in the apps layer, the last one`, `move '${c.name}' to layer 'platform', or use the 'components' layout`);
    }
  }
  for (const [from, edges] of ctx.tree.dependencies) {
    for (const e of edges) {
      if (from.layer === 'platform' && e.to.layer === 'apps') {
        d.error(from, 'layer', `platform component '${from.name}' depends on apps component '${e.to.name}' (${e.reason})`, `move '${from.name}' to layer 'apps' or '${e.to.name}' to layer 'platform'`);
      } else if (from.layer === 'apps' && e.to.layer === 'apps' && e.capability?.kind === 'crd') {
        d.error(from, 'layer', `'${from.name}' uses ${e.capability.value} resources whose CRDs '${e.to.name}' installs in the apps layer, the last one, so nothing can apply them after the CRDs exist`, `move '${e.to.name}' to layer 'platform', or use the 'components' layout`);
      } else if (from.layer === e.to.layer) {
        addHelmReleaseDependencies(ctx.objects.get(from) ?? [], ctx.objects.get(e.to) ?? []);
      }
    }
  }
}

function addHelmReleaseDependencies(from: Manifest[], to: Manifest[]): void {
  const targets = to.filter(isHelmRelease).map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace }));
  if (targets.length === 0) return;
  for (const hr of from.filter(isHelmRelease)) {
    const existing: Manifest[] = hr.spec.dependsOn ?? [];
    const merged = [...existing, ...targets.filter((t) => !existing.some((x) => x.name === t.name && x.namespace === t.namespace))];
    hr.spec.dependsOn = merged.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  }
}

function isHelmRelease(o: Manifest): boolean {
  return o.kind === 'HelmRelease' && String(o.apiVersion).startsWith('helm.toolkit.fluxcd.io/');
}

/**
 * Writes manifests and a kustomization.yaml into `dir`, plus the component's SOPS files when
 * `withSops`; returns whether it listed SOPS files.
 */
function writeComponentFolder(ctx: RenderContext, c: Component, dir: string, manifests: Manifest[], withSops: boolean): boolean {
  const what = withSops ? `component '${c.name}'` : `the part of '${c.name}' that waits for its CRDs`;
  const taken = ctx.folders.get(dir);
  if (taken) {
    Diagnostics.of(c).error(c, 'name', `${what} would be written to ${dir}/, which already holds ${taken}: one kustomization.yaml would list only one of them`, `rename the component (or set its group) so that the folders differ`);
  }
  ctx.folders.set(dir, what);
  const names = manifestFileNames(manifests);
  manifests.forEach((m, i) => emit(ctx, `${dir}/${names[i]}`, c.node.path, [m]));
  const sopsFiles = withSops ? c.sopsFiles.map((f) => f.path) : [];
  for (const f of sopsFiles) checkSopsFile(ctx, c, `${dir}/${f}`);
  emitKustomize(ctx, `${dir}/kustomization.yaml`, [...names, ...sopsFiles]);
  return sopsFiles.length > 0;
}

function checkSopsFile(ctx: RenderContext, c: Component, path: string): void {
  const d = Diagnostics.of(c);
  if (!path.endsWith('.sops.yaml')) {
    d.error(c, 'sopsFiles', `'${path}' does not end in .sops.yaml`, 'name encrypted files *.sops.yaml so the .sops.yaml creation rule matches them');
  }
  const content = ctx.readExisting(path);
  if (content === undefined) {
    d.error(c, 'sopsFiles', `the SOPS file '${path}' does not exist`, `create it and encrypt it: sops --encrypt --in-place ${path}`);
    return;
  }
  const why = sopsProblem(content);
  if (why) d.error(c, 'sopsFiles', `'${path}' is not SOPS-encrypted: ${why}`, `encrypt it before committing: sops --encrypt --in-place ${path}`);
  const clusterKey = ctx.cluster.sops?.ageRecipients[0];
  const recipients = sopsAgeRecipients(content);
  if (!why && clusterKey && !recipients.includes(clusterKey)) {
    d.error(c, 'sopsFiles', `'${path}' is encrypted for ${recipients.join(', ')} but not for the cluster's key ${clusterKey} (sops.ageRecipients[0]), so Flux cannot decrypt it`, `re-encrypt it for the cluster's recipients: sops updatekeys ${path} (synth writes them to ${ctx.base}/.sops.yaml)`);
  }
  ctx.tree.preserved.add(path);
}

function decryptionSecret(ctx: RenderContext, c: Component): string {
  if (ctx.cluster.sops) return ctx.cluster.sops.secretName;
  Diagnostics.of(c).error(c, 'sopsFiles', `carries SOPS files but cluster '${ctx.cluster.name}' has no sops settings, so Flux has no key to decrypt them`, "add sops: { ageRecipients: ['age1…'] } to the cluster and create the sops-age Secret at bootstrap");
  return 'sops-age';
}

/** flux-system (or flux/) folder: FluxInstance or classic sync objects, plus the layer Kustomizations. */
function writeFluxSystem(ctx: RenderContext, dir: string, syncPath: string, extra: Manifest[]): void {
  const { cluster } = ctx;
  const resources: string[] = [];
  if (cluster.flux.bootstrap === 'operator') {
    emit(ctx, `${dir}/flux-instance.yaml`, `${cluster.node.path}/flux`, [fluxInstance(cluster, syncPath)]);
    resources.push('flux-instance.yaml');
  } else {
    const components = `${dir}/gotk-components.yaml`;
    if (ctx.readExisting(components) !== undefined) {
      ctx.tree.preserved.add(components);
      resources.push('gotk-components.yaml');
    } else {
      Diagnostics.of(cluster).warn(cluster, 'classic-bootstrap-pending', `${components} does not exist yet: run 'flux bootstrap git --path=${syncPath}' (it writes the file; synth keeps it)`);
    }
    emitMulti(ctx, `${dir}/gotk-sync.yaml`, `${cluster.node.path}/flux`, classicSyncObjects(cluster, syncPath));
    resources.push('gotk-sync.yaml');
  }
  for (const ks of extra) {
    const file = `${ks.metadata.name}.yaml`;
    emit(ctx, `${dir}/${file}`, `${cluster.node.path}/flux`, [ks]);
    resources.push(file);
  }
  emitKustomize(ctx, `${dir}/kustomization.yaml`, resources);
}

function emit(ctx: RenderContext, file: string, path: string, docs: Manifest[]): void {
  const [doc] = docs;
  ctx.tree.files.set(file, yamlFile(ctx.cluster.sourceFile, schemaUrlFor(doc.apiVersion, doc.kind), docs));
  ctx.tree.manifests.push({ cluster: ctx.cluster.name, file, path, object: doc });
}

/** Several documents of one kind in one file (a component's Kustomizations in ks.yaml). */
function emitAll(ctx: RenderContext, file: string, path: string, docs: Manifest[]): void {
  const [doc] = docs;
  ctx.tree.files.set(file, yamlFile(ctx.cluster.sourceFile, schemaUrlFor(doc.apiVersion, doc.kind), docs));
  for (const object of docs) ctx.tree.manifests.push({ cluster: ctx.cluster.name, file, path, object });
}

function emitMulti(ctx: RenderContext, file: string, path: string, docs: Manifest[]): void {
  ctx.tree.files.set(file, yamlFile(ctx.cluster.sourceFile, undefined, docs));
  for (const object of docs) ctx.tree.manifests.push({ cluster: ctx.cluster.name, file, path, object });
}

function emitKustomize(ctx: RenderContext, file: string, resources: string[]): void {
  const doc = kustomizeFile(resources);
  ctx.tree.files.set(file, yamlFile(ctx.cluster.sourceFile, schemaUrlFor(doc.apiVersion, doc.kind), [doc]));
  ctx.tree.manifests.push({ cluster: ctx.cluster.name, file, path: `${ctx.cluster.node.path}/kustomize`, object: doc });
}

/** Renders every cluster of the estate. */
export function renderEstate(estate: Estate, readExisting: ExistingReader): ClusterTree[] {
  return estate.clusters.map((c) => renderCluster(c, readExisting));
}
