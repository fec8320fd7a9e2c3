/**
 * Values the seeds leave open. Each one is used wherever the estate needs it: change it here, once,
 * then run `npm run synth`. Every placeholder below is deliberately fake (example.* domains, an age
 * key whose payload spells "replaceme"), so nothing works until you replace it — and nothing leaks.
 */

/** The Git repository every cluster's Flux pulls (this repository, where you push it). */
export const GIT_URL = 'https://github.com/example/homelab';

/** Branch Flux follows (every cluster except the ARM staging/prod environments, see {@link ARM_BRANCHES}). */
export const GIT_BRANCH = 'main';

/**
 * Placeholder age public key (`age1…`, valid bech32, payload "replaceme…"). Replace it with the
 * output of `age-keygen -y ~/.config/sops/age/keys.txt` for each estate below; SOPS files are
 * encrypted to it and Flux decrypts them with the matching private key in the `sops-age` Secret.
 */
export const PLACEHOLDER_AGE_RECIPIENT = 'age1replacemereplacemereplacemereplacemereplacemereplacq6pn0et';

// ---------------------------------------------------------------------------------------------
// Seed 000 — Talos SNC at home + OKE in the cloud (clusters `home` and `cloud`)
// ---------------------------------------------------------------------------------------------

/** Seed 000 names no domain: the one both of its clusters put hostnames under. */
export const SOVEREIGN_DOMAIN = 'sovereign.example.net';

/** age recipients of the seed 000 clusters (home and cloud share one key: one owner). */
export const SOVEREIGN_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/** S3-compatible endpoint CloudNativePG on `home` archives WAL and base backups to (seed 000: "vers S3"). */
export const SOVEREIGN_S3 = {
  endpoint: 'https://s3.example.net',
  bucket: 'home-cnpg-backups',
} as const;

/** The NAS share holding the media library Jellyfin and the *arr apps share on `home`. */
export const HOME_MEDIA_NFS = { server: 'nas.sovereign.example.net', share: '/export/media' } as const;

/** E-mail used for ACME (Let's Encrypt) registrations on the seed 000 clusters. */
export const SOVEREIGN_ACME_EMAIL = 'admin@sovereign.example.net';

// ---------------------------------------------------------------------------------------------
// Seed 001 — k3s on ARM, review → staging → prod (clusters `arm-review`, `arm-staging`, `arm-prod`)
// ---------------------------------------------------------------------------------------------

/** Seed 001 names no domain: each environment gets `<env>.` in front of it (prod gets none). */
export const ARM_DOMAIN = 'arm.example.net';

/** age recipients of the ARM environments. */
export const ARM_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/**
 * Promotion review → staging → prod is a Git promotion: each environment's Flux follows its own
 * branch. Every commit lands on `main` (review applies it at once); promoting is fast-forwarding
 * `staging` to `main`, then `prod` to `staging`.
 */
export const ARM_BRANCHES = { review: 'main', staging: 'staging', prod: 'prod' } as const;

// ---------------------------------------------------------------------------------------------
// Seed 002 — Proxmox LXC services translated to Kubernetes (cluster `services`)
// ---------------------------------------------------------------------------------------------

/** Seed 002 names no domain. */
export const SERVICES_DOMAIN = 'services.example.org';

/** age recipients of the services cluster. */
export const SERVICES_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/** S3-compatible endpoint the central PostgreSQL backs up to (the seed's Proxmox Backup Server role for data). */
export const SERVICES_S3 = {
  endpoint: 'https://s3.services.example.org',
  bucket: 'services-cnpg-backups',
} as const;

/** The NAS share holding Nextcloud's data on `services`. */
export const SERVICES_DATA_NFS = { server: 'nas.services.example.org', share: '/export/nextcloud' } as const;

/** Outbound SMTP relay (smarthost) Postfix forwards to. */
export const SERVICES_SMTP_RELAY = { host: 'smtp.example.org', port: 587 } as const;

/** E-mail used for ACME registrations on the services cluster. */
export const SERVICES_ACME_EMAIL = 'admin@services.example.org';

// ---------------------------------------------------------------------------------------------
// Seed 003 — Talos HA + Cilium + Gateway API (cluster `ha`)
// ---------------------------------------------------------------------------------------------

/** The seed's split-DNS domain (`*.tosih.org` is forwarded to k8s-gateway). */
export const HA_DOMAIN = 'tosih.org';

/** age recipients of the ha cluster (the seed's `age.key`). */
export const HA_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/** E-mail used for ACME registrations on the ha cluster. */
export const HA_ACME_EMAIL = 'admin@tosih.org';

// ---------------------------------------------------------------------------------------------
// Seed 004 — prox-n100 (cluster `prox-n100`)
// ---------------------------------------------------------------------------------------------

/** The memo's Synology NAS: NFS server address and the exported share for Kubernetes volumes. */
export const PROX_N100_NAS = { server: 'synology.funoffshore.com', share: '/volume1/kubernetes', backupShare: '/volume1/longhorn-backups' } as const;

/** E-mail used for ACME registrations on prox-n100. */
export const PROX_N100_ACME_EMAIL = 'admin@funoffshore.com';
