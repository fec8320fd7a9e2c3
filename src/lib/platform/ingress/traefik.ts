import { defaultIngressServiceType } from '../network/lb-ips.js';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesPort, MiddlewareSpec } from '../../../../imports/traefik.io.js';
import { crdGroup, ingressClass } from '../../estate/capabilities.js';
import { HomelabCluster, isIpv4 } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics, uniqueChildId } from '../../estate/diagnostics.js';
import { INGRESS, IngressProvider, RouteSpec, TunnelOrigin } from '../../estate/services.js';
import { defaultReplicas, routeMetadata, serviceUrl } from './common.js';
import { DefaultCertificate, ResolvedTls, resolveDefaultCertificate } from './tls.js';
import { TraefikMiddleware } from './traefik-middleware.js';
import { claimHostname } from './exposure.js';

/** Traefik's entry points: container port and the port the Service publishes. */
export const TRAEFIK_ENTRY_POINTS = {
  web: { port: 8000, exposedPort: 80 },
  websecure: { port: 8443, exposedPort: 443 },
} as const;

/** Props of {@link Traefik}; namespace, group and layer default to {@link Traefik.placement}. */
export interface TraefikProps extends HelmComponentProps {
  /** Name of the IngressClass the chart creates (and IngressRoutes carry). @default 'traefik' */
  readonly ingressClassName?: string;
  /** Whether that IngressClass is the cluster default. @default true */
  readonly defaultClass?: boolean;
  /** Traefik replicas. @default - 1 on a single-node cluster, else 2 */
  readonly replicas?: number;
  /** Type of the Traefik Service. @default 'LoadBalancer' where the cluster has a load balancer (Cilium LB IPAM pools, MetalLB, OKE, k3s ServiceLB), else 'NodePort'; 'LoadBalancer' whenever loadBalancerIp is set */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  /** Fixed LoadBalancer IP of the Service (`spec.loadBalancerIP`, e.g. an OCI reserved IP). @default - assigned by the load balancer */
  readonly loadBalancerIp?: string;
  /**
   * Default certificate (the `default` TLSStore); with one, `web` redirects to `websecure` and routes use TLS.
   * @default - a wildcard certificate from the cluster's default issuer when the cluster has CertManager, else plain HTTP on `web`
   */
  readonly defaultCertificate?: DefaultCertificate;
  /**
   * Middlewares applied to every request on the entry point routes use, by name, rendered as
   * {@link TraefikMiddleware}s of this component (synth applies them after the chart's CRDs).
   * @default {}
   */
  readonly entryPointMiddlewares?: Record<string, MiddlewareSpec>;
  /** CPU request of a Traefik pod. @default '100m' */
  readonly cpuRequest?: string;
  /** Memory request of a Traefik pod. @default '128Mi' */
  readonly memoryRequest?: string;
}

/**
 * Traefik (chart `traefik`): entry points `web` (80) and `websecure` (443), an IngressClass, a default
 * certificate in the `default` TLSStore, optional entry-point middlewares, and the cluster's INGRESS
 * service rendering each app route as an `IngressRoute` (traefik.io/v1alpha1).
 */
export class Traefik extends HelmComponent implements IngressProvider {
  /** Namespace 'traefik' (Pod Security 'restricted'), group 'ingress', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'traefik', podSecurity: 'restricted' }, group: 'ingress' };
  public readonly implementation = 'traefik';
  public readonly component: Component = this;
  public readonly ingressClassName: string;
  /** Name of the Traefik Service (the chart's fullname). */
  public readonly serviceName: string;
  public readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  /** The entry-point middlewares (empty when none were asked for). */
  public readonly middlewares: readonly TraefikMiddleware[];
  private tls?: ResolvedTls;
  private rendered = false;

  constructor(cluster: HomelabCluster, id: string, private readonly props: TraefikProps = {}) {
    super(cluster, id, props, Traefik.placement);
    this.ingressClassName = props.ingressClassName ?? 'traefik';
    this.serviceName = id;
    this.proxyPeer = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': id } };
    if (props.loadBalancerIp !== undefined && !isIpv4(props.loadBalancerIp)) {
      Diagnostics.of(this).error(this, 'loadBalancerIp', `'${props.loadBalancerIp}' is not an IPv4 address`, 'write the address as four dot-separated numbers, e.g. 10.0.50.100');
    }
    this.middlewares = this.renderMiddlewares(props.entryPointMiddlewares ?? {});
    this.provide(crdGroup('traefik.io'));
    this.provide(ingressClass(this.ingressClassName));
    cluster.registerService(INGRESS, this, this);
    cluster.onPhase('wire', () => this.render());
  }

  /** Entry point app routes are served on. */
  public get routeEntryPoint(): 'web' | 'websecure' {
    return this.tlsSettings() ? 'websecure' : 'web';
  }

  public addRoute(route: RouteSpec): void {
    if (!claimHostname(this.cluster, route.hostname, route.component, route.name)) return;
    const tls = this.tlsSettings();
    new IngressRoute(route.component, uniqueChildId(route.component, `ingressroute-${route.name}`, 'route'), {
      metadata: { name: route.name, namespace: route.component.namespace, ...routeMetadata(this.cluster, route) },
      spec: {
        ingressClassName: this.ingressClassName,
        entryPoints: [this.routeEntryPoint],
        routes: [{
          kind: IngressRouteSpecRoutesKind.RULE,
          match: `Host(\`${route.hostname}\`)`,
          services: [{ name: route.serviceName, port: IngressRouteSpecRoutesServicesPort.fromNumber(route.servicePort) }],
        }],
        // An empty tls block: the default TLSStore's certificate is served.
        ...(tls ? { tls: {} } : {}),
      },
    });
  }

  public originFor(route: RouteSpec): TunnelOrigin {
    const tls = this.tlsSettings();
    // With TLS, `web` redirects to HTTPS, so the tunnel must speak HTTPS to `websecure`.
    return tls
      ? { url: serviceUrl('https', this.serviceName, this.namespace, TRAEFIK_ENTRY_POINTS.websecure.exposedPort), originServerName: route.hostname, noTLSVerify: !tls.publiclyTrusted }
      : { url: serviceUrl('http', this.serviceName, this.namespace, TRAEFIK_ENTRY_POINTS.web.exposedPort) };
  }

  private tlsSettings(): ResolvedTls | undefined {
    this.render();
    return this.tls;
  }

  private renderMiddlewares(specs: Record<string, MiddlewareSpec>): TraefikMiddleware[] {
    return Object.keys(specs).sort().map((name) => new TraefikMiddleware(this, `middleware-${name}`, { name, spec: specs[name] }));
  }

  private render(): void {
    if (this.rendered) return;
    this.rendered = true;
    const p = this.props;
    this.tls = resolveDefaultCertificate(this, 'defaultCertificate', p.defaultCertificate);
    const replicas = p.replicas ?? defaultReplicas(this.cluster);
    const cpuRequest = p.cpuRequest ?? '100m';
    const memoryRequest = p.memoryRequest ?? '128Mi';
    const middlewares = this.middlewares.map((m) => m.providerReference);
    const { web, websecure } = TRAEFIK_ENTRY_POINTS;
    const values = {
      fullnameOverride: this.serviceName,
      instanceLabelOverride: this.name,
      deployment: { kind: 'Deployment', replicas },
      ingressClass: { enabled: true, isDefaultClass: p.defaultClass ?? true, name: this.ingressClassName },
      providers: {
        kubernetesCRD: { enabled: true, allowCrossNamespace: false, ingressClass: this.ingressClassName },
        kubernetesIngress: { enabled: true, ingressClass: this.ingressClassName },
      },
      ports: {
        web: {
          port: web.port,
          exposedPort: web.exposedPort,
          expose: { default: true },
          http: this.tls
            ? { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } }
            : { middlewares },
        },
        websecure: {
          port: websecure.port,
          exposedPort: websecure.exposedPort,
          expose: { default: true },
          http: { tls: { enabled: true }, middlewares },
        },
      },
      tlsStore: this.tls ? { default: { defaultCertificate: { secretName: this.tls.secretName } } } : {},
      service: {
        enabled: true,
        spec: { type: p.serviceType ?? (p.loadBalancerIp ? 'LoadBalancer' : defaultIngressServiceType(this.cluster)), ...(p.loadBalancerIp && isIpv4(p.loadBalancerIp) ? { loadBalancerIP: p.loadBalancerIp } : {}) },
      },
      resources: { requests: { cpu: cpuRequest, memory: memoryRequest } },
    };
    this.renderChart('traefik', values, p.values);
    this.addWorkload({ name: this.serviceName, replicas, cpuRequest, memoryRequest });
  }
}
