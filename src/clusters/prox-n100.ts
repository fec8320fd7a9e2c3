import { Construct } from 'constructs';
import { Blog, Vaultwarden, Whoami } from '../api/apps.js';
import { HomelabCluster } from '../api/estate.js';
import { Cloudflared, ExternalDns, IngressNginx, KubePrometheusStack, Longhorn, NfsCsi } from '../api/platform.js';
import { CLOUDFLARE_API_TOKEN_SECRET, GIT_BRANCH, GIT_URL, PROX_N100_NAS, PROX_N100_NODE_IPS, PROX_N100_TUNNEL_ID } from './settings.js';
import { localTunnel } from './shared.js';

/**
 * Seed 004 (`004-prox-n100-master-memo.md`), exactly as its tables say: Talos on three Proxmox VMs
 * on N100 mini-PCs, classic `flux bootstrap`, and the memo's three Kustomizations
 * flux-system → platform → apps (5 minutes, prune, health checks). Platform: Longhorn (`longhorn`,
 * 2 replicas, Delete, scheduled backups to the Synology over NFS), NFS (`nfs-storage`, default,
 * Retain), ingress-nginx + cloudflared for funoffshore.com, kube-prometheus-stack with the memo's
 * dashboards. Apps in the memo's `apps` namespace behind a default-deny NetworkPolicy.
 */
export function proxN100(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'prox-n100',
    distribution: 'talos',
    description: 'Funoffshore homelab Stage 1: Talos on Proxmox VMs, Longhorn + NFS, ingress-nginx + Cloudflare Tunnel',
    seed: '004-prox-n100-master-memo.md',
    domain: 'funoffshore.com',
    git: { url: GIT_URL, branch: GIT_BRANCH },
    flux: { bootstrap: 'classic', layout: 'layered', interval: '5m' },
    defaultDenyNetworkPolicies: true,
    sensitiveNamespaces: ['apps'],
    acceptedWarnings: {
      'storage-reclaim-delete': "the memo's table sets Longhorn's reclaim policy to Delete (databases, stateful apps); user data lives on nfs-storage (Retain)",
      'classic-bootstrap-pending': "flux bootstrap (classic, as in the memo) writes flux/gotk-components.yaml on the first bootstrap; synth keeps it from then on",
      'ingress-nginx-retired': 'the memo names ingress-nginx; apps only declare `expose`, so moving to Traefik or Gateway API changes no app',
    },
    nodes: [
      { name: 'talos-cp-1', role: 'control-plane', cpu: 2, memory: '8Gi', ip: PROX_N100_NODE_IPS['talos-cp-1'], installDisk: '/dev/sda' },
      { name: 'talos-w-1', role: 'worker', cpu: 2, memory: '4Gi', ip: PROX_N100_NODE_IPS['talos-w-1'], installDisk: '/dev/sda' },
      { name: 'talos-w-2', role: 'worker', cpu: 2, memory: '4Gi', ip: PROX_N100_NODE_IPS['talos-w-2'], installDisk: '/dev/sda' },
    ],
  });

  // platform/storage
  new NfsCsi(cluster, 'nfs', {
    server: PROX_N100_NAS.server,
    share: PROX_N100_NAS.share,
    storageClassName: 'nfs-storage',
    default: true,
    reclaimPolicy: 'Retain',
  });
  new Longhorn(cluster, 'longhorn', {
    replicas: 2,
    reclaimPolicy: 'Delete',
    backup: { target: `nfs://${PROX_N100_NAS.server}:${PROX_N100_NAS.backupShare}` },
  });
  // platform/ingress
  new IngressNginx(cluster, 'ingress-nginx');
  new Cloudflared(cluster, 'cloudflared', { tunnel: localTunnel(PROX_N100_TUNNEL_ID) });
  // DNS "managed by Cloudflare, subdomains point to the tunnel": external-dns writes a CNAME to the
  // tunnel for every public hostname (in the memo's cloudflared namespace, next to the tunnel).
  new ExternalDns(cluster, 'external-dns', { namespace: 'cloudflared', group: 'ingress', apiToken: { name: CLOUDFLARE_API_TOKEN_SECRET } });
  // platform/monitoring
  // Prometheus' TSDB on block storage (Longhorn), never on NFS.
  // Seed 004's tree has exactly three Flux Kustomizations (the layers): the chart installs its CRDs
  // instead of a separate CRD Kustomization; all platform HelmReleases share one layer anyway.
  new KubePrometheusStack(cluster, 'kube-prometheus-stack', { storageClass: 'longhorn', crds: 'chart' });

  // apps: the core homelab apps, all in the memo's `apps` namespace.
  // Stateful apps keep their data on Longhorn (the memo: "databases, stateful apps").
  new Whoami(cluster, 'whoami', { namespace: 'apps', group: 'core', expose: 'public' });
  new Vaultwarden(cluster, 'vaultwarden', { namespace: 'apps', group: 'core', expose: 'public', subdomain: 'vault', storage: { storageClass: 'longhorn' } });
  new Blog(cluster, 'blog', { namespace: 'apps', group: 'core', expose: 'public', subdomain: 'www' });
  return cluster;
}
