export * from './flux-operator.js';
export * from './plan.js';
export * from './helmfile.js';
export * from './k3s.js';
export * from './runbook.js';
export * from './files.js';
export * from './secrets.js';
