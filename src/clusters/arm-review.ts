import { Construct } from 'constructs';
import { HomelabCluster } from '../api/estate.js';
import { ArmBase, ArmDelta, armCluster } from './arm-base.js';

/** Review (test/dev): follows `main` at once, one replica, small sizes, every app including the test app. */
export const ARM_REVIEW: ArmDelta = {
  env: 'review',
  hostPrefix: 'review.',
  replicas: 1,
  size: 'small',
  apps: ['whoami', 'vaultwarden', 'blog'],
  interval: '5m',
};

export function armReview(scope: Construct, base?: ArmBase, delta: ArmDelta = ARM_REVIEW): HomelabCluster {
  return armCluster(scope, delta, base);
}
