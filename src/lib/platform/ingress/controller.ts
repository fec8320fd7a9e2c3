import { ingressClass } from '../../estate/capabilities.js';
import { HomelabCluster, isIpv4 } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { INGRESS, IngressProvider, RouteSpec, TunnelOrigin } from '../../estate/services.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { defaultIngressServiceType } from '../network/lb-ips.js';
import { defaultReplicas, RouteObjects, serviceUrl } from './common.js';
import { acceptRoute } from './exposure.js';
import { DefaultCertificate, ResolvedTls, defaultTls, resolveDefaultCertificate, warnUncoveredHostnames } from './tls.js';

/** Props every ingress controller chart takes (Traefik, ingress-nginx). */
export interface IngressControllerProps extends HelmComponentProps {
  /** Name of the IngressClass the chart creates (and route objects carry). @default - the class's `defaults.ingressClassName` */
  readonly ingressClassName?: string;
  /** Whether that IngressClass is the cluster default (Ingresses without a class use it). @default true */
  readonly defaultClass?: boolean;
  /** Controller replicas. @default - 1 on a single-node cluster, else 2 */
  readonly replicas?: number;
  /** Type of the controller Service. @default 'LoadBalancer' where the cluster has a load balancer (Cilium LB IPAM pools, MetalLB, OKE, k3s ServiceLB), else 'NodePort'; 'LoadBalancer' whenever loadBalancerIp is set */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  /** Fixed LoadBalancer IP of the controller Service (`spec.loadBalancerIP`, e.g. an OCI reserved IP). @default - assigned by the load balancer */
  readonly loadBalancerIp?: string;
  /**
   * Default certificate served for every host; routes then use TLS and plain HTTP redirects to HTTPS.
   * @default - a wildcard certificate from the cluster's default issuer when the cluster has CertManager, else plain HTTP
   */
  readonly defaultCertificate?: DefaultCertificate;
  /** CPU request of a controller pod. @default - the class's `defaults.cpuRequest` */
  readonly cpuRequest?: string;
  /** Memory request of a controller pod. @default - the class's `defaults.memoryRequest` */
  readonly memoryRequest?: string;
}

/** What an ingress controller class uses where its props leave these out. */
export interface IngressControllerDefaults {
  readonly placement: Placement;
  readonly ingressClassName: string;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
}

/**
 * Defaults of an ingress controller class: its own namespace (Pod Security 'restricted') in group
 * 'ingress' (seed 004: platform/ingress/), layer 'platform', its IngressClass, and per pod '100m'
 * CPU and `memoryRequest` memory.
 */
export function ingressControllerDefaults(namespace: string, ingressClassName: string, memoryRequest: string): IngressControllerDefaults {
  return { placement: { namespace: { name: namespace, podSecurity: 'restricted' }, group: 'ingress' }, ingressClassName, cpuRequest: '100m', memoryRequest };
}

/** The controller pods' count and requests, resolved from the props. */
export interface ControllerPods {
  readonly replicas: number;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
}

/**
 * An ingress controller installed from a chart, and the cluster's INGRESS service: it provides its
 * IngressClass, claims each route's hostname before rendering the route object, and renders its
 * chart (and default certificate) once, in the wire phase. What routes and tunnels need to know of
 * the certificate before then comes from {@link tls}, which renders nothing.
 */
export abstract class IngressController extends HelmComponent implements IngressProvider {
  public abstract readonly implementation: string;
  /** The route objects {@link renderRoute} renders (their kind is recorded with each route). */
  public abstract readonly routeObjects: RouteObjects;
  public readonly component: Component = this;
  public readonly ingressClassName: string;
  public abstract readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  /** Name of the controller's Service. */
  public abstract readonly serviceName: string;
  /** Ports the controller's Service publishes HTTP and HTTPS on. */
  protected abstract readonly servicePorts: { readonly http: number; readonly https: number };
  /** The chart, rendered in the wire phase. */
  public release?: ChartRelease;
  private readonly controllerProps: IngressControllerProps;
  private readonly defaults: IngressControllerDefaults;

  constructor(cluster: HomelabCluster, id: string, props: IngressControllerProps, defaults: IngressControllerDefaults) {
    super(cluster, id, props, defaults.placement);
    this.controllerProps = props;
    this.defaults = defaults;
    this.ingressClassName = props.ingressClassName ?? defaults.ingressClassName;
    if (props.loadBalancerIp !== undefined && !isIpv4(props.loadBalancerIp)) {
      Diagnostics.of(this).error(this, 'loadBalancerIp', `'${props.loadBalancerIp}' is not an IPv4 address`, 'write the address as four dot-separated numbers, e.g. 10.0.50.100');
    }
  }

  public addRoute(route: RouteSpec): void {
    if (!acceptRoute(route, this.routeObjects.kind)) return;
    warnUncoveredHostnames(route, this.tls);
    this.renderRoute(route);
  }

  /** The default certificate's TLS (undefined for plain HTTP); renders nothing, valid once every component is declared. */
  protected get tls(): ResolvedTls | undefined {
    return defaultTls(this, this.controllerProps.defaultCertificate);
  }

  /** Pod count and requests of the controller. */
  protected get pods(): ControllerPods {
    const p = this.controllerProps;
    return { replicas: p.replicas ?? defaultReplicas(this.cluster), cpuRequest: p.cpuRequest ?? this.defaults.cpuRequest, memoryRequest: p.memoryRequest ?? this.defaults.memoryRequest };
  }

  /** Type (and fixed address) of the controller Service. */
  protected serviceSpec(): { type: string; loadBalancerIP?: string } {
    const p = this.controllerProps;
    return {
      type: p.serviceType ?? (p.loadBalancerIp ? 'LoadBalancer' : defaultIngressServiceType(this.cluster)),
      ...(p.loadBalancerIp && isIpv4(p.loadBalancerIp) ? { loadBalancerIP: p.loadBalancerIp } : {}),
    };
  }

  /** Provides the IngressClass, registers the INGRESS service and renders once, in the wire phase (call it last in the subclass constructor). */
  protected register(): void {
    this.provide(ingressClass(this.ingressClassName));
    this.cluster.registerService(INGRESS, this, this);
    // The default certificate depends on whether the cluster has cert-manager: decided once all are declared.
    this.cluster.onPhase('wire', () => {
      const tls = resolveDefaultCertificate(this, 'defaultCertificate', this.controllerProps.defaultCertificate);
      this.release = this.renderController(tls);
    });
  }

  /** Renders the controller's chart with the TLS the default certificate gave; returns the release. */
  protected abstract renderController(tls: ResolvedTls | undefined): ChartRelease;

  /** Renders one route object into the route's component (its hostname is claimed). */
  protected abstract renderRoute(route: RouteSpec): void;

  /**
   * Where a tunnel reaches a public route's `hostname` (default: its first): the controller's Service
   * over HTTPS (the hostname as SNI, verified only when the certificate is publicly trusted) when it
   * serves TLS, else plain HTTP.
   */
  public originFor(route: RouteSpec, hostname: string = route.hostname): TunnelOrigin {
    const tls = this.tls;
    return tls
      ? { url: serviceUrl('https', this.serviceName, this.namespace, this.servicePorts.https), originServerName: hostname, noTLSVerify: !tls.publiclyTrusted }
      : { url: serviceUrl('http', this.serviceName, this.namespace, this.servicePorts.http) };
  }

  /** The chart's values as rendered (empty before the wire phase). */
  protected get renderedValues(): Record<string, any> {
    return this.release?.values ?? {};
  }
}
