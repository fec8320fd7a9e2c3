import { Construct } from 'constructs';
import { Keycloak, Nextcloud, OpenLdap, Postfix } from '../api/apps.js';
import { HomelabCluster } from '../api/estate.js';
import { FluxOperator } from '../api/bootstrap.js';
import { CertManager, Cilium, ExternalSecrets, InfluxDb, KubePrometheusStack, Longhorn, Redis, TailscaleOperator, Traefik } from '../api/platform.js';
import {
  SERVICES_ACME_EMAIL, SERVICES_AGE_RECIPIENTS, SERVICES_DATA_NFS, SERVICES_DOMAIN, SERVICES_LAN, SERVICES_S3, SERVICES_SECRETS, SERVICES_SMTP_RELAY,
} from './settings.js';
import { backedUpPostgres, cloudflareAcme, gitOps } from './shared.js';

/**
 * Seed 002 (`002-proxmox-lxc-services.md`), translated from one LXC container per service on a
 * single Proxmox host to one namespace per service on a single-node Talos VM on that host:
 *
 * - strict isolation: a namespace each, default-deny NetworkPolicies, only the declared flows;
 * - the central PostgreSQL LXC: one CloudNativePG cluster with one database per consuming service
 *   (Keycloak, Nextcloud), backed up to S3, with an independent restore drill (suspended);
 * - the VPS reverse proxy: Traefik, the only way in for users (its LAN address, shared with the VPS
 *   subnet as in the seed); administration goes over Tailscale;
 * - OpenLDAP + Keycloak (LDAP-federated realm), Nextcloud, Postfix (relay for the others),
 *   Prometheus + Grafana (kube-prometheus-stack) and InfluxDB.
 *
 * The README's "services" section maps every LXC to what replaces it. The seed assumes no HA (one
 * hypervisor), so one node; its "extension multi-nœuds" is adding nodes here.
 */
export function services(scope: Construct): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: 'services',
    distribution: 'talos',
    description: 'Seed 002: the Proxmox LXC services on Kubernetes — central PostgreSQL, OpenLDAP, Keycloak, Nextcloud, Postfix, Prometheus/Grafana/InfluxDB',
    seed: '002-proxmox-lxc-services.md',
    domain: SERVICES_DOMAIN,
    ...gitOps({ interval: '10m', ageRecipients: SERVICES_AGE_RECIPIENTS }),
    network: { nodeCidr: SERVICES_LAN.nodeCidr },
    defaultDenyNetworkPolicies: true,
    nodes: [
      { name: 'pve-k8s-1', role: 'control-plane', cpu: 8, memory: '32Gi', ip: SERVICES_LAN.nodeIp, installDisk: '/dev/sda' },
    ],
  });

  // Flux manages its own operator after the bootstrap installed it (Renovate bumps go through Git).
  new FluxOperator(cluster, 'flux-operator');
  // Platform (the Proxmox host's role): network, storage, certificates, credentials plumbing.
  new Cilium(cluster, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: [SERVICES_LAN.loadBalancerRange] }], gatewayApi: false });
  new Longhorn(cluster, 'longhorn', { default: true, reclaimPolicy: 'Retain' });
  new CertManager(cluster, 'cert-manager', cloudflareAcme(SERVICES_ACME_EMAIL));
  new ExternalSecrets(cluster, 'external-secrets', { store: false });
  // The reverse proxy: the only entry point for users.
  new Traefik(cluster, 'traefik', { loadBalancerIp: SERVICES_LAN.ingressIp });

  // Socle services: the central PostgreSQL (one database per consumer), backups and restore drill.
  backedUpPostgres(cluster, SERVICES_S3, 'services');
  new Redis(cluster, 'redis');
  const postfix = new Postfix(cluster, 'postfix', {
    relay: { host: SERVICES_SMTP_RELAY.host, port: SERVICES_SMTP_RELAY.port, username: SERVICES_SMTP_RELAY.username, password: { secretKeyRef: { name: SERVICES_SECRETS.smtpRelay, key: 'password' } } },
  });
  // One namespace per former LXC: the directory and the SSO do not share one.
  const ldap = new OpenLdap(cluster, 'openldap', { namespace: 'openldap', group: 'identity', adminPassword: { secretKeyRef: { name: SERVICES_SECRETS.ldapAdmin, key: 'password' } } });
  new Keycloak(cluster, 'keycloak', {
    namespace: 'keycloak',
    group: 'identity',
    subdomain: 'sso',
    expose: 'public',
    bootstrapAdminPassword: { secretKeyRef: { name: SERVICES_SECRETS.keycloakAdmin, key: 'password' } },
    realm: { name: 'homelab', displayName: 'Homelab', ldap },
    smtp: postfix.relay,
  });

  // Application services.
  new Nextcloud(cluster, 'nextcloud', {
    expose: 'public',
    data: { nfs: { server: SERVICES_DATA_NFS.server, path: SERVICES_DATA_NFS.share } },
    smtp: postfix.relay,
  });

  // Supervision.
  // Grafana is an administration tool: reached over Tailscale, not through the public reverse proxy.
  const monitoring = new KubePrometheusStack(cluster, 'kube-prometheus-stack', { grafanaAdminSecret: SERVICES_SECRETS.grafanaAdmin, grafanaHostname: false });
  new InfluxDb(cluster, 'influxdb', { admin: { existingSecret: SERVICES_SECRETS.influxdbAdmin } });

  // Administration over Tailscale: kubectl through the operator's API server proxy, admin UIs on
  // the tailnet only.
  new TailscaleOperator(cluster, 'tailscale', {
    adminServices: [
      { hostname: 'services-grafana', namespace: monitoring.namespace, serviceName: monitoring.grafanaServiceName, port: 80 },
      { hostname: 'services-longhorn', namespace: 'longhorn-system', serviceName: 'longhorn-frontend', port: 80 },
    ],
  });
  return cluster;
}
