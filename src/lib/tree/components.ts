/** Which component rendered which manifest: rendered objects carry their component's construct path. */
import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import type { ClusterTree, RenderedManifest } from './tree.js';

/**
 * Maps a manifest's construct path to its component: the component whose path is the manifest's
 * path or a prefix of it.
 */
export function componentIndex(cluster: HomelabCluster): (m: RenderedManifest) => Component | undefined {
  const byPath = new Map<string, Component>(cluster.components.map((c) => [c.node.path, c]));
  return (m) => {
    let p = m.path;
    for (;;) {
      const c = byPath.get(p);
      if (c) return c;
      const i = p.lastIndexOf('/');
      if (i < 0) return undefined;
      p = p.slice(0, i);
    }
  };
}

/**
 * The manifests at or under each component's construct path, in tree order, indexed in one pass
 * (filtering every manifest per component made the capacity check quadratic: 1000 apps took seconds).
 */
export function manifestsByComponentPath(cluster: HomelabCluster, tree: ClusterTree): Map<string, RenderedManifest[]> {
  const paths = new Set(cluster.components.map((c) => c.node.path));
  const out = new Map<string, RenderedManifest[]>();
  for (const m of tree.manifests) {
    for (let p = m.path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (paths.has(p)) {
        const list = out.get(p);
        if (list) list.push(m);
        else out.set(p, [m]);
      }
      if (!p.includes('/')) break;
    }
  }
  return out;
}

/**
 * Repository-relative folder of a component's own manifests, where its SOPS files go (the renderer
 * lists them in that folder's kustomization): `clusters/<c>/<group>/<name>/app`, or
 * `clusters/<c>/<layer>/<group>/<name>` in the layered layout.
 */
export function componentManifestDir(component: Component): string {
  const base = `clusters/${component.cluster.name}`;
  return component.cluster.flux.layout === 'layered'
    ? `${base}/${component.layer}/${component.group}/${component.name}`
    : `${base}/${component.group}/${component.name}/app`;
}
