import { ArmDelta, ArmEnvironmentCluster, armCluster } from './arm-base.js';

/** Production: bare hostnames, two replicas, medium sizes, no test app. */
export const ARM_PROD: ArmDelta = {
  env: 'prod',
  hostPrefix: '',
  replicas: 2,
  size: 'medium',
  apps: ['vaultwarden', 'blog'],
  interval: '30m',
};

/** The prod cluster: the shared base with this file's delta (tests pass another base or delta). Defined here, so its generated headers name this file. */
export const armProd: ArmEnvironmentCluster = (scope, base, delta = ARM_PROD) => armCluster(scope, delta, base);
