import { ApiObject } from 'cdk8s';
import { Capability, service } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component, Layer } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { isDnsSubdomain } from '../../estate/names.js';
import { SECRET_STORE } from '../../estate/services.js';
import { SecretPurpose, useSecret } from '../ingress/secrets.js';
import { ExternalSecretRequest, NamedSecretStore, SECRET_STORE_FACT, SecretStoreOperator, secretStores } from './store-registry.js';

/** API version of every External Secrets object rendered here. */
const ESO_API = 'external-secrets.io/v1';

/** Props every ClusterSecretStore construct shares. */
export interface SecretStoreProps {
  /** The External Secrets operator ({@link ExternalSecrets}): the store lives in its namespace, group and layer. */
  readonly operator: SecretStoreOperator;
  /** Name of the ClusterSecretStore (cluster-wide, so unique in the cluster). @default - each store class documents its own */
  readonly storeName?: string;
  /** Layer in the layered layout (synth applies the store after the operator's CRDs either way). @default - the operator's layer */
  readonly layer?: Layer;
  /** How often ExternalSecrets re-read the store. @default '1h' (ESO's own default; a rotated value arrives within the hour) */
  readonly refreshInterval?: string;
  /**
   * Register as the cluster's SECRET_STORE, the default store: `requestExternalSecret` without
   * `store` uses it. A second store sets `false` and its consumers name it (`{ store: 'onepassword' }`).
   * @default true (the cluster's only store is its default; two defaults are a problem)
   */
  readonly registerService?: boolean;
}

/**
 * A Secret a store authenticates with (an API token, credentials), created by you: the cluster
 * README lists it under Prerequisites. It lives in the operator's namespace.
 */
export interface StoreCredentials {
  /** @default - each store documents its own */
  readonly secretName?: string;
  /** @default - each store documents its own */
  readonly key?: string;
  /** SOPS-encrypted manifest of the Secret, relative to the store's folder. @default - you create the Secret */
  readonly sopsFile?: string;
}

/** An ESO `SecretKeySelector` of a ClusterSecretStore (the namespace is required there). */
export interface StoreSecretSelector {
  readonly name: string;
  readonly key: string;
  readonly namespace: string;
}

/**
 * A ClusterSecretStore construct: one External Secrets backend, its own component beside the
 * operator. It registers as the cluster's SECRET_STORE (or, with `registerService: false`, only by
 * name), provides `service('secret-store', <name>)` and renders consumers' ExternalSecrets; every
 * consumer depends on it (derived). Subclasses say how the store reaches its backend.
 */
export abstract class SecretStoreBase extends Component implements NamedSecretStore {
  public readonly component: Component = this;
  public readonly storeName: string;
  public readonly refreshInterval: string;
  public abstract readonly backendName: string;
  protected readonly operator: SecretStoreOperator;

  constructor(cluster: HomelabCluster, id: string, props: SecretStoreProps, defaultStoreName: string) {
    super(cluster, { name: id, namespace: props.operator.namespace, group: props.operator.group, layer: props.layer ?? props.operator.layer });
    this.operator = props.operator;
    this.storeName = props.storeName ?? defaultStoreName;
    this.refreshInterval = props.refreshInterval ?? '1h';
    // A store whose name is taken is reported and stays out of the by-name lookup.
    if (this.checkName()) cluster.ledger.record(SECRET_STORE_FACT, this, this);
    if (props.registerService ?? true) this.registerDefault();
    this.provide(storeCapability(this.storeName));
  }

  /** Renders an ExternalSecret into the consumer's namespace; returns the name of the Secret it creates. */
  public externalSecret(request: ExternalSecretRequest): string {
    const { consumer, name, data } = request;
    const diagnostics = Diagnostics.of(consumer);
    // A problem with this ExternalSecret is its Secret's one error: its readers are not told again.
    const d = {
      error: (scope: Component, at: string, message: string, fix: string): void => {
        diagnostics.error(scope, at, message, fix);
        recordSelfCheck({ kind: 'secret-reported', component: consumer, name });
      },
    };
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
      if (!remote.key) d.error(consumer, `${field}.${key}`, `key '${key}' has no store path`, this.remoteKeyFix());
    }
    const id = `external-secret-${name}`;
    if (consumer.node.tryFindChild(id)) {
      d.error(consumer, field, `ExternalSecret '${name}' is requested twice in '${consumer.name}'`, 'request each Secret once and share its name');
      return name;
    }
    consumer.require(storeCapability(this.storeName), `ExternalSecret '${name}' reads ClusterSecretStore '${this.storeName}'`);
    new ApiObject(consumer, id, {
      apiVersion: ESO_API,
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

  /** How to fill in a remote key, for messages. */
  protected remoteKeyFix(): string {
    return `set key to where the secret lives in ${this.backendName}`;
  }

  /** Renders the ClusterSecretStore with one provider, e.g. `{ onepassword: {…} }`. */
  protected renderStore(provider: Record<string, unknown>): ApiObject {
    return new ApiObject(this, 'store', {
      apiVersion: ESO_API,
      kind: 'ClusterSecretStore',
      metadata: { name: this.storeName },
      spec: { provider },
    });
  }

  /**
   * The Secret the store authenticates with, in the operator's namespace: declared user-provided
   * (README prerequisites) or carried as a SOPS file; returns the selector the provider takes.
   */
  protected credentials(field: string, ref: StoreCredentials | undefined, defaults: { name: string; key: string }, purpose: SecretPurpose): StoreSecretSelector {
    const name = ref?.secretName ?? defaults.name;
    const used = useSecret(this, field, { name, key: ref?.key ?? defaults.key, sopsFile: ref?.sopsFile }, defaults.key, purpose);
    return { name: used.name, key: used.key, namespace: this.namespace };
  }

  /** Reports an unusable value of a required string prop (empty, or not matching `pattern`). */
  protected requireValue(field: string, value: string | undefined, pattern: RegExp, fix: string): void {
    if (typeof value === 'string' && pattern.test(value)) return;
    Diagnostics.of(this).error(this, field, value ? `'${value}' is not a usable ${field}` : `${this.backendName} store '${this.storeName}' needs ${field}`, fix);
  }

  /** Reports an invalid or taken store name; returns whether the name is this store's alone. */
  private checkName(): boolean {
    const d = Diagnostics.of(this);
    if (!isDnsSubdomain(this.storeName)) {
      d.error(this, 'storeName', `'${this.storeName}' is not a valid ClusterSecretStore name`, "use lowercase letters, digits, '-' and '.'");
    }
    const same = secretStores(this.cluster).find((s) => s.storeName === this.storeName);
    if (same) {
      d.error(this, 'storeName', `ClusterSecretStore '${this.storeName}' is already declared by '${same.component.name}' (store names are cluster-wide)`, `give this store its own storeName, e.g. '${this.name}'`);
    }
    return same === undefined;
  }

  /** Registers as the cluster's SECRET_STORE, unless another store is the default already. */
  private registerDefault(): void {
    const current = this.cluster.service(SECRET_STORE)?.component;
    if (current instanceof SecretStoreBase) {
      Diagnostics.of(this).error(this, 'registerService', `cluster '${this.cluster.name}' already has a default secret store ('${(current as SecretStoreBase).storeName}'), and '${this.storeName}' would be a second default`,
        `set registerService: false on '${this.name}' and name it where it is used: requestExternalSecret(app, 'name', data, { store: '${this.storeName}' })`);
      return;
    }
    this.cluster.registerService(SECRET_STORE, this, this);
  }
}

/** The capability a ClusterSecretStore provides and consumers of its ExternalSecrets require. */
export function storeCapability(storeName: string): Capability {
  return service('secret-store', storeName);
}
