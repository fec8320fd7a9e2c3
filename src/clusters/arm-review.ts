import { ArmDelta, armEnvironment } from './arm-base.js';

/** Review (test/dev): follows `main` at once, one replica, small sizes, every app including the test app. */
export const ARM_REVIEW: ArmDelta = {
  env: 'review',
  hostPrefix: 'review.',
  replicas: 1,
  size: 'small',
  apps: ['whoami', 'vaultwarden', 'blog'],
  interval: '5m',
};

export const armReview = armEnvironment(ARM_REVIEW);
