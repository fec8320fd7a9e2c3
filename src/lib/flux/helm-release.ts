import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2';
import { HelmRepository, OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { CHARTS, ChartName, HelmChartInfo } from '../../../imports/charts.js';
import { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { validateHelmValues } from '../validation/values-validator.js';

/**
 * A chart pinned by hand in TypeScript because ../shared holds no upstream data for it (so it is
 * not in `imports/charts.ts`): same fields as the generated metadata, with `values: 'none'`, since
 * there is no values.yaml or schema to validate its values against. Put the Renovate marker above
 * the `version` line, as the generated file does.
 */
export interface UnvalidatedChartInfo extends Omit<HelmChartInfo, 'values'> {
  readonly values: 'none';
}

/**
 * Helm operation timeout of a ChartRelease that sets none. A Kustomization waiting on the release
 * must allow at least this long (see `kustomizationTimeout` in kustomization.ts).
 */
export const HELM_RELEASE_TIMEOUT = '10m';

/** Version of the placeholder standing in for an unknown chart (never written: synth stops on the error). */
const UNKNOWN_CHART_VERSION = 'unknown';

/** Helm values deeper than this are a mistake (real charts stay under ~12 levels). */
const MAX_VALUES_DEPTH = 64;

/** Nesting depth of a values object, counted iteratively (a deep object must not overflow the stack here). */
function valuesDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, depth);
    if (max > MAX_VALUES_DEPTH) return max;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return max;
}

/** What {@link ChartReleaseProps.chart} accepts besides a chart name. */
export type ChartInfo = HelmChartInfo | UnvalidatedChartInfo;

export interface ChartReleaseProps {
  /**
   * Chart to deploy: a name from the generated chart metadata (repository and pinned version come
   * from `imports/charts.ts`), or an explicit {@link ChartInfo} for a chart pinned by hand. Values
   * of an {@link UnvalidatedChartInfo} chart are not validated.
   */
  readonly chart: ChartName | ChartInfo;
  /** Helm release and HelmRelease name. @default - the component's name */
  readonly releaseName?: string;
  /** Helm values, validated against the chart's values schema (or values.yaml keys) at synth. @default {} */
  readonly values?: Record<string, unknown>;
  /** CRD handling on install and upgrade. @default 'CreateReplace' (the chart's CRDs follow the chart version) */
  readonly crds?: 'Create' | 'CreateReplace' | 'Skip';
  /** How often helm-controller checks the release. @default '1h' */
  readonly interval?: string;
  /** Helm operation timeout. @default HELM_RELEASE_TIMEOUT ('10m') */
  readonly timeout?: string;
  /** Number of retries before remediation gives up. @default 3 */
  readonly retries?: number;
  /**
   * Values read at reconcile time from Secrets or ConfigMaps in the release namespace, so a secret
   * value (a tunnel token) reaches the chart without ever being written to Git. @default []
   */
  readonly valuesFrom?: readonly ValuesReference[];
  /**
   * For a chart deprecated upstream: the construct's own warning (naming the replacements), printed
   * once per cluster under `code` instead of the generic deprecation warning.
   * @default - the generic warning quoting the chart metadata's notes
   */
  readonly deprecationWarning?: { readonly code: string; readonly message: string };
}

/** One HelmRelease `valuesFrom` entry. */
export interface ValuesReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  /** Key holding the value. @default 'values.yaml' */
  readonly valuesKey?: string;
  /** Values path the key's content is written to, e.g. `cloudflare.tunnel_token`. @default - merged at the root */
  readonly targetPath?: string;
}

/**
 * A chart deployed by Flux: its source (HelmRepository, or OCIRepository for OCI charts) and its
 * HelmRelease, both in the component's namespace, at the version pinned in `imports/charts.ts`.
 * The source is named after the chart, so each component folder is self-contained.
 */
export class ChartRelease extends Construct {
  /** The rendered HelmRelease name. */
  public readonly releaseName: string;
  public readonly component: Component;
  public readonly values: Record<string, unknown>;

  constructor(component: Component, id: string, props: ChartReleaseProps) {
    super(component, id);
    this.component = component;
    this.releaseName = props.releaseName ?? component.name;
    this.values = props.values ?? {};
    const meta = this.resolveChart(props);
    if (valuesDepth(this.values) > MAX_VALUES_DEPTH) {
      Diagnostics.of(this).error(this, 'values', `the Helm values nest deeper than ${MAX_VALUES_DEPTH} levels: no chart reads values that deep, and rendering them would overflow the stack`, 'flatten the values (a self-referencing or generated object is the usual cause)');
      this.values = {};
    }
    if (meta.deprecated && props.deprecationWarning) {
      // Warned at the cluster, so the same code is printed once per cluster however many releases use the chart.
      Diagnostics.of(this).warn(component.cluster, props.deprecationWarning.code, props.deprecationWarning.message);
    } else if (meta.deprecated) {
      Diagnostics.of(this).warn(this, `deprecated-chart:${meta.name}`, `chart '${meta.name}' is deprecated upstream: ${meta.notes ?? 'see its README'}`);
    }
    const issues = meta.values === 'none' ? [] : validateHelmValues(meta.name, this.values);
    for (const issue of issues) {
      Diagnostics.of(this).error(this, `values.${issue.field}`, `${issue.message} (chart ${meta.name} ${meta.version})`, 'fix the key or value; the chart values schema or values.yaml lists what exists');
    }
    const sourceName = meta.name;
    new ApiObject(this, 'source', this.source(meta, sourceName));
    new ApiObject(this, 'release', this.release(meta, sourceName, props));
  }

  /** The chart's metadata; an unknown name is reported and replaced by a placeholder so synth can list every problem. */
  private resolveChart(props: ChartReleaseProps): ChartInfo {
    if (typeof props.chart !== 'string') return props.chart;
    const known = (CHARTS as Record<string, ChartInfo | undefined>)[props.chart];
    if (known) return known;
    Diagnostics.of(this).error(this, 'chart', `no chart named '${props.chart}' in the chart metadata (imports/charts.ts)`, `use one of ${Object.keys(CHARTS).sort().join(', ')}, or pass a ChartInfo for a chart pinned by hand`);
    return { name: props.chart, version: UNKNOWN_CHART_VERSION, repository: 'https://invalid.example', type: 'https', values: 'none' } as unknown as ChartInfo;
  }

  private source(meta: ChartInfo, name: string): any {
    const metadata = { name, namespace: this.component.namespace };
    if (meta.type === 'oci') {
      return new OCIRepository({
        metadata,
        spec: {
          interval: '12h',
          url: meta.repository,
          ref: { tag: meta.version },
          layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar.gz', operation: 'copy' },
        },
      }).toJSON();
    }
    return new HelmRepository({ metadata, spec: { interval: '12h', url: meta.repository } }).toJSON();
  }

  private release(meta: ChartInfo, sourceName: string, props: ChartReleaseProps): any {
    const crds = props.crds ?? 'CreateReplace';
    const retries = props.retries ?? 3;
    const chartSource = meta.type === 'oci'
      ? { chartRef: { kind: 'OCIRepository' as const, name: sourceName } }
      : { chart: { spec: { chart: meta.name, version: meta.version, sourceRef: { kind: 'HelmRepository' as const, name: sourceName }, interval: '12h' } } };
    return new HelmRelease({
      metadata: { name: this.releaseName, namespace: this.component.namespace },
      spec: {
        interval: props.interval ?? '1h',
        timeout: props.timeout ?? HELM_RELEASE_TIMEOUT,
        releaseName: this.releaseName,
        ...chartSource,
        install: { crds, remediation: { retries } },
        upgrade: { crds, cleanupOnFail: true, remediation: { retries, strategy: 'rollback' } },
        ...(props.valuesFrom?.length ? { valuesFrom: props.valuesFrom.map((v) => ({ ...v })) } : {}),
        values: this.values as any,
      },
    }).toJSON();
  }
}
