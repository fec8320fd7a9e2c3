import type { HomelabCluster } from './cluster.js';
import type { Component } from './component.js';
import { componentSecretDeclarations } from './secret-declarations.js';

// Declarations live in secret-declarations.ts (the component class uses them); this module resolves them per cluster.
export * from './secret-declarations.js';

/** One user-provided Secret of a cluster: the declarations of every component naming it, merged. */
export interface ResolvedUserSecret {
  readonly name: string;
  readonly namespace: string;
  /** Sorted, unique: every key any declaring component reads. */
  readonly keys: readonly string[];
  /** The declaring components and their reasons, sorted by component name. */
  readonly readers: readonly { readonly component: Component; readonly reason: string; readonly howTo?: string }[];
}

/** Every user-provided Secret of the cluster's components, merged by namespace and name, sorted by namespace then name. */
export function userSecrets(cluster: HomelabCluster): ResolvedUserSecret[] {
  const merged = new Map<string, { name: string; namespace: string; keys: Set<string>; readers: Map<Component, { reason: string; howTo?: string }> }>();
  for (const c of cluster.components) {
    for (const s of componentSecretDeclarations(c).secrets) {
      const id = `${s.namespace}/${s.name}`;
      let m = merged.get(id);
      if (!m) {
        m = { name: s.name, namespace: s.namespace, keys: new Set(), readers: new Map() };
        merged.set(id, m);
      }
      for (const k of s.keys) m.keys.add(k);
      // A component declaring one Secret twice keeps its first reason.
      if (!m.readers.has(c)) m.readers.set(c, { reason: s.reason, ...(s.howTo ? { howTo: s.howTo } : {}) });
    }
  }
  return [...merged.values()]
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
    .map((m) => ({
      name: m.name,
      namespace: m.namespace,
      keys: [...m.keys].sort(),
      readers: [...m.readers].map(([component, r]) => ({ component, ...r })).sort((a, b) => a.component.name.localeCompare(b.component.name)),
    }));
}
