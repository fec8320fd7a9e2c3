import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import type { Exposure, RouteRule } from '../estate/services.js';
import { exposeRoute } from '../platform/ingress/exposure.js';
import { allPodPorts, type AppProps } from './app-props.js';
import { runsToCompletion, workloadKind } from './workload-props.js';

/**
 * App's `routes` (types in route-props.ts): each becomes one route object through the platform's
 * `exposeRoute` (platform/ingress/exposure.ts), which checks and claims the hostnames and hands it
 * to the cluster's ingress and tunnel; here the rules' port names become the Service's ports.
 */

/** A port a route sends traffic to, with the exposure of that route (the proxies of each must reach it). */
export interface RouteTarget {
  readonly exposure: Exposure;
  /** The port's name. */
  readonly port: string;
}

/**
 * Hands each of `props.routes` to the platform's `exposeRoute`, its rules' ports resolved to the
 * Service's; `routePort` is the port of rules that name none. Returns the ports each route sends
 * traffic to and the hostnames it serves (empty after a problem).
 */
export function exposeAppRoutes(app: Component, props: AppProps, routePort: string | undefined): { targets: RouteTarget[]; hostnames: string[] } {
  const routes = props.routes ?? [];
  const targets: RouteTarget[] = [];
  const hostnames: string[] = [];
  if (routes.length === 0) return { targets, hostnames };
  const d = Diagnostics.of(app);
  const kind = workloadKind(props.workload);
  if (runsToCompletion(kind)) {
    d.error(app, 'routes', `a ${kind}'s pods run to completion, so nothing can be routed to them`, 'remove routes');
    return { targets, hostnames };
  }
  const ports = allPodPorts(props);
  const published = ports.filter((p) => p.service ?? true);
  routes.forEach((route, i) => {
    const field = `routes[${i}]`;
    const resolve = (name: string | undefined, at: string): number | undefined => {
      if (name === undefined) {
        d.error(app, at, `the app declares no port for route ${field} to send requests to`, "add ports: [{ name: 'http', port: … }], or name the port of each rule");
        return undefined;
      }
      const p = published.find((x) => x.name === name);
      if (!p) {
        const known = ports.some((x) => x.name === name);
        d.error(app, at, known ? `port '${name}' is not published on the app's Service, so no route can reach it` : `no port named '${name}'`, `use one of the Service's ports: ${published.map((x) => x.name).join(', ') || '(none)'}`);
        return undefined;
      }
      return p.servicePort ?? p.port;
    };
    const given = route.rules ?? [{ path: '/' }];
    if (given.length === 0) {
      d.error(app, `${field}.rules`, `route ${field} lists no rule, so it would route nothing`, "leave rules out (every path to the route port), or list at least one, e.g. [{ path: '/' }]");
      return;
    }
    // The route port, resolved (and reported) once, only when a rule names no port of its own.
    let routeServicePort: number | undefined | null = null;
    const defaultPort = (at: string): number | undefined => (routeServicePort === null ? (routeServicePort = resolve(routePort, at)) : routeServicePort);
    const rules: RouteRule[] = [];
    given.forEach((r, j) => {
      const at = `${field}.rules[${j}]`;
      const servicePort = r.port === undefined ? defaultPort(route.rules ? `${at}.port` : `${field}.rules`) : resolve(r.port, `${at}.port`);
      if (servicePort === undefined) return;
      const headers = r.headers ?? route.headers;
      rules.push({
        path: r.path,
        match: r.match ?? 'PathPrefix',
        servicePort,
        ...(headers ? { headers, headersField: r.headers ? `${at}.headers` : `${field}.headers` } : {}),
      });
      targets.push({ exposure: route.expose, port: r.port ?? routePort! });
    });
    if (rules.length !== given.length) return;
    const served = exposeRoute(app, {
      expose: route.expose,
      hostnames: route.hostnames,
      serviceName: app.name,
      port: rules[0].servicePort,
      name: route.name ?? `${app.name}-route-${i + 1}`,
      rules,
      ...(route.annotations ? { annotations: route.annotations } : {}),
      ...(route.labels ? { labels: route.labels } : {}),
      field,
    });
    hostnames.push(...(served ?? []));
  });
  return { targets, hostnames };
}
