/** `cdk8s-homelab/platform`: platform components (network, storage, ingress, databases, observability, secrets). */
export * from '../lib/platform/databases/index.js';
export * from '../lib/platform/ingress/index.js';
export * from '../lib/platform/observability/index.js';
export * from '../lib/platform/secrets/index.js';
export * from '../lib/platform/network/cilium.js';
export * from '../lib/platform/network/gateway-api-crds.js';
export * from '../lib/platform/network/tailscale-operator.js';
export * from '../lib/platform/storage/longhorn.js';
export * from '../lib/platform/storage/nfs-csi.js';
export * from '../lib/platform/storage/nfs-share.js';
export * from '../lib/platform/storage/nfs-subdir.js';
export * from '../lib/platform/storage/zfs-localpv.js';
export * from '../lib/platform/storage/zfs-pool.js';
// Two areas name a Secret key reference the same; the ingress one is the general one.
export type { SecretKeyRef } from '../lib/platform/ingress/index.js';
export type { SecretKeyRef as BackupSecretKeyRef } from '../lib/platform/databases/index.js';
