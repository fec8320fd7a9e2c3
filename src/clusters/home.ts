import { Construct } from 'constructs';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { GIT_BRANCH, GIT_URL, SOVEREIGN_AGE_RECIPIENTS, SOVEREIGN_DOMAIN } from './settings.js';

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
 */
export function home(scope: Construct, options: HomeOptions = {}): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'home',
    distribution: 'talos',
    description: 'Seed 000 local side: Talos single-node cluster — media stack, CloudNativePG + Redis, n8n, Nextcloud',
    seed: '000-talos-snc-plus-oke.md',
    domain: `home.${SOVEREIGN_DOMAIN}`,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: SOVEREIGN_AGE_RECIPIENTS },
    gamingMode: options.gamingMode ?? HOME_GAMING_MODE,
    nodes: [
      { name: 'node-main', role: 'control-plane', cpu: 10, memory: '56Gi', arch: 'amd64', installDisk: '/dev/nvme0n1' },
    ],
  });
  return cluster;
}
