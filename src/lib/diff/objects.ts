import { parseAllDocuments } from 'yaml';
import type { RenderedManifest } from '../tree/tree.js';
import type { TreeFiles } from './tree-files.js';

export type Manifest = Record<string, any>;

/** One object Flux would apply, with the identity the diff pairs objects by. */
export interface TreeObject {
  readonly cluster: string;
  /** The component folder, cluster-relative (`media/jellyfin`; `app`/`config`/`crds` stripped). */
  readonly component: string;
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly kind: string;
  /** `''` for cluster-scoped objects (and namespaced ones the tree leaves to the Kustomization). */
  readonly namespace: string;
  readonly name: string;
  readonly object: Manifest;
  /** Where it comes from: the file, or the HelmRelease and chart that render it. */
  readonly origin: string;
}

/** The plain objects of one cluster's tree, and the same as manifests for the release lookup. */
export interface ClusterObjects {
  readonly cluster: string;
  readonly objects: TreeObject[];
  readonly manifests: RenderedManifest[];
}

/** The key two sides' objects are paired by: cluster / component / group / kind / namespace / name. */
export function objectKey(o: Pick<TreeObject, 'cluster' | 'component' | 'group' | 'kind' | 'namespace' | 'name'>): string {
  return [o.cluster, o.component, o.group, o.kind, o.namespace, o.name].join('/');
}

export function apiGroupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/**
 * Component folder of a file: the cluster-relative folder, without the `app`/`config`/`crds`
 * subfolder a component splits its objects into, so a component's Flux Kustomization (`ks.yaml`)
 * and its objects share one component.
 */
export function componentOf(file: string): string {
  const parts = file.split('/').slice(2, -1);
  while (parts.length > 1 && /^(app|config|crds)$/.test(parts[parts.length - 1])) parts.pop();
  return parts.join('/') || '.';
}

/**
 * Every object of every cluster in the tree: each YAML document of each manifest file that is a
 * Kubernetes object. Kustomize build files (kustomization.yaml) are not applied themselves, and
 * files that are not objects (talconfig, .sops.yaml rules, helmfile) are skipped.
 */
export function objectsOfTree(files: TreeFiles, only?: (cluster: string) => boolean): ClusterObjects[] {
  const byCluster = new Map<string, ClusterObjects>();
  for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const m = /^clusters\/([^/]+)\/.+\.ya?ml$/.exec(file);
    if (!m || (only && !only(m[1]))) continue;
    const cluster = m[1];
    let set = byCluster.get(cluster);
    if (!set) byCluster.set(cluster, (set = { cluster, objects: [], manifests: [] }));
    for (const object of documentsOf(content)) {
      set.manifests.push({ cluster, file, path: file, object });
      set.objects.push(treeObject(cluster, componentOf(file), object, file));
    }
  }
  return [...byCluster.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
}

/** The Kubernetes objects among a file's YAML documents; a file that does not parse yields none. */
function documentsOf(content: string): Manifest[] {
  const out: Manifest[] = [];
  let docs;
  try {
    docs = parseAllDocuments(content);
  } catch {
    return out;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) continue;
    const o = doc.toJSON() as Manifest | null;
    if (!isObject(o) || o.apiVersion === 'kustomize.config.k8s.io/v1beta1') continue;
    // SOPS' own metadata (MAC, timestamps) changes on every re-encryption; it is not applied.
    if (o.sops !== undefined) delete o.sops;
    out.push(o);
  }
  return out;
}

function isObject(o: unknown): o is Manifest {
  const m = o as Manifest;
  return typeof m === 'object' && m !== null && typeof m.apiVersion === 'string' && typeof m.kind === 'string' && typeof m.metadata?.name === 'string';
}

/** A parsed object with its identity. */
export function treeObject(cluster: string, component: string, object: Manifest, origin: string): TreeObject {
  return {
    cluster,
    component,
    group: apiGroupOf(object.apiVersion),
    kind: String(object.kind),
    namespace: String(object.metadata?.namespace ?? ''),
    name: String(object.metadata?.name),
    object,
    origin,
  };
}
