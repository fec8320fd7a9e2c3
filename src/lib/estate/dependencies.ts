import { Capability, DEFAULT_STORAGE_CLASS } from './capabilities.js';
import { HomelabCluster } from './cluster.js';
import { Component } from './component.js';
import { Diagnostics } from './diagnostics.js';

/** Why one component depends on another. */
export interface DependencyEdge {
  readonly from: Component;
  readonly to: Component;
  readonly reason: string;
  /** The capability that caused the edge, if derived. */
  readonly capability?: Capability;
}

/** Namespaces every cluster has before any component runs. */
export const BUILTIN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

/**
 * Derives the dependsOn of every component of a cluster: each requirement is linked to the one
 * component providing it. Missing or ambiguous providers and cycles are reported as problems.
 * Edges are deduplicated and sorted by target name so output is stable.
 */
export function resolveDependencies(cluster: HomelabCluster): Map<Component, DependencyEdge[]> {
  const d = Diagnostics.of(cluster);
  const providers = providerIndex(cluster);
  const reported = reportDuplicateUniques(cluster, providers);
  const result = new Map<Component, DependencyEdge[]>();
  for (const c of cluster.components) {
    const edges = new Map<Component, DependencyEdge>();
    for (const [cap, reason] of c.requires) {
      if (c.provides.has(cap) || isBuiltin(cluster, cap)) continue;
      const found = providers.get(cap) ?? [];
      if (found.length === 0) {
        d.error(c, 'requires', `needs ${cap.describe()} (${reason}) but no component in cluster '${cluster.name}' provides it`, cap.fixWhenMissing());
      } else if (found.length > 1) {
        if (reported.has(cap)) continue;
        d.error(c, 'requires', `${cap.describe()} is provided by several components: ${found.map((f) => f.name).join(', ')}`, cap.fixWhenAmbiguous());
      } else if (!edges.has(found[0])) {
        edges.set(found[0], { from: c, to: found[0], reason, capability: cap });
      }
    }
    for (const { component, reason } of c.explicitDependencies) {
      if (component.cluster !== cluster) {
        d.error(c, 'dependsOn', `depends on '${component.name}', which belongs to cluster '${component.cluster.name}'`, `depend only on components of cluster '${cluster.name}'`);
      } else if (component !== c && !edges.has(component)) {
        edges.set(component, { from: c, to: component, reason });
      }
    }
    result.set(c, [...edges.values()].sort((a, b) => a.to.name.localeCompare(b.to.name)));
  }
  reportCycles(cluster, result);
  return result;
}

/** Capabilities a cluster has at most once even when nothing requires them: one default StorageClass. */
const CLUSTER_UNIQUE: readonly Capability[] = [DEFAULT_STORAGE_CLASS];

/**
 * Reports each cluster-unique capability provided more than once (by components, or by a component
 * and the distribution's builtins, e.g. OKE's default `oci-bv`); returns those reported, so the
 * requirements using them are not reported again.
 */
function reportDuplicateUniques(cluster: HomelabCluster, providers: Map<Capability, Component[]>): Set<Capability> {
  const reported = new Set<Capability>();
  for (const cap of CLUSTER_UNIQUE) {
    const found = providers.get(cap) ?? [];
    const builtin = cluster.builtins.has(cap);
    const names = [...(builtin ? [`${cluster.distribution} (built in)`] : []), ...found.map((f) => f.name)];
    if (names.length < 2) continue;
    const culprit = found[builtin ? 0 : 1];
    Diagnostics.of(cluster).error(culprit, 'default', `${cap.describe()} is provided by several components: ${names.join(', ')}`, cap.fixWhenAmbiguous());
    reported.add(cap);
  }
  return reported;
}

function providerIndex(cluster: HomelabCluster): Map<Capability, Component[]> {
  const index = new Map<Capability, Component[]>();
  for (const c of cluster.components) {
    for (const cap of c.provides) index.set(cap, [...(index.get(cap) ?? []), c]);
  }
  return index;
}

function isBuiltin(cluster: HomelabCluster, cap: Capability): boolean {
  if (cluster.builtins.has(cap)) return true;
  return cap.kind === 'namespace' && BUILTIN_NAMESPACES.has(cap.value);
}

/** Reports every dependency cycle once, printed as `a → b → a`. */
function reportCycles(cluster: HomelabCluster, graph: Map<Component, DependencyEdge[]>): void {
  const state = new Map<Component, 'visiting' | 'done'>();
  const stack: Component[] = [];
  const seen = new Set<string>();
  const visit = (c: Component): void => {
    state.set(c, 'visiting');
    stack.push(c);
    for (const e of graph.get(c) ?? []) {
      const s = state.get(e.to);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(e.to)), e.to].map((x) => x.name);
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          Diagnostics.of(cluster).error(c, 'dependsOn', `dependency cycle: ${cycle.join(' → ')}`, 'remove one of the dependencies in the cycle (an explicit dependsOn, or the use that derives it)');
        }
      } else if (s === undefined) {
        visit(e.to);
      }
    }
    stack.pop();
    state.set(c, 'done');
  };
  for (const c of cluster.components) if (!state.has(c)) visit(c);
}
