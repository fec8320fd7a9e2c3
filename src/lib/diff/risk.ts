import { deepEqual, FieldChange } from './field-diff.js';
import type { Manifest, TreeObject } from './objects.js';

/** The risk classes, in the order the summary lists them. */
export const RISK_CLASSES = ['data-loss', 'immutable', 'crd', 'image-major'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export const RISK_TITLES: Record<RiskClass, string> = {
  'data-loss': 'Data loss',
  immutable: 'Immutable fields',
  crd: 'CRD changes',
  'image-major': 'Image major bumps',
};

export interface Risk {
  readonly class: RiskClass;
  readonly message: string;
}

/** One object's change, as far as risk needs it. */
export interface ObjectChange {
  readonly status: 'added' | 'removed' | 'changed';
  readonly old?: TreeObject;
  readonly new?: TreeObject;
  readonly fields: readonly FieldChange[];
}

/** Removed objects of the component of a removed Kustomization (what its prune deletes). */
export type PrunedCount = (cluster: string, component: string) => number;

/** Every risk one change carries. */
export function risksOf(c: ObjectChange, pruned: PrunedCount = () => 0): Risk[] {
  return [...dataLoss(c, pruned), ...immutable(c), ...crd(c), ...imageMajor(c)];
}

const is = (t: TreeObject | undefined, group: string, kind: string): boolean => t?.group === group && t.kind === kind;

/** Removals that delete data, or leave it to a reclaim policy that deletes it. */
function dataLoss(c: ObjectChange, pruned: PrunedCount): Risk[] {
  const out: Risk[] = [];
  const o = c.old;
  const risk = (message: string) => out.push({ class: 'data-loss', message });
  if (c.status === 'removed' && o) {
    if (is(o, '', 'PersistentVolumeClaim')) risk('PersistentVolumeClaim removed: its volume (and, with reclaim policy Delete, its data) goes with it');
    if (is(o, '', 'Namespace')) risk('Namespace removed: everything in it is deleted, volumes included');
    if (is(o, 'postgresql.cnpg.io', 'Cluster')) risk('CloudNativePG Cluster removed: its instances and their PVCs are deleted');
    if (is(o, 'apps', 'StatefulSet') && claimNames(o.object).length > 0) risk(`StatefulSet with volumeClaimTemplates (${claimNames(o.object).join(', ')}) removed: its claims are orphaned, or deleted with persistentVolumeClaimRetentionPolicy.whenDeleted Delete`);
    if (is(o, '', 'PersistentVolume') && reclaimPolicy(o.object) === 'Delete') risk('PersistentVolume with reclaim policy Delete removed: the storage behind it is deleted');
    if (isFluxKustomization(o) && o.object.spec?.prune === true) {
      const n = pruned(o.cluster, o.component);
      risk(`Flux Kustomization with prune: true removed: it deletes every object it applied${n > 0 ? ` (${n} removed object(s) in this component)` : ''}`);
    }
  }
  if (c.status === 'changed' && o && c.new) {
    if (is(o, 'apps', 'StatefulSet')) {
      const gone = claimNames(o.object).filter((n) => !claimNames(c.new!.object).includes(n));
      if (gone.length > 0) risk(`volumeClaimTemplates ${gone.join(', ')} removed: their claims are no longer used (and deleted with whenScaled/whenDeleted Delete)`);
    }
    if (is(o, '', 'PersistentVolume') && reclaimPolicy(o.object) !== 'Delete' && reclaimPolicy(c.new.object) === 'Delete') risk('PersistentVolume reclaim policy becomes Delete: releasing the claim will delete the storage');
    if (isFluxKustomization(o) && c.new.object.spec?.prune === true && o.object.spec?.path !== c.new.object.spec?.path) {
      risk(`Flux Kustomization path changes (${o.object.spec?.path} → ${c.new.object.spec?.path}) with prune: true: objects only the old path holds are deleted`);
    }
  }
  return out;
}

const claimNames = (o: Manifest): string[] => ((o.spec?.volumeClaimTemplates ?? []) as Manifest[]).map((t) => String(t.metadata?.name));
const reclaimPolicy = (o: Manifest): string => String(o.spec?.persistentVolumeReclaimPolicy ?? 'Retain');
const isFluxKustomization = (t: TreeObject): boolean => is(t, 'kustomize.toolkit.fluxcd.io', 'Kustomization');

/** Fields the API server refuses to update: the apply fails until the object is recreated. */
const IMMUTABLE: readonly { group: string; kind: string; fields: readonly string[] }[] = [
  { group: 'apps', kind: 'Deployment', fields: ['spec.selector'] },
  { group: 'apps', kind: 'DaemonSet', fields: ['spec.selector'] },
  { group: 'apps', kind: 'StatefulSet', fields: ['spec.selector', 'spec.volumeClaimTemplates', 'spec.serviceName'] },
  { group: 'batch', kind: 'Job', fields: ['spec.selector'] },
  { group: '', kind: 'PersistentVolumeClaim', fields: ['spec.storageClassName', 'spec.accessModes'] },
  { group: '', kind: 'Service', fields: ['spec.clusterIP'] },
];

function immutable(c: ObjectChange): Risk[] {
  if (c.status !== 'changed' || !c.old || !c.new) return [];
  const rule = IMMUTABLE.find((r) => is(c.old, r.group, r.kind));
  if (!rule) return [];
  return rule.fields
    .filter((f) => !deepEqual(at(c.old!.object, f), at(c.new!.object, f)))
    .map((f) => ({ class: 'immutable', message: `\`${f}\` changes: the API server refuses the update (Flux reports the apply failed) until the ${c.old!.kind} is deleted and recreated (force: true)` }));
}

function at(o: Manifest, path: string): unknown {
  return path.split('.').reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), o);
}

/** CustomResourceDefinitions added, removed or changed, and served versions that stop being served. */
function crd(c: ObjectChange): Risk[] {
  const t = c.old ?? c.new;
  if (!is(t, 'apiextensions.k8s.io', 'CustomResourceDefinition')) return [];
  if (c.status === 'added') return [{ class: 'crd', message: `CRD added (serves ${served(c.new!.object).join(', ') || 'no version'})` }];
  if (c.status === 'removed') {
    // helm never deletes CRDs it installed from a chart's crds/ folder (`helm template
    // --include-crds` does not say which folder a CRD came from); Flux's prune deletes a plain one.
    const rendered = c.old!.origin.startsWith('HelmRelease ');
    return [{ class: 'crd', message: rendered
      ? "CRD no longer rendered by the chart: helm keeps one it installed from the chart's crds/ folder, and deletes one rendered from templates/ with every custom resource of its kind"
      : 'CRD removed: Flux prunes it, and deleting it deletes every custom resource of its kind' }];
  }
  const gone = served(c.old!.object).filter((v) => !served(c.new!.object).includes(v));
  const fields = c.fields.length;
  return [{ class: 'crd', message: gone.length > 0 ? `served version(s) ${gone.join(', ')} removed: objects and clients still using them break (${fields} field(s) changed)` : `CRD changed (${fields} field(s))` }];
}

const served = (o: Manifest): string[] => ((o.spec?.versions ?? []) as Manifest[]).filter((v) => v.served !== false).map((v) => String(v.name));

/**
 * Image references whose tag's major version goes up: fields named `image`/`imageName` (a full
 * reference) or `tag` (a chart value), compared by their semver-ish tags.
 */
function imageMajor(c: ObjectChange): Risk[] {
  if (c.status !== 'changed') return [];
  const out: Risk[] = [];
  for (const f of c.fields) {
    if (typeof f.old !== 'string' || typeof f.new !== 'string') continue;
    const leaf = /(?:^|[.\]])(image|imageName|tag)$/.exec(f.path)?.[1];
    if (!leaf) continue;
    const from = majorOf(leaf === 'tag' ? f.old : tagOf(f.old));
    const to = majorOf(leaf === 'tag' ? f.new : tagOf(f.new));
    if (from !== undefined && to !== undefined && to > from) out.push({ class: 'image-major', message: `\`${f.path}\`: ${f.old} → ${f.new} (major ${from} → ${to})` });
  }
  return out;
}

/** The tag of an image reference (`registry:5000/repo:tag@sha256:…`), `''` when it has none. */
export function tagOf(image: string): string {
  const ref = image.split('@')[0];
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
}

/**
 * Major version of a semver-ish tag (`v1.2.3`, `16.4-alpine`, `2`); undefined for `latest`, a
 * name, or a date (`20240101`, `2024.01.01`: a four-digit "major" is a year, not a version).
 */
export function majorOf(tag: string): number | undefined {
  const m = /^v?(\d+)(?:\.\d+){0,3}(?:[-+_].*)?$/.exec(tag);
  return m && m[1].length < 4 ? Number(m[1]) : undefined;
}
