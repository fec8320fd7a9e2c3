import { ArmDelta, ArmEnvironmentCluster, armCluster } from './arm-base.js';

/** Review (test/dev): follows `main` at once, one replica, small sizes, every app including the test app. */
export const ARM_REVIEW: ArmDelta = {
  env: 'review',
  hostPrefix: 'review.',
  replicas: 1,
  size: 'small',
  apps: ['whoami', 'vaultwarden', 'blog'],
  interval: '5m',
};

/** The review cluster: the shared base with this file's delta (tests pass another base or delta). Defined here, so its generated headers name this file. */
export const armReview: ArmEnvironmentCluster = (scope, base, delta = ARM_REVIEW) => armCluster(scope, delta, base);
