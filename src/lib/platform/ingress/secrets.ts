import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsSubdomain } from '../../estate/names.js';
import { SECRET_STORE } from '../../estate/services.js';

/**
 * A Secret a construct reads (an API token, tunnel credentials), by reference only: the value never
 * appears in the generated tree. The Secret lives in the namespace of the component using it and
 * comes from one of three places: it already exists, a SOPS-encrypted manifest you put in the
 * component's folder creates it, or the cluster's secret store materialises it (ExternalSecret).
 */
export interface SecretReference {
  /** Name of the Secret. */
  readonly name: string;
  /** Key inside the Secret. @default - depends on the use (documented where the reference is asked for) */
  readonly key?: string;
  /**
   * SOPS-encrypted manifest of this Secret (`*.sops.yaml`, relative to the component's folder) that
   * Flux decrypts and applies. @default - none
   */
  readonly sopsFile?: string;
  /**
   * Materialise the Secret from the cluster's secret store (External Secrets) at this remote key,
   * optionally one property of it. @default - none
   */
  readonly fromStore?: { readonly key: string; readonly property?: string };
}

/** A resolved Secret key reference. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/**
 * Resolves a {@link SecretReference} used by `component` under `field`: declares the SOPS file, or
 * asks the secret store (in the wire phase) for an ExternalSecret; reports misuse. Returns the
 * Secret name and key to reference.
 */
export function useSecret(component: Component, field: string, ref: SecretReference, defaultKey: string): SecretKeyRef {
  const d = Diagnostics.of(component);
  const key = ref.key ?? defaultKey;
  if (!isDnsSubdomain(ref.name)) {
    d.error(component, `${field}.name`, `'${ref.name}' is not a valid Secret name`, "use lowercase letters, digits, '-' and '.'");
  }
  if (ref.sopsFile && ref.fromStore) {
    d.error(component, field, `Secret '${ref.name}' cannot come both from the SOPS file '${ref.sopsFile}' and from the secret store`, 'keep either sopsFile or fromStore');
  } else if (ref.sopsFile) {
    component.addSopsFile(ref.sopsFile);
  } else if (ref.fromStore) {
    const remote = ref.fromStore;
    component.cluster.onPhase('wire', () => {
      const store = component.cluster.service(SECRET_STORE);
      if (!store) {
        d.error(component, `${field}.fromStore`, `Secret '${ref.name}' should come from the secret store, but cluster '${component.cluster.name}' has none`, 'add the secret store (External Secrets) to the cluster, or provide the Secret as a SOPS file (sopsFile)');
        return;
      }
      store.externalSecret({ consumer: component, name: ref.name, data: { [key]: { key: remote.key, property: remote.property } } });
    });
  }
  return { name: ref.name, key };
}
