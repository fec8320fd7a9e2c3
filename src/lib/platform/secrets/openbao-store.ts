import { service } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { OPENBAO, OpenBao } from './openbao.js';
import { SecretStoreBase, SecretStoreProps } from './secret-store.js';

export interface OpenBaoSecretStoreProps extends Omit<SecretStoreProps, 'operator'> {
  /** Name of the ClusterSecretStore. @default 'openbao' */
  readonly storeName?: string;
  /** OpenBao Kubernetes auth role (and policy) External Secrets logs in with. @default 'external-secrets' */
  readonly role?: string;
  /** Paths below the KV mount External Secrets may read. @default ['*'] */
  readonly readPaths?: readonly string[];
}

/**
 * The ClusterSecretStore of the cluster's OpenBao (Vault-compatible provider, KV v2, Kubernetes
 * auth as the operator's ServiceAccount) and, by default, the cluster's SECRET_STORE. It registers
 * its role with OpenBao (the configure script grants it read on the KV paths), depends on OpenBao
 * and on the operator's CRDs (derived), and every consumer of {@link externalSecret} depends on it,
 * so Flux applies: SOPS-decrypted bootstrap token → OpenBao → store → apps' ExternalSecrets.
 */
export class OpenBaoSecretStore extends SecretStoreBase {
  public readonly backendName = 'OpenBao';
  public readonly role: string;
  /** The OpenBao server, once wired. */
  public backend?: OpenBao;

  private readonly props: OpenBaoSecretStoreProps;

  constructor(cluster: HomelabCluster, id: string, props: OpenBaoSecretStoreProps & Pick<SecretStoreProps, 'operator'>) {
    super(cluster, id, props, 'openbao');
    this.props = props;
    this.role = props.role ?? 'external-secrets';
    cluster.onPhase('wire', () => this.wire());
  }

  protected remoteKeyFix(): string {
    return "set key to the secret's path below the KV mount, e.g. 'apps/vaultwarden'";
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
    this.renderStore({
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
    });
  }
}
