import { declareUserSecret } from '../../estate/user-secrets.js';
import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../../estate/cluster.js';
import { Placement, PlatformComponent, PlatformProps } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { Hardening, hardenedContainerSecurityContext, hardenedPodFields, scratchVolumes } from '../../estate/hardened-pod.js';
import { parseMemory } from '../../estate/quantity.js';
import { requestExternalSecret } from '../secrets/request.js';
import { MONITORING } from '../../estate/services.js';

/** InfluxDB 2 server image (amd64 and arm64). */
// renovate: datasource=docker depName=influxdb
export const INFLUXDB_IMAGE = { repository: 'influxdb', tag: '2.7.12' } as const;

/** UID/GID of the `influxdb` user of the official image. */
const INFLUXDB_UID = 1000;
/** The `influxdb` user, nothing relaxed. */
const INFLUXDB_HARDENING: Hardening = { runAsUser: INFLUXDB_UID, runAsGroup: INFLUXDB_UID, fsGroup: INFLUXDB_UID };

/**
 * Where the admin credentials come from, never from Git in plaintext: an existing Secret (created
 * from a SOPS file, say), or the cluster's secret store (an ExternalSecret is rendered).
 * Keys of the Secret: `username`, `password`, `token` (the admin API token).
 */
export type InfluxAdminCredentials =
  | { readonly existingSecret: string }
  | { readonly storeKey: string };

/** Props of {@link InfluxDb}; namespace, group and layer default to {@link InfluxDb.placement}. */
export interface InfluxDbProps extends PlatformProps {
  /** Admin user, password and API token, by reference. */
  readonly admin: InfluxAdminCredentials;
  /** Organisation created on first start. @default 'homelab' */
  readonly organization?: string;
  /** Bucket created on first start. @default 'default' */
  readonly bucket?: string;
  /** Retention of that bucket. @default '30d' */
  readonly retention?: string;
  /** Size of the data volume. @default '10Gi' */
  readonly storageSize?: string;
  /** StorageClass of the data volume. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /**
   * Render a NetworkPolicy: ingress only from `clients` on the HTTP port, egress only to DNS.
   * @default - the cluster's `defaultDenyNetworkPolicies`
   */
  readonly networkPolicy?: boolean;
  /**
   * Namespaces (optionally narrowed to pod labels) allowed to reach InfluxDB.
   * @default - the namespace of the cluster's monitoring stack (Grafana, Prometheus), if it has one
   */
  readonly clients?: readonly { readonly namespace: string; readonly podLabels?: Record<string, string> }[];
  /** @default { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' } */
  readonly resources?: { readonly cpuRequest: string; readonly memoryRequest: string; readonly memoryLimit: string };
}

/**
 * InfluxDB 2 (a time-series store for metrics beside Prometheus) as a hardened StatefulSet: non-root, read-only root
 * filesystem (data on its claim, CLI configs and /tmp on emptyDirs), no capabilities, no
 * ServiceAccount token, telemetry to InfluxData off. First start creates the organisation, bucket
 * and admin from the referenced Secret. No maintained chart is pinned in the reference data, so
 * the objects are rendered directly (and validated one by one).
 */
export class InfluxDb extends PlatformComponent {
  /**
   * Namespace 'influxdb' (prune-protected: it holds the data), group 'monitoring', layer 'apps'
   * (its ExternalSecret, when the admin credentials come from the store, needs the ESO CRDs).
   */
  public static readonly placement: Placement = { namespace: { name: 'influxdb', pruneProtected: true }, group: 'monitoring', layer: 'apps' };

  public readonly serviceName: string;
  public readonly port = 8086;
  /** Secret holding `username`, `password` and `token`. */
  public readonly adminSecretName: string;
  /** `http://<service>.<namespace>.svc:8086`. */
  public readonly url: string;

  constructor(cluster: HomelabCluster, id: string, props: InfluxDbProps) {
    super(cluster, id, props, InfluxDb.placement);
    this.serviceName = id;
    this.url = `http://${id}.${this.namespace}.svc:${this.port}`;
    this.adminSecretName = 'existingSecret' in props.admin
      ? props.admin.existingSecret
      : requestExternalSecret(this, `${id}-admin`, {
        username: { key: props.admin.storeKey, property: 'username' },
        password: { key: props.admin.storeKey, property: 'password' },
        token: { key: props.admin.storeKey, property: 'token' },
      });
    if ('existingSecret' in props.admin && props.admin.existingSecret) {
      declareUserSecret(this, { name: props.admin.existingSecret, keys: ['username', 'password', 'token'], reason: 'InfluxDB admin user, its password and the admin API token (read once, at the first start)' });
    }
    const r = props.resources ?? { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' };
    const storageSize = props.storageSize ?? '10Gi';
    this.checkProps(props, storageSize);
    const labels = { 'app.kubernetes.io/name': 'influxdb', 'app.kubernetes.io/instance': id };
    new ApiObject(this, 'service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName, namespace: this.namespace, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: this.port, targetPort: 'http', protocol: 'TCP' }] },
    });
    // The CLI configs and temp files: the root filesystem is read-only.
    const scratch = scratchVolumes({ config: '/etc/influxdb2', tmp: '/tmp' });
    const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: this.adminSecretName, key } } });
    new ApiObject(this, 'statefulset', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: id, namespace: this.namespace, labels },
      spec: {
        serviceName: this.serviceName,
        replicas: 1,
        selector: { matchLabels: labels },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            ...hardenedPodFields(INFLUXDB_HARDENING, { fsGroupChangePolicy: false }),
            containers: [{
              name: 'influxdb',
              image: `${INFLUXDB_IMAGE.repository}:${INFLUXDB_IMAGE.tag}`,
              ports: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
              env: [
                { name: 'DOCKER_INFLUXDB_INIT_MODE', value: 'setup' },
                fromSecret('DOCKER_INFLUXDB_INIT_USERNAME', 'username'),
                fromSecret('DOCKER_INFLUXDB_INIT_PASSWORD', 'password'),
                fromSecret('DOCKER_INFLUXDB_INIT_ADMIN_TOKEN', 'token'),
                { name: 'DOCKER_INFLUXDB_INIT_ORG', value: props.organization ?? 'homelab' },
                { name: 'DOCKER_INFLUXDB_INIT_BUCKET', value: props.bucket ?? 'default' },
                { name: 'DOCKER_INFLUXDB_INIT_RETENTION', value: props.retention ?? '30d' },
                { name: 'INFLUXD_REPORTING_DISABLED', value: 'true' },
              ],
              resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { memory: r.memoryLimit } },
              securityContext: hardenedContainerSecurityContext(INFLUXDB_HARDENING, { repeatOnContainers: false }),
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5 },
              livenessProbe: { httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5 },
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/influxdb2' }, ...scratch.mounts],
            }],
            volumes: scratch.volumes,
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: {
            ...(props.storageClass ? { storageClassName: props.storageClass } : {}),
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: storageSize } },
          },
        }],
      },
    });
    this.addWorkload({ name: id, cpuRequest: r.cpuRequest, memoryRequest: r.memoryRequest, memoryLimit: r.memoryLimit });
    if (props.networkPolicy ?? cluster.defaultDenyNetworkPolicies) {
      // Clients default to the monitoring stack, known only once every component is declared.
      cluster.onPhase('wire', () => this.renderNetworkPolicy(labels, props.clients ?? this.monitoringClients()));
    }
  }

  private monitoringClients(): { namespace: string }[] {
    const monitoring = this.cluster.service(MONITORING);
    return monitoring ? [{ namespace: monitoring.component.namespace }] : [];
  }

  private renderNetworkPolicy(podLabels: Record<string, string>, clients: readonly { namespace: string; podLabels?: Record<string, string> }[]): void {
    const from = clients.map((c) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } },
      ...(c.podLabels ? { podSelector: { matchLabels: c.podLabels } } : {}),
    }));
    new ApiObject(this, 'network-policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.serviceName, namespace: this.namespace },
      spec: {
        podSelector: { matchLabels: podLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: from.length > 0 ? [{ from, ports: [{ protocol: 'TCP', port: this.port }] }] : [],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      },
    });
  }

  private checkProps(props: InfluxDbProps, storageSize: string): void {
    const d = Diagnostics.of(this);
    if ('existingSecret' in props.admin && !props.admin.existingSecret) d.error(this, 'admin.existingSecret', 'the admin Secret name is empty', 'name the Secret holding username, password and token');
    if ('storeKey' in props.admin && !props.admin.storeKey) d.error(this, 'admin.storeKey', 'the secret store path is empty', "give the store path holding username, password and token, e.g. 'infra/influxdb'");
    const size = parseMemory(storageSize);
    if (size === undefined || size <= 0) d.error(this, 'storageSize', `'${storageSize}' is not a storage quantity`, "use e.g. '10Gi'");
    if (props.retention !== undefined && !/^[0-9]+(h|d|w)$/.test(props.retention)) d.error(this, 'retention', `'${props.retention}' is not an InfluxDB retention`, "use hours, days or weeks, e.g. '30d'");
  }
}
