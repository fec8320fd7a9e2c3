import { Construct } from 'constructs';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { GIT_BRANCH, GIT_URL, HA_AGE_RECIPIENTS, HA_DOMAIN } from './settings.js';

/** The seed's load-balancer IPs (Cilium L2 announcements on the node subnet). */
export const HA_IPS = {
  k8sGateway: '10.0.50.100',
  internalGateway: '10.0.50.101',
  externalGateway: '10.0.50.102',
} as const;

/**
 * Seed 003 (`003-talos-ha-cilium-gateway.md`): Talos with two control-plane nodes behind a VIP and
 * three workers, Cilium native routing, Gateway API internal/external gateways, k8s-gateway split
 * DNS, Cloudflare Tunnel to the external gateway, SOPS/age, ZFS local PVs, multi-replica apps.
 * Flux reconciles hourly (the seed's "polls every 1 hour"); the seed's two layers — repositories
 * and operators ("cluster-meta") before the apps ("cluster-apps") — are kept by the derived
 * dependsOn of the components layout: every app's Kustomization waits for the operators and
 * sources it uses.
 *
 * The seed keeps two control-plane nodes; synth warns that etcd then has no fault tolerance
 * (quorum 2 of 2) and suggests 1 or 3. Node sizes are not in the seed: 4 cores / 8 GB control
 * planes, 4 cores / 16 GB workers are assumed.
 */
export function ha(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'ha',
    distribution: 'talos',
    description: 'Seed 003: Talos HA (2 control planes + VIP, 3 workers), Cilium, Gateway API, k8s-gateway, Cloudflare Tunnel, ZFS',
    seed: '003-talos-ha-cilium-gateway.md',
    domain: HA_DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '1h' },
    sops: { ageRecipients: HA_AGE_RECIPIENTS },
    network: { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' },
    nodes: [
      { name: 'control0', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1' },
      { name: 'control1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2' },
      { name: 'worker0', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.10' },
      { name: 'worker1', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.11' },
      { name: 'worker2', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.12' },
    ],
  });
  return cluster;
}
