import type { Construct } from 'constructs';
import { Whoami } from 'cdk8s-homelab/apps';
import { FluxOperator } from 'cdk8s-homelab/bootstrap';
import { HomelabCluster } from 'cdk8s-homelab/estate';
import { CertManager, Cilium, Longhorn, Traefik } from 'cdk8s-homelab/platform';
import { AGE_RECIPIENTS, DOMAIN, GIT_BRANCH, GIT_URL } from '../settings.js';

/** Node subnet, the control planes' shared VIP, and the LoadBalancer range (replace with yours). */
const LAN = { nodeCidr: '10.0.50.0/24', vip: '10.0.50.50', loadBalancerRange: '10.0.50.100-10.0.50.109' } as const;

/** The control planes' network port (`talosctl get links --insecure -n <ip>`): the VIP is bound to it. */
const NIC = 'eno1';

/**
 * A Talos HA cluster: three control planes behind a VIP (etcd tolerates one failure) and two
 * workers. Cilium (native routing, kube-proxy replacement, L2 LoadBalancer), Longhorn with
 * replicated volumes, cert-manager, Traefik, and a two-replica whoami (anti-affinity + PDB).
 */
export function {{fn}}(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: '{{name}}',
    distribution: 'talos',
    description: 'Talos HA cluster: three control planes behind a VIP, two workers',
    domain: DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: AGE_RECIPIENTS },
    network: { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: LAN.nodeCidr, vip: LAN.vip },
    nodes: [
      { name: 'cp-1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1', installDisk: '/dev/sda', nic: { name: NIC } },
      { name: 'cp-2', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2', installDisk: '/dev/sda', nic: { name: NIC } },
      { name: 'cp-3', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.3', installDisk: '/dev/sda', nic: { name: NIC } },
      { name: 'worker-1', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.10', installDisk: '/dev/sda' },
      { name: 'worker-2', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.11', installDisk: '/dev/sda' },
    ],
  });
  new FluxOperator(cluster, 'flux-operator');
  new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: [LAN.loadBalancerRange] }], gatewayApi: false });
  new Longhorn(cluster, 'longhorn', { default: true, reclaimPolicy: 'Retain' });
  new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'internal-ca' }] });
  new Traefik(cluster, 'traefik');
  new Whoami(cluster, 'whoami', { subdomain: 'whoami', replicas: 2 });
  return cluster;
}
