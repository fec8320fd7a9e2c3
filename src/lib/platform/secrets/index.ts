/** Secrets (seed 001): SOPS creation rules, OpenBao, External Secrets and its OpenBao store. */
export * from './external-secrets.js';
export * from './openbao.js';
export * from './openbao-store.js';
export * from './request.js';
export * from './sops-config.js';
