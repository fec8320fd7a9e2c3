import type { ClusterProps, HomelabCluster } from '../api/estate.js';
import { BarmanCloudPlugin, CloudNativePg, PostgresCluster } from '../api/platform.js';
import type { AcmeCloudflareIssuer, CertManagerProps, LocallyManagedTunnel } from '../api/platform.js';
import { CLOUDFLARE_API_TOKEN_SECRET, GIT_BRANCH, GIT_URL, TUNNEL_CREDENTIALS_SECRET } from './settings.js';

/**
 * What the reference estate's clusters share, said once. Each cluster file still calls
 * `new HomelabCluster` itself (so its generated headers name that file): these helpers only build
 * the props and components every cluster of a kind repeats.
 */

/** How the estate's clusters reconcile it. */
export interface GitOpsOptions {
  /** Reconcile interval of the cluster's Flux. */
  readonly interval: string;
  /** age recipients SOPS files of the cluster are encrypted to. */
  readonly ageRecipients: readonly string[];
  /** Branch Flux follows. @default GIT_BRANCH */
  readonly branch?: string;
}

/**
 * The estate's GitOps convention: Flux (installed by flux-operator) pulls this repository with the
 * components layout, and decrypts SOPS files with the cluster's age key.
 */
export function gitOps(options: GitOpsOptions): Pick<ClusterProps, 'git' | 'flux' | 'sops'> {
  return {
    git: { url: GIT_URL, branch: options.branch ?? GIT_BRANCH },
    flux: { bootstrap: 'operator', layout: 'components', interval: options.interval },
    sops: { ageRecipients: options.ageRecipients },
  };
}

/**
 * cert-manager with the estate's one issuer: Let's Encrypt over Cloudflare DNS-01, the API token
 * read from Secret {@link CLOUDFLARE_API_TOKEN_SECRET} (or, with `fromStore`, synced from the
 * cluster's secret store into it).
 */
export function cloudflareAcme(
  email: string,
  options: { readonly fromStore?: AcmeCloudflareIssuer['apiToken']['fromStore']; readonly dnsZones?: readonly string[] } = {},
): CertManagerProps {
  const apiToken = options.fromStore ? { name: CLOUDFLARE_API_TOKEN_SECRET, fromStore: options.fromStore } : { name: CLOUDFLARE_API_TOKEN_SECRET };
  return { issuers: [{ type: 'acme-cloudflare', email, apiToken, ...(options.dnsZones ? { dnsZones: options.dnsZones } : {}) }] };
}

/** A locally-managed Cloudflare Tunnel: its UUID, its credentials JSON in Secret {@link TUNNEL_CREDENTIALS_SECRET}. */
export function localTunnel(tunnelId: string): LocallyManagedTunnel {
  return { mode: 'local', tunnelId, credentials: { name: TUNNEL_CREDENTIALS_SECRET } };
}

/** An S3-compatible bucket PostgreSQL archives to, and the Secret holding its keys. */
export interface S3Bucket {
  readonly endpoint: string;
  readonly bucket: string;
  /** Secret in the databases namespace with ACCESS_KEY_ID / ACCESS_SECRET_KEY. */
  readonly credentialsSecret: string;
}

/**
 * A central PostgreSQL that survives losing its cluster: CloudNativePG, the Barman Cloud plugin,
 * and the `postgres` cluster archiving WAL and base backups continuously to `s3://<bucket>/<path>`,
 * with an independent restore drill (suspended until run).
 */
export function backedUpPostgres(cluster: HomelabCluster, s3: S3Bucket, path: string): PostgresCluster {
  new CloudNativePg(cluster, 'cnpg');
  new BarmanCloudPlugin(cluster, 'barman-cloud');
  return new PostgresCluster(cluster, 'postgres', {
    backup: {
      destinationPath: `s3://${s3.bucket}/${path}`,
      endpointURL: s3.endpoint,
      credentials: { secretName: s3.credentialsSecret },
    },
    restoreDrill: true,
  });
}
