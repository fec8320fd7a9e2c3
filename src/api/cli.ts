/** `cdk8s-homelab/cli`: the `cdk8s-homelab` command as a function, for a repository's own entry (src/main.ts). */
export { main, loadEstate, estateModulePath, USAGE } from '../cli/main.js';
export type { EstateSource } from '../cli/main.js';
export { runInit, scaffold, TEMPLATES } from '../cli/init.js';
export type { ScaffoldOptions, TemplateName } from '../cli/init.js';
