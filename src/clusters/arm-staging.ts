import { ArmDelta, armEnvironment } from './arm-base.js';

/** Staging (validation): production's shape — two replicas, medium sizes — plus the test app. */
export const ARM_STAGING: ArmDelta = {
  env: 'staging',
  hostPrefix: 'staging.',
  replicas: 2,
  size: 'medium',
  apps: ['whoami', 'vaultwarden', 'blog'],
  interval: '10m',
};

export const armStaging = armEnvironment(ARM_STAGING);
