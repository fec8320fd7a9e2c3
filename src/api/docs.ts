/** `cdk8s-homelab/docs`: generated cluster READMEs, diagrams and prerequisites. */
export * from '../lib/docs/index.js';
