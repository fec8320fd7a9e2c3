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

/**
 * An S3-compatible bucket CloudNativePG archives to. Its credentials are the Secret `postgres-s3` in
 * the databases namespace, with ACCESS_KEY_ID / ACCESS_SECRET_KEY (create it from a SOPS file).
 */
function cnpgBucket(endpoint: string, bucket: string) {
  return { endpoint, bucket, credentialsSecret: 'postgres-s3' } as const;
}

/** S3-compatible endpoint CloudNativePG on `home` archives WAL and base backups to (seed 000: "vers S3"). */
export const SOVEREIGN_S3 = cnpgBucket('https://s3.example.net', 'home-cnpg-backups');

/** The home LAN: node subnet, node-main's address, and the addresses Cilium may announce for LoadBalancers. */
export const HOME_LAN = {
  nodeCidr: '192.168.10.0/24',
  nodeIp: '192.168.10.10',
  loadBalancerRange: '192.168.10.200-192.168.10.209',
  /** Traefik's address: point `*.home.<domain>` at it in the home DNS. */
  ingressIp: '192.168.10.200',
} as const;

/** The NAS share holding the media library Jellyfin and the *arr apps share on `home`. */
export const HOME_MEDIA_NFS = { server: 'nas.sovereign.example.net', share: '/export/media' } as const;

/**
 * Name of the Secret (key `api-token`) holding a Cloudflare API token with Zone:DNS:Edit, in the
 * namespace of the component using it (cert-manager, external-dns). Create it from a SOPS file:
 * it is never written by synth. Same name on every cluster.
 */
export const CLOUDFLARE_API_TOKEN_SECRET = 'cloudflare-api-token';

/**
 * Name of the Secret in namespace `cloudflared` holding a locally-managed tunnel's credentials JSON
 * (key `credentials.json`; create it from a SOPS file). Same name on every cluster with a tunnel.
 */
export const TUNNEL_CREDENTIALS_SECRET = 'tunnel-credentials';

/**
 * UUID of the cloud cluster's locally-managed Cloudflare Tunnel (`cloudflared tunnel create cloud`
 * prints it; the all-zero placeholder must be replaced).
 */
export const CLOUD_TUNNEL_ID = '00000000-0000-4000-8000-000000000000';

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

/** E-mail used for ACME registrations on the ARM environments. */
export const ARM_ACME_EMAIL = 'admin@arm.example.net';

/**
 * The SOPS layer of the ARM secrets chain: a short-lived OpenBao token (Secret
 * `openbao-bootstrap-token`, key `token`, namespace `openbao`) encrypted with SOPS in OpenBao's
 * folder, e.g. `'bootstrap-token.sops.yaml'`. Flux decrypts it and OpenBao's configure Job uses it to
 * set up Kubernetes auth for External Secrets. Left unset, you run the configure script once by hand
 * (see src/lib/platform/secrets/README.md); synth refuses a named file that is missing or plaintext.
 */
export const ARM_OPENBAO_BOOTSTRAP_SOPS_FILE: string | undefined = undefined;

// ---------------------------------------------------------------------------------------------
// Seed 002 — Proxmox LXC services translated to Kubernetes (cluster `services`)
// ---------------------------------------------------------------------------------------------

/** Seed 002 names no domain. */
export const SERVICES_DOMAIN = 'services.example.org';

/** age recipients of the services cluster. */
export const SERVICES_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/** S3-compatible endpoint the central PostgreSQL backs up to (the seed's Proxmox Backup Server role for data). */
export const SERVICES_S3 = cnpgBucket('https://s3.services.example.org', 'services-cnpg-backups');

/** The NAS share holding Nextcloud's data on `services`. */
export const SERVICES_DATA_NFS = { server: 'nas.services.example.org', share: '/export/nextcloud' } as const;

/** Outbound SMTP relay (smarthost) Postfix forwards to; its password is Secret {@link SERVICES_SECRETS}.smtpRelay. */
export const SERVICES_SMTP_RELAY = { host: 'smtp.example.org', port: 587, username: 'homelab@example.org' } as const;

/** The Proxmox bridge subnet the VM, the VPS reverse proxy and the LoadBalancer addresses share (seed 002: one subnet). */
export const SERVICES_LAN = {
  nodeCidr: '10.10.0.0/24',
  nodeIp: '10.10.0.20',
  loadBalancerRange: '10.10.0.240-10.10.0.249',
  /** Traefik's address: the VPS forwards public traffic here. */
  ingressIp: '10.10.0.240',
} as const;

/**
 * Secrets the services cluster reads by name (key `password` unless noted). Create each one from a
 * SOPS file in the consuming component's folder, or by hand; synth never writes their values.
 */
export const SERVICES_SECRETS = {
  /** namespace identity */
  ldapAdmin: 'openldap-admin',
  /** namespace identity */
  keycloakAdmin: 'keycloak-bootstrap-admin',
  /** namespace mail */
  smtpRelay: 'smtp-relay',
  /** namespace monitoring; keys admin-user / admin-password */
  grafanaAdmin: 'grafana-admin',
  /** namespace influxdb; keys username / password / token */
  influxdbAdmin: 'influxdb-admin',
} as const;

/** E-mail used for ACME registrations on the services cluster. */
export const SERVICES_ACME_EMAIL = 'admin@services.example.org';

// ---------------------------------------------------------------------------------------------
// Seed 003 — Talos HA + Cilium + Gateway API (cluster `ha`)
// ---------------------------------------------------------------------------------------------

/**
 * MAC addresses of the ha control planes' LAN ports, which hold the API VIP. Seed 003 names no
 * hardware, so these are locally-administered placeholders: replace each with what
 * `talosctl get links --insecure -n <node-ip>` shows (the port's `permanentAddr`). Talos then
 * aliases that port `lan0` and puts the VIP on it, whatever the kernel calls it.
 */
export const HA_CONTROL_PLANE_MACS = { control0: '02:00:00:00:50:01', control1: '02:00:00:00:50:02' } as const;

/** The seed's split-DNS domain (`*.tosih.org` is forwarded to k8s-gateway). */
export const HA_DOMAIN = 'tosih.org';

/** age recipients of the ha cluster (the seed's `age.key`). */
export const HA_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/** UUID of the ha cluster's locally-managed Cloudflare Tunnel (replace the all-zero placeholder). */
export const HA_TUNNEL_ID = '00000000-0000-4000-8000-000000000003';

/** The ZFS pool on every worker that OpenEBS ZFS LocalPV carves volumes from. */
export const HA_ZFS_POOL = 'zfspv-pool';

/** E-mail used for ACME registrations on the ha cluster. */
export const HA_ACME_EMAIL = 'admin@tosih.org';

// ---------------------------------------------------------------------------------------------
// Seed 004 — prox-n100 (cluster `prox-n100`)
// ---------------------------------------------------------------------------------------------

/** The memo's Synology NAS: NFS server address and the exported share for Kubernetes volumes. */
export const PROX_N100_NAS = { server: 'synology.funoffshore.com', share: '/volume1/kubernetes', backupShare: '/volume1/longhorn-backups' } as const;

/** The static DHCP leases of the memo's Talos VMs (the memo names none: replace with yours). */
export const PROX_N100_NODE_IPS = {
  'talos-cp-1': '192.168.1.101',
  'talos-w-1': '192.168.1.111',
  'talos-w-2': '192.168.1.112',
} as const;

/** UUID of prox-n100's locally-managed Cloudflare Tunnel (replace the all-zero placeholder). */
export const PROX_N100_TUNNEL_ID = '00000000-0000-4000-8000-000000000004';

// ---------------------------------------------------------------------------------------------
// Issue 16 example — a household's apps on one Talos node (cluster `household`)
// ---------------------------------------------------------------------------------------------

/** The household cluster's domain (no seed names one). */
export const HOUSEHOLD_DOMAIN = 'household.example.net';

/** age recipients of the household cluster. */
export const HOUSEHOLD_AGE_RECIPIENTS = [PLACEHOLDER_AGE_RECIPIENT];

/** E-mail used for ACME registrations on the household cluster. */
export const HOUSEHOLD_ACME_EMAIL = 'admin@household.example.net';

/** S3-compatible endpoint both household PostgreSQL clusters archive to (the default one and Immich's). */
export const HOUSEHOLD_S3 = cnpgBucket('https://s3.household.example.net', 'household-cnpg-backups');

/** The household LAN: node subnet, the node's address, and the addresses Cilium may announce for LoadBalancers. */
export const HOUSEHOLD_LAN = {
  nodeCidr: '192.168.20.0/24',
  nodeIp: '192.168.20.10',
  loadBalancerRange: '192.168.20.200-192.168.20.209',
  /** Traefik's address: point `*.household.example.net` at it in the home DNS. */
  ingressIp: '192.168.20.200',
} as const;

/** The NAS share Paperless keeps its documents in: `media/` (originals, archive) and `consume/` (the scanner's drop folder), owned by uid 1000. */
export const HOUSEHOLD_DOCUMENTS_NFS = { server: 'nas.household.example.net', share: '/export/paperless' } as const;

/** The NAS share of the film library Radarr manages (read-write at `/media`, owned by uid 65534). */
export const HOUSEHOLD_MEDIA_NFS = { server: 'nas.household.example.net', share: '/export/media' } as const;

/**
 * The Zigbee coordinator plugged into the node, by its stable by-id link (`ls -l /dev/serial/by-id/`
 * on the node shows yours; this one is a placeholder for a Sonoff dongle).
 */
export const HOUSEHOLD_ZIGBEE_STICK = '/dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus_00000000000000000000000000000000-if00-port0';

/**
 * Name of the Secret in namespace `documents` (key `secret-key`) holding Paperless's Django secret
 * key: a long random string (`openssl rand -base64 48`), created from a SOPS file or by hand.
 */
export const HOUSEHOLD_PAPERLESS_SECRET = 'paperless-secret-key';
