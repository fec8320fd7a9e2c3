/** `cdk8s-homelab/apps`: the generic hardened App and the applications built on it. */
export * from '../lib/apps/index.js';
