import { Construct } from 'constructs';
import { Blog, Vaultwarden, Whoami } from '../api/apps.js';
import { HomelabCluster } from '../api/estate.js';
import { FluxOperator } from '../api/bootstrap.js';
import { CertManager, Cilium, Cloudflared, CloudNativePg, ExternalDns, ExternalSecrets, Gateways, K8sGateway, PostgresCluster, ZfsLocalPv } from '../api/platform.js';
import { CLOUDFLARE_API_TOKEN_SECRET, HA_ACME_EMAIL, HA_AGE_RECIPIENTS, HA_CONTROL_PLANE_MACS, HA_DOMAIN, HA_TUNNEL_ID, HA_ZFS_POOL } from './settings.js';
import { cloudflareAcme, gitOps, localTunnel } from './shared.js';

/** The seed's load-balancer IPs (Cilium L2 announcements on the node subnet). */
export const HA_IPS = {
  k8sGateway: '10.0.50.100',
  internalGateway: '10.0.50.101',
  externalGateway: '10.0.50.102',
} as const;

/**
 * Seed 003 (`003-talos-ha-cilium-gateway.md`): Talos with two control-plane nodes behind a VIP and
 * three workers, Cilium native routing, Gateway API internal/external gateways, k8s-gateway split
 * DNS, Cloudflare Tunnel to the external gateway, SOPS/age, ZFS local PVs, multi-replica apps with
 * anti-affinity and PodDisruptionBudgets. Flux reconciles hourly (the seed's "polls every 1 hour").
 *
 * The seed's two Flux layers — repositories and operators ("cluster-meta") before the apps
 * ("cluster-apps") — are kept by the derived dependsOn of the components layout: every app's
 * Kustomization waits for the CRDs, gateways, storage and database it uses, and no platform
 * Kustomization waits for an app.
 *
 * The seed keeps two control-plane nodes: synth warns on every run that etcd then has no fault
 * tolerance (quorum 2 of 2) and suggests 1 or 3; the warning is accepted (HA_ACCEPTED_WARNINGS)
 * only so that `--strict` stays green. Node sizes are
 * not in the seed: 4 cores / 8 GB control planes and 4 cores / 16 GB workers are assumed.
 */
/** Options tests use to build variants of the cluster (the reference estate uses the defaults). */
export interface HaOptions {
  /** @default HA_ACCEPTED_WARNINGS */
  readonly acceptedWarnings?: Readonly<Record<string, string>>;
}

/**
 * Warnings this cluster lives with. They still print on every synth; accepting them only keeps
 * `--strict` (CI) green. The etcd one is the seed's own choice of two control planes.
 */
export const HA_ACCEPTED_WARNINGS: Readonly<Record<string, string>> = {
  'etcd-even-control-planes': 'seed 003 runs two control planes behind a VIP; add a third (or drop to one) to get etcd fault tolerance',
  'database-without-backup': 'seed 003 leaves data backups to application-specific tools (Velero or per-app); add `backup` to the PostgresCluster once an S3 target exists',
};

export function ha(scope: Construct, options: HaOptions = {}): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'ha',
    distribution: 'talos',
    description: 'Seed 003: Talos HA (2 control planes + VIP, 3 workers), Cilium, Gateway API, k8s-gateway, Cloudflare Tunnel, ZFS',
    seed: '003-talos-ha-cilium-gateway.md',
    domain: HA_DOMAIN,
    ...gitOps({ interval: '1h', ageRecipients: HA_AGE_RECIPIENTS }),
    acceptedWarnings: options.acceptedWarnings ?? HA_ACCEPTED_WARNINGS,
    network: { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' },
    nodes: [
      { name: 'control0', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { mac: HA_CONTROL_PLANE_MACS.control0 } },
      { name: 'control1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2', nic: { mac: HA_CONTROL_PLANE_MACS.control1 } },
      { name: 'worker0', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.10' },
      { name: 'worker1', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.11' },
      { name: 'worker2', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.12' },
    ],
  });

  // Flux manages its own operator after the bootstrap installed it (Renovate bumps go through Git).
  new FluxOperator(cluster, 'flux-operator');
  // cluster-meta: CNI + Gateway API CRDs, storage, certificates, secrets plumbing, data operator.
  new Cilium(cluster, 'cilium', {
    loadBalancerPools: [{ name: 'lan', blocks: [`${HA_IPS.k8sGateway}-${HA_IPS.externalGateway}`] }],
  });
  // The seed names no disks, so the pool is a manual prerequisite (README/runbook) on the workers;
  // with their /dev/disk/by-id paths, `pool: { disks }` would have a DaemonSet create it.
  new ZfsLocalPv(cluster, 'zfs-localpv', { poolName: HA_ZFS_POOL, pool: 'manual', default: true, reclaimPolicy: 'Retain' });
  new CertManager(cluster, 'cert-manager', cloudflareAcme(HA_ACME_EMAIL));
  new ExternalSecrets(cluster, 'external-secrets', { store: false });
  new CloudNativePg(cluster, 'cnpg');

  // Network: the two gateways, split DNS, and the tunnel to the external gateway.
  new Gateways(cluster, 'gateways', { internal: { address: HA_IPS.internalGateway }, external: { address: HA_IPS.externalGateway } });
  new K8sGateway(cluster, 'k8s-gateway', { address: HA_IPS.k8sGateway });
  new Cloudflared(cluster, 'cloudflared', { tunnel: localTunnel(HA_TUNNEL_ID) });
  // Public DNS in Cloudflare: external hostnames as CNAMEs to the tunnel; internal ones stay in split DNS.
  new ExternalDns(cluster, 'external-dns', { apiToken: { name: CLOUDFLARE_API_TOKEN_SECRET } });

  // Databases: three PostgreSQL instances, one per worker.
  new PostgresCluster(cluster, 'postgres', { instances: 3 });

  // cluster-apps: multi-replica apps (anti-affinity + PDB derived from replicas > 1).
  new Whoami(cluster, 'echo', { namespace: 'echo', expose: 'public', subdomain: 'echo', replicas: 3 });
  new Blog(cluster, 'blog', { expose: 'public', subdomain: 'www', replicas: 3 });
  new Vaultwarden(cluster, 'vaultwarden', { expose: 'internal', subdomain: 'vault', database: 'postgres' });
  return cluster;
}
