// The cluster class lives in cluster-model.ts beside Component (the two refer to each other).
export { HomelabCluster } from './cluster-model.js';
export { FLUX_VERSION } from './cluster-props.js';
export type { ClusterNetwork, ClusterProps, FluxSettings, GitSource, ResolvedFlux, ResolvedScaleDown, ScaleDownProfile, SopsSettings } from './cluster-props.js';
export { DISTRIBUTIONS } from './distribution.js';
export type { Distribution } from './distribution.js';
/** Re-exported for the platform constructs that check addresses. */
export { isIpv4 } from './ip.js';
