import type { Construct } from 'constructs';
import { Whoami } from 'cdk8s-homelab/apps';
import { FluxOperator } from 'cdk8s-homelab/bootstrap';
import { HomelabCluster } from 'cdk8s-homelab/estate';
import { CertManager, Traefik } from 'cdk8s-homelab/platform';
import { AGE_RECIPIENTS, DOMAIN, GIT_BRANCH, GIT_URL } from '../settings.js';

/**
 * A k3s cluster: one server and two agents. k3s's own Traefik is disabled (the estate brings its
 * own); storage is k3s's built-in `local-path` class. cert-manager, Traefik, whoami.
 */
export function {{fn}}(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: '{{name}}',
    distribution: 'k3s',
    description: 'k3s cluster: one server, two agents',
    domain: DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: AGE_RECIPIENTS },
    nodes: [
      { name: 'server-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64' },
      { name: 'agent-1', role: 'worker', cpu: 4, memory: '8Gi', arch: 'arm64' },
      { name: 'agent-2', role: 'worker', cpu: 4, memory: '8Gi', arch: 'arm64' },
    ],
  });
  new FluxOperator(cluster, 'flux-operator');
  new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'internal-ca' }] });
  new Traefik(cluster, 'traefik');
  new Whoami(cluster, 'whoami', { subdomain: 'whoami' });
  return cluster;
}
