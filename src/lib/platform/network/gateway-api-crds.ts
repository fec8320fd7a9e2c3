import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { upstreamManifests } from '../../flux/upstream-manifests.js';

/**
 * Gateway API release whose standard-channel CRDs are installed. Kept equal to the version of the
 * CRD schemas in `imports/` (../shared/crds/gateway-api), so objects are validated against the
 * CRDs the cluster actually gets.
 */
// renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api
export const GATEWAY_API_VERSION = 'v1.6.1';
/** Upstream repository of the Gateway API CRDs. */
export const GATEWAY_API_REPOSITORY = 'https://github.com/kubernetes-sigs/gateway-api';
/** The same CRDs as one file, for bootstrapping a cluster by hand before Flux runs. */
export const GATEWAY_API_STANDARD_INSTALL_URL = `${GATEWAY_API_REPOSITORY}/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`;

export interface GatewayApiCrdsProps {
  /** Gateway API release (a Git tag of the upstream repository). @default GATEWAY_API_VERSION */
  readonly version?: string;
  /** How often Flux re-applies the CRDs. @default '1h' */
  readonly interval?: string;
  /** @default 'network' */
  readonly group?: string;
  /** @default 'platform' */
  readonly layer?: Layer;
}

/** Name of the GitRepository and Flux Kustomization this component renders. */
const UPSTREAM_NAME = 'gateway-api-standard-crds';

/**
 * The Gateway API CRDs (standard channel): no chart installs them (Cilium's chart does not), and
 * this repository ships no CRD manifests, so Flux pulls them from upstream at a pinned tag: a
 * `GitRepository` fetching only `config/crd/standard/` and a nested Flux `Kustomization` applying
 * it. The nested Kustomization does not prune: removing this component must never delete the CRDs,
 * which would delete every Gateway and route in the cluster.
 *
 * Provides `crdGroup('gateway.networking.k8s.io')`, so every Gateway/HTTPRoute waits for it
 * (derived dependsOn). Use {@link GatewayApiCrds.ensure} to add it once, whoever needs it.
 */
export class GatewayApiCrds extends Component {
  /**
   * The component providing the Gateway API CRDs, created if the cluster has none yet. Call it from
   * a `wire` hook (every constructor has run by then) so two constructs never both create one.
   */
  public static ensure(cluster: HomelabCluster, props: GatewayApiCrdsProps = {}): Component {
    const existing = cluster.components.find((c) => c.provides.has(crdGroup('gateway.networking.k8s.io')));
    return existing ?? new GatewayApiCrds(cluster, 'gateway-api-crds', props);
  }

  public readonly version: string;

  constructor(cluster: HomelabCluster, id: string, props: GatewayApiCrdsProps = {}) {
    super(cluster, { name: id, namespace: 'flux-system', group: props.group ?? 'network', layer: props.layer });
    this.version = props.version ?? GATEWAY_API_VERSION;
    upstreamManifests(this, { name: UPSTREAM_NAME, url: GATEWAY_API_REPOSITORY, tag: this.version, path: 'config/crd/standard', interval: props.interval });
    this.provide(crdGroup('gateway.networking.k8s.io'));
  }
}
