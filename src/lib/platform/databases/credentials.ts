import { ApiObject } from 'cdk8s';
import { Component } from '../../estate/component.js';

/**
 * Credentials for data services, never plaintext in Git. The mechanism (documented in this
 * folder's README.md):
 *
 * 1. The server side generates a password once with External Secrets Operator's `Password`
 *    generator: an `ExternalSecret` with `refreshPolicy: CreatedOnce` materialises a
 *    `kubernetes.io/basic-auth` Secret in the server's namespace. Git holds only the request.
 * 2. A consumer in another namespace gets its own copy: a `ServiceAccount` + `SecretStore`
 *    (ESO's Kubernetes provider) in the consumer's namespace that may `get` exactly that one
 *    Secret in the server's namespace (a `Role` + `RoleBinding` there), and an `ExternalSecret`
 *    that templates the keys the consumer needs (username, password, uri…).
 *
 * Both sides need the ESO CRDs (`external-secrets.io`, `generators.external-secrets.io`); the
 * requirement is derived from the objects, so the components depend on the ESO component.
 */

/** API version of ESO's generators. */
export const ESO_GENERATORS_API = 'generators.external-secrets.io/v1alpha1';
/** API version of ESO's stores and external secrets. */
export const ESO_API = 'external-secrets.io/v1';

/** Options of the password generator a server component renders once. */
export interface PasswordGeneratorOptions {
  /** Generator name. */
  readonly name: string;
  /** Password length. @default 32 */
  readonly length?: number;
}

/**
 * A `Password` generator producing alphanumeric passwords (no symbols, so they are safe in
 * connection URIs without escaping).
 */
export function passwordGenerator(component: Component, id: string, options: PasswordGeneratorOptions): ApiObject {
  return new ApiObject(component, id, {
    apiVersion: ESO_GENERATORS_API,
    kind: 'Password',
    metadata: { name: options.name, namespace: component.namespace },
    spec: { length: options.length ?? 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true, encoding: 'raw' },
  });
}

/** A generated credentials Secret in the component's namespace. */
export interface GeneratedSecretOptions {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** Password generator (in the same namespace) to draw from. */
  readonly generator: string;
  /** Username stored beside the password. @default - no username key (password only) */
  readonly username?: string;
  /** Labels on the created Secret (e.g. `cnpg.io/reload`). @default {} */
  readonly labels?: Record<string, string>;
}

/**
 * An ExternalSecret that generates a password once (`refreshPolicy: CreatedOnce`) into a
 * Secret of type `kubernetes.io/basic-auth` (with a username) or `Opaque` (password only).
 */
export function generatedSecret(component: Component, id: string, options: GeneratedSecretOptions): ApiObject {
  const data: Record<string, string> = { password: '{{ .password }}' };
  if (options.username !== undefined) data.username = options.username;
  return new ApiObject(component, id, {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name: options.name, namespace: component.namespace },
    spec: {
      refreshPolicy: 'CreatedOnce',
      target: {
        name: options.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: {
          engineVersion: 'v2',
          type: options.username !== undefined ? 'kubernetes.io/basic-auth' : 'Opaque',
          metadata: { labels: { ...options.labels } },
          data: sortRecord(data),
        },
      },
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: ESO_GENERATORS_API, kind: 'Password', name: options.generator } } }],
    },
  });
}

/** Hands a Secret of a server component to a consumer in (possibly) another namespace. */
export interface ShareSecretOptions {
  /** Component owning the source Secret (gets the Role + RoleBinding). */
  readonly server: Component;
  /** Component receiving the copy (gets the ServiceAccount, SecretStore and ExternalSecret). */
  readonly consumer: Component;
  /** Secret in the server's namespace. */
  readonly sourceSecret: string;
  /** Name of the copy in the consumer's namespace; also names the reader objects. */
  readonly targetName: string;
  /** Keys of the source Secret to read. */
  readonly keys: readonly string[];
  /**
   * Keys of the copy, as ESO templates over the read keys (`{{ .password }}`); literal values are
   * allowed. @default - the read keys, unchanged
   */
  readonly template?: Record<string, string>;
  /** How often ESO re-reads the source (a rotated password propagates). @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * Renders the objects that copy one Secret into a consumer's namespace with least privilege:
 * the consumer's ServiceAccount may `get` only that Secret, only in the server's namespace.
 * Returns the name of the Secret in the consumer's namespace.
 */
export function shareSecret(options: ShareSecretOptions): string {
  const { server, consumer, targetName } = options;
  const reader = `${targetName}-reader`;
  const id = `share-${server.name}-${targetName}`;
  new ApiObject(server, `${id}-role`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: reader, namespace: server.namespace },
    rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [options.sourceSecret], verbs: ['get'] }],
  });
  new ApiObject(server, `${id}-binding`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: reader, namespace: server.namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: reader },
    subjects: [{ kind: 'ServiceAccount', name: reader, namespace: consumer.namespace }],
  });
  new ApiObject(consumer, `${id}-sa`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: reader, namespace: consumer.namespace },
    automountServiceAccountToken: false,
  });
  new ApiObject(consumer, `${id}-store`, {
    apiVersion: ESO_API,
    kind: 'SecretStore',
    metadata: { name: reader, namespace: consumer.namespace },
    spec: {
      provider: {
        kubernetes: {
          remoteNamespace: server.namespace,
          server: { url: 'https://kubernetes.default.svc', caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
          auth: { serviceAccount: { name: reader } },
        },
      },
    },
  });
  const template = options.template ?? Object.fromEntries(options.keys.map((k) => [k, `{{ .${k} }}`]));
  new ApiObject(consumer, `${id}-secret`, {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name: targetName, namespace: consumer.namespace },
    spec: {
      refreshInterval: options.refreshInterval ?? '1h',
      secretStoreRef: { kind: 'SecretStore', name: reader },
      target: {
        name: targetName,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: { engineVersion: 'v2', type: 'Opaque', data: sortRecord(template) },
      },
      data: options.keys.map((k) => ({ secretKey: k, remoteRef: { key: options.sourceSecret, property: k } })),
    },
  });
  return targetName;
}

function sortRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}
