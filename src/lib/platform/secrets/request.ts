import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { SECRET_STORE } from '../../estate/services.js';
import type { RemoteKey } from './store-registry.js';

/**
 * Asks the cluster's secret store for a Secret in `consumer`'s namespace and returns its name at
 * once (so env vars can reference it while the cluster is still being declared). The
 * ExternalSecret itself is rendered in the wire phase; a cluster without a secret store is a
 * problem on the consumer. Call it from a constructor or a wire hook (not from finalize: the wire
 * phase would be over). Apps stay one-liners:
 * `const secret = requestExternalSecret(this, 'vaultwarden-admin', { ADMIN_TOKEN: { key: 'apps/vaultwarden', property: 'admin-token' } })`.
 */
export function requestExternalSecret(consumer: Component, name: string, data: Record<string, RemoteKey>): string {
  consumer.cluster.onPhase('wire', () => {
    const store = consumer.cluster.service(SECRET_STORE);
    if (!store) {
      Diagnostics.of(consumer).error(consumer, `externalSecrets.${name}`, `asks the secret store for Secret '${name}', but cluster '${consumer.cluster.name}' has no secret store`, 'add OpenBao and ExternalSecrets to the cluster, or use a SOPS-encrypted file or an existing Secret instead');
      return;
    }
    store.externalSecret({ consumer, name, data });
  });
  return name;
}
