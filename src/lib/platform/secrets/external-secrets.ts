import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { ChartRelease } from '../../flux/helm-release.js';
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
      },
    });
    this.provide(crdGroup('external-secrets.io'));
    this.provide(crdGroup('generators.external-secrets.io'));
    for (const name of [id, `${id}-webhook`, `${id}-cert-controller`]) {
      this.addWorkload({ name, cpuRequest: r.cpuRequest, memoryRequest: r.memoryRequest, memoryLimit: r.memoryLimit });
    }
    if (props.store !== false) this.store = new OpenBaoSecretStore(cluster, `${id}-store`, { ...props.store, operator: this });
  }
}
