import { parseAllDocuments } from 'yaml';
import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Problem, SynthError, Warning } from '../../../src/lib/estate/problems.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { readTree, tempRoot, testCluster } from '../../helpers.js';

type Manifest = Record<string, any>;

/** What a synthesized test estate produced: every object (with its file) and the ks.yaml of each component. */
export interface Synthesized {
  readonly cluster: HomelabCluster;
  readonly objects: (Manifest & { file: string })[];
  readonly files: Map<string, string>;
  readonly warnings: readonly Warning[];
  /** The object of `kind` named `name` (in `namespace` if given); fails the test when absent. */
  get(kind: string, name: string, namespace?: string): Manifest;
  find(kind: string, name: string, namespace?: string): Manifest | undefined;
  all(kind: string): Manifest[];
  /** dependsOn names of a component's Flux Kustomization. */
  dependsOn(component: string): string[];
}

/** Builds a test cluster, lets `build` add components, synthesizes into a temp root (schema validation included). */
export function synth(build: (cluster: HomelabCluster) => void, overrides: Partial<ClusterProps> = {}): Synthesized {
  const { estate, cluster } = testCluster(overrides);
  build(cluster);
  const root = tempRoot('apps-');
  const result = synthesize(estate, { root });
  const files = readTree(root);
  const objects: (Manifest & { file: string })[] = [];
  for (const [file, content] of files) {
    for (const doc of parseAllDocuments(content)) {
      const o = doc.toJSON();
      if (o && typeof o === 'object' && o.kind) objects.push({ ...o, file });
    }
  }
  const find = (kind: string, name: string, namespace?: string) =>
    objects.find((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  return {
    cluster,
    objects,
    files,
    warnings: result.warnings,
    find,
    get(kind, name, namespace) {
      const o = find(kind, name, namespace);
      if (!o) throw new Error(`no ${kind} '${name}'${namespace ? ` in ${namespace}` : ''}; have: ${objects.map((x) => `${x.kind}/${x.metadata?.name}`).join(', ')}`);
      return o;
    },
    all: (kind) => objects.filter((o) => o.kind === kind),
    dependsOn(component) {
      const ks = objects.find((o) => o.kind === 'Kustomization' && o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' && o.metadata?.name === component);
      if (!ks) throw new Error(`no Flux Kustomization '${component}'`);
      return (ks.spec.dependsOn ?? []).map((d: { name: string }) => d.name);
    },
  };
}

/** The problems a build raises at synth (fails the test if synth succeeds). */
export function problems(build: (cluster: HomelabCluster) => void, overrides: Partial<ClusterProps> = {}): Problem[] {
  try {
    synth(build, overrides);
  } catch (e) {
    if (e instanceof SynthError) return [...e.problems];
    throw e;
  }
  throw new Error('synth succeeded; expected problems');
}

/** The problem at `field` whose message contains `text`; fails the test when absent. */
export function problemAt(list: readonly Problem[], field: string, text: string | RegExp): Problem {
  const p = list.find((x) => x.field === field && (typeof text === 'string' ? x.message.includes(text) : text.test(x.message)));
  if (!p) throw new Error(`no problem at '${field}' matching ${text}; got:\n${list.map((x) => `  ${x.path} › ${x.field}: ${x.message}`).join('\n')}`);
  return p;
}

/** The main container of a Deployment. */
export function mainContainer(deployment: Manifest): Manifest {
  return deployment.spec.template.spec.containers.find((c: Manifest) => c.name === deployment.metadata.name);
}

/** env as name → value or `secret:<name>/<key>`. */
export function envOf(container: Manifest): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((e: Manifest) => [
    e.name,
    e.value ?? (e.valueFrom?.secretKeyRef ? `secret:${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}` : `field:${e.valueFrom?.fieldRef?.fieldPath}`),
  ]));
}

/** volumeMounts as mountPath → volume name. */
export function mountsOf(container: Manifest): Record<string, string> {
  return Object.fromEntries((container.volumeMounts ?? []).map((m: Manifest) => [m.mountPath, m.name]));
}

/** Flattens a NetworkPolicy into readable allow lines: `in <ns>/<labels> :<ports>` / `out …`. */
export function policyLines(policy: Manifest): string[] {
  const peer = (p: Manifest): string => {
    if (p.ipBlock) return `${p.ipBlock.cidr}${p.ipBlock.except ? ` except ${p.ipBlock.except.join(',')}` : ''}`;
    const ns = p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? '*';
    const labels = Object.entries(p.podSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    return `${ns}/${labels || '*'}`;
  };
  const ports = (r: Manifest) => (r.ports ? r.ports.map((p: Manifest) => `${p.port}/${p.protocol}`).join(',') : 'any');
  return [
    ...(policy.spec.ingress ?? []).flatMap((r: Manifest) => r.from.map((p: Manifest) => `in ${peer(p)} :${ports(r)}`)),
    ...(policy.spec.egress ?? []).flatMap((r: Manifest) => r.to.map((p: Manifest) => `out ${peer(p)} :${ports(r)}`)),
  ];
}
