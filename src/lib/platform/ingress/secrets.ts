import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsSubdomain } from '../../estate/names.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { SECRET_STORE } from '../../estate/services.js';
import { declareSecretSource, declareUserSecret } from '../../estate/user-secrets.js';

/**
 * A Secret a construct reads (an API token, tunnel credentials), by reference only: the value never
 * appears in the generated tree. The Secret lives in the namespace of the component using it and
 * comes from one of three places: you create it (the default: the cluster README lists it under
 * Prerequisites with the command), a SOPS-encrypted manifest you put in the component's folder
 * creates it, or the cluster's secret store materialises it (ExternalSecret).
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

/** What the Secret holds, for the README of a Secret the user provides. */
export interface SecretPurpose {
  /** What the Secret holds and why the component reads it. @default - "read by '<component>' (<field>)" */
  readonly reason?: string;
  /** Where to get the value. @default - none */
  readonly howTo?: string;
  /** Other keys the component reads from the same Secret. @default [] */
  readonly extraKeys?: readonly string[];
}

/**
 * Resolves a {@link SecretReference} used by `component` under `field`: declares the SOPS file, or
 * asks the secret store (in the wire phase) for an ExternalSecret, or (neither) declares the
 * Secret user-provided so the README lists it with `purpose`; reports misuse. Returns the Secret
 * name and key to reference.
 */
export function useSecret(component: Component, field: string, ref: SecretReference, defaultKey: string, purpose: SecretPurpose = {}): SecretKeyRef {
  const d = Diagnostics.of(component);
  const key = ref.key ?? defaultKey;
  if (!isDnsSubdomain(ref.name)) {
    d.error(component, `${field}.name`, `'${ref.name}' is not a valid Secret name`, "use lowercase letters, digits, '-' and '.'");
    recordSelfCheck({ kind: 'secret-reported', component, name: ref.name });
  }
  if (ref.sopsFile && ref.fromStore) {
    d.error(component, field, `Secret '${ref.name}' cannot come both from the SOPS file '${ref.sopsFile}' and from the secret store`, 'keep either sopsFile or fromStore');
    recordSelfCheck({ kind: 'secret-reported', component, name: ref.name });
  } else if (ref.sopsFile) {
    component.addSopsFile(ref.sopsFile);
    declareSecretSource(component, { name: ref.name, by: `SOPS file ${ref.sopsFile}`, sopsFile: ref.sopsFile });
  } else if (ref.fromStore) {
    const remote = ref.fromStore;
    component.cluster.onPhase('wire', () => {
      const store = component.cluster.service(SECRET_STORE);
      if (!store) {
        d.error(component, `${field}.fromStore`, `Secret '${ref.name}' should come from the secret store, but cluster '${component.cluster.name}' has none`, 'add the secret store (External Secrets) to the cluster, or provide the Secret as a SOPS file (sopsFile)');
        recordSelfCheck({ kind: 'secret-reported', component, name: ref.name });
        return;
      }
      store.externalSecret({ consumer: component, name: ref.name, data: { [key]: { key: remote.key, property: remote.property } } });
    });
  } else if (isDnsSubdomain(ref.name)) {
    // Neither source: the Secret "already exists", i.e. a person creates it; the README says how.
    declareUserSecret(component, {
      name: ref.name,
      keys: [key, ...(purpose.extraKeys ?? [])],
      reason: purpose.reason ?? `read by '${component.name}' (${field})`,
      ...(purpose.howTo ? { howTo: purpose.howTo } : {}),
    });
  }
  return { name: ref.name, key };
}
