import type { HomelabCluster } from '../../estate/cluster.js';
import type { Component } from '../../estate/component.js';
import type { SecretStoreProvider } from '../../estate/services.js';
import { FactKind } from '../../model/ledger.js';

/** One key of the Secret an ExternalSecret materialises: where it comes from in the store. */
export interface RemoteKey {
  /**
   * Where the secret lives in the store: a path below the KV mount (OpenBao, Vault: `apps/vaultwarden`),
   * an item title (1Password), a secret UUID or name (Bitwarden), a Secret name (Kubernetes).
   */
  readonly key: string;
  /** Field of that secret (a KV property, a 1Password field label, a Secret key). @default - the whole secret as JSON */
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
 * namespace, group and layer, and authenticates as its ServiceAccount where the backend allows.
 */
export type SecretStoreOperator = Component & {
  readonly serviceAccountName: string;
  /** Whether the chart runs the Bitwarden SDK server (the Bitwarden Secrets Manager store needs it). */
  readonly bitwardenSdkServer?: boolean;
};

/** A ClusterSecretStore consumers can name (`requestExternalSecret(…, { store })`), default or not. */
export interface NamedSecretStore extends SecretStoreProvider {
  /** Name of the ClusterSecretStore. */
  readonly storeName: string;
  /** What messages call the backend: `OpenBao`, `1Password Connect`… */
  readonly backendName: string;
}

/** Ledger fact: a ClusterSecretStore of the cluster (every store construct, default or not). */
export const SECRET_STORE_FACT = new FactKind<NamedSecretStore>('secret store');

/** Every ClusterSecretStore construct of `cluster`, in declaration order. */
export function secretStores(cluster: HomelabCluster): readonly NamedSecretStore[] {
  return cluster.ledger.all(SECRET_STORE_FACT);
}
