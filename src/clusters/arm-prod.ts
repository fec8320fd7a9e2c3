import { Construct } from 'constructs';
import { HomelabCluster } from '../api/estate.js';
import { ArmBase, ArmDelta, armCluster } from './arm-base.js';

/** Production: bare hostnames, two replicas, medium sizes, no test app. */
export const ARM_PROD: ArmDelta = {
  env: 'prod',
  hostPrefix: '',
  replicas: 2,
  size: 'medium',
  apps: ['vaultwarden', 'blog'],
  interval: '30m',
};

export function armProd(scope: Construct, base?: ArmBase, delta: ArmDelta = ARM_PROD): HomelabCluster {
  return armCluster(scope, delta, base);
}
