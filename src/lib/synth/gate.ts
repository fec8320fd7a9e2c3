import { Diagnostics } from '../estate/diagnostics.js';
import { isDnsLabel, isDnsSubdomain } from '../estate/names.js';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { validateManifest } from '../validation/schema-validator.js';
import { celNotEvaluated } from '../validation/cel-validator.js';
import { kindScope } from '../validation/kind-scope.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { Problem } from '../estate/problems.js';

type Manifest = Record<string, any>;

/** Kinds whose name must be a DNS-1123 label rather than a subdomain. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

/**
 * The validation gate every generated object passes before anything is written: schema, names,
 * identities, Flux references and namespaces. Problems go to the estate's diagnostics.
 */
export function checkClusterTree(tree: ClusterTree): void {
  const d = Diagnostics.of(tree.cluster);
  const add = (m: RenderedManifest, field: string, message: string, fix: string): void => {
    d.problems.push({ cluster: m.cluster, path: `${m.path} (${m.file})`, field, message, fix } satisfies Problem);
  };
  const index = indexObjects(tree.manifests);
  const namespaces = new Set(tree.manifests.filter((m) => m.object.kind === 'Namespace').map((m) => String(m.object.metadata?.name)));
  for (const m of tree.manifests) {
    const skipped = celNotEvaluated().length;
    for (const issue of validateManifest(m.object)) {
      add(m, issue.field, `${m.object.kind} '${m.object.metadata?.name ?? ''}' does not match its schema: ${issue.message}`, 'correct the value the construct is given (see the field above)');
    }
    warnNotEvaluated(d, m, celNotEvaluated().slice(skipped));
    checkName(m, add);
    checkNamespace(m, tree, namespaces, add);
    checkFluxReferences(m, index, add);
    checkNoPlaintextSecret(m, add);
  }
  checkIdentities(tree.manifests, add);
}

type Add = (m: RenderedManifest, field: string, message: string, fix: string) => void;

/**
 * A CEL rule the evaluator compiled but could not evaluate on this object is a warning, not an
 * error (the evaluator may be at fault) and not silence (the API server may still refuse it).
 */
function warnNotEvaluated(d: Diagnostics, m: RenderedManifest, skipped: ReturnType<typeof celNotEvaluated>): void {
  for (const s of skipped) {
    d.warnings.push({ cluster: m.cluster, path: `${m.path} (${m.file})`, code: 'cel-rule-not-evaluated', message: `${s.object} ${s.field}: CEL rule \`${s.rule}\` could not be evaluated here (${s.error}); the API server will evaluate it` });
  }
}

function identity(o: Manifest): string {
  const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function indexObjects(manifests: readonly RenderedManifest[]): Set<string> {
  return new Set(manifests.filter((m) => m.object.kind && m.object.metadata).map((m) => `${m.object.kind}/${m.object.metadata.namespace ?? ''}/${m.object.metadata.name}`));
}

/**
 * Kinds whose name ends up inside a label value or a generated name with a suffix, so a name the
 * API server accepts can still leave the workload without pods: the StatefulSet controller labels
 * each revision `controller-revision-hash: <name>-<hash>` (up to 11 characters added) and each pod
 * `statefulset.kubernetes.io/pod-name`; the API server itself refuses CronJob names over 52, since
 * its Jobs are named `<name>-<scheduled time>`.
 */
const MAX_NAME_LENGTH: Readonly<Record<string, { max: number; why: string }>> = {
  StatefulSet: { max: 52, why: "the controller labels its revisions '<name>-<hash>' (a label value, at most 63 characters), so pods are never created" },
  CronJob: { max: 52, why: "the API server refuses it: its Jobs are named '<name>-<scheduled time>'" },
};

function checkName(m: RenderedManifest, add: Add): void {
  const name = m.object.metadata?.name;
  const kind = m.object.kind;
  if (m.object.apiVersion === 'kustomize.config.k8s.io/v1beta1') return;
  if (typeof name !== 'string') {
    add(m, 'metadata.name', `${kind} has no name`, 'give the object a name');
  } else if (LABEL_NAMED_KINDS.has(kind) ? !isDnsLabel(name) : !isDnsSubdomain(name)) {
    add(m, 'metadata.name', `'${name}' is not a valid ${kind} name (DNS-1123)`, "use lowercase letters, digits, '-' (and '.' outside namespaces/services)");
  } else if (kind === 'Service' && m.object.apiVersion === 'v1' && !/^[a-z]/.test(name)) {
    // Services are DNS-1035 labels: the name becomes an environment variable prefix in every pod.
    add(m, 'metadata.name', `'${name}' is not a valid Service name: it must start with a letter (DNS-1035)`, `rename it, e.g. 'svc-${name}' (for an App, change its name)`);
  } else if (MAX_NAME_LENGTH[kind] && name.length > MAX_NAME_LENGTH[kind].max) {
    const rule = MAX_NAME_LENGTH[kind];
    add(m, 'metadata.name', `${kind} name '${name}' is ${name.length} characters, over ${rule.max}: ${rule.why}`, `shorten the name of the construct that creates it to at most ${rule.max} characters`);
  }
}

function checkNamespace(m: RenderedManifest, tree: ClusterTree, namespaces: Set<string>, add: Add): void {
  const o = m.object;
  if (o.apiVersion === 'kustomize.config.k8s.io/v1beta1') return;
  const ns = o.metadata?.namespace;
  if (kindScope(o.apiVersion, o.kind) === 'Cluster') {
    if (ns !== undefined) add(m, 'metadata.namespace', `${o.kind} is cluster-scoped but has namespace '${ns}'`, 'drop the namespace');
    return;
  }
  if (ns === undefined) {
    add(m, 'metadata.namespace', `${o.kind} '${o.metadata?.name}' has no namespace`, 'set metadata.namespace (components do this for you)');
  } else if (!BUILTIN_NAMESPACES.has(ns) && !namespaces.has(ns)) {
    add(m, 'metadata.namespace', `namespace '${ns}' is not created anywhere in cluster '${tree.cluster.name}'`, 'deploy a component into that namespace or move the object');
  }
}

/** Flux references: sourceRef, chartRef, chart sourceRef, HelmRelease dependsOn and Kustomization dependsOn. */
function checkFluxReferences(m: RenderedManifest, index: Set<string>, add: Add): void {
  const o = m.object;
  const ns = o.metadata?.namespace;
  const has = (kind: string, name: string, namespace: string | undefined): boolean =>
    index.has(`${kind}/${namespace ?? ''}/${name}`) || isBootstrapObject(kind, name, namespace);
  const need = (field: string, kind: string, name: string, namespace: string | undefined): void => {
    if (!has(kind, name, namespace)) add(m, field, `${o.kind} '${o.metadata?.name}' refers to ${kind} '${namespace}/${name}', which the tree does not contain`, `add the ${kind} or fix the reference`);
  };
  if (o.kind === 'Kustomization' && o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1') {
    need('spec.sourceRef', o.spec.sourceRef.kind, o.spec.sourceRef.name, o.spec.sourceRef.namespace ?? ns);
    for (const [i, dep] of (o.spec.dependsOn ?? []).entries()) need(`spec.dependsOn[${i}]`, 'Kustomization', dep.name, dep.namespace ?? ns);
  }
  if (o.kind === 'HelmRelease' && String(o.apiVersion).startsWith('helm.toolkit.fluxcd.io/')) {
    if (o.spec.chartRef) need('spec.chartRef', o.spec.chartRef.kind, o.spec.chartRef.name, o.spec.chartRef.namespace ?? ns);
    const src = o.spec.chart?.spec?.sourceRef;
    if (src) need('spec.chart.spec.sourceRef', src.kind, src.name, src.namespace ?? ns);
    for (const [i, dep] of (o.spec.dependsOn ?? []).entries()) need(`spec.dependsOn[${i}]`, 'HelmRelease', dep.name, dep.namespace ?? ns);
  }
}

/**
 * The sync objects the bootstrap creates outside the tree: flux-operator's FluxInstance makes the
 * `flux-system` GitRepository and Kustomization itself (classic mode writes them into the tree).
 */
function isBootstrapObject(kind: string, name: string, namespace: string | undefined): boolean {
  return (kind === 'GitRepository' || kind === 'Kustomization') && name === 'flux-system' && namespace === 'flux-system';
}

function checkNoPlaintextSecret(m: RenderedManifest, add: Add): void {
  const o = m.object;
  if (o.kind !== 'Secret' || o.apiVersion !== 'v1') return;
  if (Object.keys(o.data ?? {}).length > 0 || Object.keys(o.stringData ?? {}).length > 0) {
    add(m, 'data', `Secret '${o.metadata?.name}' would be written in plaintext into clusters/`, 'provide it as a SOPS-encrypted *.sops.yaml file, an ExternalSecret, or the name of an existing Secret');
  }
}

function checkIdentities(manifests: readonly RenderedManifest[], add: Add): void {
  const seen = new Map<string, RenderedManifest>();
  for (const m of manifests) {
    if (m.object.apiVersion === 'kustomize.config.k8s.io/v1beta1') continue;
    const id = identity(m.object);
    const first = seen.get(id);
    if (first) add(m, 'metadata.name', `${m.object.kind} '${m.object.metadata?.namespace ?? ''}/${m.object.metadata?.name}' is also defined in ${first.file}`, 'rename one of them; two objects with one identity would overwrite each other');
    else seen.set(id, m);
  }
}
