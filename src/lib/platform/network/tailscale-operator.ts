import { ApiObject } from 'cdk8s';
import { crdGroup, ingressClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { declareSecretUse, declareUserSecret } from '../../estate/user-secrets.js';
import { ChartRelease, UnvalidatedChartInfo } from '../../flux/helm-release.js';

/**
 * Tailscale's Kubernetes operator chart, pinned by hand: ../shared holds its CRDs (tailscale.com,
 * v1.102.3) but no chart data, so it is not in `imports/charts.ts` and **its values are not validated
 * at synth**; the keys below were read from the chart's values.yaml (cmd/k8s-operator/deploy/chart).
 * The chart version follows Tailscale's release version; the operator and proxy images default to it.
 */
export const TAILSCALE_OPERATOR_CHART: UnvalidatedChartInfo = {
  name: 'tailscale-operator',
  // renovate: datasource=helm depName=tailscale-operator registryUrl=https://pkgs.tailscale.com/helmcharts
  version: '1.102.3',
  appVersion: 'v1.102.3',
  kubeVersion: undefined,
  repository: 'https://pkgs.tailscale.com/helmcharts',
  type: 'https',
  alternatives: [],
  deprecated: false,
  notes: 'pinned by hand in src/lib/platform/network/tailscale-operator.ts; values not validated (no chart data in ../shared)',
  images: ['tailscale/k8s-operator:v1.102.3', 'tailscale/tailscale:v1.102.3'],
  values: 'none',
};

/** A Service reachable from the tailnet only, by a tailnet machine name (admin UIs). */
export interface TailnetAdminService {
  /** Machine name on the tailnet (`https://<hostname>.<tailnet>.ts.net`). A DNS-1123 label. */
  readonly hostname: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  readonly serviceName: string;
  readonly port: number;
}

/** Props of {@link TailscaleOperator}; namespace, group and layer default to {@link TailscaleOperator.placement}. */
export interface TailscaleOperatorProps extends PlatformProps {
  /**
   * Secret in the operator's namespace with the OAuth client (keys `client_id`, `client_secret`) the
   * operator registers itself and its proxies with. Create it from a SOPS file; never in values.
   * @default 'operator-oauth' (the chart's expected name)
   */
  readonly oauthSecret?: string;
  /** The operator's own machine name on the tailnet. @default '<cluster>-operator' */
  readonly hostname?: string;
  /**
   * Kubernetes API server proxy on the tailnet: `kubectl` over Tailscale, identities from the tailnet
   * (grant them in the tailnet policy). `false` for none.
   * @default 'auth'
   */
  readonly apiServerProxy?: 'auth' | 'noauth' | false;
  /** Tags the proxies the operator creates carry (the operator's tag must own them). @default ['tag:k8s'] */
  readonly proxyTags?: readonly string[];
  /** Admin UIs exposed on the tailnet only, each through an Ingress of class `tailscale`. @default [] */
  readonly adminServices?: readonly TailnetAdminService[];
}

const OPERATOR_REQUESTS = { cpu: '50m', memory: '64Mi' };
/** Each tailnet Ingress runs a small proxy StatefulSet (one pod). */
const PROXY_REQUESTS = { cpu: '20m', memory: '64Mi' };

/**
 * Administration over Tailscale (admin access kept off the public entry point): the Tailscale operator (chart `tailscale-operator`) in a
 * `tailscale` namespace, its OAuth client by Secret reference, the API server proxy for `kubectl`
 * over the tailnet, and admin UIs exposed to the tailnet only through Ingresses of class
 * `tailscale` — never through the public reverse proxy.
 *
 * The proxies the operator creates need NET_ADMIN (kernel networking mode), hence a privileged
 * namespace. Provides `crdGroup('tailscale.com')` and `ingressClass('tailscale')`.
 */
export class TailscaleOperator extends HelmComponent {
  /** Namespace 'tailscale' (Pod Security 'privileged': the proxies need NET_ADMIN), group 'network', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'tailscale', podSecurity: 'privileged' }, group: 'network' };
  public readonly oauthSecret: string;
  public readonly hostname: string;

  constructor(cluster: HomelabCluster, id: string, props: TailscaleOperatorProps = {}) {
    super(cluster, id, props, TailscaleOperator.placement);
    const d = Diagnostics.of(this);
    this.oauthSecret = props.oauthSecret ?? 'operator-oauth';
    this.hostname = props.hostname ?? `${cluster.name}-operator`;
    const proxyMode = props.apiServerProxy ?? 'auth';
    const tags = props.proxyTags ?? ['tag:k8s'];
    for (const t of tags) if (!/^tag:[a-z0-9-]+$/.test(t)) d.error(this, 'proxyTags', `'${t}' is not a Tailscale tag`, "write tags as 'tag:name' (lowercase letters, digits, '-')");
    if (!isDnsLabel(this.hostname)) d.error(this, 'hostname', `'${this.hostname}' is not a valid tailnet machine name`, "use lowercase letters, digits and '-'");
    if (this.oauthSecret !== 'operator-oauth') {
      d.error(this, 'oauthSecret', `the chart reads its OAuth client from Secret 'operator-oauth' only, not '${this.oauthSecret}'`, "name the Secret 'operator-oauth' (keys client_id, client_secret)");
    }
    // The chart reads the Secret by its fixed name, where no field of the tree shows it.
    declareSecretUse(this, { name: this.oauthSecret, field: 'spec.values (the chart reads operator-oauth)', keys: ['client_id', 'client_secret'] });
    declareUserSecret(this, {
      name: this.oauthSecret,
      keys: ['client_id', 'client_secret'],
      reason: 'OAuth client the Tailscale operator registers itself and its proxies with',
      howTo: 'Tailscale admin console → Settings → OAuth clients → Generate: scopes Devices Core, Auth Keys and Services (write), tag tag:k8s-operator',
    });
    new ChartRelease(this, 'chart', {
      chart: TAILSCALE_OPERATOR_CHART,
      values: {
        // No `oauth` key: the chart then reads the pre-created Secret 'operator-oauth'.
        installCRDs: true,
        operatorConfig: {
          hostname: this.hostname,
          logging: 'info',
          resources: { requests: { ...OPERATOR_REQUESTS }, limits: { memory: '256Mi' } },
        },
        proxyConfig: { defaultTags: tags.join(',') },
        apiServerProxyConfig: { mode: proxyMode === false ? 'false' : proxyMode === 'auth' ? 'true' : 'noauth' },
      },
    });
    this.provide(crdGroup('tailscale.com'));
    this.provide(ingressClass('tailscale'));
    this.addWorkload({ name: 'operator', cpuRequest: OPERATOR_REQUESTS.cpu, memoryRequest: OPERATOR_REQUESTS.memory, memoryLimit: '256Mi' });
    const seen = new Set<string>();
    for (const [i, svc] of (props.adminServices ?? []).entries()) {
      if (!isDnsLabel(svc.hostname)) d.error(this, `adminServices[${i}].hostname`, `'${svc.hostname}' is not a valid tailnet machine name`, "use lowercase letters, digits and '-'");
      if (seen.has(svc.hostname)) d.error(this, `adminServices[${i}].hostname`, `tailnet name '${svc.hostname}' is used twice`, 'give each admin service its own name');
      seen.add(svc.hostname);
      new ApiObject(this, `admin-${svc.hostname}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `tailnet-${svc.hostname}`, namespace: svc.namespace, annotations: { 'tailscale.com/tags': tags.join(',') } },
        spec: {
          ingressClassName: 'tailscale',
          defaultBackend: { service: { name: svc.serviceName, port: { number: svc.port } } },
          tls: [{ hosts: [svc.hostname] }],
        },
      });
      this.addWorkload({ name: `proxy-${svc.hostname}`, cpuRequest: PROXY_REQUESTS.cpu, memoryRequest: PROXY_REQUESTS.memory });
    }
  }
}
