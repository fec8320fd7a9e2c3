import { UpstreamCrds, UpstreamCrdsProps, UpstreamCrdsSource } from '../upstream-crds.js';

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

/** Props of {@link GatewayApiCrds}: version {@link GATEWAY_API_VERSION} and group 'network' by default ({@link GatewayApiCrds.source}). */
export type GatewayApiCrdsProps = UpstreamCrdsProps;

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
export class GatewayApiCrds extends UpstreamCrds {
  /** The standard-channel CRDs (`config/crd/standard`) at {@link GATEWAY_API_VERSION}, group 'network'; {@link UpstreamCrds.ensure} adds them as `gateway-api-crds`. */
  public static readonly source: UpstreamCrdsSource = {
    id: 'gateway-api-crds', name: 'gateway-api-standard-crds', apiGroup: 'gateway.networking.k8s.io',
    url: GATEWAY_API_REPOSITORY, path: 'config/crd/standard', version: GATEWAY_API_VERSION, group: 'network',
  };
}
