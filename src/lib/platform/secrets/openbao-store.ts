import { ApiObject } from 'cdk8s';
import { Capability, service } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsSubdomain } from '../../estate/names.js';
import { SECRET_STORE, SecretStoreProvider } from '../../estate/services.js';
import { OPENBAO, OpenBao } from './openbao.js';

/** One key of the Secret an ExternalSecret materialises: where it comes from in the store. */
export interface RemoteKey {
  /** Path of the secret below the KV mount, e.g. `apps/vaultwarden`. */
  readonly key: string;
  /** Field of that secret. @default - the whole secret as JSON */
  readonly property?: string;
}

/** What a consumer asks the secret store for. */
export interface ExternalSecretRequest {
  readonly consumer: Component;
  /** Name of the ExternalSecret and of the Secret it creates, in the consumer's namespace. */
  readonly name: string;
  /** Secret key → where its value lives in the store. */
  readonly data: Record<string, RemoteKey>;
}

/**
 * The External Secrets operator a store belongs to ({@link ExternalSecrets}): the store shares its
 * namespace, group and layer, and authenticates to OpenBao as its ServiceAccount.
 */
export type SecretStoreOperator = Component & { readonly serviceAccountName: string };

export interface OpenBaoSecretStoreProps {
  /** Name of the ClusterSecretStore. @default 'openbao' */
  readonly storeName?: string;
  /** Layer in the layered layout (synth applies the store after the operator's CRDs either way). @default - the operator's layer */
  readonly layer?: Layer;
  /** OpenBao Kubernetes auth role (and policy) External Secrets logs in with. @default 'external-secrets' */
  readonly role?: string;
  /** Paths below the KV mount External Secrets may read. @default ['*'] */
  readonly readPaths?: readonly string[];
  /** How often ExternalSecrets re-read the store. @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * The ClusterSecretStore of the cluster's OpenBao (Vault-compatible provider, KV v2, Kubernetes
 * auth as the operator's ServiceAccount) and the cluster's SECRET_STORE. It registers its role
 * with OpenBao (the configure script grants it read on the KV paths), depends on OpenBao and on
 * the operator's CRDs (derived), and every consumer of {@link externalSecret} depends on it, so
 * Flux applies: SOPS-decrypted bootstrap token → OpenBao → store → apps' ExternalSecrets.
 */
export class OpenBaoSecretStore extends Component implements SecretStoreProvider {
  public readonly component: Component = this;
  public readonly storeName: string;
  public readonly role: string;
  public readonly refreshInterval: string;
  /** The OpenBao server, once wired. */
  public backend?: OpenBao;

  private readonly operator: SecretStoreOperator;
  private readonly props: OpenBaoSecretStoreProps;

  constructor(cluster: HomelabCluster, id: string, props: OpenBaoSecretStoreProps & { operator: SecretStoreOperator }) {
    super(cluster, { name: id, namespace: props.operator.namespace, group: props.operator.group, layer: props.layer ?? props.operator.layer });
    this.operator = props.operator;
    this.props = props;
    this.storeName = props.storeName ?? 'openbao';
    this.role = props.role ?? 'external-secrets';
    this.refreshInterval = props.refreshInterval ?? '1h';
    cluster.registerService(SECRET_STORE, this, this);
    this.provide(storeCapability(this.storeName));
    cluster.onPhase('wire', () => this.wire());
  }

  /** Renders an ExternalSecret into the consumer's namespace; returns the name of the Secret it creates. */
  public externalSecret(request: ExternalSecretRequest): string {
    const { consumer, name, data } = request;
    const d = Diagnostics.of(consumer);
    const field = `externalSecrets.${name}`;
    if (!isDnsSubdomain(name)) {
      d.error(consumer, field, `'${name}' is not a valid Secret name`, "use lowercase letters, digits, '-' and '.'");
      return name;
    }
    const entries = Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) {
      d.error(consumer, field, `ExternalSecret '${name}' maps no keys`, 'list at least one Secret key and where it lives in the store');
      return name;
    }
    for (const [key, remote] of entries) {
      if (!remote.key) d.error(consumer, `${field}.${key}`, `key '${key}' has no store path`, "set key to the secret's path below the KV mount, e.g. 'apps/vaultwarden'");
    }
    const id = `external-secret-${name}`;
    if (consumer.node.tryFindChild(id)) {
      d.error(consumer, field, `ExternalSecret '${name}' is requested twice in '${consumer.name}'`, 'request each Secret once and share its name');
      return name;
    }
    consumer.require(storeCapability(this.storeName), `ExternalSecret '${name}' reads ClusterSecretStore '${this.storeName}'`);
    new ApiObject(consumer, id, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: consumer.namespace },
      spec: {
        refreshInterval: this.refreshInterval,
        secretStoreRef: { kind: 'ClusterSecretStore', name: this.storeName },
        target: { name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: entries.map(([secretKey, remote]) => ({
          secretKey,
          remoteRef: { key: remote.key, ...(remote.property !== undefined ? { property: remote.property } : {}) },
        })),
      },
    });
    return name;
  }

  private wire(): void {
    const backend = this.cluster.service(OPENBAO);
    if (!backend) {
      Diagnostics.of(this).error(this, 'backend', `the ClusterSecretStore '${this.storeName}' reads OpenBao, but cluster '${this.cluster.name}' has no OpenBao component`, "add new OpenBao(cluster, 'openbao') to the cluster, or create ExternalSecrets with store: false");
      return;
    }
    this.backend = backend;
    this.require(service('openbao', backend.name), `ClusterSecretStore '${this.storeName}' authenticates to OpenBao`);
    backend.addKubernetesAuthRole({
      role: this.role,
      policy: this.role,
      serviceAccount: { name: this.operator.serviceAccountName, namespace: this.operator.namespace },
      readPaths: [...(this.props.readPaths ?? ['*'])],
    });
    new ApiObject(this, 'store', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: this.storeName },
      spec: {
        provider: {
          vault: {
            server: backend.address,
            path: backend.kvMount,
            version: 'v2',
            auth: {
              kubernetes: {
                mountPath: 'kubernetes',
                role: this.role,
                serviceAccountRef: { name: this.operator.serviceAccountName, namespace: this.operator.namespace },
              },
            },
          },
        },
      },
    });
  }
}

/** The capability a ClusterSecretStore provides and consumers of its ExternalSecrets require. */
export function storeCapability(storeName: string): Capability {
  return service('secret-store', storeName);
}
