import { bootstrapSecrets } from '../bootstrap/secrets.js';
import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import { NodePrerequisite, nodeRequirements } from '../estate/node-requirements.js';
import { componentSecretDeclarations, userSecrets } from '../estate/user-secrets.js';
import { SopsSecretRecipe, sopsSecretRecipe } from '../platform/secrets/sops-config.js';
import { objectSecretProviders } from '../tree/secrets.js';
import type { ClusterTree } from '../tree/tree.js';
import { code, listing, table } from './markdown.js';

/**
 * What a person must do before Flux can reconcile a cluster, that no generated file does: the
 * Secrets nothing in the tree creates (declared user-provided by the components reading them, plus
 * flux-system's bootstrap Secrets) and the manual steps on the nodes. The cluster README lists them
 * under "Prerequisites" and the bootstrap runbook at the step before Flux's first reconcile.
 */

/** One Secret a person creates. */
export interface PrerequisiteSecret {
  readonly name: string;
  readonly namespace: string;
  /** Sorted. */
  readonly keys: readonly string[];
  /** Who reads it, for humans (component names, or Flux for bootstrap Secrets). Sorted. */
  readonly readers: readonly string[];
  /** What it holds, one sentence per reader. */
  readonly reasons: readonly string[];
  /** Where the values come from, when a reader said. */
  readonly howTo: readonly string[];
  /** `bootstrap`: a flux-system Secret created by hand at bootstrap (never a SOPS file: Flux needs it to decrypt). */
  readonly stage: 'bootstrap' | 'before-reconcile';
  /** Commands creating a bootstrap Secret. */
  readonly commands: readonly string[];
  /** Where its SOPS file goes and how to write it (before-reconcile Secrets). */
  readonly sops?: SopsSecretRecipe;
  /** A SOPS file at that path is already committed and listed by the component. */
  readonly committed: boolean;
  /** The first component declaring it (its folder holds the SOPS file). */
  readonly component?: Component;
}

/** One manual step on the nodes, with the component asking for it. */
export interface PrerequisiteNodeStep extends NodePrerequisite {
  /** Components asking for it, sorted. */
  readonly components: readonly string[];
}

/** Everything to do by hand before Flux reconciles, sorted (bootstrap Secrets first, then by namespace and name). */
export interface Prerequisites {
  readonly secrets: readonly PrerequisiteSecret[];
  readonly nodes: readonly PrerequisiteNodeStep[];
}

/**
 * The user-provided Secrets of a rendered cluster: what components declared, minus those the tree
 * provides after all (an ExternalSecret, a Secret or Certificate of another component, a runtime
 * source), plus the bootstrap Secrets a person creates.
 */
export function prerequisites(tree: ClusterTree): Prerequisites {
  const cluster = tree.cluster;
  const provided = new Set(tree.manifests.flatMap(objectSecretProviders).map((p) => `${p.namespace}/${p.name}`));
  for (const c of cluster.components) for (const s of componentSecretDeclarations(c).sources) provided.add(`${s.namespace}/${s.name}`);
  const secrets: PrerequisiteSecret[] = bootstrapSecrets(cluster)
    .filter((s) => s.createdBy === 'user')
    .map((s) => ({ name: s.name, namespace: s.namespace, keys: s.keys, readers: ['Flux'], reasons: [s.reason], howTo: [], stage: 'bootstrap', commands: s.commands, committed: false }));
  for (const s of userSecrets(cluster)) {
    if (provided.has(`${s.namespace}/${s.name}`)) continue;
    const component = s.readers[0].component;
    const sops = sopsSecretRecipe(component, s);
    secrets.push({
      name: s.name,
      namespace: s.namespace,
      keys: s.keys,
      readers: s.readers.map((r) => r.component.name),
      reasons: unique(s.readers.map((r) => r.reason)),
      howTo: unique(s.readers.flatMap((r) => (r.howTo ? [r.howTo] : []))),
      stage: 'before-reconcile',
      commands: [],
      sops,
      committed: component.sopsFiles.some((f) => f.path === sops.file) && tree.preserved.has(sops.path),
      component,
    });
  }
  return { secrets, nodes: nodeSteps(cluster) };
}

/** Node prerequisites sorted by name, each with the components asking for it. */
function nodeSteps(cluster: HomelabCluster): PrerequisiteNodeStep[] {
  const req = nodeRequirements(cluster);
  const askers = new Map<string, Set<string>>();
  for (const s of req.sources) for (const p of s.requirements.prerequisites ?? []) askers.set(p.name, (askers.get(p.name) ?? new Set()).add(s.component));
  return [...req.prerequisites]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({ ...p, components: [...(askers.get(p.name) ?? [])].sort() }));
}

/** The shell lines creating a before-reconcile Secret directly in the cluster (kept out of Git). */
export function directSecretCommands(s: Pick<PrerequisiteSecret, 'name' | 'namespace' | 'keys'>): string[] {
  return [
    `kubectl create namespace ${s.namespace} --dry-run=client -o yaml | kubectl apply -f -`,
    `kubectl -n ${s.namespace} create secret generic ${s.name} ${s.keys.map((k) => `--from-file=${k}=<file holding ${k}>`).join(' ')}`,
  ];
}

/** How the README and runbook name a Secret: `namespace/name`. */
const secretId = (s: { name: string; namespace: string }): string => `${s.namespace}/${s.name}`;

/** How the before-reconcile Secrets are created, said once above their recipes. */
export function secretRecipesIntro(cluster: HomelabCluster): string {
  return cluster.sops
    ? "Commit each Secret below as a SOPS file in the folder of the component reading it: run its command from the repository root (each value is read from a file you point at, never typed on the command line; mind that a trailing newline in the file becomes part of the value), list the file on the component (`addSopsFile('<name>.sops.yaml')`, or the construct's `sopsFile` option), synth and commit. To keep one out of Git instead, run the same `kubectl create secret generic` without `--dry-run=client -o yaml | sops …` against the cluster (create its namespace first)."
    : "This cluster has no SOPS settings, so nothing can be committed encrypted (add `sops: { ageRecipients: ['age1…'] }` to the cluster to commit Secrets as SOPS files): create each Secret below in the cluster, each value read from a file you point at (a trailing newline in the file becomes part of the value).";
}

/**
 * Markdown for one before-reconcile Secret: who reads it and why, then the command committing it
 * as a SOPS file (or, without SOPS settings, creating it in the cluster). `heading` is the level prefix.
 */
export function secretRecipe(s: PrerequisiteSecret, heading: string): string[] {
  const out: string[] = [`${heading} ${code(secretId(s))}`, ''];
  out.push(`Read by ${listing(s.readers.map((r) => code(r)))}: ${s.reasons.join('; ')}. Keys: ${listing(s.keys.map((k) => code(k)))}.${s.howTo.length > 0 ? ` Values: ${s.howTo.join('; ')}.` : ''}`, '');
  if (s.committed && s.sops) out.push(`Committed as the SOPS file ${code(s.sops.path)}: nothing to do.`, '');
  else if (s.sops?.command) out.push('```sh', s.sops.command, '```', '');
  else out.push('```sh', ...directSecretCommands(s), '```', '');
  return out;
}

/** The README's "Prerequisites" section (without its `##` heading): Secrets, then node steps; "None." when there is nothing. */
export function prerequisitesMarkdown(cluster: HomelabCluster, p: Prerequisites, runbookLink: string | undefined): string[] {
  if (p.secrets.length === 0 && p.nodes.length === 0) {
    return ['None: every Secret the tree reads is created in the cluster (ExternalSecrets, cert-manager, CloudNativePG, SOPS files) and no node needs a manual step.'];
  }
  const out: string[] = [`What no generated file does, to do before Flux's first reconcile${runbookLink ? ` ([${runbookLink}](${runbookLink}) has it in order)` : ''}.`, ''];
  out.push('### Secrets', '');
  if (p.secrets.length === 0) {
    out.push('None: every Secret the tree reads is created in the cluster.', '');
  } else {
    const created = (s: PrerequisiteSecret): string => {
      if (s.stage === 'bootstrap') return 'you, at bootstrap (runbook)';
      if (s.committed) return `SOPS file ${code(s.sops!.path)}`;
      return s.sops?.command ? 'you: a SOPS file (below)' : 'you, in the cluster (below)';
    };
    out.push(...table(['Secret', 'Keys', 'Read by', 'What it holds', 'Created by'], p.secrets.map((s) => [
      code(secretId(s)), s.keys.map((k) => code(k)).join(', ') || '–', s.readers.join(', '), s.reasons.join('; '), created(s),
    ]), true), '');
    const bootstrap = p.secrets.filter((s) => s.stage === 'bootstrap');
    if (bootstrap.length > 0) {
      out.push(`${listing(bootstrap.map((s) => code(secretId(s))))} ${bootstrap.length === 1 ? 'is' : 'are'} created at bootstrap, before Flux runs (Flux needs ${bootstrap.length === 1 ? 'it' : 'them'} to pull and decrypt the tree, so never as a SOPS file):`, '');
      out.push('```sh', ...bootstrap.flatMap((s) => s.commands), '```', '');
    }
    const others = p.secrets.filter((x) => x.stage === 'before-reconcile');
    if (others.length > 0) out.push(secretRecipesIntro(cluster), '');
    for (const s of others) out.push(...secretRecipe(s, '####'));
  }
  out.push('### Nodes', '');
  if (p.nodes.length === 0) out.push('None: no component needs a manual step on the nodes.', '');
  else out.push(...nodeStepsMarkdown(p.nodes));
  return out;
}

/** One list item per node step: name, components, reason, then how (a code block when it is shell lines). */
export function nodeStepsMarkdown(nodes: readonly PrerequisiteNodeStep[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    out.push(`- **${n.name}** (${listing(n.components.map((c) => code(c)))}): ${n.reason}`);
    const lines = n.howTo.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    if (lines.length > 1 || looksLikeShell(lines[0] ?? '')) out.push('', '  ```sh', ...lines.map((l) => `  ${l}`), '  ```');
    else if (lines.length === 1) out.push(`  ${lines[0]}`);
  }
  out.push('');
  return out;
}

/** A one-line howTo that is a command rather than a sentence (`zpool create …`). */
function looksLikeShell(line: string): boolean {
  return /^(sudo |zpool |zfs |talosctl |kubectl |ip |mkdir |modprobe |systemctl |echo |cat |lsblk|wipefs )/.test(line);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
