import { HomelabCluster, isIpv4 } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { INGRESS } from '../../estate/services.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { inDomain, isHostname } from '../../estate/hostnames.js';
import { mergeValues } from '../../flux/values.js';

/** Resources k8s_gateway can answer for. */
export type WatchedResource = 'Ingress' | 'Service' | 'HTTPRoute' | 'TLSRoute' | 'GRPCRoute' | 'VirtualServer' | 'DNSEndpoint';

export interface K8sGatewayProps {
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
  /** @default - what the cluster's ingress renders routes as ('Ingress' or 'HTTPRoute'), plus 'Service' */
  readonly watchedResources?: readonly WatchedResource[];
  /** Record TTL in seconds. @default 300 */
  readonly ttl?: number;
  /** Namespace. @default 'network' */
  readonly namespace?: string;
  /** Folder group. @default 'network' */
  readonly group?: string;
  /** @default 'platform' */
  readonly layer?: Layer;
  /** Replicas. @default 1 (the chart's Deployment template fixes one replica) */
  readonly replicas?: number;
  /** CPU request. @default '25m' */
  readonly cpuRequest?: string;
  /** Memory request. @default '64Mi' */
  readonly memoryRequest?: string;
  /** Extra Helm values, deep-merged over the derived ones and validated like them. @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * k8s_gateway (chart `k8s-gateway`): a DNS server on a LoadBalancer IP answering for the cluster's
 * domain with the addresses of the Ingresses / HTTPRoutes (and LoadBalancer Services) serving each
 * hostname, so the home network resolves apps to the internal entry point (split DNS). Point the
 * home DNS server's conditional forwarder for the domain at `address`.
 */
export class K8sGateway extends Component {
  public readonly address: string;
  public readonly domain: string;

  constructor(cluster: HomelabCluster, id: string, props: K8sGatewayProps) {
    super(cluster, {
      name: id,
      // The image runs CoreDNS on port 53 without a restricted security context: baseline.
      namespace: { name: props.namespace ?? 'network', podSecurity: 'baseline' },
      group: props.group ?? 'network',
      layer: props.layer,
    });
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
      new ChartRelease(this, 'chart', { chart: 'k8s-gateway', values: mergeValues(values, props.values) });
    });
  }

  /** LoadBalancer IPs this component asks for (for address pools). */
  public get loadBalancerIps(): Record<string, string> {
    return { [this.name]: this.address };
  }

  private derivedWatchedResources(): WatchedResource[] {
    const ingress = this.cluster.service(INGRESS);
    switch (ingress?.implementation) {
      case 'gateway-api': return ['HTTPRoute', 'Service'];
      case 'ingress-nginx': return ['Ingress', 'Service'];
      case 'traefik':
        Diagnostics.of(this).warn(this, 'k8s-gateway-traefik', 'k8s_gateway cannot read Traefik IngressRoutes: app hostnames will not resolve through it (only LoadBalancer Services will)');
        return ['Service'];
      default: return ['Ingress', 'Service'];
    }
  }
}
