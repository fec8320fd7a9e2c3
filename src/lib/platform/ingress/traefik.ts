import { ChartRelease } from '../../flux/helm-release.js';
import { IngressController, IngressControllerDefaults, IngressControllerProps, ingressControllerDefaults } from './controller.js';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesPort, MiddlewareSpec } from '../../../../imports/traefik.io.js';
import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { uniqueChildId } from '../../estate/diagnostics.js';
import { RouteSpec } from '../../estate/services.js';
import { routeMetadata } from './common.js';
import { ResolvedTls } from './tls.js';
import { TraefikMiddleware } from './traefik-middleware.js';

/** Traefik's entry points: container port and the port the Service publishes. */
export const TRAEFIK_ENTRY_POINTS = {
  web: { port: 8000, exposedPort: 80 },
  websecure: { port: 8443, exposedPort: 443 },
} as const;

/**
 * Props of {@link Traefik}; what they leave out comes from {@link Traefik.defaults}. Its default
 * certificate goes into the `default` TLSStore; with one, `web` redirects to `websecure`.
 */
export interface TraefikProps extends IngressControllerProps {
  /**
   * Middlewares applied to every request on the entry point routes use, by name, rendered as
   * {@link TraefikMiddleware}s of this component (synth applies them after the chart's CRDs).
   * @default {}
   */
  readonly entryPointMiddlewares?: Record<string, MiddlewareSpec>;
}

/**
 * Traefik (chart `traefik`): entry points `web` (80) and `websecure` (443), an IngressClass, a default
 * certificate in the `default` TLSStore, optional entry-point middlewares, and the cluster's INGRESS
 * service rendering each app route as an `IngressRoute` (traefik.io/v1alpha1).
 */
export class Traefik extends IngressController {
  /** Namespace 'traefik', IngressClass 'traefik', '128Mi' memory per pod; the rest as {@link ingressControllerDefaults} says. */
  public static readonly defaults: IngressControllerDefaults = ingressControllerDefaults('traefik', 'traefik', '128Mi');

  public readonly implementation = 'traefik';
  public readonly routeObjects = { kind: 'IngressRoute', description: 'Traefik IngressRoutes', externalDnsSources: ['traefik-proxy'] } as const;
  /** Name of the Traefik Service (the chart's fullname). */
  public readonly serviceName: string;
  public readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  /** The entry-point middlewares (empty when none were asked for). */
  public readonly middlewares: readonly TraefikMiddleware[];
  // With TLS, `web` redirects to HTTPS, so a tunnel speaks HTTPS to `websecure`.
  protected readonly servicePorts = { http: TRAEFIK_ENTRY_POINTS.web.exposedPort, https: TRAEFIK_ENTRY_POINTS.websecure.exposedPort };

  constructor(cluster: HomelabCluster, id: string, private readonly props: TraefikProps = {}) {
    super(cluster, id, props, Traefik.defaults);
    this.serviceName = id;
    this.proxyPeer = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': id } };
    this.middlewares = this.renderMiddlewares(props.entryPointMiddlewares ?? {});
    this.provide(crdGroup('traefik.io'));
    this.register();
  }

  /** Entry point app routes are served on. */
  public get routeEntryPoint(): 'web' | 'websecure' {
    return this.tls ? 'websecure' : 'web';
  }

  /** The `metrics` entry point (9100): the chart enables it unless the values turn it off. */
  public metricsPort(): string | false {
    const values = this.renderedValues;
    return values.metrics?.prometheus !== null && values.ports?.metrics !== null ? 'metrics' : false;
  }

  protected renderRoute(route: RouteSpec): void {
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
        ...(this.tls ? { tls: {} } : {}),
      },
    });
  }

  private renderMiddlewares(specs: Record<string, MiddlewareSpec>): TraefikMiddleware[] {
    return Object.keys(specs).sort().map((name) => new TraefikMiddleware(this, `middleware-${name}`, { name, spec: specs[name] }));
  }

  protected renderController(tls: ResolvedTls | undefined): ChartRelease {
    const p = this.props;
    const { replicas, cpuRequest, memoryRequest } = this.pods;
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
          http: tls
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
      tlsStore: tls ? { default: { defaultCertificate: { secretName: tls.secretName } } } : {},
      service: { enabled: true, spec: this.serviceSpec() },
      resources: { requests: { cpu: cpuRequest, memory: memoryRequest } },
    };
    const release = this.renderChart('traefik', values, p.values);
    this.addWorkload({ name: this.serviceName, replicas, cpuRequest, memoryRequest });
    return release;
  }
}
