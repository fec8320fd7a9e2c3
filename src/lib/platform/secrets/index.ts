/** Secrets: SOPS creation rules, OpenBao, External Secrets and its stores (OpenBao, 1Password, Bitwarden, Vault, Kubernetes). */
export * from './cluster-stores.js';
export * from './external-secrets.js';
export * from './hosted-stores.js';
export * from './openbao.js';
export * from './openbao-store.js';
export * from './request.js';
export * from './secret-store.js';
export * from './sops-config.js';
export * from './store-registry.js';
