import { HomelabCluster, isIpv4 } from '../../estate/cluster.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { inDomain, isHostname } from '../../estate/hostnames.js';
import { routeObjectsOf } from './common.js';

/** Resources k8s_gateway can answer for. */
export type WatchedResource = 'Ingress' | 'Service' | 'HTTPRoute' | 'TLSRoute' | 'GRPCRoute' | 'VirtualServer' | 'DNSEndpoint';

/** The {@link WatchedResource}s that are route objects an ingress may render. */
const ROUTE_KINDS: readonly WatchedResource[] = ['Ingress', 'HTTPRoute', 'TLSRoute', 'GRPCRoute', 'VirtualServer'];

/** Props of {@link K8sGateway}; namespace, group and layer default to {@link K8sGateway.placement}. */
export interface K8sGatewayProps extends HelmComponentProps {
  /** LoadBalancer IP the home DNS server forwards the domain to (seed 003: 10.0.50.100). */
  readonly address: string;
  /** Zone it answers for. @default - the cluster's domain */
  readonly domain?: string;
  /**
   * Request `address` with this Service annotation (e.g. 'lbipam.cilium.io/ips') instead of the Service's
   * `loadBalancerIP` (deprecated by Kubernetes, still honoured by Cilium LB-IPAM and MetalLB). One or the
   * other, never both: an address pool counts each as a request.
   * @default - none: `service.loadBalancerIP`
   */
  readonly addressAnnotation?: string;
  /** @default - the kind the cluster's ingress renders routes as (its `routeObjects.kind`: 'Ingress' or 'HTTPRoute'), plus 'Service' */
  readonly watchedResources?: readonly WatchedResource[];
  /** Record TTL in seconds. @default 300 */
  readonly ttl?: number;
  /** Replicas. @default 1 (the chart's Deployment template fixes one replica) */
  readonly replicas?: number;
  /** CPU request. @default '25m' */
  readonly cpuRequest?: string;
  /** Memory request. @default '64Mi' */
  readonly memoryRequest?: string;
}

/**
 * k8s_gateway (chart `k8s-gateway`): a DNS server on a LoadBalancer IP answering for the cluster's
 * domain with the addresses of the Ingresses / HTTPRoutes (and LoadBalancer Services) serving each
 * hostname, so the home network resolves apps to the internal entry point (split DNS). Point the
 * home DNS server's conditional forwarder for the domain at `address`.
 */
export class K8sGateway extends HelmComponent {
  /** Namespace 'network', group 'network', layer 'platform'. Pod Security 'baseline': the image runs CoreDNS on port 53 without a restricted security context. */
  public static readonly placement: Placement = { namespace: { name: 'network', podSecurity: 'baseline' }, group: 'network' };
  public readonly address: string;
  public readonly domain: string;

  constructor(cluster: HomelabCluster, id: string, props: K8sGatewayProps) {
    super(cluster, id, props, K8sGateway.placement);
    this.address = props.address;
    this.domain = props.domain ?? cluster.domain;
    const d = Diagnostics.of(this);
    if (!isIpv4(props.address)) d.error(this, 'address', `'${props.address}' is not an IPv4 address`, 'write the address as four dot-separated numbers, e.g. 10.0.50.100');
    if (!isHostname(this.domain) || !inDomain(this.domain, cluster.domain)) {
      d.error(this, 'domain', `'${this.domain}' is not the cluster's domain '${cluster.domain}' or inside it`, 'leave domain out to answer for the cluster domain');
    }
    const replicas = props.replicas ?? 1;
    const cpuRequest = props.cpuRequest ?? '25m';
    const memoryRequest = props.memoryRequest ?? '64Mi';
    this.addWorkload({ name: id, replicas, cpuRequest, memoryRequest });
    // What to watch follows the cluster's ingress, known once every component is declared.
    cluster.onPhase('wire', () => {
      const watched = props.watchedResources ?? this.derivedWatchedResources();
      const values = {
        domain: this.domain,
        watchedResources: [...watched],
        ttl: props.ttl ?? 300,
        fallthrough: { enabled: false, zones: [] },
        replicaCount: replicas,
        resources: { requests: { cpu: cpuRequest, memory: memoryRequest } },
        service: {
          type: 'LoadBalancer',
          port: 53,
          ...(!isIpv4(props.address) ? {} : props.addressAnnotation ? { annotations: { [props.addressAnnotation]: props.address } } : { loadBalancerIP: props.address }),
        },
      };
      this.renderChart('k8s-gateway', values, props.values);
    });
  }

  /** LoadBalancer IPs this component asks for (for address pools). */
  public get loadBalancerIps(): Record<string, string> {
    return { [this.name]: this.address };
  }

  /** The kind of the ingress's route objects when k8s_gateway reads it (else a warning), and Services. */
  private derivedWatchedResources(): WatchedResource[] {
    const routes = routeObjectsOf(this.cluster);
    if ((ROUTE_KINDS as readonly string[]).includes(routes.kind)) return [routes.kind as WatchedResource, 'Service'];
    Diagnostics.of(this).warn(this, 'k8s-gateway-traefik', `k8s_gateway cannot read ${routes.description}: app hostnames will not resolve through it (only LoadBalancer Services will)`);
    return ['Service'];
  }
}
