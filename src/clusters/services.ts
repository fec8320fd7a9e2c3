import { Construct } from 'constructs';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { GIT_BRANCH, GIT_URL, SERVICES_AGE_RECIPIENTS, SERVICES_DOMAIN } from './settings.js';

/**
 * Seed 002 (`002-proxmox-lxc-services.md`), translated from one LXC container per service on a
 * single Proxmox host to one namespace per service on a single-node Talos VM on that host:
 * strict isolation becomes a namespace each with default-deny NetworkPolicies and only declared
 * flows; the central PostgreSQL LXC becomes one CloudNativePG cluster with a database per
 * consuming service; the VPS reverse proxy becomes the cluster's only ingress; administration goes
 * over Tailscale. The README's "services" section maps every LXC to what replaces it.
 * The seed assumes no HA (one hypervisor), so one node; "extension multi-nœuds" is adding nodes here.
 */
export function services(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'services',
    distribution: 'talos',
    description: 'Seed 002: the Proxmox LXC services on Kubernetes — central PostgreSQL, OpenLDAP, Keycloak, Nextcloud, Postfix, Prometheus/Grafana/InfluxDB',
    seed: '002-proxmox-lxc-services.md',
    domain: SERVICES_DOMAIN,
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: '10m' },
    sops: { ageRecipients: SERVICES_AGE_RECIPIENTS },
    defaultDenyNetworkPolicies: true,
    nodes: [
      { name: 'pve-k8s-1', role: 'control-plane', cpu: 8, memory: '32Gi', installDisk: '/dev/sda' },
    ],
  });
  return cluster;
}
