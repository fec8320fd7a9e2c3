import { namespaceCap } from './capabilities.js';
import { HomelabCluster } from './cluster.js';
import { Component, PodSecurityLevel } from './component.js';
import { BUILTIN_NAMESPACES } from './dependencies.js';
import { Diagnostics } from './diagnostics.js';

/** A Namespace the cluster creates, with everything its users asked of it merged. */
export interface PlannedNamespace {
  readonly name: string;
  readonly owner: Component;
  readonly podSecurity: PodSecurityLevel;
  readonly pruneProtected: boolean;
  readonly labels: Record<string, string>;
  readonly users: readonly Component[];
}

const LEVEL_RANK: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };

/**
 * Decides which component creates each namespace. The component that says `owner: true`
 * creates it, otherwise the first one declared; the others then depend on it (derived).
 * The enforced Pod Security level is the most permissive one any user of the namespace asked for,
 * so a privileged component is never silently blocked; data protection is kept if any user asks.
 */
export function planNamespaces(cluster: HomelabCluster): Map<string, PlannedNamespace> {
  const byName = new Map<string, Component[]>();
  for (const c of cluster.components) {
    if (BUILTIN_NAMESPACES.has(c.namespace)) continue;
    byName.set(c.namespace, [...(byName.get(c.namespace) ?? []), c]);
  }
  const planned = new Map<string, PlannedNamespace>();
  for (const [name, users] of byName) {
    const owners = users.filter((u) => u.namespaceOptions.owner);
    if (owners.length > 1) {
      Diagnostics.of(cluster).error(owners[1], 'namespace.owner', `namespace '${name}' is claimed by ${owners.map((o) => o.name).join(' and ')}`, 'set owner: true on one component only');
    }
    for (const u of users) {
      for (const key of Object.keys(u.namespaceOptions.labels ?? {}).filter((k) => k.startsWith('pod-security.kubernetes.io/'))) {
        Diagnostics.of(cluster).error(u, `namespace.labels.${key}`, `namespace '${name}' label '${key}' would be overwritten: the Pod Security labels are derived from the podSecurity its users ask for (the most permissive wins)`, `set the level instead: namespace: { name: '${name}', podSecurity: '${u.namespaceOptions.labels![key]}' }`);
      }
    }
    const owner = owners[0] ?? users[0];
    owner.provide(namespaceCap(name));
    planned.set(name, {
      name,
      owner,
      podSecurity: users.map((u) => u.namespaceOptions.podSecurity ?? 'restricted').reduce((a, b) => (LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a)),
      // Protected unless every user opts out: deleting a namespace deletes every component's objects in it.
      pruneProtected: users.some((u) => u.namespaceOptions.pruneProtected ?? true),
      labels: Object.assign({}, ...users.map((u) => u.namespaceOptions.labels ?? {})),
      users,
    });
  }
  return planned;
}

/** The Namespace manifest for a planned namespace. */
export function namespaceManifest(ns: PlannedNamespace): Record<string, unknown> {
  const labels: Record<string, string> = {
    ...sortedRecord(ns.labels),
    'pod-security.kubernetes.io/enforce': ns.podSecurity,
    'pod-security.kubernetes.io/audit': ns.podSecurity,
    'pod-security.kubernetes.io/warn': ns.podSecurity,
  };
  const metadata: Record<string, unknown> = { name: ns.name, labels };
  if (ns.pruneProtected) metadata.annotations = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
  return { apiVersion: 'v1', kind: 'Namespace', metadata };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}
