import { ArmDelta, armEnvironment } from './arm-base.js';

/** Production: bare hostnames, two replicas, medium sizes, no test app. */
export const ARM_PROD: ArmDelta = {
  env: 'prod',
  hostPrefix: '',
  replicas: 2,
  size: 'medium',
  apps: ['vaultwarden', 'blog'],
  interval: '30m',
};

export const armProd = armEnvironment(ARM_PROD);
