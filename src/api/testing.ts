/** `cdk8s-homelab/testing`: the generic estate checks, as tests (Jest or node:test) or as `cdk8s-homelab test`. */
export { defineEstateTests, estateChecks, runEstateChecks } from '../testing/estate-checks.js';
export { fluxAppliedFolders, kustomizeFailures, unmarkedPins } from '../testing/tree-checks.js';
export type { Check, CheckGroup, ClusterDefinition, EstateCheckOptions, TestApi } from '../testing/estate-checks.js';
