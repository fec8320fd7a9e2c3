import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../../estate/cluster.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';
import { SecretStoreBase, SecretStoreProps, StoreCredentials } from './secret-store.js';

/**
 * ClusterSecretStores for backends ESO talks to with Kubernetes means: a Vault (or OpenBao) server
 * you run elsewhere, and a namespace of Kubernetes Secrets (in this cluster) read through a
 * least-privilege ServiceAccount.
 */

/** How the Vault store logs in. */
export type VaultAuth =
  /** A Vault token in a Secret you create. @default secret 'vault-token', key 'token' */
  | { readonly token: StoreCredentials }
  /** Vault's Kubernetes auth method, as the operator's ServiceAccount. */
  | { readonly kubernetes: { readonly role: string; /** @default 'kubernetes' (Vault's default mount) */ readonly mountPath?: string } };

/** Props of {@link VaultSecretStore}. */
export interface VaultSecretStoreProps extends SecretStoreProps {
  /** Name of the ClusterSecretStore. @default 'vault' */
  readonly storeName?: string;
  /** Vault's address, e.g. `'https://vault.example.com:8200'`. */
  readonly server: string;
  /** Mount path of the KV engine. @default 'secret' (Vault's dev-mode and common KV mount) */
  readonly path?: string;
  /** KV engine version. @default 'v2' (what `vault secrets enable -path=secret kv-v2` and dev mode create) */
  readonly version?: 'v1' | 'v2';
  /** Vault Enterprise / OpenBao namespace. @default - none (the root namespace) */
  readonly vaultNamespace?: string;
  readonly auth: VaultAuth;
  /** A CA bundle to trust for `server` (key of a Secret). @default - the system roots */
  readonly ca?: StoreCredentials;
}

/** A ClusterSecretStore reading a Vault (or OpenBao) server you run elsewhere (ESO's `vault` provider). */
export class VaultSecretStore extends SecretStoreBase {
  public readonly backendName = 'Vault';

  constructor(cluster: HomelabCluster, id: string, props: VaultSecretStoreProps) {
    super(cluster, id, props, 'vault');
    this.requireValue('server', props.server, /^https?:\/\/\S+$/, "give Vault's address, e.g. 'https://vault.example.com:8200'");
    const path = props.path ?? 'secret';
    this.requireValue('path', path, /^[A-Za-z0-9_-][A-Za-z0-9_/-]*$/, "give the KV mount path, e.g. 'secret'");
    this.renderStore({
      vault: {
        server: props.server,
        path,
        version: props.version ?? 'v2',
        ...(props.vaultNamespace ? { namespace: props.vaultNamespace } : {}),
        ...(props.ca ? { caProvider: { type: 'Secret', ...this.credentials('ca', props.ca, { name: `${this.storeName}-ca`, key: 'ca.crt' }, { reason: `CA bundle of Vault ${props.server}` }) } } : {}),
        auth: this.auth(props),
      },
    });
  }

  protected remoteKeyFix(): string {
    return "set key to the secret's path below the KV mount, e.g. 'apps/vaultwarden'";
  }

  private auth(props: VaultSecretStoreProps): Record<string, unknown> {
    const auth = props.auth as Partial<{ token: StoreCredentials; kubernetes: { role: string; mountPath?: string } }> | undefined;
    if (auth?.kubernetes) {
      this.requireValue('auth.kubernetes.role', auth.kubernetes.role, /^\S+$/, "give the Vault role bound to the operator's ServiceAccount, e.g. 'external-secrets'");
      const sa = { name: this.operator.serviceAccountName, namespace: this.operator.namespace };
      return { kubernetes: { mountPath: auth.kubernetes.mountPath ?? 'kubernetes', role: auth.kubernetes.role, serviceAccountRef: sa } };
    }
    if (!auth?.token) {
      Diagnostics.of(this).error(this, 'auth', `Vault store '${this.storeName}' has no way to log in`, "set auth: { token: {} } (Secret 'vault-token') or auth: { kubernetes: { role: 'external-secrets' } }");
    }
    const tokenSecretRef = this.credentials('auth.token', auth?.token, { name: 'vault-token', key: 'token' }, { reason: `Vault token of ClusterSecretStore '${this.storeName}' (read on the KV paths apps use)` });
    return { tokenSecretRef };
  }
}

/** Props of {@link KubernetesSecretStore}. */
export interface KubernetesSecretStoreProps extends SecretStoreProps {
  /** Name of the ClusterSecretStore. @default 'kubernetes' */
  readonly storeName?: string;
  /** Namespace (of this cluster) whose Secrets the store reads. */
  readonly remoteNamespace: string;
}

/**
 * A ClusterSecretStore reading the Secrets of one namespace of this cluster (ESO's `kubernetes`
 * provider), e.g. Secrets a person keeps in a `homelab-secrets` namespace. It renders the RBAC ESO
 * needs and nothing more: a ServiceAccount in the operator's namespace (no token mounted: ESO
 * requests short-lived tokens), and in the remote namespace a Role allowing `get`, `list` and
 * `watch` on Secrets, bound to it. ESO also checks its access with a SelfSubjectRulesReview,
 * which every authenticated identity may create (`system:basic-user`). Consumers ask for a
 * Secret's name (`key`) and one of its keys (`property`).
 */
export class KubernetesSecretStore extends SecretStoreBase {
  public readonly backendName = 'Kubernetes';
  /** ServiceAccount ESO reads the remote namespace as. */
  public readonly serviceAccountName: string;

  constructor(cluster: HomelabCluster, id: string, props: KubernetesSecretStoreProps) {
    super(cluster, id, props, 'kubernetes');
    this.serviceAccountName = `${id}-reader`;
    const remote = props.remoteNamespace;
    if (!isDnsLabel(remote ?? '')) {
      Diagnostics.of(this).error(this, 'remoteNamespace', remote ? `'${remote}' is not a namespace name` : `Kubernetes store '${this.storeName}' needs remoteNamespace`, "name the namespace holding the Secrets, e.g. 'homelab-secrets'");
      return;
    }
    this.renderRbac(remote);
    this.renderStore({
      kubernetes: {
        remoteNamespace: remote,
        server: { url: 'https://kubernetes.default.svc', caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace: this.namespace } },
        auth: { serviceAccount: { name: this.serviceAccountName, namespace: this.namespace } },
      },
    });
  }

  protected remoteKeyFix(): string {
    return 'set key to the name of the Secret in the remote namespace (and property to one of its keys)';
  }

  private renderRbac(remote: string): void {
    const name = this.serviceAccountName;
    new ApiObject(this, 'service-account', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: this.namespace },
      automountServiceAccountToken: false,
    });
    new ApiObject(this, 'role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: remote },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });
    new ApiObject(this, 'role-binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: remote },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
    });
  }
}
