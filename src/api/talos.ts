/** `cdk8s-homelab/talos`: Talos versions, settings and the talhelper config. */
export * from '../lib/talos/index.js';
