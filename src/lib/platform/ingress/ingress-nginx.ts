import { ChartRelease } from '../../flux/helm-release.js';
import { IngressController, IngressControllerDefaults, IngressControllerProps, ingressControllerDefaults } from './controller.js';
import { k8s } from 'cdk8s-plus-28';
import { HomelabCluster } from '../../estate/cluster.js';
import { Diagnostics, uniqueChildId } from '../../estate/diagnostics.js';
import { hostnamesOf, MONITORING, RouteSpec, rulesOf } from '../../estate/services.js';
import { KUBERNETES_INGRESSES, routeMetadata } from './common.js';
import { headersFieldOf, rulesWithHeaders } from './route-checks.js';
import { ResolvedTls } from './tls.js';

/** Warning code printed (once per cluster) for ingress-nginx's retirement. */
export const INGRESS_NGINX_RETIRED = 'ingress-nginx-retired';

/**
 * Props of {@link IngressNginx}; what they leave out comes from {@link IngressNginx.defaults}. Its
 * default certificate is served for every host (`--default-ssl-certificate`).
 */
export interface IngressNginxProps extends IngressControllerProps {
  /** Open the controller's metrics port (10254), so the cluster's monitoring scrapes it. @default - true when the cluster has metrics collection (MONITORING) */
  readonly metrics?: boolean;
}

/**
 * ingress-nginx: the controller (chart `ingress-nginx`), its IngressClass, and the cluster's INGRESS
 * service rendering each app route as a `networking.k8s.io/v1` Ingress. Retired upstream in March
 * 2026: synth warns once per cluster and names the replacements ({@link Traefik}, {@link Gateways}),
 * which take the same app routes unchanged.
 */
export class IngressNginx extends IngressController {
  /** Namespace 'ingress-nginx', IngressClass 'nginx', '90Mi' memory per pod (the chart's); the rest as {@link ingressControllerDefaults} says. */
  public static readonly defaults: IngressControllerDefaults = ingressControllerDefaults('ingress-nginx', 'nginx', '90Mi');

  public readonly implementation = 'ingress-nginx';
  public readonly routeObjects = KUBERNETES_INGRESSES;
  /** Helm fullname of the release; the controller Service is `<fullname>-controller`. */
  public readonly fullname: string;
  public readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  // With TLS, ingress-nginx redirects plain HTTP to HTTPS, so a tunnel speaks HTTPS to it.
  protected readonly servicePorts = { http: 80, https: 443 };

  constructor(cluster: HomelabCluster, id: string, private readonly props: IngressNginxProps = {}) {
    super(cluster, id, props, IngressNginx.defaults);
    // The chart's fullname: the release name when it contains the chart name, else `<release>-ingress-nginx`.
    this.fullname = (id.includes('ingress-nginx') ? id : `${id}-ingress-nginx`).slice(0, 63).replace(/-+$/, '');
    this.proxyPeer = {
      namespace: this.namespace,
      podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': id, 'app.kubernetes.io/component': 'controller' },
    };
    this.register();
  }

  /** The controller's Service name. */
  public get serviceName(): string {
    return `${this.fullname}-controller`;
  }

  /** Container port `metrics` (10254), open only with `controller.metrics.enabled: true`. */
  public metricsPort(): string | false {
    return this.renderedValues.controller?.metrics?.enabled === true ? 'metrics' : false;
  }

  /**
   * One Ingress per route: a rule per hostname, each with every path (`Exact` or `Prefix`), longest
   * first as ingress-nginx orders them itself ("ingress-nginx first orders the paths by descending
   * length", https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/), and every
   * hostname in the TLS block. Header filters are a problem: ingress-nginx changes request headers
   * only cluster-wide (`proxy-set-headers`) and removes them per Ingress only in a
   * configuration snippet, which this chart disables (`allowSnippetAnnotations: false`).
   */
  protected renderRoute(route: RouteSpec): void {
    const withHeaders = rulesWithHeaders(route);
    for (const field of new Set(withHeaders.map(headersFieldOf))) {
      Diagnostics.of(route.component).error(route.component, field, `route '${route.name}' changes headers, but cluster '${this.cluster.name}' serves routes with ingress-nginx, which cannot set or remove headers per Ingress without configuration snippets (turned off: allowSnippetAnnotations: false)`, 'move the cluster to Traefik or Gateways (apps need no change), or drop the headers from this route');
    }
    if (withHeaders.length > 0) return;
    const meta = routeMetadata(this.cluster, route);
    const hosts = hostnamesOf(route);
    // A fresh list per host: one object shared by two rules would be written as a YAML alias.
    const paths = () => rulesOf(route).map((r) => ({
      path: r.path,
      pathType: r.match === 'Exact' ? 'Exact' : 'Prefix',
      backend: { service: { name: route.serviceName, port: { number: r.servicePort } } },
    }));
    new k8s.KubeIngress(route.component, uniqueChildId(route.component, `ingress-${route.name}`, 'route'), {
      metadata: { name: route.name, namespace: route.component.namespace, ...meta },
      spec: {
        ingressClassName: this.ingressClassName,
        // No secretName: the controller serves its default (wildcard) certificate.
        ...(this.tls ? { tls: [{ hosts: [...hosts] }] } : {}),
        rules: hosts.map((host) => ({ host, http: { paths: paths() } })),
      },
    });
  }

  protected renderController(tls: ResolvedTls | undefined): ChartRelease {
    const p = this.props;
    const { replicas, cpuRequest, memoryRequest } = this.pods;
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
        service: this.serviceSpec(),
        extraArgs: tls ? { 'default-ssl-certificate': `${this.namespace}/${tls.secretName}` } : {},
        metrics: { enabled: p.metrics ?? this.cluster.service(MONITORING) !== undefined },
        admissionWebhooks: { enabled: true },
      },
    };
    const release = this.renderChart('ingress-nginx', values, p.values, {
      deprecationWarning: {
        code: INGRESS_NGINX_RETIRED,
        message: 'ingress-nginx is retired upstream (no releases or security fixes since March 2026): move this cluster to Traefik (Traefik construct) or to the Gateway API (Gateways construct); apps exposed with exposeService need no change',
      },
    });
    this.addWorkload({ name: `${this.fullname}-controller`, replicas, cpuRequest, memoryRequest });
    return release;
  }
}
