/**
 * Secrets in the rendered tree: which Secrets each object reads (env, volumes, Flux decryption,
 * charts' existing-secret values, CNPG and cert-manager references…) and which it creates
 * (Secret objects, ExternalSecret targets, Certificates, cert-manager shims, CNPG's generated
 * Secrets), and the Secrets a SOPS file defines.
 */
import { parseAllDocuments } from 'yaml';
import type { Component } from '../estate/component.js';
import { apiGroup, containersOf, describeObject, Manifest, podTemplateOf } from './manifests.js';
import type { ClusterTree, RenderedManifest } from './tree.js';

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

const isFlux = (o: Manifest, group: string): boolean => apiGroup(o) === `${group}.toolkit.fluxcd.io`;
/** A non-empty string. */
export const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
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
export function certManagerNamespaceOf(tree: ClusterTree): string {
  const hr = tree.manifests.find((m) => m.object.kind === 'HelmRelease' && isFlux(m.object, 'helm') && m.object.spec?.chart?.spec?.chart === 'cert-manager')?.object;
  return hr?.spec?.values?.clusterResourceNamespace ?? hr?.spec?.targetNamespace ?? hr?.metadata?.namespace ?? 'cert-manager';
}

/**
 * Secrets an ExternalSecret reads through a Kubernetes-provider SecretStore of the tree: each
 * `remoteRef.key` is a Secret in the store's remote namespace.
 */
export function remoteSecretReferences(tree: ClusterTree): SecretReference[] {
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
