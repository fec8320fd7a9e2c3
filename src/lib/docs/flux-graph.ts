import type { Component } from '../estate/component.js';
import type { DependencyEdge } from '../estate/dependencies.js';
import { TreeFacts } from './facts.js';
import { Flowchart } from './mermaid.js';

/** Above this many components in one folder group, the group is drawn as one node. */
export const MAX_COMPONENTS_PER_GROUP = 12;

/**
 * Removes the edges implied by longer paths (transitive reduction), so the drawing shows the order
 * without the noise: if `app → postgres → cnpg`, the direct `app → cnpg` is dropped. Input edges
 * point from a component to what it waits for. Cycles (already reported by synth) are tolerated.
 */
export function transitiveReduction(graph: ReadonlyMap<Component, readonly DependencyEdge[]>): Map<Component, Component[]> {
  const direct = new Map<Component, Component[]>();
  for (const [from, edges] of graph) direct.set(from, [...new Set(edges.map((e) => e.to).filter((to) => to !== from))]);
  const reach = new Map<Component, Set<Component>>();
  const visiting = new Set<Component>();
  // Everything reachable from c, c excluded.
  const reachable = (c: Component): Set<Component> => {
    const known = reach.get(c);
    if (known) return known;
    if (visiting.has(c)) return new Set();
    visiting.add(c);
    const out = new Set<Component>();
    for (const to of direct.get(c) ?? []) {
      out.add(to);
      for (const x of reachable(to)) out.add(x);
    }
    visiting.delete(c);
    reach.set(c, out);
    return out;
  };
  const reduced = new Map<Component, Component[]>();
  for (const [from, tos] of direct) {
    reduced.set(from, tos.filter((to) => !tos.some((other) => other !== to && reachable(other).has(to))));
  }
  return reduced;
}

/**
 * The Flux dependency graph (the derived `dependsOn`) as a mermaid flowchart: an arrow goes from a
 * component to the components that wait for it, so it reads in apply order. Components are grouped
 * by folder (and by layer in the layered layout); suspended ones are dashed; implied edges are
 * omitted; a group larger than {@link MAX_COMPONENTS_PER_GROUP} is drawn as one node.
 */
export function fluxGraphDiagram(facts: TreeFacts): { diagram: string; edges: number; shown: number } {
  const cluster = facts.cluster;
  const f = new Flowchart('LR');
  f.classDef('suspended', 'stroke-dasharray:5 5,fill:#f4f4f5');
  const layered = cluster.flux.layout === 'layered';
  const groupKey = (c: Component): string => (layered ? `${c.layer}/${c.group}` : c.group);
  const groups = new Map<string, Component[]>();
  for (const c of cluster.components) groups.set(groupKey(c), [...(groups.get(groupKey(c)) ?? []), c]);
  const nodeOf = new Map<Component, string>();
  const layerOrder = ['platform', 'apps'];
  const sortedGroups = [...groups.keys()].sort((a, b) => {
    if (layered) return layerOrder.indexOf(a.split('/')[0]) - layerOrder.indexOf(b.split('/')[0]) || a.localeCompare(b);
    return a.localeCompare(b);
  });
  for (const key of sortedGroups) {
    const members = groups.get(key)!;
    const layer = members[0].layer;
    if (layered) f.subgraph(`layer:${layer}`, `${layer} layer (Flux Kustomization ${layer})`);
    const sg = f.subgraph(`group:${key}`, members[0].group, layered ? `layer:${layer}` : undefined);
    if (members.length > MAX_COMPONENTS_PER_GROUP) {
      const id = f.node(`group-all:${key}`, `${members.length} components\n(see ks.yaml files)`, { subgraph: sg });
      for (const c of members) nodeOf.set(c, id);
      continue;
    }
    for (const c of [...members].sort((a, b) => a.name.localeCompare(b.name))) {
      const ks = facts.kustomizations.get(c) ?? [];
      const extra = ks.filter((k) => k !== c.name);
      const text = [c.name, ...extra.map((k) => `+ ${k}`), ...(c.suspend ? ['suspended'] : [])].join('\n');
      nodeOf.set(c, f.node(`component:${c.name}`, text, { subgraph: sg, classes: c.suspend ? ['suspended'] : [] }));
    }
  }
  const reduced = transitiveReduction(facts.tree.dependencies);
  let edges = 0;
  for (const list of facts.tree.dependencies.values()) edges += list.length;
  const ordered = [...reduced].sort(([a], [b]) => a.name.localeCompare(b.name));
  for (const [from, tos] of ordered) {
    for (const to of [...tos].sort((a, b) => a.name.localeCompare(b.name))) {
      const a = nodeOf.get(to);
      const b = nodeOf.get(from);
      if (a && b && a !== b) f.edge(a, b);
    }
  }
  return { diagram: f.render(), edges, shown: f.edgeCount };
}
