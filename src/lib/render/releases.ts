import { parse } from 'yaml';
import type { HomelabCluster } from '../estate/cluster.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { talosSettings } from '../talos/settings.js';
import { crdIndex } from '../validation/crd-schemas.js';
import { KUBERNETES_SCHEMA_VERSION } from '../validation/schema-urls.js';
import { Manifest } from '../tree/manifests.js';

/** Where Flux fetches a chart from, as the tree declares it. */
export type ChartSource =
  | { readonly kind: 'helm'; readonly url: string }
  | { readonly kind: 'oci'; readonly url: string };

/** One HelmRelease of a cluster, with everything `helm template` needs to render it as Flux would. */
export interface ReleaseTarget {
  readonly cluster: string;
  /** The HelmRelease as it sits in the tree (construct path and file). */
  readonly manifest: RenderedManifest;
  /** `namespace/name` of the HelmRelease. */
  readonly id: string;
  /** Helm's release name: `spec.releaseName`, else Flux's `[<targetNamespace>-]<name>`. */
  readonly releaseName: string;
  /** Namespace the chart's objects go to: `spec.targetNamespace`, else the HelmRelease's. */
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  /** `undefined` when the source object is not in the tree (a typo the gate reports). */
  readonly source: ChartSource | undefined;
  /** `spec.values`, merged with the ConfigMaps `valuesFrom` names (Secrets cannot be read here). */
  readonly values: Manifest;
  /** What could not be taken into account (`valuesFrom` a Secret…). */
  readonly notes: readonly string[];
  /** The cluster's Kubernetes version (`--kube-version`). */
  readonly kubeVersion: string;
  /** `group/version/Kind` of every custom resource kind the cluster installs (`--api-versions`). */
  readonly apiVersions: readonly string[];
}

/** Every HelmRelease of a cluster's tree, in tree order. */
export function releasesOf(tree: ClusterTree): ReleaseTarget[] {
  return releasesInManifests(tree.cluster.name, tree.manifests, kubernetesVersionOf(tree.cluster), installedApiVersions(tree.cluster));
}

/** The objects of one cluster's tree, without the cluster model (a tree read back from git or a folder). */
interface ManifestSet {
  readonly name: string;
  readonly manifests: readonly RenderedManifest[];
}

/**
 * Every HelmRelease among a cluster's manifests, rendered against `kubeVersion` and `apiVersions`:
 * for trees read from files (`npm run diff`), where no cluster model comes with the objects.
 */
export function releasesInManifests(cluster: string, manifests: readonly RenderedManifest[], kubeVersion: string, apiVersions: readonly string[]): ReleaseTarget[] {
  const set: ManifestSet = { name: cluster, manifests };
  return manifests
    .filter((m) => m.object.kind === 'HelmRelease' && String(m.object.apiVersion).startsWith('helm.toolkit.fluxcd.io/'))
    .map((m) => releaseOf(set, m, kubeVersion, apiVersions));
}

/**
 * The Kubernetes version a cluster runs: Talos clusters pin it (talconfig); k3s and OKE clusters
 * do not model it, so the version the library's schemas describe stands in.
 */
export function kubernetesVersionOf(cluster: HomelabCluster): string {
  return cluster.distribution === 'talos' ? talosSettings(cluster).kubernetesVersion : KUBERNETES_SCHEMA_VERSION;
}

/**
 * Custom resource kinds the cluster serves: those of every CRD group a component provides, as
 * imports/ knows them. Charts test `.Capabilities.APIVersions.Has` to decide whether to render a
 * ServiceMonitor or a Gateway; helm template knows only the built-in APIs unless told.
 */
export function installedApiVersions(cluster: HomelabCluster): string[] {
  const groups = new Set<string>();
  for (const c of cluster.components) for (const cap of c.provides) if (cap.kind === 'crd') groups.add(cap.value);
  return Object.keys(crdIndex()).filter((k) => groups.has(k.split('/')[0])).sort();
}

function releaseOf(tree: ManifestSet, m: RenderedManifest, kubeVersion: string, apiVersions: readonly string[]): ReleaseTarget {
  const o = m.object;
  const ns = String(o.metadata?.namespace ?? 'default');
  const name = String(o.metadata?.name);
  const targetNamespace = o.spec?.targetNamespace as string | undefined;
  const { chart, version, source } = chartOf(tree, o, ns);
  const { values, notes } = valuesOf(tree, o, ns);
  return {
    cluster: tree.name,
    manifest: m,
    id: `${ns}/${name}`,
    releaseName: o.spec?.releaseName ?? (targetNamespace ? `${targetNamespace}-${name}` : name),
    namespace: targetNamespace ?? ns,
    chart,
    version,
    source,
    values,
    notes,
    kubeVersion,
    apiVersions,
  };
}

function findObject(tree: ManifestSet, kind: string, namespace: string, name: string): Manifest | undefined {
  return tree.manifests.find((x) => x.object.kind === kind && x.object.metadata?.name === name && (x.object.metadata?.namespace ?? namespace) === namespace)?.object;
}

/** Chart name, version and source of a HelmRelease: `spec.chart.spec` or `spec.chartRef` (an OCIRepository). */
function chartOf(tree: ManifestSet, o: Manifest, ns: string): { chart: string; version: string; source: ChartSource | undefined } {
  const ref = o.spec?.chartRef;
  if (ref) {
    const repo = findObject(tree, ref.kind, ref.namespace ?? ns, ref.name);
    const url = String(repo?.spec?.url ?? '');
    return {
      chart: url ? url.split('/').pop()! : String(ref.name),
      version: String(repo?.spec?.ref?.tag ?? repo?.spec?.ref?.semver ?? ''),
      source: repo ? { kind: 'oci', url } : undefined,
    };
  }
  const spec = o.spec?.chart?.spec ?? {};
  const sourceRef = spec.sourceRef ?? {};
  const repo = findObject(tree, sourceRef.kind, sourceRef.namespace ?? ns, sourceRef.name);
  const url = String(repo?.spec?.url ?? '');
  const oci = repo?.spec?.type === 'oci' || url.startsWith('oci://');
  return {
    chart: String(spec.chart),
    version: String(spec.version ?? ''),
    source: repo ? (oci ? { kind: 'oci', url: `${url.replace(/\/$/, '')}/${spec.chart}` } : { kind: 'helm', url }) : undefined,
  };
}

/**
 * Values as helm-controller merges them: each `valuesFrom` entry in order (a ConfigMap's key, or
 * `targetPath`), then `spec.values` on top. Secrets are SOPS-encrypted or created by hand, so
 * their values are left out and said so.
 */
function valuesOf(tree: ManifestSet, o: Manifest, ns: string): { values: Manifest; notes: string[] } {
  let values: Manifest = {};
  const notes: string[] = [];
  for (const from of (o.spec?.valuesFrom ?? []) as Manifest[]) {
    const source = from.kind === 'ConfigMap' ? findObject(tree, 'ConfigMap', ns, from.name) : undefined;
    const text = source?.data?.[from.valuesKey ?? 'values.yaml'];
    if (typeof text !== 'string' || from.targetPath) {
      notes.push(`values from ${from.kind} '${from.name}' are not in the render (${from.kind === 'Secret' ? 'a Secret is not readable at synth' : 'not found in the tree'})`);
      continue;
    }
    values = deepMerge(values, parseValues(text));
  }
  return { values: deepMerge(values, o.spec?.values ?? {}), notes };
}

function parseValues(text: string): Manifest {
  const v = parse(text);
  return isMap(v) ? v : {};
}

/** Helm's merge of value maps: maps merge key by key, anything else is replaced. */
export function deepMerge(base: Manifest, top: Manifest): Manifest {
  const out: Manifest = { ...base };
  for (const [k, v] of Object.entries(top)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function isMap(v: unknown): v is Manifest {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
