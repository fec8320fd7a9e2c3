import { ApiObject } from 'cdk8s';
import { crdGroup, DEFAULT_STORAGE_CLASS, ingressClass, service, storageClass } from '../../../src/lib/estate/capabilities.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { declareSecretSource } from '../../../src/lib/estate/user-secrets.js';
import {
  DatabaseConnection, INGRESS, IngressProvider, MONITORING, MonitoringProvider, POSTGRES, PostgresProvider, REDIS, RedisProvider, RouteSpec, SECRET_STORE,
  SecretStoreProvider, TUNNEL, TunnelProvider,
} from '../../../src/lib/estate/services.js';

/**
 * Small stand-ins for the platform providers (ingress, tunnel, Postgres, Redis, secret store), so the
 * app tests do not depend on the platform constructs. Each renders the minimum a real one would.
 */

export const PROXY_LABELS = { 'app.kubernetes.io/name': 'fake-proxy' };
export const TUNNEL_LABELS = { 'app.kubernetes.io/name': 'fake-tunnel' };
export const PG_LABELS = { 'cnpg.io/cluster': 'pg' };
export const REDIS_LABELS = { 'app.kubernetes.io/name': 'redis' };

export class FakeIngress extends Component implements IngressProvider {
  public readonly implementation = 'fake';
  public readonly component: Component = this;
  public readonly proxyPeer = { namespace: 'ingress', podLabels: PROXY_LABELS };
  public readonly routes: RouteSpec[] = [];
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'ingress', namespace: 'ingress' });
    this.provide(ingressClass('fake'));
    cluster.registerService(INGRESS, this, this);
  }
  public addRoute(route: RouteSpec): void {
    this.routes.push(route);
    new ApiObject(route.component, `route-${route.name}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: route.name, namespace: route.component.namespace, labels: { 'homelab/exposure': route.exposure } },
      spec: {
        ingressClassName: 'fake',
        rules: [{ host: route.hostname, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: route.serviceName, port: { number: route.servicePort } } } }] } }],
      },
    });
  }
}

export class FakeTunnel extends Component implements TunnelProvider {
  public readonly component: Component = this;
  public readonly proxyPeer = { namespace: 'tunnel', podLabels: TUNNEL_LABELS };
  public readonly hostnames: string[] = [];
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'tunnel', namespace: 'tunnel' });
    cluster.registerService(TUNNEL, this, this);
    cluster.onPhase('finalize', () => {
      new ApiObject(this, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tunnel', namespace: 'tunnel' }, data: { hostnames: this.hostnames.join('\n') } });
    });
  }
  public addPublicHostname(route: RouteSpec): void {
    this.hostnames.push(route.hostname);
  }
}

export class FakePostgres extends Component implements PostgresProvider {
  public readonly component: Component = this;
  public readonly requests: { consumer: string; database: string; owner?: string }[] = [];
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'postgres', namespace: 'databases' });
    cluster.registerService(POSTGRES, this, this);
  }
  public addDatabase(request: { consumer: Component; database: string; owner?: string }): DatabaseConnection {
    this.requests.push({ consumer: request.consumer.name, database: request.database, owner: request.owner });
    declareSecretSource(request.consumer, { name: `${request.consumer.name}-db`, by: 'the fake Postgres provider' });
    return {
      host: 'pg-rw.databases.svc.cluster.local',
      port: 5432,
      database: request.database,
      secretName: `${request.consumer.name}-db`,
      server: this,
      serverPeer: { namespace: 'databases', podLabels: PG_LABELS },
    };
  }
}

export class FakeRedis extends Component implements RedisProvider {
  public readonly component: Component = this;
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'redis', namespace: 'databases' });
    cluster.registerService(REDIS, this, this);
  }
  public addClient(request: { consumer: Component }): { host: string; port: number; secretName?: string; serverPeer: { namespace: string; podLabels: Record<string, string> } } {
    declareSecretSource(request.consumer, { name: 'redis-auth', by: 'the fake Redis provider' });
    return { host: 'redis.databases.svc.cluster.local', port: 6379, secretName: 'redis-auth', serverPeer: { namespace: 'databases', podLabels: REDIS_LABELS } };
  }
}

export class FakeSecretStore extends Component implements SecretStoreProvider {
  public readonly component: Component = this;
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'secrets', namespace: 'external-secrets' });
    // One object, so the store has a Kustomization its consumers wait for.
    new ApiObject(this, 'marker', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fake-secret-store', namespace: this.namespace }, data: { store: 'openbao' } });
    this.provide(crdGroup('external-secrets.io'));
    this.provide(service('secret-store', 'openbao'));
    cluster.registerService(SECRET_STORE, this, this);
  }
  public externalSecret(request: { consumer: Component; name: string; data: Record<string, { key: string; property?: string }> }): string {
    new ApiObject(request.consumer, `external-secret-${request.name}`, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: request.name, namespace: request.consumer.namespace },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'openbao' },
        target: { name: request.name },
        data: Object.entries(request.data).map(([secretKey, ref]) => ({ secretKey, remoteRef: { key: ref.key, property: ref.property } })),
      },
    });
    return request.name;
  }
}

/** Storage: the default class `longhorn` and a second class `nfs-storage`. */
export class FakeStorage extends Component {
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'storage', namespace: 'storage' });
    this.provide(DEFAULT_STORAGE_CLASS);
    this.provide(storageClass('longhorn'));
    this.provide(storageClass('nfs-storage'));
  }
}

export class FakeMonitoring extends Component implements MonitoringProvider {
  public readonly component: Component = this;
  public readonly selectorLabels = { release: 'kube-prometheus-stack' };
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'monitoring', namespace: 'monitoring' });
    this.provide(crdGroup('monitoring.coreos.com'));
    cluster.registerService(MONITORING, this, this);
  }
}

/** Adds every fake provider to a cluster. */
export function withPlatform(cluster: HomelabCluster, which: { storage?: boolean; ingress?: boolean; tunnel?: boolean; postgres?: boolean; redis?: boolean; secrets?: boolean } = {}) {
  return {
    storage: which.storage === false ? undefined : new FakeStorage(cluster),
    ingress: which.ingress === false ? undefined : new FakeIngress(cluster),
    tunnel: which.tunnel === false ? undefined : new FakeTunnel(cluster),
    postgres: which.postgres === false ? undefined : new FakePostgres(cluster),
    redis: which.redis === false ? undefined : new FakeRedis(cluster),
    secrets: which.secrets === false ? undefined : new FakeSecretStore(cluster),
  };
}
