/**
 * cdk8s-homelab's public API: one barrel over the areas, each also importable on its own
 * (`cdk8s-homelab/estate`, `/flux`, `/platform`, `/apps`, `/talos`, `/bootstrap`, `/safety`,
 * `/docs`, `/validation`, `/synth`, `/cli`, `/testing`). Anything not exported here or from a
 * subpath is internal and may change in any release. See docs/package.md.
 */
export * from './api/estate.js';
export * from './api/flux.js';
export * from './api/platform.js';
export * from './api/apps.js';
export * from './api/talos.js';
export * from './api/bootstrap.js';
export * from './api/safety.js';
export * from './api/docs.js';
export * from './api/validation.js';
export * from './api/synth.js';
// Names two areas export alike: the apps' ones are the general ones; the others keep an alias.
export type { ImageRef, Resources, SecretKeyRef } from './api/apps.js';
export { imageName } from './api/apps.js';
export type { ImageRef as PostgresImageRef } from './api/platform.js';
export { imageName as postgresImageName } from './api/platform.js';
export type { Resources as CapacityResources } from './api/safety.js';
export type { SecretKeyRef as PlatformSecretKeyRef } from './api/platform.js';
export * from './api/testing.js';
