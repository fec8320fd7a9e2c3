import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { chooseNamed } from '../../estate/named-providers.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { SECRET_STORE, SecretStoreProvider } from '../../estate/services.js';
import { NamedSecretStore, RemoteKey, secretStores } from './store-registry.js';

export interface RequestExternalSecretOptions {
  /**
   * The ClusterSecretStore to read: its name (`'onepassword'`), or the store construct itself.
   * @default - the cluster's SECRET_STORE: its only (or default) store
   */
  readonly store?: string | NamedSecretStore;
}

/**
 * Asks a secret store for a Secret in `consumer`'s namespace and returns its name at once (so env
 * vars can reference it while the cluster is still being declared). Without `store` it asks the
 * cluster's SECRET_STORE (its only or default store); with `store: 'onepassword'` the
 * ClusterSecretStore of that name. The ExternalSecret itself is rendered in the wire phase; a
 * cluster without a (matching) store is a problem on the consumer. Call it from a constructor or a
 * wire hook (not from finalize: the wire phase would be over). Apps stay one-liners:
 * `const secret = requestExternalSecret(this, 'vaultwarden-admin', { ADMIN_TOKEN: { key: 'apps/vaultwarden', property: 'admin-token' } })`.
 */
export function requestExternalSecret(consumer: Component, name: string, data: Record<string, RemoteKey>, options: RequestExternalSecretOptions = {}): string {
  consumer.cluster.onPhase('wire', () => chooseStore(consumer, name, options.store)?.externalSecret({ consumer, name, data }));
  return name;
}

/** The store a consumer reads, or `undefined` (reported). */
function chooseStore(consumer: Component, name: string, choice: string | NamedSecretStore | undefined): SecretStoreProvider | undefined {
  const cluster = consumer.cluster;
  const d = Diagnostics.of(consumer);
  const field = `externalSecrets.${name}`;
  const named: readonly SecretStoreProvider[] = secretStores(cluster);
  // Whatever goes wrong here is this Secret's one error: its readers are not told again.
  const report = (at: string, message: string, fix: string): void => {
    d.error(consumer, at, message, fix);
    recordSelfCheck({ kind: 'secret-reported', component: consumer, name });
  };
  return chooseNamed<SecretStoreProvider>({
    choice,
    named,
    nameOf: (s) => (s as NamedSecretStore).storeName,
    fallback: cluster.service(SECRET_STORE),
    unknown: (wanted, names) => report(`${field}.store`, `asks ClusterSecretStore '${wanted}' for Secret '${name}', but cluster '${cluster.name}' has ${named.length ? `only ${names}` : 'no secret store'}`,
      named.length ? `name one of ${names}, or declare a store named '${wanted}'` : 'add External Secrets and a store construct (OpenBaoSecretStore, OnePasswordConnectStore, BitwardenSecretsManagerStore, VaultSecretStore, KubernetesSecretStore)'),
    noDefault: (names, first) => report(field, `asks the secret store for Secret '${name}', but cluster '${cluster.name}' has no default secret store (${names} set registerService: false)`,
      `name the store to read, e.g. { store: '${(first as NamedSecretStore).storeName}' }, or let one register as the default`),
    none: () => report(field, `asks the secret store for Secret '${name}', but cluster '${cluster.name}' has no secret store`, 'add OpenBao and ExternalSecrets to the cluster, or use a SOPS-encrypted file or an existing Secret instead'),
  });
}
