import { Construct } from 'constructs';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { NfsCsi } from '../lib/platform/storage/nfs-csi.js';
import { GIT_BRANCH, GIT_URL, PROX_N100_NAS } from './settings.js';

/**
 * Seed 004 (`004-prox-n100-master-memo.md`): Talos on three Proxmox VMs on N100 mini-PCs,
 * classic `flux bootstrap`, and the memo's three Kustomizations flux-system → platform → apps.
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
    nodes: [
      { name: 'talos-cp-1', role: 'control-plane', cpu: 2, memory: '8Gi', installDisk: '/dev/sda' },
      { name: 'talos-w-1', role: 'worker', cpu: 2, memory: '4Gi', installDisk: '/dev/sda' },
      { name: 'talos-w-2', role: 'worker', cpu: 2, memory: '4Gi', installDisk: '/dev/sda' },
    ],
  });
  new NfsCsi(cluster, 'nfs', {
    server: PROX_N100_NAS.server,
    share: PROX_N100_NAS.share,
    storageClassName: 'nfs-storage',
    default: true,
    reclaimPolicy: 'Retain',
  });
  return cluster;
}
