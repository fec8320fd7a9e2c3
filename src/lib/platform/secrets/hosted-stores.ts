import { HomelabCluster } from '../../estate/cluster.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { SecretStoreBase, SecretStoreProps, StoreCredentials } from './secret-store.js';

/**
 * ClusterSecretStores for password-manager backends run outside the cluster: 1Password (through
 * your Connect server) and Bitwarden Secrets Manager (through the SDK server the ESO chart runs).
 * Each declares the Secret it authenticates with, so the cluster README lists it as a prerequisite.
 */

const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Props of {@link OnePasswordConnectStore}. */
export interface OnePasswordConnectStoreProps extends SecretStoreProps {
  /** Name of the ClusterSecretStore. @default 'onepassword' */
  readonly storeName?: string;
  /**
   * URL of your 1Password Connect server (not deployed here), e.g.
   * `'http://onepassword-connect.onepassword.svc:8080'` (Connect listens on 8080).
   */
  readonly connectHost: string;
  /**
   * Vaults to search, by name or UUID: a list is searched in its order (ESO priorities 1, 2, …:
   * the first vault holding an item of the asked title wins), or name → priority as ESO takes it.
   */
  readonly vaults: readonly string[] | Readonly<Record<string, number>>;
  /** The Connect server's access token. @default { secretName: 'onepassword-connect-token', key: 'token' } */
  readonly token?: StoreCredentials;
}

/**
 * A ClusterSecretStore reading 1Password through a Connect server (ESO's `onepassword` provider).
 * Consumers ask for an item by title (`key`) and a field label (`property`).
 */
export class OnePasswordConnectStore extends SecretStoreBase {
  public readonly backendName = '1Password Connect';

  constructor(cluster: HomelabCluster, id: string, props: OnePasswordConnectStoreProps) {
    super(cluster, id, props, 'onepassword');
    this.requireValue('connectHost', props.connectHost, HTTP_URL, "give the Connect server's URL, e.g. 'http://onepassword-connect.onepassword.svc:8080'");
    const vaults = vaultPriorities(props.vaults);
    if (Object.keys(vaults).length === 0 || Object.values(vaults).some((p) => !Number.isInteger(p) || p < 1)) {
      Diagnostics.of(this).error(this, 'vaults', `1Password store '${this.storeName}' lists no usable vault`, "list the vaults to search in order, e.g. vaults: ['homelab'] (or name → priority from 1)");
    }
    const token = this.credentials('token', props.token, { name: 'onepassword-connect-token', key: 'token' }, {
      reason: `1Password Connect access token of ClusterSecretStore '${this.storeName}'`,
      howTo: '1Password → Developer → Connect servers → your server → New token (read access to the listed vaults)',
    });
    this.renderStore({ onepassword: { connectHost: props.connectHost, vaults, auth: { secretRef: { connectTokenSecretRef: token } } } });
  }

  protected remoteKeyFix(): string {
    return 'set key to the title of the 1Password item (and property to the field label)';
  }
}

/** ESO's `vaults` map: a list becomes priorities 1, 2, … in its order. */
function vaultPriorities(vaults: OnePasswordConnectStoreProps['vaults'] | undefined): Record<string, number> {
  if (!vaults) return {};
  if (Array.isArray(vaults)) return Object.fromEntries((vaults as readonly string[]).map((v, i) => [v, i + 1]));
  return { ...(vaults as Record<string, number>) };
}

/** Service name the ESO chart gives the Bitwarden SDK server (hardcoded there, so its URL is known). */
export const BITWARDEN_SDK_SERVER = 'bitwarden-sdk-server';
/** Secret the chart's SDK server reads its TLS key pair and CA from (hardcoded in its chart values). */
export const BITWARDEN_TLS_SECRET = 'bitwarden-tls-certs';

/** Props of {@link BitwardenSecretsManagerStore}. */
export interface BitwardenSecretsManagerStoreProps extends SecretStoreProps {
  /** Name of the ClusterSecretStore. @default 'bitwarden' */
  readonly storeName?: string;
  /** Organisation UUID (Secrets Manager → Settings). One store reads one organisation's project. */
  readonly organizationID: string;
  /** Project UUID the machine account may read. */
  readonly projectID: string;
  /** The machine account's access token. @default { secretName: 'bitwarden-access-token', key: 'token' } */
  readonly accessToken?: StoreCredentials;
  /** API URL. @default - the SDK server's default, Bitwarden's US cloud (https://api.bitwarden.com); 'https://api.bitwarden.eu' for the EU cloud */
  readonly apiURL?: string;
  /** Identity URL. @default - the SDK server's default, https://identity.bitwarden.com; 'https://identity.bitwarden.eu' for the EU cloud */
  readonly identityURL?: string;
}

/**
 * A ClusterSecretStore reading Bitwarden Secrets Manager (ESO's `bitwardensecretsmanager`
 * provider) through the Bitwarden SDK server, which the ESO chart runs when
 * `new ExternalSecrets(…, { bitwardenSdkServer: true })`; ESO reaches it over HTTPS and trusts the
 * CA in `bitwarden-tls-certs` (issued by cert-manager there, or yours). Consumers ask for a
 * secret by UUID or name (`key`).
 */
export class BitwardenSecretsManagerStore extends SecretStoreBase {
  public readonly backendName = 'Bitwarden Secrets Manager';

  constructor(cluster: HomelabCluster, id: string, props: BitwardenSecretsManagerStoreProps) {
    super(cluster, id, props, 'bitwarden');
    const fix = (what: string) => `copy the ${what} UUID from Bitwarden Secrets Manager, e.g. '00000000-0000-0000-0000-000000000000'`;
    this.requireValue('organizationID', props.organizationID, UUID, fix('organisation'));
    this.requireValue('projectID', props.projectID, UUID, fix('project'));
    for (const field of ['apiURL', 'identityURL'] as const) {
      if (props[field] !== undefined) this.requireValue(field, props[field], HTTP_URL, 'give an https URL, e.g. https://api.bitwarden.eu');
    }
    if (!props.operator.bitwardenSdkServer) {
      Diagnostics.of(this).error(this, 'operator', `the Bitwarden store '${this.storeName}' needs the Bitwarden SDK server, but '${props.operator.name}' does not run it`,
        `create the operator with new ExternalSecrets(cluster, '${props.operator.name}', { bitwardenSdkServer: true })`);
    }
    const credentials = this.credentials('accessToken', props.accessToken, { name: 'bitwarden-access-token', key: 'token' }, {
      reason: `Bitwarden Secrets Manager machine account access token of ClusterSecretStore '${this.storeName}'`,
      howTo: 'Secrets Manager → Machine accounts → your account (read access to the project) → Access tokens → Create',
    });
    const ns = this.namespace;
    this.renderStore({
      bitwardensecretsmanager: {
        ...(props.apiURL ? { apiURL: props.apiURL } : {}),
        ...(props.identityURL ? { identityURL: props.identityURL } : {}),
        bitwardenServerSDKURL: `https://${BITWARDEN_SDK_SERVER}.${ns}.svc.cluster.local:9998`,
        caProvider: { type: 'Secret', name: BITWARDEN_TLS_SECRET, namespace: ns, key: 'ca.crt' },
        organizationID: props.organizationID,
        projectID: props.projectID,
        auth: { secretRef: { credentials } },
      },
    });
  }

  protected remoteKeyFix(): string {
    return 'set key to the UUID (or name) of the Bitwarden secret';
  }
}
