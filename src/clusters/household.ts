import { Construct } from 'constructs';
import { HomeAssistant, Immich, Paperless, Radarr } from '../api/apps.js';
import { HomelabCluster } from '../api/estate.js';
import { FluxOperator } from '../api/bootstrap.js';
import { CertManager, Cilium, ExternalSecrets, Longhorn, PostgresCluster, Redis, Traefik, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD } from '../api/platform.js';
import {
  HOUSEHOLD_ACME_EMAIL, HOUSEHOLD_AGE_RECIPIENTS, HOUSEHOLD_DOCUMENTS_NFS, HOUSEHOLD_DOMAIN, HOUSEHOLD_LAN, HOUSEHOLD_PAPERLESS_SECRET, HOUSEHOLD_S3,
  HOUSEHOLD_MEDIA_NFS, HOUSEHOLD_ZIGBEE_STICK,
} from './settings.js';
import { backedUpPostgres, cloudflareAcme, gitOps } from './shared.js';

/** The household cluster's one node (control plane and worker; the Zigbee stick is plugged into it). */
const NODE = 'household-1';

/**
 * Issue 16's example: a household's own apps on a Talos single-node cluster, each needing something
 * the plain hardened App does not give by default. Immich (photos) runs on a PostgreSQL cluster of
 * its own built with the VectorChord extension; Home Assistant runs on the node's network with a
 * Zigbee stick; Paperless-ngx keeps its documents on the NAS and uses the default PostgreSQL and
 * Redis; Radarr listens on port 80. Everything is reached from the home network only (Traefik on a LAN address).
 */
export function household(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'household',
    distribution: 'talos',
    description: 'Issue 16 example: Talos single node — Immich on a VectorChord PostgreSQL, Home Assistant on the host network with a Zigbee stick, Paperless-ngx with PostgreSQL, Redis and NFS, Radarr on port 80',
    domain: HOUSEHOLD_DOMAIN,
    ...gitOps({ interval: '10m', ageRecipients: HOUSEHOLD_AGE_RECIPIENTS }),
    network: { nodeCidr: HOUSEHOLD_LAN.nodeCidr },
    nodes: [
      { name: NODE, role: 'control-plane', cpu: 8, memory: '32Gi', arch: 'amd64', ip: HOUSEHOLD_LAN.nodeIp, installDisk: '/dev/nvme0n1' },
    ],
  });

  new FluxOperator(cluster, 'flux-operator');
  // Platform: CNI + LAN load balancer, storage, certificates, secrets plumbing.
  new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: [HOUSEHOLD_LAN.loadBalancerRange] }], gatewayApi: false });
  new Longhorn(cluster, 'longhorn', { default: true, reclaimPolicy: 'Retain' });
  new CertManager(cluster, 'cert-manager', cloudflareAcme(HOUSEHOLD_ACME_EMAIL, { dnsZones: [HOUSEHOLD_DOMAIN] }));
  new Traefik(cluster, 'traefik', { loadBalancerIp: HOUSEHOLD_LAN.ingressIp });
  // Database credentials are generated in the cluster by ESO (no secret store needed here).
  new ExternalSecrets(cluster, 'external-secrets', { store: false });

  // Databases: the default PostgreSQL (Paperless) and Redis (Immich's job queues, Paperless's broker).
  backedUpPostgres(cluster, HOUSEHOLD_S3, 'household');
  new Redis(cluster, 'redis');
  // Immich's own PostgreSQL: an operand image carrying VectorChord, preloaded; backed up like the default
  // one (Immich's built-in dump needs a superuser, which its role is not).
  const photosDb = new PostgresCluster(cluster, 'immich-db', {
    image: VECTORCHORD_IMAGE,
    sharedPreloadLibraries: [VECTORCHORD_PRELOAD],
    registerService: false,
    backup: {
      destinationPath: `s3://${HOUSEHOLD_S3.bucket}/household-immich`,
      endpointURL: HOUSEHOLD_S3.endpoint,
      credentials: { secretName: HOUSEHOLD_S3.credentialsSecret },
    },
  });

  new Immich(cluster, 'immich', { postgres: { cluster: photosDb.clusterName } });
  new HomeAssistant(cluster, 'home-assistant', {
    devices: [{
      path: HOUSEHOLD_ZIGBEE_STICK,
      mountPath: '/dev/ttyUSB0',
      node: NODE,
      group: 20,
      reason: 'Zigbee coordinator for ZHA',
    }],
  });
  const documents = (dir: string) => ({ nfs: { server: HOUSEHOLD_DOCUMENTS_NFS.server, path: `${HOUSEHOLD_DOCUMENTS_NFS.share}/${dir}` } });
  new Paperless(cluster, 'paperless', {
    secretKey: { secretKeyRef: { name: HOUSEHOLD_PAPERLESS_SECRET, key: 'secret-key' } },
    media: documents('media'),
    consume: documents('consume'),
  });
  // Radarr on port 80, as the household's old bookmarks expect: RADARR__SERVER__PORT, the container
  // port and the probes follow the prop, and the pod lowers ip_unprivileged_port_start to 80 for the
  // non-root process (no capability, still Pod Security restricted).
  new Radarr(cluster, 'radarr', { port: 80, media: { nfs: { server: HOUSEHOLD_MEDIA_NFS.server, path: HOUSEHOLD_MEDIA_NFS.share } } });
  return cluster;
}
