import type { Construct } from 'constructs';
import { Whoami } from 'cdk8s-homelab/apps';
import { FluxOperator } from 'cdk8s-homelab/bootstrap';
import { HomelabCluster } from 'cdk8s-homelab/estate';
import { CertManager, Traefik } from 'cdk8s-homelab/platform';
import { AGE_RECIPIENTS, DOMAIN, GIT_BRANCH, GIT_URL } from '../settings.js';

/**
 * An OCI OKE cluster: a managed control plane and two Always-Free Ampere A1 workers (arm64).
 * Storage is OKE's own `oci-bv` class (known, not deployed). cert-manager, Traefik (ClusterIP:
 * put a tunnel or an OCI load balancer in front), whoami.
 */
export function {{fn}}(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: '{{name}}',
    distribution: 'oke',
    description: 'OCI OKE cluster: managed control plane, two arm64 workers',
    domain: DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: AGE_RECIPIENTS },
    // OKE's flannel defaults.
    network: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
    nodes: [
      { name: 'a1-1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' },
      { name: 'a1-2', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' },
    ],
  });
  new FluxOperator(cluster, 'flux-operator');
  new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'internal-ca' }] });
  new Traefik(cluster, 'traefik', { serviceType: 'ClusterIP' });
  new Whoami(cluster, 'whoami', { subdomain: 'whoami' });
  return cluster;
}
