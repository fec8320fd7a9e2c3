import { ArmDelta, ArmEnvironmentCluster, armCluster } from './arm-base.js';

/** Staging (validation): production's shape — two replicas, medium sizes — plus the test app. */
export const ARM_STAGING: ArmDelta = {
  env: 'staging',
  hostPrefix: 'staging.',
  replicas: 2,
  size: 'medium',
  apps: ['whoami', 'vaultwarden', 'blog'],
  interval: '10m',
};

/** The staging cluster: the shared base with this file's delta (tests pass another base or delta). Defined here, so its generated headers name this file. */
export const armStaging: ArmEnvironmentCluster = (scope, base, delta = ARM_STAGING) => armCluster(scope, delta, base);
