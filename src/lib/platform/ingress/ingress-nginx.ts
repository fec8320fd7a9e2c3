import { defaultIngressServiceType } from '../network/lb-ips.js';
import { k8s } from 'cdk8s-plus-28';
import { ingressClass } from '../../estate/capabilities.js';
import { HomelabCluster, isIpv4 } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics, uniqueChildId } from '../../estate/diagnostics.js';
import { INGRESS, IngressProvider, MONITORING, RouteSpec, TunnelOrigin } from '../../estate/services.js';
import {  } from '../../flux/helm-release.js';
import { defaultReplicas, routeMetadata, serviceUrl } from './common.js';
import {  } from '../../flux/values.js';
import { DefaultCertificate, ResolvedTls, resolveDefaultCertificate } from './tls.js';
import { claimHostname } from './exposure.js';

/** Warning code printed (once per cluster) for ingress-nginx's retirement. */
export const INGRESS_NGINX_RETIRED = 'ingress-nginx-retired';

/** Props of {@link IngressNginx}; namespace, group and layer default to {@link IngressNginx.placement}. */
export interface IngressNginxProps extends HelmComponentProps {
  /** Name of the IngressClass the chart creates. @default 'nginx' */
  readonly ingressClassName?: string;
  /** Whether that IngressClass is the cluster default (Ingresses without a class use it). @default true */
  readonly defaultClass?: boolean;
  /** Controller replicas. @default - 1 on a single-node cluster, else 2 */
  readonly replicas?: number;
  /** Type of the controller Service. @default 'LoadBalancer' where the cluster has a load balancer (Cilium LB IPAM pools, MetalLB, OKE, k3s ServiceLB), else 'NodePort'; 'LoadBalancer' whenever loadBalancerIp is set */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  /** Fixed LoadBalancer IP of the controller Service. @default - assigned by the load balancer */
  readonly loadBalancerIp?: string;
  /**
   * Default certificate served for every host (`--default-ssl-certificate`); routes then get TLS.
   * @default - a wildcard certificate from the cluster's default issuer when the cluster has CertManager, else plain HTTP
   */
  readonly defaultCertificate?: DefaultCertificate;
  /** Open the controller's metrics port (10254), so the cluster's monitoring scrapes it. @default - true when the cluster has metrics collection (MONITORING) */
  readonly metrics?: boolean;
  /** CPU request of a controller pod. @default '100m' (the chart's) */
  readonly cpuRequest?: string;
  /** Memory request of a controller pod. @default '90Mi' (the chart's) */
  readonly memoryRequest?: string;
}

/**
 * ingress-nginx: the controller (chart `ingress-nginx`), its IngressClass, and the cluster's INGRESS
 * service rendering each app route as a `networking.k8s.io/v1` Ingress. Retired upstream in March
 * 2026: synth warns once per cluster and names the replacements ({@link Traefik}, {@link Gateways}),
 * which take the same app routes unchanged.
 */
export class IngressNginx extends HelmComponent implements IngressProvider {
  /** Namespace 'ingress-nginx' (Pod Security 'restricted'), group 'ingress', layer 'platform' (seed 004: platform/ingress/). */
  public static readonly placement: Placement = { namespace: { name: 'ingress-nginx', podSecurity: 'restricted' }, group: 'ingress' };
  public readonly implementation = 'ingress-nginx';
  public readonly component: Component = this;
  public readonly ingressClassName: string;
  /** Helm fullname of the release; the controller Service is `<fullname>-controller`. */
  public readonly fullname: string;
  public readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  private tls?: ResolvedTls;
  private rendered = false;

  constructor(cluster: HomelabCluster, id: string, private readonly props: IngressNginxProps = {}) {
    super(cluster, id, props, IngressNginx.placement);
    this.ingressClassName = props.ingressClassName ?? 'nginx';
    // The chart's fullname: the release name when it contains the chart name, else `<release>-ingress-nginx`.
    this.fullname = (id.includes('ingress-nginx') ? id : `${id}-ingress-nginx`).slice(0, 63).replace(/-+$/, '');
    this.proxyPeer = {
      namespace: this.namespace,
      podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': id, 'app.kubernetes.io/component': 'controller' },
    };
    if (props.loadBalancerIp !== undefined && !isIpv4(props.loadBalancerIp)) {
      Diagnostics.of(this).error(this, 'loadBalancerIp', `'${props.loadBalancerIp}' is not an IPv4 address`, 'write the address as four dot-separated numbers, e.g. 10.0.50.100');
    }
    this.provide(ingressClass(this.ingressClassName));
    cluster.registerService(INGRESS, this, this);
    // The default certificate depends on whether the cluster has cert-manager: decided once all are declared.
    cluster.onPhase('wire', () => this.render());
  }

  /** The controller's Service name. */
  public get serviceName(): string {
    return `${this.fullname}-controller`;
  }

  public addRoute(route: RouteSpec): void {
    if (!claimHostname(this.cluster, route.hostname, route.component, route.name)) return;
    const meta = routeMetadata(this.cluster, route);
    new k8s.KubeIngress(route.component, uniqueChildId(route.component, `ingress-${route.name}`, 'route'), {
      metadata: { name: route.name, namespace: route.component.namespace, ...meta },
      spec: {
        ingressClassName: this.ingressClassName,
        // No secretName: the controller serves its default (wildcard) certificate.
        ...(this.tlsSettings() ? { tls: [{ hosts: [route.hostname] }] } : {}),
        rules: [{
          host: route.hostname,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: route.serviceName, port: { number: route.servicePort } } } }] },
        }],
      },
    });
  }

  public originFor(route: RouteSpec): TunnelOrigin {
    const tls = this.tlsSettings();
    // With TLS, ingress-nginx redirects plain HTTP to HTTPS, so the tunnel must speak HTTPS to it.
    return tls
      ? { url: serviceUrl('https', this.serviceName, this.namespace, 443), originServerName: route.hostname, noTLSVerify: !tls.publiclyTrusted }
      : { url: serviceUrl('http', this.serviceName, this.namespace, 80) };
  }

  private tlsSettings(): ResolvedTls | undefined {
    this.render();
    return this.tls;
  }

  private render(): void {
    if (this.rendered) return;
    this.rendered = true;
    const p = this.props;
    this.tls = resolveDefaultCertificate(this, 'defaultCertificate', p.defaultCertificate);
    const replicas = p.replicas ?? defaultReplicas(this.cluster);
    const cpuRequest = p.cpuRequest ?? '100m';
    const memoryRequest = p.memoryRequest ?? '90Mi';
    const controllerValue = this.ingressClassName === 'nginx' ? 'k8s.io/ingress-nginx' : `k8s.io/ingress-nginx-${this.ingressClassName}`;
    const values = {
      controller: {
        replicaCount: replicas,
        ingressClass: this.ingressClassName,
        ingressClassResource: { name: this.ingressClassName, enabled: true, default: p.defaultClass ?? true, controllerValue },
        allowSnippetAnnotations: false,
        resources: { requests: { cpu: cpuRequest, memory: memoryRequest } },
        // Spelled out so the Pod Security level 'restricted' holds whatever the chart's template defaults are.
        containerSecurityContext: {
          runAsNonRoot: true,
          runAsUser: 101,
          runAsGroup: 82,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: false,
          capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        service: {
          type: p.serviceType ?? (p.loadBalancerIp ? 'LoadBalancer' : defaultIngressServiceType(this.cluster)),
          ...(p.loadBalancerIp && isIpv4(p.loadBalancerIp) ? { loadBalancerIP: p.loadBalancerIp } : {}),
        },
        extraArgs: this.tls ? { 'default-ssl-certificate': `${this.namespace}/${this.tls.secretName}` } : {},
        metrics: { enabled: p.metrics ?? this.cluster.service(MONITORING) !== undefined },
        admissionWebhooks: { enabled: true },
      },
    };
    this.renderChart('ingress-nginx', values, p.values, {
      deprecationWarning: {
        code: INGRESS_NGINX_RETIRED,
        message: 'ingress-nginx is retired upstream (no releases or security fixes since March 2026): move this cluster to Traefik (Traefik construct) or to the Gateway API (Gateways construct); apps exposed with exposeService need no change',
      },
    });
    this.addWorkload({ name: `${this.fullname}-controller`, replicas, cpuRequest, memoryRequest });
  }
}
