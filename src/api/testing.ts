/** `cdk8s-homelab/testing`: the generic estate checks, as tests (Jest or node:test) or as `cdk8s-homelab test`. */
export { defineEstateTests, estateChecks, runEstateChecks, fluxAppliedFolders, kustomizeFailures, unmarkedPins } from '../testing/estate-checks.js';
export type { Check, CheckGroup, ClusterDefinition, EstateCheckOptions, TestApi } from '../testing/estate-checks.js';
