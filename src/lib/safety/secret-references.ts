import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { bootstrapSecrets } from '../bootstrap/secrets.js';
import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { isDnsSubdomain } from '../estate/names.js';
import { componentSecretDeclarations, userSecrets } from '../estate/user-secrets.js';
import { componentManifestDir } from '../platform/secrets/sops-config.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { apiGroup, containersOf, describeObject, Manifest, podTemplateOf } from '../tree/manifests.js';
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

/** One place a Secret is read. */
export interface SecretReference {
  readonly name: string;
  readonly namespace: string;
  /** Keys read there (empty: the whole Secret, or not known). */
  readonly keys: readonly string[];
  /** Field of the referencing object (or the declared field). */
  readonly field: string;
  /** The referencing manifest, or the declaring component. */
  readonly site: RenderedManifest | Component;
  /** How messages name the reader: `Deployment 'apps/vaultwarden'`. */
  readonly reader: string;
}

/** One thing creating a Secret in the cluster. */
export interface SecretProvider {
  readonly name: string;
  readonly namespace: string;
  /** What creates it, for messages. */
  readonly by: string;
}

/** Files of the repository the check may read (SOPS files); `undefined` when absent. */
export type RepositoryReader = (path: string) => string | undefined;

/** Reads repository-relative files under `root`. */
export function repositoryReader(root: string): RepositoryReader {
  return (path) => {
    const full = join(root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
}

const isFlux = (o: Manifest, group: string): boolean => apiGroup(o) === `${group}.toolkit.fluxcd.io`;
const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
/** Names a chart still templates (`{{ .Release.Name }}-x`) are not Secret names yet. */
const templated = (name: string): boolean => name.includes('{{');

/** The Secret references of one rendered object. `certManagerNamespace`: where ClusterIssuers' Secrets live. */
export function objectSecretReferences(m: RenderedManifest, certManagerNamespace: string): SecretReference[] {
  const o = m.object;
  const ns: string = o.metadata?.namespace ?? '';
  const reader = describeObject(o);
  const out: SecretReference[] = [];
  const add = (name: unknown, field: string, keys: readonly unknown[] = [], namespace: string = ns): void => {
    if (!str(name) || templated(name) || namespace === '') return;
    out.push({ name, namespace, keys: keys.filter(str), field, site: m, reader });
  };
  const optional = (ref: Manifest | undefined): boolean => ref?.optional === true;

  const t = podTemplateOf(o);
  if (t) {
    const spec = t.spec;
    for (const { container, at } of containersOf(spec)) {
      (container.env ?? []).forEach((e: Manifest, i: number) => {
        const ref = e?.valueFrom?.secretKeyRef;
        if (ref && !optional(ref)) add(ref.name, `${t.at}.${at}.env[${i}].valueFrom.secretKeyRef`, [ref.key]);
      });
      (container.envFrom ?? []).forEach((e: Manifest, i: number) => {
        if (e?.secretRef && !optional(e.secretRef)) add(e.secretRef.name, `${t.at}.${at}.envFrom[${i}].secretRef`);
      });
    }
    (spec.volumes ?? []).forEach((v: Manifest, i: number) => {
      if (v?.secret && !optional(v.secret)) add(v.secret.secretName, `${t.at}.volumes[${i}].secret`, (v.secret.items ?? []).map((x: Manifest) => x.key));
      (v?.projected?.sources ?? []).forEach((s: Manifest, j: number) => {
        if (s?.secret && !optional(s.secret)) add(s.secret.name, `${t.at}.volumes[${i}].projected.sources[${j}].secret`, (s.secret.items ?? []).map((x: Manifest) => x.key));
      });
    });
    (spec.imagePullSecrets ?? []).forEach((p: Manifest, i: number) => add(p?.name, `${t.at}.imagePullSecrets[${i}]`));
  }
  if (o.kind === 'ServiceAccount' && o.apiVersion === 'v1') {
    (o.imagePullSecrets ?? []).forEach((p: Manifest, i: number) => add(p?.name, `imagePullSecrets[${i}]`));
  }

  if (o.kind === 'HelmRelease' && isFlux(o, 'helm')) {
    (o.spec?.valuesFrom ?? []).forEach((v: Manifest, i: number) => {
      if (v?.kind === 'Secret' && !optional(v)) add(v.name, `spec.valuesFrom[${i}]`, [v.valuesKey ?? 'values.yaml']);
    });
    add(o.spec?.kubeConfig?.secretRef?.name, 'spec.kubeConfig.secretRef');
    // An EnvVarSource handed to a chart (`env: [{valueFrom: {secretKeyRef}}]`) is a Kubernetes shape,
    // not a guess: the chart copies it into its pods, in the release namespace.
    const releaseNs = o.spec?.targetNamespace ?? ns;
    walk(o.spec?.values, 'spec.values', (path, v, key) => {
      if (key === 'secretKeyRef' && path.endsWith('.valueFrom.secretKeyRef') && v && typeof v === 'object' && !optional(v)) add(v.name, path, [v.key], releaseNs);
    });
  }
  if (isFlux(o, 'source')) {
    add(o.spec?.secretRef?.name, 'spec.secretRef');
    add(o.spec?.certSecretRef?.name, 'spec.certSecretRef');
    add(o.spec?.proxySecretRef?.name, 'spec.proxySecretRef');
    add(o.spec?.verify?.secretRef?.name, 'spec.verify.secretRef');
  }
  if (o.kind === 'Kustomization' && isFlux(o, 'kustomize')) {
    add(o.spec?.decryption?.secretRef?.name, 'spec.decryption.secretRef');
    add(o.spec?.kubeConfig?.secretRef?.name, 'spec.kubeConfig.secretRef');
  }
  if (o.kind === 'FluxInstance' && apiGroup(o) === 'fluxcd.controlplane.io') add(o.spec?.sync?.pullSecret, 'spec.sync.pullSecret');

  if ((o.kind === 'Issuer' || o.kind === 'ClusterIssuer') && apiGroup(o) === 'cert-manager.io') {
    // A ClusterIssuer reads its Secrets in cert-manager's cluster resource namespace.
    const issuerNs = o.kind === 'ClusterIssuer' ? certManagerNamespace : ns;
    walk(o.spec, 'spec', (path, v, key) => {
      // The ACME account key is written by cert-manager itself (a provider, below).
      if (key === 'privateKeySecretRef' && path === 'spec.acme.privateKeySecretRef') return;
      if (key.endsWith('SecretRef') && v && typeof v === 'object') add(v.name, path, [v.key], issuerNs);
    });
    add(o.spec?.ca?.secretName, 'spec.ca.secretName', ['tls.crt', 'tls.key'], issuerNs);
  }

  if (o.kind === 'Cluster' && apiGroup(o) === 'postgresql.cnpg.io') {
    const s = o.spec ?? {};
    add(s.bootstrap?.initdb?.secret?.name, 'spec.bootstrap.initdb.secret');
    add(s.bootstrap?.recovery?.secret?.name, 'spec.bootstrap.recovery.secret');
    add(s.superuserSecret?.name, 'spec.superuserSecret');
    (s.managed?.roles ?? []).forEach((r: Manifest, i: number) => add(r?.passwordSecret?.name, `spec.managed.roles[${i}].passwordSecret`));
    for (const k of ['serverCASecret', 'serverTLSSecret', 'replicationTLSSecret', 'clientCASecret']) add(s.certificates?.[k], `spec.certificates.${k}`);
    walk(s.backup?.barmanObjectStore, 'spec.backup.barmanObjectStore', (path, v) => {
      if (isSecretKeySelector(v)) add(v.name, path, [v.key]);
    });
    (s.externalClusters ?? []).forEach((x: Manifest, i: number) => {
      walk(x, `spec.externalClusters[${i}]`, (path, v, key) => {
        if (key !== 'plugin' && isSecretKeySelector(v)) add(v.name, path, [v.key]);
      });
    });
  }
  if (o.kind === 'ObjectStore' && apiGroup(o) === 'barmancloud.cnpg.io') {
    walk(o.spec?.configuration, 'spec.configuration', (path, v) => {
      if (isSecretKeySelector(v)) add(v.name, path, [v.key]);
    });
  }

  if ((o.kind === 'SecretStore' || o.kind === 'ClusterSecretStore') && apiGroup(o) === 'external-secrets.io') {
    walk(o.spec?.provider, 'spec.provider', (path, v, key) => {
      if (!v || typeof v !== 'object') return;
      const isRef = key === 'secretRef' || key.endsWith('SecretRef') || key === 'bearerToken' || (key === 'caProvider' && v.type === 'Secret');
      // A ClusterSecretStore's refs must name their namespace; a SecretStore's live beside it.
      if (isRef) add(v.name, path, [v.key], v.namespace ?? ns);
    });
  }

  if (o.kind === 'Ingress' && apiGroup(o) === 'networking.k8s.io') {
    (o.spec?.tls ?? []).forEach((tls: Manifest, i: number) => add(tls?.secretName, `spec.tls[${i}].secretName`));
  }
  if (o.kind === 'Gateway' && apiGroup(o) === 'gateway.networking.k8s.io') {
    (o.spec?.listeners ?? []).forEach((l: Manifest, i: number) => {
      (l?.tls?.certificateRefs ?? []).forEach((r: Manifest, j: number) => {
        if ((r.kind ?? 'Secret') === 'Secret' && (r.group ?? '') === '') add(r.name, `spec.listeners[${i}].tls.certificateRefs[${j}]`, [], r.namespace ?? ns);
      });
    });
  }
  if (apiGroup(o) === 'traefik.io') {
    if (o.kind === 'IngressRoute' || o.kind === 'IngressRouteTCP') add(o.spec?.tls?.secretName, 'spec.tls.secretName');
    if (o.kind === 'TLSStore') {
      add(o.spec?.defaultCertificate?.secretName, 'spec.defaultCertificate.secretName');
      (o.spec?.certificates ?? []).forEach((c: Manifest, i: number) => add(c?.secretName, `spec.certificates[${i}].secretName`));
    }
    if (o.kind === 'TLSOption') (o.spec?.clientAuth?.secretNames ?? []).forEach((n: string, i: number) => add(n, `spec.clientAuth.secretNames[${i}]`));
    if (o.kind === 'Middleware') {
      add(o.spec?.basicAuth?.secret, 'spec.basicAuth.secret');
      add(o.spec?.digestAuth?.secret, 'spec.digestAuth.secret');
    }
  }
  return out;
}

/** What the objects of the tree create. */
export function objectSecretProviders(m: RenderedManifest): SecretProvider[] {
  const o = m.object;
  const ns: string = o.metadata?.namespace ?? '';
  const out: SecretProvider[] = [];
  const add = (name: unknown, by: string, namespace: string = ns): void => {
    if (str(name) && namespace !== '') out.push({ name, namespace, by });
  };
  if (o.kind === 'Secret' && o.apiVersion === 'v1') add(o.metadata?.name, `the Secret in ${m.file}`);
  if (o.kind === 'ExternalSecret' && apiGroup(o) === 'external-secrets.io') {
    // creationPolicy None/Merge writes into a Secret something else must create.
    const policy = o.spec?.target?.creationPolicy ?? 'Owner';
    if (policy === 'Owner' || policy === 'Orphan') add(o.spec?.target?.name ?? o.metadata?.name, `ExternalSecret '${ns}/${o.metadata?.name}'`);
  }
  if (o.kind === 'Certificate' && apiGroup(o) === 'cert-manager.io') add(o.spec?.secretName, `Certificate '${ns}/${o.metadata?.name}'`);
  if (o.kind === 'ClusterIssuer' || o.kind === 'Issuer') {
    if (apiGroup(o) === 'cert-manager.io' && str(o.spec?.acme?.privateKeySecretRef?.name)) {
      // cert-manager registers the ACME account and stores its key there; it needs no user input.
      out.push({ name: o.spec.acme.privateKeySecretRef.name, namespace: o.kind === 'Issuer' ? ns : '*cert-manager*', by: `${o.kind} '${o.metadata?.name}' (ACME account key)` });
    }
  }
  const shim = o.metadata?.annotations ?? {};
  const byShim = shim['cert-manager.io/cluster-issuer'] !== undefined || shim['cert-manager.io/issuer'] !== undefined;
  if (byShim && o.kind === 'Ingress') (o.spec?.tls ?? []).forEach((tls: Manifest) => add(tls?.secretName, `cert-manager ingress-shim on ${describeObject(o)}`));
  if (byShim && o.kind === 'Gateway') {
    for (const l of o.spec?.listeners ?? []) for (const r of l?.tls?.certificateRefs ?? []) add(r?.name, `cert-manager gateway-shim on ${describeObject(o)}`, r?.namespace ?? ns);
  }
  if (o.kind === 'Cluster' && apiGroup(o) === 'postgresql.cnpg.io') {
    const name = o.metadata?.name;
    const by = `CloudNativePG Cluster '${ns}/${name}'`;
    if (str(name)) {
      for (const suffix of ['ca', 'server', 'replication']) add(`${name}-${suffix}`, by);
      if (!o.spec?.bootstrap?.initdb?.secret) add(`${name}-app`, by);
      if (o.spec?.enableSuperuserAccess === true) add(`${name}-superuser`, by);
    }
  }
  return out;
}

/** The namespace cert-manager reads ClusterIssuer Secrets from: its release namespace (or `clusterResourceNamespace`). */
function certManagerNamespaceOf(tree: ClusterTree): string {
  const hr = tree.manifests.find((m) => m.object.kind === 'HelmRelease' && isFlux(m.object, 'helm') && m.object.spec?.chart?.spec?.chart === 'cert-manager')?.object;
  return hr?.spec?.values?.clusterResourceNamespace ?? hr?.spec?.targetNamespace ?? hr?.metadata?.namespace ?? 'cert-manager';
}

/**
 * Secrets an ExternalSecret reads through a Kubernetes-provider SecretStore of the tree: each
 * `remoteRef.key` is a Secret in the store's remote namespace.
 */
function remoteSecretReferences(tree: ClusterTree): SecretReference[] {
  const out: SecretReference[] = [];
  const stores = tree.manifests.filter((m) => (m.object.kind === 'SecretStore' || m.object.kind === 'ClusterSecretStore') && apiGroup(m.object) === 'external-secrets.io' && m.object.spec?.provider?.kubernetes);
  for (const m of tree.manifests) {
    const o = m.object;
    if (o.kind !== 'ExternalSecret' || apiGroup(o) !== 'external-secrets.io') continue;
    const ref = o.spec?.secretStoreRef ?? {};
    const kind = ref.kind ?? 'SecretStore';
    const store = stores.find((s) => s.object.kind === kind && s.object.metadata?.name === ref.name && (kind === 'ClusterSecretStore' || s.object.metadata?.namespace === o.metadata?.namespace));
    if (!store) continue;
    const remoteNs: string = store.object.spec.provider.kubernetes.remoteNamespace ?? 'default';
    (o.spec?.data ?? []).forEach((d: Manifest, i: number) => {
      if (str(d?.remoteRef?.key)) out.push({ name: d.remoteRef.key, namespace: remoteNs, keys: str(d.remoteRef.property) ? [d.remoteRef.property] : [], field: `spec.data[${i}].remoteRef`, site: m, reader: describeObject(o) });
    });
  }
  return out;
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

/** The Secrets a SOPS file defines (name, namespace defaulting to `namespace`). */
export function sopsFileSecrets(content: string, namespace: string): { name: string; namespace: string }[] {
  try {
    return parseAllDocuments(content)
      .map((d) => d.toJSON() as Manifest)
      .filter((o) => o && o.kind === 'Secret' && str(o.metadata?.name))
      .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace ?? namespace }));
  } catch {
    return [];
  }
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
    const under = (path: string): boolean => !!component && (path === component.node.path || path.startsWith(`${component.node.path}/`) || path.startsWith(`${component.node.path} (`));
    if (problems.some((p) => under(p.path) && (p.field.startsWith('sopsFiles') || `${p.message} ${p.fix}`.includes(`'${ref.name}'`)))) continue;
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

function siteId(site: RenderedManifest | Component): string {
  return 'object' in site && 'file' in site ? `${site.file}|${site.path}|${site.object.kind}/${site.object.metadata?.name}` : (site as Component).node.path;
}

function componentOf(tree: ClusterTree, site: RenderedManifest | Component): Component | undefined {
  if (!('object' in site && 'file' in site)) return site as Component;
  return tree.cluster.components.find((c) => c.node.path === site.path);
}

/** A CNPG/Barman `SecretKeySelector`: exactly `{ name, key }`. */
function isSecretKeySelector(v: unknown): v is { name: string; key: string } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && str((v as Manifest).name) && str((v as Manifest).key);
}

function walk(value: unknown, path: string, visit: (path: string, value: any, key: string) => void, key = ''): void {
  if (key !== '') visit(path, value, key);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`, visit, k);
}
