import { ApiObject, Lazy } from 'cdk8s';
import { service } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { Hardening, hardenedContainerSecurityContext, hardenedPodFields } from '../../estate/hardened-pod.js';
import { isDnsLabel, isDnsSubdomain } from '../../estate/names.js';
import { parseCpu, parseMemory } from '../../estate/quantity.js';
import { REDIS, RedisProvider } from '../../estate/services.js';
import { Placement, PlatformComponent, PlatformProps } from '../helm-component.js';
import { ImageRef } from './cluster-spec.js';
import { generatedSecret, passwordGenerator, shareSecret } from './credentials.js';
import { declareSecretSource, declareUserSecret } from '../../estate/user-secrets.js';

/** Redis server image (official image, Alpine variant; started as `redis-server` directly). */
// renovate: datasource=docker depName=docker.io/library/redis
export const REDIS_IMAGE = { repository: 'docker.io/library/redis', tag: '8.2.2-alpine' };

/** Port every Redis instance listens on. */
export const REDIS_PORT = 6379;
/** Capability kind consumers depend on: `service('redis', <instance name>)`. */
export const REDIS_SERVICE_KIND = 'redis';

/** UID/GID of the `redis` user in the official image. */
const REDIS_UID = 999;
/** The `redis` user, nothing relaxed: only `/data` is writable. */
const REDIS_HARDENING: Hardening = { runAsUser: REDIS_UID, runAsGroup: REDIS_UID, fsGroup: REDIS_UID };

/** A password kept in an existing Secret of the Redis namespace (or a SOPS file the component carries). */
export interface RedisExistingSecret {
  readonly secretName: string;
  /** @default 'password' */
  readonly key?: string;
  /** SOPS-encrypted manifest of that Secret, relative to the component's manifest folder. @default - the Secret exists already */
  readonly sopsFile?: string;
}

/**
 * How clients authenticate:
 * - `'generated'`: a password generated in-cluster by External Secrets Operator, copied into each
 *   consumer's namespace (like PostgreSQL credentials).
 * - an existing Secret (or SOPS file): the same, with your password.
 * - `'none'`: no password; only the NetworkPolicy (consumers' namespaces only) protects the
 *   instance, so use it only with a CNI that enforces NetworkPolicies (Cilium, Calico, k3s).
 */
export type RedisAuth = 'generated' | 'none' | RedisExistingSecret;

export interface RedisResources {
  /** @default '50m' */
  readonly cpuRequest?: string;
  /** @default '64Mi' */
  readonly memoryRequest?: string;
  /** @default - no CPU limit */
  readonly cpuLimit?: string;
  /** @default '256Mi' */
  readonly memoryLimit?: string;
}

/** Props of {@link Redis}; namespace, group and layer default to {@link Redis.placement}. */
export interface RedisProps extends PlatformProps {
  /** `shared`: one instance for every consumer; `per-consumer`: one instance each. @default 'shared' */
  readonly mode?: 'shared' | 'per-consumer';
  /** @default 'generated' */
  readonly auth?: RedisAuth;
  /** @default REDIS_IMAGE */
  readonly image?: ImageRef;
  /** Keep RDB snapshots on a volume (restarts keep the data). @default true */
  readonly persistence?: boolean;
  /** StorageClass of the snapshot volume. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Snapshot volume size. @default '1Gi' */
  readonly storageSize?: string;
  /** Redis `maxmemory`; keep it below the memory limit. @default '192mb' */
  readonly maxMemory?: string;
  /** Redis `maxmemory-policy`. @default 'noeviction' (locks and queues must not vanish; use 'allkeys-lru' for a pure cache) */
  readonly maxMemoryPolicy?: 'noeviction' | 'allkeys-lru' | 'volatile-lru' | 'allkeys-lfu' | 'volatile-lfu' | 'allkeys-random' | 'volatile-random' | 'volatile-ttl';
  /** Per-instance requests and limits. @default - 50m / 64Mi requested, 256Mi memory limit */
  readonly resources?: RedisResources;
  /** Ingress NetworkPolicy: only consumers' namespaces reach port 6379. @default true */
  readonly networkPolicy?: boolean;
  /** Register as the cluster's REDIS service. @default true */
  readonly registerService?: boolean;
}

type RedisClient = ReturnType<RedisProvider['addClient']>;

interface Instance {
  readonly name: string;
  readonly passwordSecret?: { name: string; key: string };
  readonly consumers: Component[];
}

/**
 * Redis as a data service: a hardened single-replica StatefulSet per instance (non-root, read-only
 * root filesystem, every capability dropped, no service-account token, writable `/data` volume
 * only), a Service and an ingress NetworkPolicy. One shared instance or one per consumer, by
 * declaration; consumers get a Secret in their own namespace with `password`, `host`, `port`, `uri`.
 */
export class Redis extends PlatformComponent implements RedisProvider {
  /**
   * Namespace 'redis' (Pod Security 'restricted', prune-protected: the snapshots live there), group
   * 'databases', layer 'platform', or 'apps' in the layered layout (its ExternalSecrets need the
   * ESO CRDs the platform layer installs).
   */
  public static placement(cluster: HomelabCluster): Placement {
    const layer = cluster.flux.layout === 'layered' ? 'apps' : 'platform';
    return { namespace: { name: 'redis', podSecurity: 'restricted', pruneProtected: true }, group: 'databases', layer };
  }

  public readonly component: Component = this;
  public readonly mode: 'shared' | 'per-consumer';
  public readonly auth: RedisAuth;
  private readonly props: RedisProps;
  private readonly instances = new Map<string, Instance>();
  private readonly clients = new Map<Component, RedisClient>();

  constructor(cluster: HomelabCluster, id: string, props: RedisProps = {}) {
    super(cluster, id, props, Redis.placement(cluster));
    this.props = props;
    this.mode = props.mode ?? 'shared';
    this.auth = props.auth ?? 'generated';
    this.validate();
    if (this.auth === 'generated') passwordGenerator(this, 'password-generator', { name: `${id}-password` });
    if (typeof this.auth === 'object' && this.auth.sopsFile) {
      this.addSopsFile(this.auth.sopsFile);
      declareSecretSource(this, { name: this.auth.secretName, by: `SOPS file ${this.auth.sopsFile}`, sopsFile: this.auth.sopsFile });
    }
    if (this.mode === 'shared') this.instance(id);
    if (props.registerService ?? true) cluster.registerService(REDIS, this, this);
  }

  /** Connects `consumer` to its Redis instance (creating it in per-consumer mode). */
  public addClient(request: { consumer: Component }): RedisClient {
    const { consumer } = request;
    const known = this.clients.get(consumer);
    if (known) return known;
    if (consumer.cluster !== this.cluster) {
      Diagnostics.of(consumer).error(consumer, 'redis', `asks Redis '${this.name}' of cluster '${this.cluster.name}' for an instance, but belongs to cluster '${consumer.cluster.name}'`, 'use a Redis of the same Kubernetes cluster');
    }
    const instance = this.instance(this.mode === 'shared' ? this.name : `${this.name}-${consumer.name}`);
    instance.consumers.push(consumer);
    consumer.require(service(REDIS_SERVICE_KIND, instance.name), `uses Redis instance '${instance.name}'`);
    const host = `${instance.name}.${this.namespace}.svc`;
    let secretName: string | undefined;
    if (instance.passwordSecret && consumer.cluster === this.cluster) {
      const { name, key } = instance.passwordSecret;
      secretName = shareSecret({
        server: this,
        consumer,
        sourceSecret: name,
        targetName: `${this.name}-${consumer.name}-credentials`,
        keys: [key],
        template: {
          password: `{{ index . "${key}" }}`,
          host,
          port: String(REDIS_PORT),
          uri: `redis://:{{ index . "${key}" }}@${host}:${REDIS_PORT}`,
        },
      });
    }
    const client: RedisClient = { host, port: REDIS_PORT, secretName, serverPeer: { namespace: this.namespace, podLabels: instanceLabels(instance.name) } };
    this.clients.set(consumer, client);
    return client;
  }

  /** Names of the rendered instances. */
  public get instanceNames(): string[] {
    return [...this.instances.keys()];
  }

  private instance(name: string): Instance {
    const existing = this.instances.get(name);
    if (existing) return existing;
    let passwordSecret: Instance['passwordSecret'];
    if (this.auth === 'generated') {
      passwordSecret = { name: `${name}-password`, key: 'password' };
      generatedSecret(this, `${name}-password`, { name: passwordSecret.name, generator: `${this.name}-password` });
    } else if (typeof this.auth === 'object') {
      passwordSecret = { name: this.auth.secretName, key: this.auth.key ?? 'password' };
      // Without a SOPS file the Secret is yours to create; the README lists it.
      if (!this.auth.sopsFile && isDnsSubdomain(passwordSecret.name)) {
        declareUserSecret(this, { name: passwordSecret.name, keys: [passwordSecret.key], reason: `password of Redis instance '${name}' (clients get a copy in their namespace)` });
      }
    }
    const instance: Instance = { name, passwordSecret, consumers: [] };
    this.instances.set(name, instance);
    this.renderInstance(instance);
    this.provide(service(REDIS_SERVICE_KIND, name));
    return instance;
  }

  private renderInstance(instance: Instance): void {
    const { name } = instance;
    const labels = instanceLabels(name);
    const r = this.resources();
    const persistence = this.props.persistence ?? true;
    new ApiObject(this, `${name}-service`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: this.namespace, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'redis', port: REDIS_PORT, targetPort: 'redis', protocol: 'TCP' }] },
    });
    const env = instance.passwordSecret
      ? [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: instance.passwordSecret.name, key: instance.passwordSecret.key } } }]
      : [];
    const args = [
      '--port', String(REDIS_PORT),
      '--dir', '/data',
      '--protected-mode', instance.passwordSecret ? 'yes' : 'no',
      '--maxmemory', this.props.maxMemory ?? '192mb',
      '--maxmemory-policy', this.props.maxMemoryPolicy ?? 'noeviction',
      '--appendonly', 'no',
      ...(persistence ? ['--save', '300', '10'] : ['--save', '']),
      // Kubernetes expands $(REDIS_PASSWORD) from the Secret-backed env var; Git never sees it.
      ...(instance.passwordSecret ? ['--requirepass', '$(REDIS_PASSWORD)'] : []),
    ];
    const limits: Record<string, string> = { memory: r.memoryLimit };
    if (r.cpuLimit) limits.cpu = r.cpuLimit;
    new ApiObject(this, `${name}-statefulset`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: this.namespace, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...hardenedPodFields(REDIS_HARDENING, { repeatOnContainers: false }),
            containers: [{
              name: 'redis',
              image: `${this.image.repository}:${this.image.tag}`,
              imagePullPolicy: 'IfNotPresent',
              // redis-server directly: the image's entrypoint script is for root starts.
              command: ['redis-server'],
              args,
              env,
              ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 10, timeoutSeconds: 2 },
              livenessProbe: { tcpSocket: { port: 'redis' }, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 2 },
              resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits },
              securityContext: hardenedContainerSecurityContext(REDIS_HARDENING, { repeatOnContainers: false }),
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            }],
            volumes: persistence ? undefined : [{ name: 'data', emptyDir: { sizeLimit: this.props.storageSize ?? '1Gi' } }],
          },
        },
        volumeClaimTemplates: persistence
          ? [{
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: this.props.storageClass, resources: { requests: { storage: this.props.storageSize ?? '1Gi' } } },
          }]
          : undefined,
      },
    });
    if (this.props.networkPolicy ?? true) {
      new ApiObject(this, `${name}-network-policy`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: this.namespace },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ['Ingress'],
          ingress: Lazy.any({
            produce: () => {
              const namespaces = [...new Set(instance.consumers.map((c) => c.namespace))].sort();
              if (namespaces.length === 0) return [];
              return [{
                from: namespaces.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
                ports: [{ protocol: 'TCP', port: REDIS_PORT }],
              }];
            },
          }),
        },
      });
    }
    this.addWorkload({ name: `redis-${name}`, replicas: 1, cpuRequest: r.cpuRequest, memoryRequest: r.memoryRequest, cpuLimit: r.cpuLimit, memoryLimit: r.memoryLimit });
  }

  /** The image to render: an unpinned one is reported (see validate) and replaced by the pin. */
  private get image(): ImageRef {
    const image = this.props.image ?? REDIS_IMAGE;
    return isPinnedTag(image.tag) ? image : REDIS_IMAGE;
  }

  private resources(): Required<Omit<RedisResources, 'cpuLimit'>> & Pick<RedisResources, 'cpuLimit'> {
    const r = this.props.resources;
    return { cpuRequest: r?.cpuRequest ?? '50m', memoryRequest: r?.memoryRequest ?? '64Mi', cpuLimit: r?.cpuLimit, memoryLimit: r?.memoryLimit ?? '256Mi' };
  }

  private validate(): void {
    const d = Diagnostics.of(this);
    const image = this.props.image ?? REDIS_IMAGE;
    if (!isPinnedTag(image.tag)) {
      d.error(this, 'image.tag', `Redis image tag '${image.tag}' is not a pinned version`, `pin a versioned tag such as '${REDIS_IMAGE.tag}'`);
    }
    if (typeof this.auth === 'object') {
      if (!isDnsSubdomain(this.auth.secretName ?? '')) {
        d.error(this, 'auth.secretName', `'${this.auth.secretName}' is not a valid Secret name`, "name the existing Secret holding the password, e.g. 'redis-password'");
        recordSelfCheck({ kind: 'secret-reported', component: this, name: this.auth.secretName ?? '' });
      }
    }
    if (this.mode === 'per-consumer' && !isDnsLabel(`${this.name}-x`)) d.error(this, 'name', `'${this.name}' is too long to prefix per-consumer instances`, 'use a shorter component name');
    const r = this.resources();
    if (!(parseCpu(r.cpuRequest)! > 0)) d.error(this, 'resources.cpuRequest', `'${r.cpuRequest}' is not a CPU quantity`, "write e.g. '50m'");
    if (!(parseMemory(r.memoryRequest)! > 0)) d.error(this, 'resources.memoryRequest', `'${r.memoryRequest}' is not a memory quantity`, "write e.g. '64Mi'");
    if (!(parseMemory(r.memoryLimit)! > 0)) d.error(this, 'resources.memoryLimit', `'${r.memoryLimit}' is not a memory quantity`, "write e.g. '256Mi'");
    const maxMemory = this.props.maxMemory ?? '192mb';
    const mm = /^([0-9]+)(kb|mb|gb)$/i.exec(maxMemory);
    if (!mm) {
      d.error(this, 'maxMemory', `'${maxMemory}' is not a Redis memory size`, "write e.g. '192mb' or '1gb'");
    } else {
      const bytes = Number(mm[1]) * ({ kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30 } as Record<string, number>)[mm[2].toLowerCase()];
      const limit = parseMemory(r.memoryLimit);
      if (limit !== undefined && bytes >= limit) d.error(this, 'maxMemory', `maxmemory ${maxMemory} is not below the memory limit ${r.memoryLimit}: the kernel would kill Redis before it evicts or refuses writes`, 'lower maxMemory to about 75% of the limit, or raise resources.memoryLimit');
    }
  }
}

function isPinnedTag(tag: string): boolean {
  return /^[0-9]/.test(tag ?? '');
}

/** Pod labels of one Redis instance. */
export function instanceLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': name };
}
