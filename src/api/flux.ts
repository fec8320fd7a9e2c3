/** `cdk8s-homelab/flux`: Flux HelmRelease, Kustomization and bootstrap building blocks. */
export * from '../lib/flux/helm-release.js';
export * from '../lib/flux/kustomization.js';
export * from '../lib/flux/bootstrap.js';
export * from '../lib/flux/upstream-manifests.js';
export * from '../lib/flux/values.js';
