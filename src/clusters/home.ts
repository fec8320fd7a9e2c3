import { Construct } from 'constructs';
import { Jellyfin, Jellyseerr, N8n, Nextcloud, Prowlarr, Qbittorrent, Radarr, Sonarr } from '../api/apps.js';
import { HomelabCluster } from '../api/estate.js';
import { FluxOperator } from '../api/bootstrap.js';
import { CertManager, Cilium, ExternalSecrets, Longhorn, Redis, Traefik } from '../api/platform.js';
import { HOME_LAN, HOME_MEDIA_NFS, SOVEREIGN_ACME_EMAIL, SOVEREIGN_AGE_RECIPIENTS, SOVEREIGN_DOMAIN, SOVEREIGN_S3 } from './settings.js';
import { backedUpPostgres, cloudflareAcme, gitOps } from './shared.js';

/**
 * Gaming mode (seed 000, "Mode Gaming"): flip this one line to `true`, run `npm run synth`, commit.
 * Every heavy app scales to zero and CloudNativePG hibernates cleanly; synth prints the CPU and
 * memory freed so the Proxmox VM can be shrunk. Flip it back to resume.
 */
export const HOME_GAMING_MODE = false;

/** Options tests use to build variants of the cluster (the reference estate uses the defaults). */
export interface HomeOptions {
  /** @default HOME_GAMING_MODE */
  readonly gamingMode?: boolean;
}

/**
 * Seed 000, local side (`000-talos-snc-plus-oke.md`): a Talos single-node cluster on the Aoostar
 * (node-main, control plane + worker, 56 GB / 10 CPU) running Flux, the media stack (Jellyfin,
 * *arr), CloudNativePG + Redis, n8n and Nextcloud. CNPG archives continuously to S3.
 *
 * Everything here is reached from the home network only (Traefik on a LAN address announced by
 * Cilium); the public side of seed 000 is the `cloud` cluster.
 */
export function home(scope: Construct, options: HomeOptions = {}): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'home',
    distribution: 'talos',
    description: 'Seed 000 local side: Talos single-node cluster — media stack, CloudNativePG + Redis, n8n, Nextcloud',
    seed: '000-talos-snc-plus-oke.md',
    domain: `home.${SOVEREIGN_DOMAIN}`,
    ...gitOps({ interval: '10m', ageRecipients: SOVEREIGN_AGE_RECIPIENTS }),
    network: { nodeCidr: HOME_LAN.nodeCidr },
    scaleDown: { name: 'gaming mode', active: options.gamingMode ?? HOME_GAMING_MODE },
    nodes: [
      { name: 'node-main', role: 'control-plane', cpu: 10, memory: '56Gi', arch: 'amd64', ip: HOME_LAN.nodeIp, installDisk: '/dev/nvme0n1' },
    ],
  });

  // Flux manages its own operator after the bootstrap installed it (Renovate bumps go through Git).
  new FluxOperator(cluster, 'flux-operator');
  // Platform: CNI + LAN load balancer, storage, certificates, secrets plumbing.
  new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: [HOME_LAN.loadBalancerRange] }], gatewayApi: false });
  new Longhorn(cluster, 'longhorn', { default: true, reclaimPolicy: 'Retain' });
  new CertManager(cluster, 'cert-manager', cloudflareAcme(SOVEREIGN_ACME_EMAIL, { dnsZones: [SOVEREIGN_DOMAIN] }));
  new Traefik(cluster, 'traefik', { loadBalancerIp: HOME_LAN.ingressIp });
  // Database credentials are generated in the cluster by ESO (no secret store needed on home).
  new ExternalSecrets(cluster, 'external-secrets', { store: false });

  // Databases: CloudNativePG archiving continuously to S3, Redis for Nextcloud.
  backedUpPostgres(cluster, SOVEREIGN_S3, 'home');
  new Redis(cluster, 'redis');

  // Media stack: one NFS library shared by the downloader, the *arr apps and Jellyfin.
  const media = { nfs: { server: HOME_MEDIA_NFS.server, path: HOME_MEDIA_NFS.share } };
  const jellyfin = new Jellyfin(cluster, 'jellyfin', { media });
  const qbittorrent = new Qbittorrent(cluster, 'qbittorrent', { media });
  const prowlarr = new Prowlarr(cluster, 'prowlarr');
  const sonarr = new Sonarr(cluster, 'sonarr', { media, downloadClient: qbittorrent, prowlarr });
  const radarr = new Radarr(cluster, 'radarr', { media, downloadClient: qbittorrent, prowlarr });
  new Jellyseerr(cluster, 'jellyseerr', { mediaServer: jellyfin, managers: [sonarr, radarr] });

  // High-performance apps.
  new N8n(cluster, 'n8n');
  new Nextcloud(cluster, 'nextcloud');
  return cluster;
}
