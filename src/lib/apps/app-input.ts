import { IConstruct } from 'constructs';
import { BUILTIN_NAMESPACES } from '../estate/dependencies.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { labelKeyProblem, labelValueProblem } from '../estate/cluster-checks.js';
import type { AppProps, ExtraContainer, Toleration } from './app-props.js';
import type { AppVolume } from './volumes.js';
import { describeValue, shapeProblems } from '../estate/shape.js';
import { APP_SHAPE } from './app-shape.js';
import { RELAXATIONS_ANNOTATION } from './security.js';
import type { ImageRef } from './image.js';
import { isDnsSubdomain } from '../estate/names.js';
import { parseIpv4Trimmed as parseIpv4 } from '../estate/ip.js';

/**
 * Checks of App props that the API server (or the running pod) would refuse long after synth, each
 * with the rule it applies: probe and grace-period bounds, container name uniqueness, toleration
 * and annotation syntax, HTTP paths, NFS servers, namespaces reserved for the system.
 */

/** Problems of shape found before the construct exists; reported once it does. */
export type ShapeProblem = readonly [field: string, message: string, fix: string];

/** Stands in for an image given with the wrong shape, so the construct can finish; the problem keeps synth from writing. */
const PLACEHOLDER_IMAGE: ImageRef = { repository: 'invalid.invalid/unset', tag: '0.0.0' };

/**
 * Props with every field of the wrong shape left out (a wrong image replaced by a placeholder),
 * and what was wrong: the constructor works on the result, so a string where a list belongs is
 * one clear error naming the field, not a stack trace from deep inside the construct.
 */
export function usableAppProps(props: AppProps): { props: AppProps; problems: ShapeProblem[] } {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    return { props: { image: PLACEHOLDER_IMAGE }, problems: [['props', `an App needs its props, got ${describeValue(props)}`, "pass at least { image: { repository: '…', tag: '…' } }"]] };
  }
  const found = shapeProblems(props, APP_SHAPE, '');
  const out: Record<string, unknown> = { ...props };
  for (const p of found) delete out[p.path.split(/[.[]/)[0]];
  if (out.image === undefined) out.image = PLACEHOLDER_IMAGE;
  const problems = found.map((p): ShapeProblem => [p.path, `${p.path} ${p.message}`, 'give it the type AppProps declares for it (src/lib/apps/app.ts); input built from YAML or `as any` is not type-checked']);
  return { props: out as unknown as AppProps, problems };
}

/** Every check of this module on an App's props. */
export function checkAppInput(scope: IConstruct, appName: string, namespace: string, p: AppProps, volumes: Readonly<Record<string, AppVolume>>): void {
  const d = Diagnostics.of(scope);
  if (BUILTIN_NAMESPACES.has(namespace)) {
    d.error(scope, 'namespace', `app '${appName}' would run in '${namespace}', a namespace the cluster does not create: it gets no Pod Security labels, no NetworkPolicy and no prune protection (${namespace === 'kube-system' ? 'kube-system is exempt from Pod Security admission' : namespace === 'flux-system' ? 'flux-system holds Flux itself' : "'default' is where kubectl puts what nobody owns"})`, `give it a namespace of its own: namespace: '${appName}' (the default)`);
  }
  const grace = p.terminationGracePeriodSeconds;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    d.error(scope, 'terminationGracePeriodSeconds', `${grace} is not a grace period`, 'use a whole number of seconds ≥ 0 (30 is the Kubernetes default)');
  }
  checkContainerNames(d, scope, appName, [...(p.initContainers ?? []), ...(p.sidecars ?? [])]);
  checkSpread(d, scope, p);
  checkDnsConfig(d, scope, p);
  if (p.healthCheck && !p.healthCheck.path?.startsWith('/')) {
    d.error(scope, 'healthCheck.path', `health-check path '${p.healthCheck.path}' does not start with '/'`, `write it as '/${p.healthCheck.path ?? ''}'`);
  }
  (p.tolerations ?? []).forEach((t, i) => checkToleration(d, scope, `tolerations[${i}]`, t));
  for (const [key, value] of Object.entries(p.podLabels ?? {})) {
    const problem = labelProblem(key, value);
    if (problem) d.error(scope, `podLabels.${key}`, `pod label '${key}: ${value}' is invalid: ${problem}`, "write keys like 'example.com/team' and values of at most 63 letters, digits, '-', '_' or '.'");
    else if (key === 'app.kubernetes.io/name' || key === 'app.kubernetes.io/instance') d.error(scope, `podLabels.${key}`, `'${key}' is the label the app's Service, NetworkPolicies and disruption budget select its pods by; setting it would detach them`, 'use another key (e.g. app.kubernetes.io/part-of)');
  }
  checkAnnotations(d, scope, 'annotations', p.annotations);
  checkAnnotations(d, scope, 'podAnnotations', p.podAnnotations);
  for (const [key, value] of Object.entries(p.nodeSelector ?? {})) {
    const problem = labelProblem(key, value);
    if (problem) d.error(scope, `nodeSelector.${key}`, `node selector '${key}' is invalid: ${problem}`, "select on labels like 'homelab.arpa/disk': 'ssd'");
  }
  for (const [name, v] of Object.entries(volumes)) checkNfsServer(d, scope, `persistence.${name}`, v);
}

/** What is wrong with a label (key and value), if anything. */
function labelProblem(key: string, value: unknown): string | undefined {
  return labelKeyProblem(key) ?? (typeof value === 'string' ? labelValueProblem(value) : 'its value is not a string');
}

/**
 * Annotation keys and values of the Deployment (`annotations`) or its pods (`podAnnotations`).
 * The relaxations annotation is the library's on both: it is written from the relaxations' reasons.
 */
function checkAnnotations(d: Diagnostics, scope: IConstruct, field: 'annotations' | 'podAnnotations', annotations: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    const problem = labelKeyProblem(key);
    if (problem) d.error(scope, `${field}.${key}`, `annotation key '${key}' is invalid: ${problem}`, "write keys like 'example.com/setting' (prefix/name)");
    else if (field === 'annotations' && key === RELAXATIONS_ANNOTATION) d.error(scope, `${field}.${key}`, `'${key}' is written by the library from security relaxations and their reasons`, 'give the reason on the relaxation (security.<name>.reason) instead');
    if (typeof value !== 'string') d.error(scope, `${field}.${key}`, `annotation '${key}' has a ${typeof value} value; annotation values are strings`, 'quote it');
  }
}

function checkContainerNames(d: Diagnostics, scope: IConstruct, appName: string, containers: readonly ExtraContainer[]): void {
  const seen = new Set<string>([appName]);
  for (const c of containers) {
    if (seen.has(c.name) && c.name !== appName) d.error(scope, `containers.${c.name}`, `two containers of the pod are named '${c.name}'`, 'name every init container and sidecar differently (the API server refuses duplicate names)');
    seen.add(c.name);
  }
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

function checkToleration(d: Diagnostics, scope: IConstruct, field: string, t: Toleration): void {
  const keyProblem = t.key === undefined || t.key === '' ? (t.operator === 'Exists' ? undefined : 'it is empty (only operator Exists may leave it out)') : labelKeyProblem(t.key);
  if (keyProblem) d.error(scope, `${field}.key`, `toleration key '${t.key ?? ''}' is invalid: ${keyProblem}`, "write the taint's key, e.g. 'homelab.arpa/phone'");
  if (t.operator !== undefined && t.operator !== 'Equal' && t.operator !== 'Exists') d.error(scope, `${field}.operator`, `toleration operator '${t.operator}' is not Equal or Exists`, "use 'Equal' (with a value) or 'Exists'");
  if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') d.error(scope, `${field}.value`, `a toleration with operator Exists matches any value, so it may not name one ('${t.value}')`, "drop the value, or use operator: 'Equal'");
  if (t.effect !== undefined && !EFFECTS.has(t.effect)) d.error(scope, `${field}.effect`, `toleration effect '${t.effect}' is not one Kubernetes knows`, "use 'NoSchedule', 'PreferNoSchedule' or 'NoExecute' (or leave it out for every effect)");
}

function checkNfsServer(d: Diagnostics, scope: IConstruct, field: string, v: AppVolume): void {
  if (v.type !== 'nfs') return;
  if (/[:/\s]/.test(v.server)) {
    const [server, path] = v.server.split(':');
    d.error(scope, `${field}.server`, `NFS server '${v.server}' is not a host name or address`, `give the host and the export apart: server: '${server}', path: '${path || v.path}'`);
  }
  if (!v.path?.startsWith('/')) d.error(scope, `${field}.path`, `NFS export path '${v.path}' is not absolute`, `write it as '/${v.path ?? ''}'`);
}

/** A skew below 1 is refused by the API server; a topology key is a label key the nodes carry. */
function checkSpread(d: Diagnostics, scope: IConstruct, p: AppProps): void {
  const skew = p.spread?.maxSkew;
  if (skew !== undefined && (!Number.isInteger(skew) || skew < 1)) d.error(scope, 'spread.maxSkew', `${skew} is not a skew`, 'use a whole number ≥ 1 (1: replicas at most one apart)');
  const key = p.spread?.topologyKey;
  if (key !== undefined && labelKeyProblem(key)) d.error(scope, 'spread.topologyKey', `'${key}' is not a node label key: ${labelKeyProblem(key)}`, "use 'kubernetes.io/hostname' (nodes) or 'topology.kubernetes.io/zone' (zones)");
}

/** The API server's limits on dnsConfig: IP nameservers, at most 3 of them and 32 search domains. */
function checkDnsConfig(d: Diagnostics, scope: IConstruct, p: AppProps): void {
  const dns = p.dnsConfig;
  if (!dns) return;
  (dns.nameservers ?? []).forEach((ns, i) => {
    if (parseIpv4(ns) === undefined && !/^[0-9a-f:]+$/i.test(ns)) d.error(scope, `dnsConfig.nameservers[${i}]`, `'${ns}' is not an IP address: Kubernetes takes nameservers as addresses only`, 'write the resolver\'s IP, e.g. 1.1.1.1');
  });
  // The pod also gets the cluster DNS service as its first nameserver (dnsPolicy ClusterFirst).
  if ((dns.nameservers ?? []).length > 2) d.error(scope, 'dnsConfig.nameservers', `${dns.nameservers!.length} nameservers plus the cluster DNS make more than 3, the most a pod resolver takes`, 'keep at most 2 extra nameservers');
  (dns.searches ?? []).forEach((s, i) => { if (!isDnsSubdomain(s.replace(/\.$/, ''))) d.error(scope, `dnsConfig.searches[${i}]`, `'${s}' is not a DNS domain`, "write a domain like 'lan.example.com'"); });
  (dns.options ?? []).forEach((o, i) => { if (!o.name) d.error(scope, `dnsConfig.options[${i}].name`, 'a resolver option needs a name', "e.g. { name: 'ndots', value: '2' }"); });
}
