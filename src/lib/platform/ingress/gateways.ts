import {
  Gateway,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../../../imports/gateway.networking.k8s.io.js';
import { gateway } from '../../estate/capabilities.js';
import { HomelabCluster, isIpv4 } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Placement, PlatformComponent, PlatformProps } from '../helm-component.js';
import { Diagnostics, uniqueChildId } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { HeaderChanges, HeaderFilters, hostnamesOf, INGRESS, IngressProvider, RouteSpec, rulesOf, TUNNEL, TunnelOrigin } from '../../estate/services.js';
import { CLOUDFLARE_PROXIED, EXTERNAL_DNS_TARGET, routeMetadata, serviceUrl } from './common.js';
import { DefaultCertificate, defaultTls, ResolvedTls, resolveDefaultCertificate, warnUncoveredHostnames } from './tls.js';
import { acceptRoute } from './exposure.js';

/** Which of the two Gateways. */
export type GatewayRole = 'internal' | 'external';

/** One of the two Gateways. */
export interface GatewayOptions {
  /** Gateway name. @default - the role: 'internal' or 'external' */
  readonly name?: string;
  /** LoadBalancer IP, rendered as `spec.addresses` (seed 003: internal 10.0.50.101, external 10.0.50.102). @default - assigned by the load balancer */
  readonly address?: string;
  /**
   * In-cluster Service the implementation creates for this Gateway (what a tunnel forwards to).
   * @default - `cilium-gateway-<name>` with the `cilium` class; otherwise none, and a tunnel forwards to the address
   */
  readonly serviceName?: string;
}

/** Props of {@link Gateways}; namespace, group and layer default to {@link Gateways.placement}. */
export interface GatewaysProps extends PlatformProps {
  /** GatewayClass implementing them. @default 'cilium' (Cilium's Gateway API support) */
  readonly gatewayClassName?: string;
  /** The Gateway for the home network. @default { name: 'internal' } */
  readonly internal?: GatewayOptions;
  /** The Gateway behind the public path (tunnel, port forward). @default { name: 'external' } */
  readonly external?: GatewayOptions;
  /**
   * Certificate of the HTTPS listeners.
   * @default - a wildcard certificate from the cluster's default issuer when the cluster has CertManager, else HTTP listeners only
   */
  readonly defaultCertificate?: DefaultCertificate;
}

interface ResolvedGateway {
  readonly role: GatewayRole;
  readonly name: string;
  readonly address?: string;
  readonly serviceName?: string;
}

/**
 * Gateway API entry points: an `internal` and an `external` Gateway (gateway.networking.k8s.io/v1)
 * whose listeners serve `*.<domain>` and `<domain>` over HTTP and, with a certificate, HTTPS; each on
 * its LoadBalancer IP. It is the cluster's INGRESS service: an app route becomes an `HTTPRoute`
 * attached to the internal Gateway (`expose: 'internal'`) or the external one (`'public'`).
 * The Gateway API CRDs and the controller come from the GatewayClass's implementation (Cilium by
 * default), which this component then depends on.
 */
export class Gateways extends PlatformComponent implements IngressProvider {
  /**
   * Namespace 'network' (of the Gateways and their certificate; Pod Security 'restricted'), group
   * 'network', layer 'platform' (in the layered layout the Gateways are applied by the apps layer,
   * after the Gateway API CRDs).
   */
  public static readonly placement: Placement = { namespace: { name: 'network', podSecurity: 'restricted' }, group: 'network' };
  public readonly implementation = 'gateway-api';
  public readonly component: Component = this;
  public readonly gatewayClassName: string;
  public readonly internal: ResolvedGateway;
  public readonly external: ResolvedGateway;
  public readonly proxyPeer: { namespace: string; podLabels: Record<string, string> };
  public readonly routeObjects = { kind: 'HTTPRoute', description: 'HTTPRoutes', externalDnsSources: ['gateway-httproute'] } as const;

  constructor(cluster: HomelabCluster, id: string, private readonly props: GatewaysProps = {}) {
    super(cluster, id, props, Gateways.placement);
    this.gatewayClassName = props.gatewayClassName ?? 'cilium';
    this.internal = this.resolveGateway('internal', props.internal);
    this.external = this.resolveGateway('external', props.external);
    if (this.internal.name === this.external.name) {
      Diagnostics.of(this).error(this, 'external.name', `both Gateways are named '${this.internal.name}'`, 'give the internal and external Gateways different names');
    }
    if (this.internal.address && this.internal.address === this.external.address) {
      Diagnostics.of(this).error(this, 'external.address', `both Gateways ask for ${this.internal.address}`, 'give each Gateway its own LoadBalancer IP');
      recordSelfCheck({ kind: 'address-reported', component: this, address: this.internal.address });
    }
    // Cilium's Gateway traffic leaves from its Envoy proxy; other implementations run their own proxy pods.
    this.proxyPeer = this.gatewayClassName === 'cilium'
      ? { namespace: 'kube-system', podLabels: { 'k8s-app': 'cilium-envoy' } }
      : { namespace: this.namespace, podLabels: { 'gateway.networking.k8s.io/gateway-name': this.external.name } };
    this.provide(gateway(this.namespace, this.internal.name));
    this.provide(gateway(this.namespace, this.external.name));
    cluster.registerService(INGRESS, this, this);
    cluster.onPhase('wire', () => this.render());
  }

  /** LoadBalancer IPs the Gateways ask for, by Gateway name (for address pools). */
  public get loadBalancerIps(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const g of [this.internal, this.external]) if (g.address) out[g.name] = g.address;
    return out;
  }

  /** The Gateway a route of this exposure attaches to. */
  public gatewayFor(exposure: RouteSpec['exposure']): ResolvedGateway {
    return exposure === 'public' ? this.external : this.internal;
  }

  /**
   * One HTTPRoute per route, on the Gateway of its exposure: every hostname in `hostnames`, a rule per
   * path rule (Gateway API ranks them itself: Exact, then the longest prefix; they are written in that
   * order anyway), header filters as `RequestHeaderModifier` / `ResponseHeaderModifier`
   * (https://gateway-api.sigs.k8s.io/guides/http-header-modifier/).
   */
  public addRoute(route: RouteSpec): void {
    if (!acceptRoute(route, this.routeObjects.kind)) return;
    warnUncoveredHostnames(route, defaultTls(this, this.props.defaultCertificate));
    const gw = this.gatewayFor(route.exposure);
    new HttpRoute(route.component, uniqueChildId(route.component, `httproute-${route.name}`, 'route'), {
      metadata: { name: route.name, namespace: route.component.namespace, ...routeMetadata(this.cluster, route) },
      spec: {
        // No sectionName: the route attaches to every listener (HTTP and HTTPS) whose hostname matches.
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gw.name, namespace: this.namespace }],
        hostnames: [...hostnamesOf(route)],
        rules: rulesOf(route).map((r) => {
          const filters = headerFilters(r.headers);
          return {
            matches: [{ path: { type: r.match === 'Exact' ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: r.path } }],
            ...(filters.length > 0 ? { filters } : {}),
            backendRefs: [{ group: '', kind: 'Service', name: route.serviceName, port: r.servicePort, weight: 1 }],
          };
        }),
      },
    });
  }

  public originFor(route: RouteSpec, hostname: string = route.hostname): TunnelOrigin {
    // The HTTP listener serves every route without redirecting, so the in-cluster hop stays plain HTTP.
    const gw = this.gatewayFor(route.exposure);
    if (gw.serviceName) return { url: serviceUrl('http', gw.serviceName, this.namespace, 80) };
    if (gw.address) return { url: `http://${gw.address}:80` };
    Diagnostics.of(this).error(this, `${gw.role}.serviceName`, `a tunnel must forward '${hostname}' to the ${gw.role} Gateway, but neither its Service name nor its address is known for GatewayClass '${this.gatewayClassName}'`, `set ${gw.role}.serviceName (the Service your Gateway implementation creates) or ${gw.role}.address`);
    return { url: `http://${gw.name}.${this.namespace}.svc.cluster.local:80` };
  }

  private resolveGateway(role: GatewayRole, o: GatewayOptions | undefined): ResolvedGateway {
    const name = o?.name ?? role;
    if (!isDnsLabel(name)) Diagnostics.of(this).error(this, `${role}.name`, `'${name}' is not a valid Gateway name`, "use lowercase letters, digits and '-'");
    if (o?.address !== undefined && !isIpv4(o.address)) {
      Diagnostics.of(this).error(this, `${role}.address`, `'${o.address}' is not an IPv4 address`, 'write the address as four dot-separated numbers, e.g. 10.0.50.101');
    }
    const serviceName = o?.serviceName ?? (this.gatewayClassName === 'cilium' ? `cilium-gateway-${name}` : undefined);
    return { role, name, address: o?.address, serviceName };
  }

  /** The certificate and both Gateways (wire phase, once every component is declared). */
  private render(): void {
    const tls = resolveDefaultCertificate(this, 'defaultCertificate', this.props.defaultCertificate);
    const tunnelTarget = this.cluster.service(TUNNEL)?.dnsTarget;
    for (const gw of [this.internal, this.external]) {
      // external-dns reads a Gateway's target annotation for the routes attached to it.
      const annotations = gw.role === 'external' && tunnelTarget ? { [EXTERNAL_DNS_TARGET]: tunnelTarget, [CLOUDFLARE_PROXIED]: 'true' } : undefined;
      new Gateway(this, `gateway-${gw.role}`, {
        metadata: { name: gw.name, namespace: this.namespace, ...(annotations ? { annotations } : {}) },
        spec: {
          gatewayClassName: this.gatewayClassName,
          ...(gw.address && isIpv4(gw.address) ? { addresses: [{ type: 'IPAddress', value: gw.address }] } : {}),
          listeners: this.listeners(tls),
        },
      });
    }
  }

  /** HTTP (and with a certificate HTTPS) listeners for `*.<domain>` and `<domain>`, open to routes of every namespace. */
  private listeners(tls: ResolvedTls | undefined): GatewaySpecListeners[] {
    const domain = this.cluster.domain;
    const allowedRoutes = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } };
    const hosts = [{ suffix: '', hostname: `*.${domain}` }, { suffix: '-apex', hostname: domain }];
    const out: GatewaySpecListeners[] = hosts.map((h) => ({ name: `http${h.suffix}`, protocol: 'HTTP', port: 80, hostname: h.hostname, allowedRoutes }));
    if (tls) {
      const terminate = { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: tls.secretName }] };
      out.push(...hosts.map((h) => ({ name: `https${h.suffix}`, protocol: 'HTTPS', port: 443, hostname: h.hostname, tls: terminate, allowedRoutes })));
    }
    return out;
  }
}

/** Header filters as HTTPRoute filters: one modifier per direction that changes anything. */
function headerFilters(h: HeaderFilters | undefined): HttpRouteSpecRulesFilters[] {
  const modifier = (c: HeaderChanges | undefined) => {
    const pairs = (m: Readonly<Record<string, string>> | undefined) => Object.entries(m ?? {}).map(([name, value]) => ({ name, value }));
    const out = {
      ...(Object.keys(c?.set ?? {}).length > 0 ? { set: pairs(c?.set) } : {}),
      ...(Object.keys(c?.add ?? {}).length > 0 ? { add: pairs(c?.add) } : {}),
      ...((c?.remove ?? []).length > 0 ? { remove: [...c!.remove!] } : {}),
    };
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const request = modifier(h?.request);
  const response = modifier(h?.response);
  return [
    ...(request ? [{ type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: request }] : []),
    ...(response ? [{ type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER, responseHeaderModifier: response }] : []),
  ];
}
