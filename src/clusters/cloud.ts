import { Construct } from 'constructs';
import { Blog, Vaultwarden } from '../api/apps.js';
import { HomelabCluster } from '../api/estate.js';
import { FluxOperator } from '../api/bootstrap.js';
import { CertManager, Cloudflared, ExternalDns, Traefik } from '../api/platform.js';
import { CLOUDFLARE_API_TOKEN_SECRET, CLOUD_TUNNEL_ID, SOVEREIGN_ACME_EMAIL, SOVEREIGN_AGE_RECIPIENTS, SOVEREIGN_DOMAIN } from './settings.js';
import { cloudflareAcme, gitOps, localTunnel } from './shared.js';

/**
 * Seed 000, cloud side (`000-talos-snc-plus-oke.md`): OCI's managed OKE (no control-plane node to
 * run), the public hub of the hub-and-spoke design. The generated objects express the path
 * Internet → Cloudflare → tunnel → OKE → Traefik → apps: cloudflared's ingress rules (derived from
 * the apps exposed `public`) send each public hostname to Traefik's in-cluster Service, Traefik's
 * IngressRoutes send it to Vaultwarden or the blog. Traefik has no public load balancer
 * (ClusterIP): the tunnel is the only way in.
 *
 * Nodes: the seed does not size them; the model declares two Always-Free Ampere A1 workers
 * (arm64, 2 OCPU / 12 GB each), so every image must exist for arm64. Storage is OKE's own
 * `oci-bv` block-volume class (known to the model as an OKE built-in, not deployed).
 */
export function cloud(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'cloud',
    distribution: 'oke',
    description: 'Seed 000 cloud side: OCI OKE — Traefik, Cloudflare Tunnel, public Vaultwarden and blog',
    seed: '000-talos-snc-plus-oke.md',
    domain: SOVEREIGN_DOMAIN,
    ...gitOps({ interval: '10m', ageRecipients: SOVEREIGN_AGE_RECIPIENTS }),
    // OKE's flannel defaults.
    network: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
    nodes: [
      { name: 'oke-a1-1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' },
      { name: 'oke-a1-2', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' },
    ],
  });

  // Flux manages its own operator after the bootstrap installed it (Renovate bumps go through Git).
  new FluxOperator(cluster, 'flux-operator');
  new CertManager(cluster, 'cert-manager', cloudflareAcme(SOVEREIGN_ACME_EMAIL));
  // Public site: security headers on every response of the HTTPS entry point.
  new Traefik(cluster, 'traefik', {
    serviceType: 'ClusterIP',
    entryPointMiddlewares: {
      'security-headers': {
        headers: {
          stsSeconds: 31536000,
          stsIncludeSubdomains: true,
          contentTypeNosniff: true,
          frameDeny: true,
          referrerPolicy: 'same-origin',
        },
      },
    },
  });
  new Cloudflared(cluster, 'cloudflared', { tunnel: localTunnel(CLOUD_TUNNEL_ID) });

  // Cloudflare DNS: a CNAME to the tunnel for every public hostname.
  new ExternalDns(cluster, 'external-dns', { apiToken: { name: CLOUDFLARE_API_TOKEN_SECRET } });

  // Public services.
  new Vaultwarden(cluster, 'vaultwarden', { expose: 'public', subdomain: 'vault' });
  new Blog(cluster, 'blog', { expose: 'public', subdomain: 'blog' });
  return cluster;
}
