/** `cdk8s-homelab/validation`: schema validation of manifests and Helm values. */
export * from '../lib/validation/index.js';
