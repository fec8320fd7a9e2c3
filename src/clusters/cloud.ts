import { Construct } from 'constructs';
import { DEFAULT_STORAGE_CLASS, storageClass } from '../lib/estate/capabilities.js';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { GIT_BRANCH, GIT_URL, SOVEREIGN_AGE_RECIPIENTS, SOVEREIGN_DOMAIN } from './settings.js';

/**
 * Seed 000, cloud side (`000-talos-snc-plus-oke.md`): OCI's managed OKE (no control-plane node to
 * run), the public hub of the hub-and-spoke design. The path Internet → Cloudflare → tunnel → OKE →
 * Traefik → apps is what its objects express: cloudflared's rules send every public hostname to
 * Traefik, Traefik routes it to Vaultwarden or the blog.
 *
 * Nodes: the seed does not size them; the model declares two Always-Free Ampere A1 workers
 * (arm64, 2 OCPU / 12 GB each), so every image must exist for arm64.
 */
export function cloud(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'cloud',
    distribution: 'oke',
    description: 'Seed 000 cloud side: OCI OKE — Traefik, Cloudflare Tunnel, public Vaultwarden and blog',
    seed: '000-talos-snc-plus-oke.md',
    domain: SOVEREIGN_DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: SOVEREIGN_AGE_RECIPIENTS },
    network: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16', nodeCidr: '10.0.10.0/24' },
    // OKE's block-volume CSI StorageClass exists on every OKE cluster and is the default.
    builtins: [storageClass('oci-bv'), DEFAULT_STORAGE_CLASS],
    nodes: [
      { name: 'oke-a1-1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' },
      { name: 'oke-a1-2', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' },
    ],
  });
  return cluster;
}
