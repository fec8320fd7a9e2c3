import type { Construct } from 'constructs';
import { Whoami } from 'cdk8s-homelab/apps';
import { FluxOperator } from 'cdk8s-homelab/bootstrap';
import { HomelabCluster } from 'cdk8s-homelab/estate';
import { CertManager, Cilium, Longhorn, Traefik } from 'cdk8s-homelab/platform';
import { AGE_RECIPIENTS, DOMAIN, GIT_BRANCH, GIT_URL } from '../settings.js';

/** The node subnet and the addresses Cilium may announce for LoadBalancers (replace with yours). */
const LAN = { nodeCidr: '192.168.1.0/24', nodeIp: '192.168.1.10', loadBalancerRange: '192.168.1.200-192.168.1.209' } as const;

/**
 * A Talos single-node cluster: one machine is control plane and worker. Cilium (CNI + LAN
 * load balancer), Longhorn storage, cert-manager, Traefik, and whoami to check the path end to end.
 */
export function {{fn}}(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: '{{name}}',
    distribution: 'talos',
    description: 'Talos single-node cluster',
    domain: DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: AGE_RECIPIENTS },
    network: { nodeCidr: LAN.nodeCidr },
    nodes: [{ name: 'node-1', role: 'control-plane', cpu: 4, memory: '16Gi', arch: 'amd64', ip: LAN.nodeIp, installDisk: '/dev/sda' }],
  });
  new FluxOperator(cluster, 'flux-operator');
  new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: [LAN.loadBalancerRange] }], gatewayApi: false });
  new Longhorn(cluster, 'longhorn', { default: true, reclaimPolicy: 'Retain' });
  new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'internal-ca' }] });
  new Traefik(cluster, 'traefik');
  new Whoami(cluster, 'whoami', { subdomain: 'whoami' });
  return cluster;
}
