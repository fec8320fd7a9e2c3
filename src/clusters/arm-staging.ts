import { Construct } from 'constructs';
import { HomelabCluster } from '../api/estate.js';
import { ArmBase, ArmDelta, armCluster } from './arm-base.js';

/** Staging (validation): production's shape — two replicas, medium sizes — plus the test app. */
export const ARM_STAGING: ArmDelta = {
  env: 'staging',
  hostPrefix: 'staging.',
  replicas: 2,
  size: 'medium',
  apps: ['whoami', 'vaultwarden', 'blog'],
  interval: '10m',
};

export function armStaging(scope: Construct, base?: ArmBase, delta: ArmDelta = ARM_STAGING): HomelabCluster {
  return armCluster(scope, delta, base);
}
