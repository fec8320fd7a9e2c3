import type { IConstruct } from 'constructs';
import type { Distribution } from './distribution.js';
import type { Diagnostics } from './diagnostics.js';
import type { NodeSpec } from './node.js';

/**
 * What the prop checks read of a cluster: the resolved props and the node roles. Kept structural
 * so validation does not import the cluster class (which calls it from its constructor).
 */
export interface ValidatedCluster extends IConstruct {
  readonly name: string;
  readonly distribution: Distribution;
  readonly nodes: readonly NodeSpec[];
  readonly controlPlaneNodes: readonly NodeSpec[];
  readonly git: { readonly url: string; readonly branch: string };
  readonly flux: { readonly version: string };
  readonly network: { readonly podCidr: string; readonly serviceCidr: string; readonly nodeCidr?: string; readonly vip?: string };
  readonly description?: string;
  readonly seed?: string;
  readonly sourceFile: string;
  readonly allowDataLoss: readonly string[];
  readonly sensitiveNamespaces: readonly string[];
  readonly acceptedWarnings: Readonly<Record<string, string>>;
}

/**
 * Checks of the cluster model that the API server, Flux or the node agent would otherwise reject
 * (or silently misread) long after synth: Git refs, the Flux version, label and taint syntax.
 */

/** A Kubernetes qualified name: optional DNS-subdomain prefix, then a name of at most 63 characters. */
const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label value: empty, or at most 63 characters of alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why a label (or taint) key is invalid, or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `its prefix '${prefix}' is not a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return `its name '${name}' must be 1–63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return undefined;
}

/** Why a label value is invalid, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) return `'${value}' must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return undefined;
}

/**
 * Label keys in the kubernetes.io / k8s.io namespaces a node may set on itself (NodeRestriction).
 * k3s passes node labels as the kubelet's `--node-labels` (anything else there makes the kubelet
 * refuse to start); Talos writes `machine.nodeLabels` with the node's kubelet identity, so the same
 * rule applies (talos.dev, "Node Labels": node-role.kubernetes.io labels are rejected).
 */
const KUBELET_ALLOWED_LABELS = new Set(['kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os', 'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone']);
const KUBELET_ALLOWED_PREFIXES = ['kubelet.kubernetes.io/', 'node.kubernetes.io/'];
/** Labels the kubelet derives from the machine (its name, CPU architecture, OS). */
const KUBELET_OWNED_LABELS = new Set(['kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os']);

function kubeletMayNotSet(key: string): boolean {
  const prefix = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
  const restricted = prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io') || prefix === 'k8s.io' || prefix.endsWith('.k8s.io');
  return restricted && !KUBELET_ALLOWED_LABELS.has(key) && !KUBELET_ALLOWED_PREFIXES.some((p) => key.startsWith(p));
}

const TAINT_EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** Node labels and taints: valid syntax; on k3s no label the kubelet refuses. */
export function checkNodeMetadata(cluster: ValidatedCluster, d: Diagnostics, n: NodeSpec, at: string): void {
  for (const [key, value] of Object.entries(n.labels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) d.error(cluster, `${at}.labels`, `node '${n.name}' label key '${key}' is invalid: ${keyProblem}`, "write keys like 'homelab.arpa/disk' (prefix/name)");
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : 'it is not a string';
    if (valueProblem) d.error(cluster, `${at}.labels.${key}`, `node '${n.name}' label value ${valueProblem}`, "use a short value like 'ssd' (quote numbers and booleans as strings)");
    if (!keyProblem && KUBELET_OWNED_LABELS.has(key)) {
      d.error(cluster, `${at}.labels.${key}`, `node '${n.name}' label '${key}' is set by the kubelet from the machine itself; a value given here fights it`, `leave it out: select on it (nodeSelector { '${key}': … }) without setting it`);
    } else if (!keyProblem && kubeletMayNotSet(key)) {
      d.error(cluster, `${at}.labels.${key}`, `node '${n.name}' label '${key}' is in a namespace the kubelet may not set: ${cluster.distribution} applies node labels with the node's own identity, which the NodeRestriction admission plugin limits to a few kubernetes.io labels (${cluster.distribution === 'k3s' ? 'k3s passes them as --node-labels and the kubelet refuses to start' : 'the label is refused'})`, "use your own prefix (e.g. 'homelab.arpa/role'), or set it after joining with kubectl label");
    }
  }
  (n.taints ?? []).forEach((t, j) => {
    const keyProblem = labelKeyProblem(t.key);
    if (keyProblem) d.error(cluster, `${at}.taints[${j}].key`, `node '${n.name}' taint key '${t.key}' is invalid: ${keyProblem}`, "write keys like 'homelab.arpa/phone'");
    if (!TAINT_EFFECTS.has(t.effect)) d.error(cluster, `${at}.taints[${j}].effect`, `node '${n.name}' taint effect '${t.effect}' is not one Kubernetes knows`, "use 'NoSchedule', 'PreferNoSchedule' or 'NoExecute'");
    if (t.value !== undefined && labelValueProblem(t.value)) d.error(cluster, `${at}.taints[${j}].value`, `node '${n.name}' taint value ${labelValueProblem(t.value)}`, 'use a short value, or none');
  });
}

/** Why a Git branch name is not one Git accepts (`git check-ref-format --branch`), or undefined. */
export function branchProblem(branch: string): string | undefined {
  if (branch === '') return 'it is empty';
  if (/[\s~^:?*[\\\x00-\x1f\x7f]/.test(branch)) return 'it contains a space or one of ~ ^ : ? * [ \\';
  if (branch.startsWith('-') || branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.')) return "it starts with '-' or '/', or ends with '/' or '.'";
  if (branch.includes('..') || branch.includes('//') || branch.includes('@{') || branch === '@') return "it contains '..', '//' or '@{'";
  if (branch.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return "a path part starts with '.' or ends with '.lock'";
  return undefined;
}

/** Git source and Flux version: what source-controller and flux-operator would reject at reconcile time. */
export function checkGitAndFlux(cluster: ValidatedCluster, d: Diagnostics, fluxVersion: string): void {
  const url = cluster.git.url;
  // `ssh://git@host:owner/repo` mixes scp syntax into a URL: Go's URL parser reads `owner` as a port.
  const scpInUrl = /^ssh:\/\/([^/@]+@)?[^/:]+:([^/]*)/.exec(url ?? '');
  if (scpInUrl && !/^\d+$/.test(scpInUrl[2])) {
    d.error(cluster, 'git.url', `'${url}' puts an scp-style path after the host ('${scpInUrl[2]}' where a port number belongs), which Flux cannot parse`, `write the path after a '/': '${url!.replace(/^(ssh:\/\/(?:[^/@]+@)?[^/:]+):/, '$1/')}'`);
  }
  const problem = branchProblem(cluster.git.branch);
  if (problem) d.error(cluster, 'git.branch', `'${cluster.git.branch}' is not a valid Git branch name: ${problem}`, "use a branch name like 'main' or 'env/staging'");
  if (!/^\d+\.\d+\.\d+$/.test(fluxVersion)) {
    d.error(cluster, 'flux.version', `Flux version '${fluxVersion}' is not an exact release: a moving version upgrades Flux behind Git's back`, 'pin an exact version such as 2.9.4 (or leave it unset for FLUX_VERSION, which Renovate bumps)');
  }
}

/** Texts written into generated comments and Markdown: one line each, or the header breaks out of its comment. */
export function checkOneLineTexts(cluster: ValidatedCluster, d: Diagnostics, texts: Readonly<Record<string, string | undefined>>): void {
  for (const [field, text] of Object.entries(texts)) {
    if (text !== undefined && /[\r\n\u2028\u2029]/.test(text)) {
      d.error(cluster, field, `${field} spans several lines, but it is written into one-line comments and table cells of the generated files`, 'keep it on one line');
    }
  }
}
