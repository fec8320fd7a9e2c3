import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { hostnamesOf, INGRESS, matchesEveryPath, RouteRule, RouteSpec, rulesOf, TUNNEL, TunnelOrigin, TunnelProvider } from '../../estate/services.js';
import { defaultReplicas, serviceUrl } from './common.js';
import { SecretKeyRef, SecretReference, useSecret } from './secrets.js';
import { declareSecretUse } from '../../estate/user-secrets.js';
import { claimHostname } from './exposure.js';

/** cloudflared image, pinned once for both modes (the remote-mode chart would otherwise run `latest`). */
// renovate: datasource=docker depName=cloudflare/cloudflared
export const CLOUDFLARED_IMAGE = { repository: 'cloudflare/cloudflared', tag: '2026.8.2' } as const;

/** The final catch-all rule of every tunnel: anything not matched is answered 404 at the tunnel. */
export const CATCH_ALL_RULE = { service: 'http_status:404' } as const;

/**
 * Locally-managed tunnel: the ingress rules live in Git (derived from the apps' public routes) and
 * cloudflared authenticates with the tunnel's credentials file.
 */
export interface LocallyManagedTunnel {
  readonly mode: 'local';
  /** Tunnel UUID (`cloudflared tunnel create` prints it). */
  readonly tunnelId: string;
  /** Secret holding the tunnel credentials JSON. Key @default 'credentials.json' */
  readonly credentials: SecretReference;
}

/**
 * Remotely-managed tunnel: cloudflared runs with a token and the public hostnames are configured in
 * the Cloudflare dashboard (or its API). The routes the apps ask for are still derived and written
 * to a ConfigMap (`<id>-routes`) to copy from.
 */
export interface RemotelyManagedTunnel {
  readonly mode: 'remote';
  /** Secret holding the tunnel token. Key @default 'token' */
  readonly token: SecretReference;
  /** Tunnel UUID, when known: it gives public hostnames their DNS target. @default - unknown (no DNS target) */
  readonly tunnelId?: string;
}

/** Props of {@link Cloudflared}; namespace, group and layer default to {@link Cloudflared.placement}. */
export interface CloudflaredProps extends HelmComponentProps {
  /** How the tunnel is managed. */
  readonly tunnel: LocallyManagedTunnel | RemotelyManagedTunnel;
  /** cloudflared replicas (each opens its own connections to the edge). @default - 1 on a single-node cluster, else 2 */
  readonly replicas?: number;
  /** CPU request of a cloudflared pod. @default '50m' */
  readonly cpuRequest?: string;
  /** Memory request of a cloudflared pod. @default '64Mi' */
  readonly memoryRequest?: string;
}

/** One tunnel ingress rule, as cloudflared's configuration spells it. */
export interface TunnelRule {
  readonly hostname?: string;
  /** Regular expression the request path must match (cloudflared matches it unanchored). @default - every path */
  readonly path?: string;
  readonly service: string;
  readonly originRequest?: { readonly originServerName?: string; readonly noTLSVerify?: boolean };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Cloudflare Tunnel (cloudflared), the cluster's TUNNEL service. Every app exposed `public` adds its
 * hostname; in the finalize phase the ingress rules are derived: hostname → the in-cluster Service of
 * the ingress controller or external Gateway (or the app's own Service on a cluster without ingress),
 * ending with `http_status:404`. Locally managed: chart `cloudflared` (community-charts) with the rules
 * in its values and the credentials by Secret reference. Remotely managed: chart
 * `cloudflare-tunnel-remote` with the token read from a Secret through HelmRelease `valuesFrom`.
 * Secrets come from a SOPS file or an ExternalSecret, never from values in Git.
 */
export class Cloudflared extends HelmComponent implements TunnelProvider {
  /**
   * Namespace 'cloudflared' (seed 004), group 'ingress' (seed 004: platform/ingress/), layer
   * 'platform'; Pod Security 'restricted' for a locally-managed tunnel, 'baseline' for a remotely-managed one.
   */
  public static placement(mode: 'local' | 'remote'): Placement {
    return { namespace: { name: 'cloudflared', podSecurity: mode === 'local' ? 'restricted' : 'baseline' }, group: 'ingress' };
  }

  public readonly component: Component = this;
  public readonly mode: 'local' | 'remote';
  public readonly tunnelId?: string;
  public readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  private readonly routes: RouteSpec[] = [];
  private rulesCache?: TunnelRule[];
  /** The credentials (local) or token (remote) Secret. */
  private readonly secret: SecretKeyRef;

  constructor(cluster: HomelabCluster, id: string, private readonly props: CloudflaredProps) {
    super(cluster, id, props, Cloudflared.placement(props.tunnel.mode));
    this.mode = props.tunnel.mode;
    this.tunnelId = props.tunnel.tunnelId;
    this.proxyPeer = {
      namespace: this.namespace,
      podLabels: this.mode === 'local' ? { 'app.kubernetes.io/name': 'cloudflared', 'app.kubernetes.io/instance': id } : { pod: 'cloudflared' },
    };
    if (this.tunnelId !== undefined && !UUID.test(this.tunnelId)) {
      Diagnostics.of(this).error(this, 'tunnel.tunnelId', `'${this.tunnelId}' is not a tunnel UUID`, "copy the tunnel's ID (e.g. from 'cloudflared tunnel list'), like 6ff42ae2-765d-4adf-8112-31c55c1551ef");
    }
    this.secret = props.tunnel.mode === 'local'
      ? useSecret(this, 'tunnel.credentials', props.tunnel.credentials, 'credentials.json', {
        reason: `credentials of Cloudflare Tunnel ${this.tunnelId ?? ''} (the chart also mounts the account certificate cert.pem from it)`,
        howTo: `\`cloudflared tunnel create <name>\` writes ~/.cloudflared/<tunnel id>.json (the credentials); \`cloudflared tunnel login\` wrote ~/.cloudflared/cert.pem`,
        extraKeys: ['cert.pem'],
      })
      : useSecret(this, 'tunnel.token', props.tunnel.token, 'token', {
        reason: 'token of the remotely-managed Cloudflare Tunnel',
        howTo: 'Cloudflare dashboard → Zero Trust → Networks → Tunnels → the tunnel → Install connector: the token after `--token`',
      });
    if (props.tunnel.mode === 'local') {
      // The chart reads both Secrets by name from its values, where no Kubernetes field shows them.
      declareSecretUse(this, { name: this.secret.name, field: 'spec.values.tunnelSecrets.existingConfigJsonFileSecret', keys: [this.secret.key] });
      declareSecretUse(this, { name: this.secret.name, field: 'spec.values.tunnelSecrets.existingPemFileSecret', keys: ['cert.pem'] });
    }
    cluster.registerService(TUNNEL, this, this);
    // The rules list every public route: rendered once all apps have wired themselves.
    cluster.onPhase('finalize', () => this.render());
  }

  /** `<tunnel id>.cfargotunnel.com`: what public hostnames are CNAMEs of, when the tunnel ID is known. */
  public get dnsTarget(): string | undefined {
    return this.tunnelId && UUID.test(this.tunnelId) ? `${this.tunnelId}.cfargotunnel.com` : undefined;
  }

  public addPublicHostname(route: RouteSpec): void {
    if (!hostnamesOf(route).every((h) => claimHostname(this.cluster, h, route.component, route.name))) return;
    this.routes.push(route);
  }

  /**
   * The tunnel's ingress rules, derived from the public routes: one per hostname to the ingress (which
   * routes the paths itself), or without an ingress, one per hostname and path rule straight to the
   * app's Service port, the more specific path first (cloudflared takes the first rule that matches,
   * https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/install-and-setup/tunnel-guide/local/local-management/ingress/).
   * Sorted by hostname, ending in the catch-all 404.
   */
  public get rules(): readonly TunnelRule[] {
    if (!this.rulesCache) {
      const ingress = this.cluster.service(INGRESS);
      const entries = this.routes.flatMap((r) => hostnamesOf(r).flatMap((hostname) => (ingress?.originFor
        ? [rule(hostname, ingress.originFor(r, hostname))]
        : rulesOf(r).map((pr) => rule(hostname, directOrigin(r, pr.servicePort), pathRegex(pr))))));
      // A stable sort: the path rules of one hostname keep their precedence order.
      this.rulesCache = [...entries.sort((a, b) => a.hostname!.localeCompare(b.hostname!)), CATCH_ALL_RULE];
    }
    return this.rulesCache;
  }

  private render(): void {
    const p = this.props;
    const replicas = p.replicas ?? defaultReplicas(this.cluster);
    const cpuRequest = p.cpuRequest ?? '50m';
    const memoryRequest = p.memoryRequest ?? '64Mi';
    const resources = { requests: { cpu: cpuRequest, memory: memoryRequest } };
    if (this.routes.length === 0) {
      Diagnostics.of(this).warn(this, 'tunnel-without-routes', `no app in cluster '${this.cluster.name}' is exposed publicly, so the tunnel '${this.name}' only answers 404`);
    }
    if (p.tunnel.mode === 'local') {
      const creds = this.secret;
      const values = {
        image: { repository: CLOUDFLARED_IMAGE.repository, tag: CLOUDFLARED_IMAGE.tag, pullPolicy: 'IfNotPresent' },
        replica: { allNodes: false, count: replicas },
        tunnelConfig: { name: p.tunnel.tunnelId, noAutoUpdate: true, protocol: 'auto', logLevel: 'info' },
        // The chart mounts both Secrets; with a tunnel UUID only the credentials file is read.
        tunnelSecrets: {
          existingConfigJsonFileSecret: { name: creds.name, key: creds.key },
          existingPemFileSecret: { name: creds.name, key: 'cert.pem' },
        },
        ingress: this.rules.map((r) => ({ ...r })),
        podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        resources,
      };
      this.renderChart('cloudflared', values, p.values);
    } else {
      const token = this.secret;
      const values = {
        image: { repository: CLOUDFLARED_IMAGE.repository, tag: CLOUDFLARED_IMAGE.tag, pullPolicy: 'IfNotPresent' },
        replicaCount: replicas,
        resources,
      };
      this.renderChart('cloudflare-tunnel-remote', values, p.values, {
        valuesFrom: [{ kind: 'Secret', name: token.name, valuesKey: token.key, targetPath: 'cloudflare.tunnel_token' }],
      });
      new ApiObject(this, 'routes', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `${this.name}-routes`,
          namespace: this.namespace,
          annotations: { 'homelab/purpose': 'public hostnames to configure on the remotely-managed tunnel (derived from the apps)' },
        },
        data: { 'ingress.yaml': stringify({ ingress: this.rules }) },
      });
    }
    this.addWorkload({ name: this.name, replicas, cpuRequest, memoryRequest });
  }
}

function rule(hostname: string, origin: TunnelOrigin, path?: string): TunnelRule {
  const originRequest = {
    ...(origin.originServerName ? { originServerName: origin.originServerName } : {}),
    ...(origin.noTLSVerify ? { noTLSVerify: true } : {}),
  };
  return { hostname, ...(path !== undefined ? { path } : {}), service: origin.url, ...(Object.keys(originRequest).length ? { originRequest } : {}) };
}

/** Without an ingress, the tunnel forwards straight to the app's Service. */
function directOrigin(route: RouteSpec, port: number): TunnelOrigin {
  return { url: serviceUrl('http', route.serviceName, route.component.namespace, port) };
}

/** A path rule as the regular expression of a tunnel rule (anchored; `PathPrefix` element-wise); none for every path. */
function pathRegex(rule: RouteRule): string | undefined {
  if (matchesEveryPath(rule)) return undefined;
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return rule.match === 'Exact' ? `^${literal(rule.path)}$` : `^${literal(rule.path.replace(/\/+$/, ''))}(/|$)`;
}
