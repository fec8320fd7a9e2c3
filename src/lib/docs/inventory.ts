import { Capability, DEFAULT_STORAGE_CLASS } from '../estate/capabilities.js';
import type { Component } from '../estate/component.js';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { TreeFacts } from './facts.js';
import { code, table } from './markdown.js';
import { enforcedPodSecurity, isDefaultStorageClass, isPruneProtected } from '../tree/manifests.js';
import { containerImages } from '../tree/workloads.js';

type Manifest = Record<string, any>;

/** One row per namespace: who creates it, its Pod Security level, prune protection and its components. */
export function namespaceTable(facts: TreeFacts): string[] {
  const created = new Map<string, { owner?: Component; object: Manifest }>();
  for (const [c, objects] of facts.objects) {
    for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') created.set(String(o.metadata?.name), { owner: c, object: o });
  }
  const users = new Map<string, string[]>();
  for (const c of facts.cluster.components) users.set(c.namespace, [...(users.get(c.namespace) ?? []), c.name]);
  const names = [...new Set([...created.keys(), ...users.keys()])].sort();
  const rows = names.map((ns) => {
    const entry = created.get(ns);
    const prune = entry !== undefined && isPruneProtected(entry.object);
    return [
      code(ns),
      entry?.owner ? entry.owner.name : BUILTIN_NAMESPACES.has(ns) ? '(exists in every cluster)' : '–',
      (entry && enforcedPodSecurity(entry.object)) ?? '–',
      prune ? 'yes' : 'no',
      (users.get(ns) ?? []).sort().join(', '),
    ];
  });
  return table(['Namespace', 'Created by', 'Pod Security', 'Prune-protected', 'Components'], rows);
}

/**
 * StorageClasses the cluster has: rendered StorageClass objects, classes a component's chart
 * creates (its provided `storage-class:` capabilities) and the distribution's built-in ones.
 */
export function storageClassTable(facts: TreeFacts): string[] {
  const cluster = facts.cluster;
  const rows = new Map<string, unknown[]>();
  for (const [c, objects] of facts.objects) {
    for (const o of objects) {
      if (o.kind !== 'StorageClass') continue;
      const name = String(o.metadata?.name);
      const isDefault = isDefaultStorageClass(o);
      rows.set(name, [code(name), c.name, o.provisioner ?? '–', o.reclaimPolicy ?? 'Delete', isDefault ? 'yes' : 'no']);
    }
  }
  for (const c of cluster.components) {
    const classes = storageClassNames(c.provides);
    for (const name of classes) {
      if (rows.has(name)) continue;
      const isDefault = c.provides.has(DEFAULT_STORAGE_CLASS) && classes.length === 1;
      rows.set(name, [code(name), `${c.name} (created by its chart)`, '–', '–', isDefault ? 'yes' : 'no']);
    }
  }
  const builtins = storageClassNames(cluster.builtins);
  for (const name of builtins) {
    if (rows.has(name)) continue;
    const isDefault = cluster.builtins.has(DEFAULT_STORAGE_CLASS) && builtins.length === 1;
    rows.set(name, [code(name), `${cluster.distribution} (built in)`, '–', '–', isDefault ? 'yes' : 'no']);
  }
  if (rows.size === 0) return ['No StorageClass: nothing in this cluster can claim a volume.'];
  return table(['StorageClass', 'From', 'Provisioner', 'Reclaim policy', 'Default'], [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r));
}

/** One row per HelmRelease: chart, pinned version and repository. */
export function chartTable(facts: TreeFacts): string[] {
  if (facts.charts.length === 0) return ['No Helm chart: every object is rendered by synth.'];
  return table(
    ['Component', 'HelmRelease', 'Chart', 'Version', 'Repository'],
    facts.charts.map((c) => [c.component?.name ?? '–', code(`${c.namespace}/${c.release}`), c.chart, code(c.version || '(unpinned)'), c.source]),
  );
}

/**
 * Apps: components of the apps layer and every component with a route, with their hostnames and
 * exposure, images and what their Flux Kustomization waits for.
 */
export function appTable(facts: TreeFacts): string[] {
  const routed = new Map<Component, { hosts: Set<string>; exposure: Set<string> }>();
  for (const r of facts.routes) {
    if (!r.component) continue;
    const e = routed.get(r.component) ?? { hosts: new Set<string>(), exposure: new Set<string>() };
    for (const h of r.hostnames) e.hosts.add(h);
    e.exposure.add(r.exposure);
    routed.set(r.component, e);
  }
  const apps = facts.cluster.components.filter((c) => c.layer === 'apps' || routed.has(c)).sort((a, b) => a.name.localeCompare(b.name));
  if (apps.length === 0) return ['No apps.'];
  const rows = apps.map((c) => {
    const r = routed.get(c);
    const deps = (facts.tree.dependencies.get(c) ?? []).map((e) => e.to.name);
    return [
      c.name,
      code(c.namespace),
      r ? [...r.hosts].sort().map((h) => code(h)).join(', ') : '–',
      r ? [...r.exposure].sort().join(', ') : 'none',
      containerImages(facts.objects.get(c) ?? []).map((i) => code(i)).join(', ') || '(chart)',
      deps.join(', ') || '–',
    ];
  });
  return table(['App', 'Namespace', 'Hostnames', 'Exposure', 'Images', 'Waits for'], rows);
}

/** Names of the StorageClasses among `caps` (not the "whichever is default" capability). */
function storageClassNames(caps: ReadonlySet<Capability>): string[] {
  return [...caps].filter((cap) => cap.kind === 'storage-class' && cap !== DEFAULT_STORAGE_CLASS).map((cap) => cap.value);
}
