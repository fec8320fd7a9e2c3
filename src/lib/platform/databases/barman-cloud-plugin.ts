import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { CloudNativePg } from './cloudnative-pg.js';

/** Props of {@link BarmanCloudPlugin}; namespace, group and layer default to {@link BarmanCloudPlugin.placement}. */
export interface BarmanCloudPluginProps extends PlatformProps {
  /** @default '10m' */
  readonly cpuRequest?: string;
  /** @default '64Mi' */
  readonly memoryRequest?: string;
  /** @default '256Mi' */
  readonly memoryLimit?: string;
}

/**
 * CloudNativePG's Barman Cloud plugin (chart `plugin-barman-cloud`): WAL archiving, base backups
 * and restores to object storage through `ObjectStore` objects, replacing the deprecated in-tree
 * `barmanObjectStore`. Its chart creates a self-signed cert-manager `Issuer` and the
 * client/server `Certificate`s for the operator ↔ plugin TLS, so it needs cert-manager's CRDs
 * (`cert-manager.io`): the dependency on the cert-manager component is derived from that.
 * It must run in the operator's namespace; a mismatch is reported.
 */
export class BarmanCloudPlugin extends HelmComponent {
  /** Namespace 'cnpg-system' (Pod Security 'restricted'; it must be the CloudNativePG operator's namespace, an upstream requirement), group 'databases', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'cnpg-system', podSecurity: 'restricted' }, group: 'databases' };
  constructor(cluster: HomelabCluster, id: string, props: BarmanCloudPluginProps = {}) {
    super(cluster, id, props, BarmanCloudPlugin.placement);
    this.provide(crdGroup('barmancloud.cnpg.io'));
    this.require(crdGroup('cert-manager.io'), 'the plugin chart creates a cert-manager Issuer and Certificates for operator ↔ plugin TLS');
    this.require(crdGroup('postgresql.cnpg.io'), 'the plugin registers with the CloudNativePG operator (1.26 or newer)');
    const resources = {
      requests: { cpu: props.cpuRequest ?? '10m', memory: props.memoryRequest ?? '64Mi' },
      limits: { memory: props.memoryLimit ?? '256Mi' },
    };
    new ChartRelease(this, 'chart', {
      chart: 'plugin-barman-cloud',
      values: {
        replicaCount: 1,
        crds: { create: true },
        resources,
        certificate: {
          createClientCertificate: true,
          createServerCertificate: true,
          // No `issuerName`: values.yaml documents it, but no template of 0.7.0 reads it (the
          // chart names its Issuer after its fullname); `npm run render` warns on such keys.
          duration: '2160h',
          renewBefore: '360h',
        },
      },
    });
    this.addWorkload({ name: 'barman-cloud', replicas: 1, cpuRequest: resources.requests.cpu, memoryRequest: resources.requests.memory, memoryLimit: resources.limits.memory });
    cluster.onPhase('wire', () => {
      const operator = CloudNativePg.find(cluster);
      if (operator && operator.namespace !== this.namespace) {
        Diagnostics.of(this).error(this, 'namespace', `the Barman Cloud plugin runs in '${this.namespace}' but the CloudNativePG operator '${operator.name}' runs in '${operator.namespace}'`,
          `install the plugin in the operator's namespace: namespace: '${operator.namespace}'`);
      }
    });
  }
}
