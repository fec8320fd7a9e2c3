import { ApiObject } from 'cdk8s';
import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { DatabaseConnection, Exposure, INGRESS, MONITORING, REDIS, TUNNEL } from '../estate/services.js';
import { requestDatabase } from '../platform/databases/request-database.js';
import { exposeService } from '../platform/ingress/exposure.js';
import { requestExternalSecret } from '../platform/secrets/request.js';
import { AppPolicyRules } from './app-network-policy.js';
import { exposeAppRoutes, RouteTarget } from './app-routes.js';
import { AppProps, POSTGRES_ENV, PostgresRequest, REDIS_ENV, RedisRequest } from './app-props.js';
import { EnvValue, isStoreRef, StoreSecrets } from './env.js';
import { PeerApp, podsIn, policyPorts } from './network.js';

/**
 * How an App is wired to the cluster's services: its route (ingress, tunnel), its database and
 * Redis (connection variables, egress rules), its metrics scraper and its store-backed secrets.
 * Each function adds to the app's rules and derived variables; none renders the workload.
 */

/** Variables derived from the services the app uses, in the order they were added. */
export type DerivedEnv = [string, EnvValue][];

/** An app as its wiring sees it: a component other apps and proxies can reach. */
export type WiredApp = Component & PeerApp;

/** The port a route targets: its name, container port and Service port. */
export interface RoutePort {
  readonly name: string;
  readonly port: number;
  readonly servicePort: number;
}

/**
 * Hands the routes to the cluster's ingress / tunnel through the platform's `exposeService` (the main
 * hostname and aliases) and `exposeRoute` (`routes`), which validate the hostnames, report duplicates
 * across every construct of the cluster and an exposure the cluster cannot serve. Returns the main
 * hostname (else the first hostname of `routes`) and the ports the routes send traffic to.
 */
export function exposeApp(app: Component, props: AppProps, exposure: Exposure, port: RoutePort | undefined): { hostname?: string; targets: RouteTarget[] } {
  const hostname = exposeMain(app, props, exposure, port);
  const routes = exposeAppRoutes(app, props, port?.name);
  const main = hostname && port ? routeExposures(props, exposure).map((e) => ({ exposure: e, port: port.name })) : [];
  return { hostname: hostname ?? routes.hostnames[0], targets: [...main, ...routes.targets] };
}

/** The main hostname and the aliases (each alias a route object of its own to the same port). */
function exposeMain(app: Component, props: AppProps, exposure: Exposure, port: RoutePort | undefined): string | undefined {
  if (exposure === 'none') {
    if (props.hostname || props.subdomain) Diagnostics.of(app).warn(app, 'hostname-unused', "hostname/subdomain is set but expose is 'none', so no route is made");
    if ((props.aliases ?? []).length > 0) Diagnostics.of(app).error(app, 'aliases', "aliases are set but expose is 'none', so no route is made", "set expose to 'internal' or 'public', or remove aliases");
    return undefined;
  }
  if (!port) return undefined;
  const hostname = exposeService(app, { expose: exposure, hostname: props.hostname, subdomain: props.subdomain, serviceName: app.name, port: port.servicePort, name: app.name });
  (props.aliases ?? []).forEach((alias, i) => {
    const { hostname: aliasHost, expose } = typeof alias === 'string' ? { hostname: alias, expose: exposure } : alias;
    exposeService(app, { expose, hostname: aliasHost, serviceName: app.name, port: port.servicePort, name: `${app.name}-alias-${i + 1}` });
  });
  return hostname;
}

/** The exposures an app's main route and aliases use (the proxies of each must reach the port). */
function routeExposures(props: AppProps, exposure: Exposure): Exposure[] {
  if (exposure === 'none') return [];
  return [exposure, ...(props.aliases ?? []).map((a) => (typeof a === 'string' ? exposure : a.expose))];
}

/**
 * Allows the proxies that carry the routes to reach every port a route sends traffic to: the
 * ingress controller all of them, the tunnel those of public routes (it reaches the app's Service
 * directly on a cluster without ingress).
 */
export function allowRouteProxies(app: WiredApp, targets: readonly RouteTarget[], rules: AppPolicyRules): void {
  if (targets.length === 0) return;
  const portsOf = (list: readonly RouteTarget[]) => policyPorts([...new Set(list.map((t) => t.port))].flatMap((n) => app.portMap.get(n) ?? []));
  const ingress = app.cluster.service(INGRESS);
  const tunnel = app.cluster.service(TUNNEL);
  const publicTargets = targets.filter((t) => t.exposure === 'public');
  if (ingress) rules.ingress.push({ peers: [podsIn(ingress.proxyPeer.namespace, ingress.proxyPeer.podLabels)], ports: portsOf(targets), reason: `ingress (${ingress.implementation})` });
  if (publicTargets.length > 0 && tunnel) rules.ingress.push({ peers: [podsIn(tunnel.proxyPeer.namespace, tunnel.proxyPeer.podLabels)], ports: portsOf(publicTargets), reason: 'tunnel' });
}

/** A ServiceMonitor (and an ingress rule for the scraper) when the cluster has monitoring. */
export function wireMetrics(app: WiredApp, metrics: AppProps['metrics'], rules: AppPolicyRules): void {
  const monitoring = app.cluster.service(MONITORING);
  if (!metrics || !monitoring) return;
  const port = app.portMap.get(metrics.port);
  if (!port || !app.publishedPorts.includes(metrics.port)) {
    Diagnostics.of(app).error(app, 'metrics.port', `metrics port '${metrics.port}' is not a port published on the app's Service`, `use one of: ${app.publishedPorts.join(', ') || '(none)'}`);
    return;
  }
  new ApiObject(app, 'service-monitor', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: app.name, namespace: app.namespace, labels: { ...monitoring.selectorLabels } },
    spec: {
      selector: { matchLabels: { ...app.selectorLabels } },
      namespaceSelector: { matchNames: [app.namespace] },
      endpoints: [{ port: metrics.port, path: metrics.path ?? '/metrics', interval: metrics.interval ?? '60s' }],
    },
  });
  rules.ingress.push({ peers: [podsIn(monitoring.component.namespace)], ports: policyPorts([port]), reason: 'metrics scraping' });
}

/** Asks the platform's PostgreSQL for the app's database; the connection lands in env and egress. */
export function requestPostgres(app: Component, req: PostgresRequest | undefined, rules: AppPolicyRules, env: DerivedEnv): void {
  if (!req) return;
  requestDatabase(app, req.database ?? app.name.replace(/-/g, '_'), {
    owner: req.owner,
    cluster: req.cluster,
    extensions: req.extensions,
    onConnected: (conn) => onPostgres(app, req, conn, rules, env),
  });
}

function onPostgres(app: Component, req: PostgresRequest, conn: DatabaseConnection, rules: AppPolicyRules, derived: DerivedEnv): void {
  app.addDependsOn(conn.server, `uses PostgreSQL database '${conn.database}'`);
  rules.egress.push({ peers: [podsIn(conn.serverPeer.namespace, conn.serverPeer.podLabels)], ports: policyPorts([{ port: conn.port }]), reason: 'postgres' });
  const env = req.env ?? POSTGRES_ENV;
  const user = env.username ?? (env.url ? 'POSTGRES_USER' : undefined);
  const password = env.password ?? (env.url ? 'POSTGRES_PASSWORD' : undefined);
  const add = (name: string | undefined, value: EnvValue) => { if (name) derived.push([name, value]); };
  add(env.host, conn.host);
  add(env.port, String(conn.port));
  add(env.hostPort, `${conn.host}:${conn.port}`);
  add(env.database, conn.database);
  add(user, { secretKeyRef: { name: conn.secretName, key: 'username' } });
  add(password, { secretKeyRef: { name: conn.secretName, key: 'password' } });
  add(env.url, `${req.urlScheme ?? 'postgresql'}://$(${user}):$(${password})@${conn.host}:${conn.port}/${conn.database}`);
}

/** Makes the app a client of the cluster's Redis (wire phase); reports a cluster without one. */
export function wireRedis(app: Component, req: RedisRequest | undefined, rules: AppPolicyRules, derived: DerivedEnv): void {
  if (!req) return;
  const provider = app.cluster.service(REDIS);
  if (!provider) {
    Diagnostics.of(app).error(app, 'redis', `the app asks for Redis but cluster '${app.cluster.name}' has no Redis service`, 'add a Redis component to the cluster, or remove redis');
    return;
  }
  const client = provider.addClient({ consumer: app });
  app.addDependsOn(provider.component, 'uses Redis');
  rules.egress.push({ peers: [podsIn(client.serverPeer.namespace, client.serverPeer.podLabels)], ports: policyPorts([{ port: client.port }]), reason: 'redis' });
  const env = req.env ?? REDIS_ENV;
  if (env.host) derived.push([env.host, client.host]);
  if (env.port) derived.push([env.port, String(client.port)]);
  if (env.hostPort) derived.push([env.hostPort, `${client.host}:${client.port}`]);
  const password = env.password ?? (env.url ? 'REDIS_PASSWORD' : undefined);
  if (password && client.secretName) derived.push([password, { secretKeyRef: { name: client.secretName, key: 'password' } }]);
  // After the password, so the kubelet expands $(…) in the URL.
  if (env.url) derived.push([env.url, client.secretName ? `redis://:$(${password})@${client.host}:${client.port}` : `redis://${client.host}:${client.port}`]);
}

/**
 * One ExternalSecret (through the platform's `requestExternalSecret`) per secret store the pod's
 * variables read: `<app>-env` for the default store, `<app>-env-<store>` for a store named in
 * `fromStore.store`. Returns the Secret each store materialises, by store name (`''`: default).
 */
export function requestStoreSecrets(app: Component, props: AppProps): StoreSecrets {
  const all: [string, EnvValue][] = [
    ...Object.entries(props.env ?? {}),
    ...[...(props.initContainers ?? []), ...(props.sidecars ?? [])].flatMap((c) => Object.entries(c.env ?? {})),
  ];
  const byStore = new Map<string, Record<string, { key: string; property?: string }>>();
  for (const [name, v] of all) {
    if (!isStoreRef(v)) continue;
    const store = v.fromStore.store ?? '';
    byStore.set(store, { ...byStore.get(store), [name]: { key: v.fromStore.key, property: v.fromStore.property } });
  }
  const secrets = new Map<string, string>();
  for (const [store, data] of byStore) {
    const name = store === '' ? `${app.name}-env` : `${app.name}-env-${store}`;
    secrets.set(store, requestExternalSecret(app, name, data, store === '' ? {} : { store }));
  }
  return secrets;
}
