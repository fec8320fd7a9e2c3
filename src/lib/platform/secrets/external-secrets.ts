import { ApiObject } from 'cdk8s';
import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { declareSecretSource, declareUserSecret } from '../../estate/user-secrets.js';
import { BITWARDEN_SDK_SERVER, BITWARDEN_TLS_SECRET } from './hosted-stores.js';
import { OpenBaoSecretStore, OpenBaoSecretStoreProps } from './openbao-store.js';

/** Requests and memory limit of one External Secrets deployment. */
export interface EsoResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** Props of {@link ExternalSecrets}; namespace, group and layer default to {@link ExternalSecrets.placement}. */
export interface ExternalSecretsProps extends PlatformProps {
  /** Resources of the controller, the webhook and the cert controller. @default { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' } each */
  readonly resources?: EsoResources;
  /**
   * The ClusterSecretStore for the cluster's OpenBao (its own component, `<name>-store`), or
   * `false` for none.
   * @default {} (an OpenBao store with every default)
   */
  readonly store?: OpenBaoSecretStoreProps | false;
  /**
   * Run the chart's Bitwarden SDK server (`bitwarden-sdk-server.enabled`), which a
   * BitwardenSecretsManagerStore talks to. It serves HTTPS only, from Secret `bitwarden-tls-certs`
   * (the name is fixed by the chart): `'cert-manager'` (or `true`) renders a self-signed Issuer and
   * a Certificate for the server's Service (needs cert-manager); `'user-provided'` lists the Secret
   * (tls.crt, tls.key, ca.crt) as a prerequisite instead.
   * @default false (the SDK server is only needed for Bitwarden)
   */
  readonly bitwardenSdkServer?: boolean | 'cert-manager' | 'user-provided';
}

/**
 * External Secrets Operator from its chart: controller, webhook and cert controller, restricted
 * security context (the chart's defaults, kept), CRDs installed by the chart (external-secrets.io
 * and generators.external-secrets.io, both provided to the cluster). By default it also creates
 * the OpenBao ClusterSecretStore component, which is the cluster's SECRET_STORE.
 */
export class ExternalSecrets extends HelmComponent {
  /** Namespace 'external-secrets', group 'secrets', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'external-secrets' }, group: 'secrets' };
  /** ServiceAccount of the controller (the one the store authenticates to OpenBao as). */
  public readonly serviceAccountName: string;
  /** The store component, unless `store: false`. */
  public readonly store?: OpenBaoSecretStore;
  /** Whether the chart runs the Bitwarden SDK server. */
  public readonly bitwardenSdkServer: boolean;

  constructor(cluster: HomelabCluster, id: string, props: ExternalSecretsProps = {}) {
    super(cluster, id, props, ExternalSecrets.placement);
    this.serviceAccountName = id;
    const r = props.resources ?? { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' };
    const resources = { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { memory: r.memoryLimit } };
    new ChartRelease(this, 'chart', {
      chart: 'external-secrets',
      releaseName: id,
      values: {
        installCRDs: true,
        replicaCount: 1,
        resources,
        serviceAccount: { create: true, name: this.serviceAccountName },
        webhook: { replicaCount: 1, resources },
        certController: { resources },
        ...(props.bitwardenSdkServer ? { 'bitwarden-sdk-server': { enabled: true } } : {}),
      },
    });
    this.bitwardenSdkServer = Boolean(props.bitwardenSdkServer);
    if (props.bitwardenSdkServer) this.bitwardenTls(props.bitwardenSdkServer === 'user-provided');
    this.provide(crdGroup('external-secrets.io'));
    this.provide(crdGroup('generators.external-secrets.io'));
    for (const name of [id, `${id}-webhook`, `${id}-cert-controller`]) {
      this.addWorkload({ name, cpuRequest: r.cpuRequest, memoryRequest: r.memoryRequest, memoryLimit: r.memoryLimit });
    }
    if (props.store !== false) this.store = new OpenBaoSecretStore(cluster, `${id}-store`, { ...props.store, operator: this });
  }

  /** The SDK server's TLS Secret: issued by cert-manager (self-signed: ca.crt is the certificate itself), or yours. */
  private bitwardenTls(userProvided: boolean): void {
    if (userProvided) {
      declareUserSecret(this, { name: BITWARDEN_TLS_SECRET, keys: ['tls.crt', 'tls.key', 'ca.crt'], reason: `TLS key pair of the Bitwarden SDK server (${BITWARDEN_SDK_SERVER}.${this.namespace}.svc) and the CA that signed it` });
      return;
    }
    const host = `${BITWARDEN_SDK_SERVER}.${this.namespace}.svc`;
    this.require(crdGroup('cert-manager.io'), 'issues the Bitwarden SDK server certificate');
    new ApiObject(this, 'bitwarden-issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: `${BITWARDEN_SDK_SERVER}-selfsigned`, namespace: this.namespace },
      spec: { selfSigned: {} },
    });
    new ApiObject(this, 'bitwarden-certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: BITWARDEN_TLS_SECRET, namespace: this.namespace },
      spec: {
        secretName: BITWARDEN_TLS_SECRET,
        commonName: host,
        dnsNames: [BITWARDEN_SDK_SERVER, `${BITWARDEN_SDK_SERVER}.${this.namespace}`, host, `${host}.cluster.local`],
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: { kind: 'Issuer', name: `${BITWARDEN_SDK_SERVER}-selfsigned` },
      },
    });
    declareSecretSource(this, { name: BITWARDEN_TLS_SECRET, by: `cert-manager (Certificate ${BITWARDEN_TLS_SECRET})` });
  }
}
