import { ChartRelease } from '../../flux/helm-release.js';
import { IngressController, IngressControllerDefaults, IngressControllerProps, ingressControllerDefaults } from './controller.js';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesPort, MiddlewareSpec } from '../../../../imports/traefik.io.js';
import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Diagnostics, uniqueChildId } from '../../estate/diagnostics.js';
import { HeaderFilters, hostnamesOf, matchesEveryPath, RouteRule, RouteSpec, rulesOf } from '../../estate/services.js';
import { routeMetadata } from './common.js';
import { headersFieldOf, rulesWithHeaders } from './route-checks.js';
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

  /**
   * One IngressRoute per route: a Traefik route per path rule, matching every hostname
   * (`Host(a) || Host(b)`; external-dns's traefik-proxy source reads each `Host(...)`). Traefik
   * orders routers by priority, by default the rule's length, which is no measure of path
   * specificity (https://doc.traefik.io/traefik/v3.7/reference/routing-configuration/http/routing/rules-and-priority/#priority),
   * so a route with several rules gives each an explicit priority in precedence order, above any
   * default of its own rules. Header filters become a `headers` Middleware of the app's namespace.
   */
  protected renderRoute(route: RouteSpec): void {
    if (!this.headersRenderable(route)) return;
    const rules = rulesOf(route);
    const middlewares = this.headerMiddlewares(route, rules);
    const hosts = hostnamesOf(route).map((h) => `Host(\`${h}\`)`);
    const hostMatch = hosts.length === 1 ? hosts[0] : `(${hosts.join(' || ')})`;
    const matches = rules.map((r) => (matchesEveryPath(r) ? hostMatch : `${hostMatch} && ${traefikPathMatch(r)}`));
    const top = Math.max(...matches.map((m) => m.length));
    new IngressRoute(route.component, uniqueChildId(route.component, `ingressroute-${route.name}`, 'route'), {
      metadata: { name: route.name, namespace: route.component.namespace, ...routeMetadata(this.cluster, route) },
      spec: {
        ingressClassName: this.ingressClassName,
        entryPoints: [this.routeEntryPoint],
        routes: rules.map((r, i) => ({
          kind: IngressRouteSpecRoutesKind.RULE,
          match: matches[i],
          ...(rules.length > 1 ? { priority: top + rules.length - i } : {}),
          services: [{ name: route.serviceName, port: IngressRouteSpecRoutesServicesPort.fromNumber(r.servicePort) }],
          ...(middlewares[i] ? { middlewares: [{ name: middlewares[i]! }] } : {}),
        })),
        // An empty tls block: the default TLSStore's certificate is served.
        ...(this.tls ? { tls: {} } : {}),
      },
    });
  }

  /** Traefik's Headers middleware replaces a header; it has no way to append a value to one. */
  private headersRenderable(route: RouteSpec): boolean {
    let ok = true;
    const reported = new Set<string>();
    for (const r of rulesWithHeaders(route)) {
      for (const dir of ['request', 'response'] as const) {
        const field = `${headersFieldOf(r)}.${dir}.add`;
        if (Object.keys(r.headers?.[dir]?.add ?? {}).length === 0 || reported.has(field)) continue;
        reported.add(field);
        Diagnostics.of(route.component).error(route.component, field, `route '${route.name}' appends ${dir} headers, but cluster '${this.cluster.name}' serves routes with Traefik, whose Headers middleware can only set (replace) or remove a header`, `use ${dir}.set instead (the header's value is replaced), or move the cluster to Gateways`);
        ok = false;
      }
    }
    return ok;
  }

  /**
   * A `headers` Middleware per distinct header filters of the route's rules (`<route>-headers`,
   * then `-headers-2`…), by rule index. Traefik removes a header whose custom value is empty
   * ("Empty values remove the listed headers", https://doc.traefik.io/traefik-hub/api-gateway/reference/routing/http/middlewares/ref-headers;
   * "Adding and Removing Headers", https://doc.traefik.io/traefik/v3.0/middlewares/http/headers/).
   */
  private headerMiddlewares(route: RouteSpec, rules: readonly RouteRule[]): (string | undefined)[] {
    const names = new Map<string, string>();
    return rules.map((r) => {
      if (!r.headers || rulesWithHeaders({ ...route, rules: [r] }).length === 0) return undefined;
      const key = JSON.stringify(r.headers);
      let name = names.get(key);
      if (!name) {
        name = names.size === 0 ? `${route.name}-headers` : `${route.name}-headers-${names.size + 1}`;
        names.set(key, name);
        new TraefikMiddleware(route.component, uniqueChildId(route.component, `middleware-${name}`, 'middleware'), { name, spec: { headers: traefikHeaders(r.headers) } });
      }
      return name;
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

/** A rule's path as Traefik matches it; `PathPrefix` element-wise, as Ingress and Gateway API define it (Traefik's own matches any string prefix). */
function traefikPathMatch(rule: RouteRule): string {
  if (rule.match === 'Exact') return `Path(\`${rule.path}\`)`;
  const prefix = rule.path.replace(/\/+$/, '');
  return `(Path(\`${prefix}\`) || PathPrefix(\`${prefix}/\`))`;
}

/** Header filters as a Traefik Headers middleware: set values, and removals as empty values. */
function traefikHeaders(h: HeaderFilters): NonNullable<MiddlewareSpec['headers']> {
  const custom = (c: HeaderFilters['request']) => ({ ...c?.set, ...Object.fromEntries((c?.remove ?? []).map((n) => [n, ''])) });
  const request = custom(h.request);
  const response = custom(h.response);
  return {
    ...(Object.keys(request).length > 0 ? { customRequestHeaders: request } : {}),
    ...(Object.keys(response).length > 0 ? { customResponseHeaders: response } : {}),
  };
}
