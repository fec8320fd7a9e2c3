import { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { declareUserSecret } from '../estate/user-secrets.js';

/** A key of a Secret that already exists in the app's namespace (created from a SOPS file, by an operator…). */
export interface SecretKeyRef {
  readonly secretKeyRef: {
    readonly name: string;
    readonly key: string;
    /** @default false */
    readonly optional?: boolean;
  };
}

/**
 * A key in the cluster's secret store (OpenBao through External Secrets): the app gets an
 * ExternalSecret materialising it into a Secret in its namespace. Needs a SECRET_STORE provider.
 */
export interface StoreRef {
  readonly fromStore: {
    /** Path of the secret in the store, e.g. `apps/vaultwarden`. */
    readonly key: string;
    /** Property inside that secret. @default - the whole value */
    readonly property?: string;
    /**
     * The ClusterSecretStore to read, by name (e.g. `'onepassword'`), when the cluster has several.
     * @default - the cluster's only (or default) store
     */
    readonly store?: string;
  };
}

/** A field of the pod itself (downward API), e.g. `status.podIP`. */
export interface FieldRef {
  readonly fieldRef: string;
}

/** Where a secret value comes from: an existing Secret or the secret store. Never plaintext. */
export type SecretInput = SecretKeyRef | StoreRef;

/**
 * One environment variable: a plain string (may reference earlier variables as `$(NAME)`), a key of an
 * existing Secret, a key in the secret store, or a pod field.
 */
export type EnvValue = string | SecretKeyRef | StoreRef | FieldRef;

/** Names that say "I hold a credential": their value must not be written in plaintext. */
const SECRET_NAME = /(PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|SIGNING_?KEY|CREDENTIALS?|ENCRYPTION_?KEY|SALT)$/i;
/** A URL with a password in its user info (`scheme://user:password@host`), not a `$(VAR)` reference. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:(?!\$\()[^/\s@]+@/i;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isStoreRef(v: EnvValue): v is StoreRef {
  return typeof v === 'object' && 'fromStore' in v;
}

/**
 * Checks env names and refuses plaintext credentials: a variable named like a password or token must
 * come from a Secret or the secret store.
 */
export function checkEnv(scope: IConstruct, field: string, env: Readonly<Record<string, EnvValue>>): void {
  const d = Diagnostics.of(scope);
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      d.error(scope, `${field}.${name}`, `'${name}' is not a valid environment variable name`, "use letters, digits, '_', '-' and '.', not starting with a digit");
    }
    if (typeof value === 'string' && value !== '' && SECRET_NAME.test(name) && !name.endsWith('_FILE') && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value)) {
      d.error(scope, `${field}.${name}`, `'${name}' looks like a credential but is given as a plaintext value, which would be committed to Git`, `take it from a Secret: ${name}: { secretKeyRef: { name: '<secret>', key: '<key>' } } (a SOPS file or existing Secret), or from the secret store: { fromStore: { key: '<path>' } }`);
    }
    if (typeof value === 'string' && URL_WITH_PASSWORD.test(value)) {
      d.error(scope, `${field}.${name}`, `'${name}' is a URL with a password in it, which would be committed to Git`, `keep the password in a Secret and reference it: ${name}: 'postgres://user:$(DB_PASSWORD)@host/db' with DB_PASSWORD: { secretKeyRef: { name: '<secret>', key: '<key>' } } declared before it`);
    }
    if (typeof value === 'object' && 'secretKeyRef' in value && (!value.secretKeyRef.name || !value.secretKeyRef.key)) {
      d.error(scope, `${field}.${name}`, `the Secret reference of '${name}' needs both a name and a key`, "write { secretKeyRef: { name: 'my-secret', key: 'password' } }");
    }
  }
}

/** The Secret each store's ExternalSecret materialises for an app, by store name (`''`: the default store). */
export type StoreSecrets = ReadonlyMap<string, string>;

/**
 * Renders env entries in order. Store-backed values point at the Secret their store's
 * ExternalSecret materialises (its keys are the variable names).
 */
export function renderEnv(entries: readonly (readonly [string, EnvValue])[], storeSecrets: StoreSecrets): k8s.EnvVar[] {
  return entries.map(([name, value]): k8s.EnvVar => {
    if (typeof value === 'string') return { name, value };
    if ('secretKeyRef' in value) {
      return { name, valueFrom: { secretKeyRef: { name: value.secretKeyRef.name, key: value.secretKeyRef.key, optional: value.secretKeyRef.optional ?? false } } };
    }
    if ('fromStore' in value) {
      const secret = storeSecrets.get(value.fromStore.store ?? '') ?? 'missing-secret-store';
      return { name, valueFrom: { secretKeyRef: { name: secret, key: name, optional: false } } };
    }
    return { name, valueFrom: { fieldRef: { fieldPath: value.fieldRef } } };
  });
}

/**
 * Declares a secret input given as an existing Secret user-provided, so the cluster README lists it
 * under Prerequisites (with the command creating it) and the secret-reference check knows where it
 * comes from. A store reference needs nothing: its ExternalSecret is in the tree.
 */
export function declareSecretInput(component: Component, input: SecretInput | undefined, reason: string): void {
  if (input === undefined || !('secretKeyRef' in input)) return;
  declareUserSecret(component, { name: input.secretKeyRef.name, keys: [input.secretKeyRef.key], reason });
}
