/** `cdk8s-homelab/safety`: data-loss guard, capacity and placement, policy lint, pod security. */
export * from '../lib/safety/index.js';
