import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapSecrets } from '../bootstrap/secrets.js';
import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { isDnsSubdomain } from '../estate/names.js';
import { SELF_CHECKED } from '../estate/self-checks.js';
import { componentSecretDeclarations, REFUSED_SECRET_DECLARATION, userSecrets } from '../estate/user-secrets.js';
import { componentManifestDir } from '../tree/components.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { certManagerNamespaceOf, objectSecretProviders, objectSecretReferences, remoteSecretReferences, SecretProvider, SecretReference, sopsFileSecrets } from '../tree/secrets.js';
import { Reporter, Site } from './report.js';

/**
 * Every Secret a cluster's tree reads must come from somewhere in that cluster, or Flux applies the
 * tree and the pods sit in CreateContainerConfigError (a HelmRelease fails, a ClusterIssuer never
 * turns Ready) with nothing in Git saying what is missing. This pass collects the references of the
 * rendered objects, and of what components declared (user-secrets.ts), and the providers:
 *
 * - a Secret object in the tree; an ExternalSecret's target; a cert-manager Certificate's
 *   `secretName` (or ingress-shim on an annotated Ingress/Gateway); an ACME account key cert-manager
 *   writes itself; the Secrets a CloudNativePG Cluster generates;
 * - a Secret inside one of the component's SOPS files (read from the repository: only values are
 *   encrypted, names stay readable);
 * - a Secret a component declared as created at runtime ({@link declareSecretSource}), as
 *   user-provided ({@link declareUserSecret}), or a bootstrap Secret of flux-system.
 *
 * A reference without any of them is a synth error at the referencing object.
 */

export { objectSecretProviders, objectSecretReferences, sopsFileSecrets } from '../tree/secrets.js';
export type { SecretProvider, SecretReference } from '../tree/secrets.js';

/** Files of the repository the check may read (SOPS files); `undefined` when absent. */
export type RepositoryReader = (path: string) => string | undefined;

/** Reads repository-relative files under `root`. */
export function repositoryReader(root: string): RepositoryReader {
  return (path) => {
    const full = join(root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
}

/** Every Secret the cluster reads: rendered objects, ExternalSecrets through Kubernetes stores, and declared uses. */
export function secretReferences(tree: ClusterTree): SecretReference[] {
  const cmNs = certManagerNamespaceOf(tree);
  const fromObjects = tree.manifests.flatMap((m) => objectSecretReferences(m, cmNs));
  const declared = tree.cluster.components.flatMap((c) => componentSecretDeclarations(c).uses.map((u): SecretReference => ({
    name: u.name, namespace: u.namespace, keys: u.keys ?? [], field: u.field, site: c, reader: `component '${c.name}'`,
  })));
  return [...fromObjects, ...remoteSecretReferences(tree), ...declared];
}

/** Everything creating a Secret in the cluster, or standing for one a person creates. */
export function secretProviders(tree: ClusterTree, read?: RepositoryReader): SecretProvider[] {
  const cluster = tree.cluster;
  const cmNs = certManagerNamespaceOf(tree);
  const out: SecretProvider[] = tree.manifests.flatMap(objectSecretProviders).map((p) => (p.namespace === '*cert-manager*' ? { ...p, namespace: cmNs } : p));
  for (const c of cluster.components) {
    const decl = componentSecretDeclarations(c);
    for (const s of decl.sources) out.push({ name: s.name, namespace: s.namespace, by: `${s.by} (declared by '${c.name}')` });
    if (read) {
      const dir = componentManifestDir(c);
      for (const f of c.sopsFiles) {
        const path = `${dir}/${f.path}`;
        const content = read(path);
        if (content !== undefined) for (const s of sopsFileSecrets(content, c.namespace)) out.push({ ...s, by: `SOPS file ${path}` });
      }
    }
  }
  for (const s of userSecrets(cluster)) out.push({ name: s.name, namespace: s.namespace, by: `user-provided (declared by ${s.readers.map((r) => `'${r.component.name}'`).join(', ')})` });
  for (const s of bootstrapSecrets(cluster)) out.push({ name: s.name, namespace: s.namespace, by: s.createdBy === 'user' ? 'created at bootstrap (see bootstrap/README.md)' : 'flux bootstrap' });
  return out;
}

/** The references of the tree that nothing provides, grouped per reader and Secret (first field kept). */
export function unprovidedSecretReferences(tree: ClusterTree, read?: RepositoryReader): SecretReference[] {
  const provided = new Set(secretProviders(tree, read).map((p) => `${p.namespace}/${p.name}`));
  const seen = new Map<string, SecretReference>();
  for (const r of secretReferences(tree)) {
    if (provided.has(`${r.namespace}/${r.name}`)) continue;
    const id = `${siteId(r.site)}|${r.namespace}/${r.name}`;
    const first = seen.get(id);
    if (!first) seen.set(id, { ...r, keys: [...new Set(r.keys)] });
    else seen.set(id, { ...first, keys: [...new Set([...first.keys, ...r.keys])] });
  }
  return [...seen.values()];
}

/**
 * Reports every Secret the tree reads that nothing in the cluster provides, at the reading object,
 * with the three ways to provide it. `read` gives the SOPS files' content.
 */
export function checkSecretReferences(tree: ClusterTree, read?: RepositoryReader): void {
  if (read) checkSopsSources(tree, read);
  const r = new Reporter(tree.cluster);
  const problems = Diagnostics.of(tree.cluster).problems.filter((p) => p.cluster === tree.cluster.name);
  for (const ref of unprovidedSecretReferences(tree, read)) {
    const component = componentOf(tree, ref.site);
    // The component already said what is wrong with this Secret (no store, a missing or unusable
    // SOPS file, SOPS files without sops settings): a second error would only repeat it.
    if (component && (secretReported(component, ref.name) || problems.some((p) => underComponent(component, p.path) && isSopsFileProblem(p)))) continue;
    if (!isDnsSubdomain(ref.name)) {
      // No Secret can have this name, so none of the ways to provide one below would work.
      r.error(ref.site as Site, ref.field, `'${ref.name}' read by ${ref.reader} is not a valid Secret name (DNS-1123 subdomain), so no Secret can ever match it`, `use the Secret's real name: lowercase letters, digits, '-' and '.', e.g. '${ref.name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'app-secret'}'`);
      continue;
    }
    const keys = ref.keys.length > 0 ? ref.keys : ['<key>'];
    const on = component ? `component '${component.name}'` : 'the component reading it';
    const ns = component && component.namespace === ref.namespace ? '' : `, namespace: '${ref.namespace}'`;
    const declare = `call declareUserSecret({ name: '${ref.name}'${ns}, keys: [${keys.map((k) => `'${k}'`).join(', ')}], reason: '…' }) on ${on}`;
    const sops = component ? ` (${componentManifestDir(component)}/${ref.name}.sops.yaml, listed with addSopsFile('${ref.name}.sops.yaml'))` : '';
    r.error(
      ref.site as Site,
      ref.field,
      `Secret '${ref.namespace}/${ref.name}' read by ${ref.reader} has no provider in cluster '${tree.cluster.name}': no Secret, ExternalSecret, Certificate or SOPS file creates it and no component declares it user-provided`,
      `declare it user-provided so the README lists how to create it: ${declare}; or commit it as a SOPS file${sops} or through the construct's sopsFile option; or take it from the secret store (fromStore)`,
    );
  }
}

/**
 * Warns when a SOPS file a component names as the source of a Secret defines no Secret of that
 * name: Flux would apply it and the readers would still wait. Files whose names are encrypted too
 * (no readable Secret name) are not judged.
 */
export function checkSopsSources(tree: ClusterTree, read: RepositoryReader): void {
  const r = new Reporter(tree.cluster);
  for (const c of tree.cluster.components) {
    for (const s of componentSecretDeclarations(c).sources) {
      if (!s.sopsFile) continue;
      const path = `${componentManifestDir(c)}/${s.sopsFile}`;
      const content = read(path);
      if (content === undefined) continue;
      const defined = sopsFileSecrets(content, c.namespace).filter((x) => !x.name.startsWith('ENC['));
      if (defined.length === 0 || defined.some((x) => x.name === s.name && x.namespace === s.namespace)) continue;
      r.warn(c, `sops-secret-name:${s.name}`, `${path} defines ${defined.map((x) => `Secret '${x.namespace}/${x.name}'`).join(', ')}, but '${c.name}' reads Secret '${s.namespace}/${s.name}' from it: Flux would apply the file and '${c.name}' would still wait (set metadata.name and metadata.namespace in the file before encrypting it)`);
    }
  }
}

/**
 * Whether a problem about Secret `name` was already reported on `component`: it recorded
 * `secret-reported` (estate/self-checks.ts), or its declaration of the Secret was refused
 * (`REFUSED_SECRET_DECLARATION`).
 */
function secretReported(component: Component, name: string): boolean {
  const ledger = component.cluster.ledger;
  return ledger.of(SELF_CHECKED, component).some((c) => c.kind === 'secret-reported' && c.name === name)
    || ledger.of(REFUSED_SECRET_DECLARATION, component).some((r) => r.name === name);
}

/** Whether construct path `path` is `component`'s or below it (a sub-construct, or a manifest of its folder). */
function underComponent(component: Component, path: string): boolean {
  return path === component.node.path || path.startsWith(`${component.node.path}/`) || path.startsWith(`${component.node.path} (`);
}

/** Whether problem `p` is about the component's SOPS files (field `sopsFiles…`): a Secret they should hold is then already accounted for. */
function isSopsFileProblem(p: { field: string }): boolean {
  return p.field.startsWith('sopsFiles');
}

function siteId(site: RenderedManifest | Component): string {
  return 'object' in site && 'file' in site ? `${site.file}|${site.path}|${site.object.kind}/${site.object.metadata?.name}` : (site as Component).node.path;
}

function componentOf(tree: ClusterTree, site: RenderedManifest | Component): Component | undefined {
  if (!('object' in site && 'file' in site)) return site as Component;
  return tree.cluster.components.find((c) => c.node.path === site.path);
}
