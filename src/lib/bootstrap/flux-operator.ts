import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../estate/cluster.js';
import { Component, Layer } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { ChartRelease, UnvalidatedChartInfo } from '../flux/helm-release.js';

/**
 * flux-operator's Helm chart, pinned by hand: ../shared holds no values data for it, so it is not
 * in imports/charts.ts and its values are not validated.
 */
export const FLUX_OPERATOR_CHART: UnvalidatedChartInfo = {
  name: 'flux-operator',
  // renovate: datasource=docker depName=ghcr.io/controlplaneio-fluxcd/charts/flux-operator
  version: '0.58.1',
  appVersion: 'v0.58.1',
  kubeVersion: undefined,
  repository: 'oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator',
  type: 'oci',
  alternatives: [],
  deprecated: false,
  notes: 'AGPL-3.0; installs the FluxInstance/FluxReport/ResourceSet CRDs',
  images: [],
  values: 'none',
};

/** Name of flux-operator's Helm release, in the bootstrap helmfile and in Flux alike. */
export const FLUX_OPERATOR_RELEASE = 'flux-operator';

export interface FluxOperatorProps {
  /** Helm values of the flux-operator chart (not validated: no values data in ../shared). @default {} */
  readonly values?: Record<string, unknown>;
  /** @default 'flux' */
  readonly group?: string;
  /** @default 'platform' */
  readonly layer?: Layer;
}

/**
 * flux-operator managed by Flux itself, after the bootstrap helmfile installed it once: an
 * OCIRepository + HelmRelease `flux-operator` in `flux-system`. Flux adopts the release the
 * helmfile made (same name, namespace, chart version and values — the helmfile reads them from
 * this HelmRelease), and Renovate bumps of {@link FLUX_OPERATOR_CHART} then upgrade the operator
 * through Git. Without this component the operator stays at the version the helmfile installed.
 *
 * Both objects carry `kustomize.toolkit.fluxcd.io/prune: disabled`: removing the component from
 * the model must never uninstall the operator (its CRDs hold the FluxInstance that runs Flux).
 */
export class FluxOperator extends Component {
  public readonly release: ChartRelease;

  constructor(cluster: HomelabCluster, id: string, props: FluxOperatorProps = {}) {
    super(cluster, { name: id, namespace: 'flux-system', group: props.group ?? 'flux', layer: props.layer });
    if (cluster.flux.bootstrap !== 'operator') {
      Diagnostics.of(this).error(this, 'flux.bootstrap', `cluster '${cluster.name}' bootstraps Flux with 'flux bootstrap' (classic), which does not use flux-operator`, "remove the FluxOperator component, or set flux: { bootstrap: 'operator' }");
    }
    this.release = new ChartRelease(this, 'chart', { chart: FLUX_OPERATOR_CHART, releaseName: FLUX_OPERATOR_RELEASE, values: props.values ?? {} });
    for (const child of this.release.node.children) {
      if (child instanceof ApiObject) child.metadata.addAnnotation('kustomize.toolkit.fluxcd.io/prune', 'disabled');
    }
    this.addWorkload({ name: 'flux-operator', cpuRequest: '100m', memoryRequest: '64Mi' });
  }
}
