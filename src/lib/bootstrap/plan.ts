import type { IConstruct } from 'constructs';
import { crdGroup } from '../estate/capabilities.js';
import { HomelabCluster } from '../estate/cluster.js';
import { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { DerivedKind } from '../model/ledger.js';
import { nodeRequirements } from '../estate/node-requirements.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { talosSettings } from '../talos/settings.js';
import { FLUX_OPERATOR_CHART, FLUX_OPERATOR_RELEASE } from './flux-operator.js';

type Manifest = Record<string, any>;

/** A helmfile hook: a command run on the operator's machine around a release. */
export interface HelmfileHook {
  readonly events: readonly ('presync' | 'postsync')[];
  readonly showlogs: boolean;
  readonly command: string;
  readonly args: readonly string[];
  /** What it does, for the runbook (not written to the helmfile). */
  readonly description: string;
}

/** One Helm release the bootstrap installs before Flux runs. */
export interface BootstrapRelease {
  readonly name: string;
  readonly namespace: string;
  /** `<repository>/<chart>` for https repositories, the full `oci://…` reference otherwise. */
  readonly chart: string;
  readonly version: string;
  /** The https Helm repository the chart comes from. @default - none (OCI chart) */
  readonly repository?: { readonly name: string; readonly url: string };
  /** Exactly the `spec.values` of the HelmRelease Flux manages afterwards (or `{}` for a hand pin). */
  readonly values: Record<string, unknown>;
  /** Releases (`namespace/name`) installed before this one. */
  readonly needs: readonly string[];
  readonly hooks: readonly HelmfileHook[];
  /** Why the bootstrap installs it. */
  readonly purpose: string;
  /** Where version and values come from: the HelmRelease file Flux adopts, or the hand pin. */
  readonly from: string;
}

/** What the bootstrap installs, in order. */
export interface BootstrapPlan {
  readonly releases: readonly BootstrapRelease[];
  /** The FluxInstance file the flux-operator release applies (operator bootstrap only). */
  readonly fluxInstanceFile?: string;
  /** Whether Flux adopts flux-operator's release afterwards (a FluxOperator component exists). */
  readonly fluxOperatorManaged: boolean;
  /** Dependencies of bootstrap releases that only Flux can install later, for the runbook. */
  readonly deferred: readonly string[];
}

/** Key file the sops-age Secret is created from when SOPS_AGE_KEY_FILE is not set (sops's own default). */
export const DEFAULT_AGE_KEY_FILE = '$HOME/.config/sops/age/keys.txt';

/** Key in the sops-age Secret holding the age identity (the name Flux's decryption expects). */
export const AGE_SECRET_KEY = 'age.agekey';

/** How long the flux-operator hook waits for the FluxInstance to be Ready. */
export const FLUX_READY_TIMEOUT = '10m';

/** A problem the plan found, reported once (see {@link bootstrapPlan}). */
interface PlanProblem {
  readonly scope: IConstruct;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

type ProblemSink = (scope: IConstruct, field: string, message: string, fix: string) => void;

/** A tree's plan with the problems found deriving it, and whether they were reported. */
interface DerivedPlan {
  readonly plan: BootstrapPlan;
  readonly problems: readonly PlanProblem[];
  reported: boolean;
}

/** The plans derived for each rendered tree of a cluster. */
const PLANS = new DerivedKind<Map<ClusterTree, DerivedPlan>>('bootstrap-plan');

/** The tree's plan, derived once per tree (the bootstrap files and the first-reconcile check both read it). */
function planOf(tree: ClusterTree): DerivedPlan {
  const plans = tree.cluster.ledger.derive(PLANS, () => new Map());
  let derived = plans.get(tree);
  if (!derived) plans.set(tree, (derived = derivePlan(tree)));
  return derived;
}

/**
 * What must be installed before Flux can run (see {@link derivePlan}), for the bootstrap files:
 * the plan's problems (a component the bootstrap cannot install…) are reported, once per tree.
 */
export function bootstrapPlan(tree: ClusterTree): BootstrapPlan {
  const derived = planOf(tree);
  if (!derived.reported) {
    derived.reported = true;
    for (const p of derived.problems) Diagnostics.of(p.scope).error(p.scope, p.field, p.message, p.fix);
  }
  return derived.plan;
}

/** The same plan for readers that only need it (the first-reconcile check): its problems are the bootstrap files' to report. */
export function bootstrapPlanOnly(tree: ClusterTree): BootstrapPlan {
  return planOf(tree).plan;
}

/**
 * Derives what must be installed before Flux can run, from the rendered tree:
 * 1. the CNI, when a component replaces the distribution's (node requirement `cni: 'none'`), with
 *    what it depends on (Gateway API CRDs are applied from their upstream release first; charts it
 *    depends on are installed before it);
 * 2. CoreDNS, when the distribution does not ship it (Talos with `cluster.coreDNS.disabled`): the
 *    component deploying the `coredns` chart;
 * 3. flux-operator (operator bootstrap), whose hooks create the `sops-age` Secret from the user's
 *    key file and apply the generated FluxInstance.
 * Each release takes its chart version and values from the HelmRelease Flux adopts later, so the
 * two can never drift.
 */
function derivePlan(tree: ClusterTree): DerivedPlan {
  const cluster = tree.cluster;
  const problems: PlanProblem[] = [];
  const d = { error: (scope: IConstruct, field: string, message: string, fix: string): void => { problems.push({ scope, field, message, fix }); } };
  const releases: BootstrapRelease[] = [];
  const deferred: string[] = [];
  const done = new Map<Component, BootstrapRelease[]>();

  /** Adds a component's releases after the components it depends on. */
  const install = (c: Component, purpose: string, needs: readonly string[], trail: readonly Component[] = []): BootstrapRelease[] => {
    const existing = done.get(c);
    if (existing) return existing;
    if (trail.includes(c)) return [];
    const hooks: HelmfileHook[] = [];
    const depNeeds: string[] = [...needs];
    for (const edge of tree.dependencies.get(c) ?? []) {
      if (edge.capability === crdGroup('gateway.networking.k8s.io')) {
        const url = gatewayApiInstallUrl(tree, edge.to);
        if (url) {
          hooks.push({ events: ['presync'], showlogs: true, command: 'kubectl', args: ['apply', '--server-side', '-f', url], description: `applies the Gateway API CRDs of '${edge.to.name}' (${url}) first: ${edge.reason}` });
          continue;
        }
      }
      if (edge.capability?.kind === 'namespace') continue;
      const depReleases = helmReleasesOf(tree, edge.to).length > 0 ? install(edge.to, `needed by '${c.name}' (${edge.reason})`, needs, [...trail, c]) : [];
      if (depReleases.length > 0) depNeeds.push(...depReleases.map(key));
      else deferred.push(`'${c.name}' depends on '${edge.to.name}' (${edge.reason}), which Flux installs once it runs`);
    }
    const manifests = helmReleasesOf(tree, c);
    const made = manifests.map((m, i) => toRelease(tree, c, m, purpose, unique(depNeeds), i === 0 ? hooks : [], d.error)).filter((r): r is BootstrapRelease => r !== undefined);
    releases.push(...made);
    done.set(c, made);
    if (manifests.length === 0) {
      d.error(c, 'bootstrap', `'${c.name}' must be installed before Flux runs (${purpose}) but renders no HelmRelease the bootstrap could install`, 'deploy it with a ChartRelease, or install it by hand before running the bootstrap helmfile');
    }
    return made;
  };

  const req = nodeRequirements(cluster);
  const cniComponents = unique(req.sources.filter((s) => s.requirements.cni === 'none').map((s) => s.component))
    .map((name) => cluster.component(name))
    .filter((c): c is Component => c !== undefined);
  const cniReleases = cniComponents.flatMap((c) => install(c, 'CNI: no pod network, hence no Flux, until it runs', []));

  const coreDns = distributionCoreDns(cluster);
  if (!coreDns.shipped) {
    const provider = cluster.components.find((c) => helmReleasesOf(tree, c).some((m) => chartNameOf(tree, m) === 'coredns'));
    if (provider) install(provider, `CoreDNS: ${coreDns.why}`, cniReleases.map(key));
    else d.error(cluster, 'bootstrap.coredns', `cluster '${cluster.name}' runs without the distribution's CoreDNS (${coreDns.why}) and no component deploys the coredns chart`, 'add a component deploying CoreDNS, or keep the distribution\'s CoreDNS');
  }

  let fluxInstanceFile: string | undefined;
  let fluxOperatorManaged = false;
  if (cluster.flux.bootstrap === 'operator') {
    fluxInstanceFile = tree.manifests.find((m) => m.object.kind === 'FluxInstance')?.file;
    const managed = tree.manifests.find((m) => isHelmRelease(m.object) && chartNameOf(tree, m) === FLUX_OPERATOR_CHART.name);
    const owner = managed ? cluster.components.find((c) => c.node.path === managed.path) : undefined;
    const hooks = fluxOperatorHooks(cluster, fluxInstanceFile);
    const needs = releases.map(key);
    const fromTree = managed && owner ? toRelease(tree, owner, managed, 'flux-operator: installs and runs Flux from the FluxInstance', needs, hooks, d.error) : undefined;
    fluxOperatorManaged = fromTree !== undefined;
    releases.push(fromTree ?? {
      name: FLUX_OPERATOR_RELEASE,
      namespace: 'flux-system',
      chart: FLUX_OPERATOR_CHART.repository,
      version: FLUX_OPERATOR_CHART.version,
      values: {},
      needs,
      hooks,
      purpose: 'flux-operator: installs and runs Flux from the FluxInstance',
      from: 'FLUX_OPERATOR_CHART (src/lib/bootstrap/flux-operator.ts)',
    });
  }
  return { plan: { releases, fluxInstanceFile, fluxOperatorManaged, deferred }, problems, reported: false };
}

/** Whether the distribution runs CoreDNS itself, and why not when it does not. */
export function distributionCoreDns(cluster: HomelabCluster): { shipped: boolean; why: string } {
  if (cluster.distribution !== 'talos') return { shipped: true, why: `${cluster.distribution} ships CoreDNS` };
  const patches = [...nodeRequirements(cluster).sources.flatMap((s) => s.requirements.talosPatches ?? []), ...talosSettings(cluster).patches];
  const off = patches.some((p) => (p as Manifest).cluster?.coreDNS?.disabled === true);
  return off ? { shipped: false, why: 'a Talos patch sets cluster.coreDNS.disabled' } : { shipped: true, why: 'Talos ships CoreDNS' };
}

function fluxOperatorHooks(cluster: HomelabCluster, fluxInstanceFile: string | undefined): HelmfileHook[] {
  const hooks: HelmfileHook[] = [];
  if (cluster.sops) {
    hooks.push({ events: ['postsync'], showlogs: true, command: 'sh', args: ['-c', sopsSecretCommand(cluster.sops.secretName)], description: `creates the Secret flux-system/${cluster.sops.secretName} from the age key file ($SOPS_AGE_KEY_FILE, default ${DEFAULT_AGE_KEY_FILE})` });
  }
  if (fluxInstanceFile) {
    hooks.push({
      events: ['postsync'],
      showlogs: true,
      command: 'sh',
      args: ['-c', `kubectl apply --server-side -f "$(git rev-parse --show-toplevel)/${fluxInstanceFile}" && kubectl -n flux-system wait fluxinstance/flux --for=condition=Ready --timeout=${FLUX_READY_TIMEOUT}`],
      description: `applies ${fluxInstanceFile} and waits until Flux runs`,
    });
  }
  return hooks;
}

/**
 * The shell command creating (or updating) the age key Secret from the user's key file: the key
 * itself never appears in any generated file, only the path to it.
 */
export function sopsSecretCommand(secretName: string): string {
  return `kubectl create namespace flux-system --dry-run=client -o yaml | kubectl apply -f - && kubectl -n flux-system create secret generic ${secretName} --from-file=${AGE_SECRET_KEY}="\${SOPS_AGE_KEY_FILE:-${DEFAULT_AGE_KEY_FILE}}" --dry-run=client -o yaml | kubectl apply -f -`;
}

function key(r: BootstrapRelease): string {
  return `${r.namespace}/${r.name}`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function isHelmRelease(o: Manifest): boolean {
  return o.kind === 'HelmRelease' && String(o.apiVersion).startsWith('helm.toolkit.fluxcd.io/');
}

/** The HelmReleases a component renders (as written in the tree). */
function helmReleasesOf(tree: ClusterTree, c: Component): RenderedManifest[] {
  return tree.manifests.filter((m) => m.path === c.node.path && isHelmRelease(m.object));
}

function findSource(tree: ClusterTree, kind: string, name: string, namespace: string): Manifest | undefined {
  return tree.manifests.find((m) => m.object.kind === kind && m.object.metadata?.name === name && m.object.metadata?.namespace === namespace)?.object;
}

/** The chart name a HelmRelease installs (from its chart spec, or the last segment of its OCI source). */
function chartNameOf(tree: ClusterTree, m: RenderedManifest): string | undefined {
  const spec = m.object.spec ?? {};
  if (spec.chart?.spec?.chart) return spec.chart.spec.chart;
  if (spec.chartRef?.kind === 'OCIRepository') {
    const src = findSource(tree, 'OCIRepository', spec.chartRef.name, spec.chartRef.namespace ?? m.object.metadata?.namespace);
    return typeof src?.spec?.url === 'string' ? src.spec.url.split('/').pop() : undefined;
  }
  return undefined;
}

/**
 * The helmfile release for a HelmRelease of the tree: same release name, namespace, chart,
 * version and values. What a helmfile cannot reproduce (values read from Secrets at reconcile
 * time, post-renderers, unpinned sources) is reported.
 */
function toRelease(tree: ClusterTree, c: Component, m: RenderedManifest, purpose: string, needs: readonly string[], hooks: readonly HelmfileHook[], error: ProblemSink): BootstrapRelease | undefined {
  const hr = m.object;
  const spec = hr.spec ?? {};
  const namespace: string = spec.targetNamespace ?? hr.metadata.namespace;
  const name: string = spec.releaseName ?? hr.metadata.name;
  const fail = (field: string, why: string, fix: string): undefined => {
    error(c, field, `HelmRelease '${hr.metadata.name}' must be installed before Flux runs (${purpose}), but ${why}`, fix);
    return undefined;
  };
  if ((spec.valuesFrom ?? []).length > 0) return fail('valuesFrom', 'it reads values from Secrets/ConfigMaps at reconcile time, which the bootstrap helmfile cannot reproduce', 'give the chart its values inline (no secret is needed to install a CNI)');
  if ((spec.postRenderers ?? []).length > 0) return fail('postRenderers', 'it post-renders the chart, which the bootstrap helmfile cannot reproduce', 'express the change as Helm values');
  const base = { name, namespace, values: structuredClone(spec.values ?? {}), needs: [...needs], hooks: [...hooks], purpose, from: m.file };
  if (spec.chartRef) {
    const src = findSource(tree, spec.chartRef.kind, spec.chartRef.name, spec.chartRef.namespace ?? hr.metadata.namespace);
    const tag = src?.spec?.ref?.tag;
    if (spec.chartRef.kind !== 'OCIRepository' || !src || typeof tag !== 'string') return fail('chartRef', `its chart source ${spec.chartRef.kind} '${spec.chartRef.name}' is not an OCIRepository pinned to a tag`, 'pin the OCIRepository with ref.tag (ChartRelease does this)');
    return { ...base, chart: src.spec.url, version: tag };
  }
  const chart = spec.chart?.spec;
  const src = chart ? findSource(tree, chart.sourceRef?.kind, chart.sourceRef?.name, chart.sourceRef?.namespace ?? hr.metadata.namespace) : undefined;
  if (!chart || chart.sourceRef?.kind !== 'HelmRepository' || !src || typeof chart.version !== 'string') {
    return fail('chart', 'its chart does not come from a HelmRepository at a pinned version', 'deploy it with a ChartRelease (pinned version, HelmRepository or OCIRepository source)');
  }
  if (src.spec?.type === 'oci') return { ...base, chart: `${String(src.spec.url).replace(/\/$/, '')}/${chart.chart}`, version: chart.version };
  return { ...base, chart: `${src.metadata.name}/${chart.chart}`, version: chart.version, repository: { name: src.metadata.name, url: src.spec.url } };
}

/**
 * Gateway API CRDs come from a Git source Flux applies; before Flux runs, the same release's
 * `standard-install.yaml` is applied instead (same repository, same tag).
 */
function gatewayApiInstallUrl(tree: ClusterTree, provider: Component): string | undefined {
  const repo = tree.manifests.find((m) => m.path === provider.node.path && m.object.kind === 'GitRepository')?.object;
  const url = repo?.spec?.url;
  const tag = repo?.spec?.ref?.tag;
  if (typeof url !== 'string' || typeof tag !== 'string' || !/github\.com\/kubernetes-sigs\/gateway-api(\.git)?$/.test(url)) return undefined;
  return `${url.replace(/\.git$/, '')}/releases/download/${tag}/standard-install.yaml`;
}
