import { EntryFact, RouteFact, TreeFacts } from './facts.js';
import { Flowchart } from './mermaid.js';

/** Above this many app nodes in one namespace, the namespace is drawn as one node (the Apps table lists them all). */
export const MAX_APPS_PER_NAMESPACE = 8;

/**
 * The traffic path of a cluster as a mermaid flowchart, derived from the rendered route objects and
 * the cluster's INGRESS and TUNNEL services:
 * - `Internet → Cloudflare → tunnel → entry → apps` for public routes when the cluster has a tunnel
 *   (straight from the tunnel to the apps when the ingress cannot be a tunnel origin),
 * - `Internet → entry → apps` for public routes without a tunnel,
 * - `LAN → entry → apps` for internal routes,
 * where an entry is the Gateway a route attaches to, or the ingress controller serving it.
 * Apps are grouped by namespace. `undefined` when nothing is exposed.
 */
export function trafficDiagram(facts: TreeFacts): string | undefined {
  const routes = facts.routes;
  if (routes.length === 0) return undefined;
  const f = new Flowchart('LR');
  f.classDef('public', 'fill:#fde2cf,stroke:#c2410c');
  f.classDef('outside', 'fill:#eef2ff,stroke:#4338ca');

  const entries = new Map<string, EntryFact>();
  for (const r of routes) entries.set(r.entry.key, r.entry);
  const entryNode = (e: EntryFact): string =>
    f.node(`entry:${e.key}`, [e.name, e.namespace ? `ns ${e.namespace}` : '', e.address ?? ''].filter(Boolean).join('\n'));

  const hasPublic = routes.some((r) => r.exposure === 'public');
  const hasInternal = routes.some((r) => r.exposure === 'internal');
  const internet = hasPublic ? f.node('internet', 'Internet', { shape: 'stadium', classes: ['outside'] }) : undefined;
  const lan = hasInternal ? f.node('lan', 'LAN', { shape: 'stadium', classes: ['outside'] }) : undefined;
  let tunnel: string | undefined;
  if (hasPublic && facts.tunnel) {
    const cloudflare = f.node('cloudflare', 'Cloudflare edge', { shape: 'round', classes: ['outside'] });
    tunnel = f.node(`tunnel:${facts.tunnel.name}`, `${facts.tunnel.name} (tunnel)\nns ${facts.tunnel.namespace}`);
    f.edge(internet!, cloudflare);
    f.edge(cloudflare, tunnel);
  }

  // App nodes: one per (component, exposure), grouped by namespace; big namespaces collapse to one node.
  const byNamespace = new Map<string, Map<string, RouteFact[]>>();
  for (const r of routes) {
    // Keyed `exposure:name` so the node id ends in the app's name.
    const app = `${r.exposure}:${r.component?.name ?? r.name}`;
    const apps = byNamespace.get(r.namespace) ?? new Map<string, RouteFact[]>();
    apps.set(app, [...(apps.get(app) ?? []), r]);
    byNamespace.set(r.namespace, apps);
  }
  const appNode = new Map<RouteFact, string>();
  for (const ns of [...byNamespace.keys()].sort()) {
    const apps = byNamespace.get(ns)!;
    const sg = f.subgraph(`ns:${ns}`, `namespace ${ns}`);
    if (apps.size > MAX_APPS_PER_NAMESPACE) {
      for (const exposure of ['internal', 'public'] as const) {
        const list = [...apps.values()].flat().filter((r) => r.exposure === exposure);
        if (list.length === 0) continue;
        const hosts = list.flatMap((r) => r.hostnames).length;
        const id = f.node(`ns-all:${exposure}:${ns}`, `${new Set(list.map((r) => r.component?.name ?? r.name)).size} ${exposure} apps\n${hosts} hostnames (see Apps)`, { subgraph: sg, classes: exposure === 'public' ? ['public'] : [] });
        for (const r of list) appNode.set(r, id);
      }
      continue;
    }
    for (const [key, list] of [...apps].sort(([a], [b]) => a.localeCompare(b))) {
      const name = list[0].component?.name ?? list[0].name;
      const hosts = [...new Set(list.flatMap((r) => r.hostnames))].sort();
      const id = f.node(`app:${ns}:${key}`, [name, ...hosts].join('\n'), { subgraph: sg, classes: list[0].exposure === 'public' ? ['public'] : [] });
      for (const r of list) appNode.set(r, id);
    }
  }

  for (const r of routes) {
    const app = appNode.get(r)!;
    if (r.exposure === 'internal') {
      const entry = entryNode(r.entry);
      f.edge(lan!, entry);
      f.edge(entry, app);
    } else if (tunnel && !facts.tunnelToIngress) {
      f.edge(tunnel, app);
    } else {
      const entry = entryNode(r.entry);
      f.edge(tunnel ?? internet!, entry);
      f.edge(entry, app);
    }
  }
  return f.render();
}

/** One line per entry point saying what reaches it, for the text under the diagram. */
export function trafficSummary(facts: TreeFacts): string[] {
  const lines: string[] = [];
  const pub = facts.routes.filter((r) => r.exposure === 'public');
  const internal = facts.routes.filter((r) => r.exposure === 'internal');
  const count = (list: readonly RouteFact[]): number => new Set(list.flatMap((r) => r.hostnames)).size;
  if (pub.length > 0) {
    const via = facts.tunnel
      ? `Cloudflare Tunnel \`${facts.tunnel.name}\`${facts.tunnelToIngress ? ` → ${entryNames(pub)}` : ' → the apps\' Services'}`
      : entryNames(pub);
    lines.push(`- Public: ${count(pub)} hostname(s) from the Internet through ${via}.`);
  }
  if (internal.length > 0) lines.push(`- Internal: ${count(internal)} hostname(s) from the LAN through ${entryNames(internal)}.`);
  return lines;
}

function entryNames(routes: readonly RouteFact[]): string {
  const names = [...new Set(routes.map((r) => `\`${r.entry.name}\`${r.entry.address ? ` (${r.entry.address})` : ''}`))].sort();
  return names.join(', ');
}
