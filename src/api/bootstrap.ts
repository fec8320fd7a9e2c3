/** `cdk8s-homelab/bootstrap`: flux-operator, bootstrap plan, helmfile, k3s node configs, runbook. */
export * from '../lib/bootstrap/index.js';
