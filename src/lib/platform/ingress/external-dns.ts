import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { inDomain } from '../../estate/hostnames.js';
import { EXPOSURE_LABEL, routeObjectsOf } from './common.js';
import { SecretReference, useSecret } from './secrets.js';

/** Props of {@link ExternalDns}; namespace, group and layer default to {@link ExternalDns.placement}. */
export interface ExternalDnsProps extends HelmComponentProps {
  /** Cloudflare API token (Zone:DNS:Edit) by reference. Key @default 'api-token' */
  readonly apiToken: SecretReference;
  /** Zones external-dns may write. @default - [the cluster's domain] */
  readonly domainFilters?: readonly string[];
  /**
   * `sync` also deletes records of routes that are gone; `upsert-only` never deletes.
   * @default 'upsert-only'
   */
  readonly policy?: 'sync' | 'upsert-only' | 'create-only';
  /** Publish only routes exposed `public` (internal names stay in split DNS). @default true */
  readonly publicOnly?: boolean;
  /** Sources read. @default - those reading what the cluster's ingress renders (its `routeObjects.externalDnsSources`): 'ingress', 'traefik-proxy' or 'gateway-httproute' */
  readonly sources?: readonly string[];
  /** CPU request. @default '10m' */
  readonly cpuRequest?: string;
  /** Memory request. @default '64Mi' */
  readonly memoryRequest?: string;
}

/**
 * external-dns (chart `external-dns`) with the Cloudflare provider: publishes the hostnames of the
 * cluster's routes (by default only the public ones) as Cloudflare records; behind a tunnel, routes
 * carry a target annotation making each record a proxied CNAME to the tunnel. Records are owned by
 * TXT records naming the cluster, so clusters sharing a zone never touch each other's.
 */
export class ExternalDns extends HelmComponent {
  /** Namespace 'external-dns' (Pod Security 'restricted'), group 'network', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'external-dns', podSecurity: 'restricted' }, group: 'network' };
  constructor(cluster: HomelabCluster, id: string, props: ExternalDnsProps) {
    super(cluster, id, props, ExternalDns.placement);
    const domains = props.domainFilters ?? [cluster.domain];
    domains.forEach((z, i) => {
      if (!inDomain(z, cluster.domain) && !inDomain(cluster.domain, z)) {
        Diagnostics.of(this).warn(this, 'external-dns-foreign-zone', `domainFilters[${i}] '${z}' is unrelated to the cluster's domain '${cluster.domain}'`);
      }
    });
    const token = useSecret(this, 'apiToken', props.apiToken, 'api-token', {
      reason: 'Cloudflare API token (Zone:DNS:Edit on the zones external-dns writes)',
      howTo: 'Cloudflare dashboard → My Profile → API Tokens → Create Token → template "Edit zone DNS"',
    });
    const cpuRequest = props.cpuRequest ?? '10m';
    const memoryRequest = props.memoryRequest ?? '64Mi';
    this.addWorkload({ name: id, replicas: 1, cpuRequest, memoryRequest });
    // Which sources to read follows the cluster's ingress, known once every component is declared.
    cluster.onPhase('wire', () => {
      const sources = props.sources ?? routeObjectsOf(cluster).externalDnsSources;
      const values = {
        provider: { name: 'cloudflare' },
        env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: token.name, key: token.key } } }],
        sources: [...sources],
        domainFilters: [...domains],
        policy: props.policy ?? 'upsert-only',
        registry: 'txt',
        txtOwnerId: cluster.name,
        ...((props.publicOnly ?? true) ? { labelFilter: `${EXPOSURE_LABEL}=public` } : {}),
        interval: '1m',
        resources: { requests: { cpu: cpuRequest, memory: memoryRequest } },
      };
      this.renderChart('external-dns', values, props.values);
    });
  }
}
