import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { CHARTS } from '../../../../imports/charts.js';
import { Capability, DEFAULT_STORAGE_CLASS, service, storageClass } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, Placement, PlatformProps } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { parseMemory } from '../../estate/quantity.js';
import { declareSecretSource } from '../../estate/user-secrets.js';
import { ServiceKey } from '../../estate/services.js';
import { ChartRelease } from '../../flux/helm-release.js';

/** Kubernetes auth role a client of OpenBao (External Secrets) logs in with. */
export interface KubernetesAuthRole {
  /** Role name under `auth/kubernetes/role/`. */
  readonly role: string;
  /** The ServiceAccount allowed to log in with the role. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** Policy written for the role, granting read on `readPaths`. */
  readonly policy: string;
  /** Paths below the KV v2 mount the role may read, e.g. `*` or `apps/*`. */
  readonly readPaths: readonly string[];
}

/** The secret-store backend service: External Secrets' store finds OpenBao through it. */
export const OPENBAO = new ServiceKey<OpenBao>('openbao', 'an OpenBao server');

/** A SOPS-encrypted Secret (user-provided) holding a token the configure Job uses. */
export interface BootstrapToken {
  /** The `*.sops.yaml` file in the component's folder holding a Secret with the token. */
  readonly sopsFile: string;
  /** Name of that Secret. @default 'openbao-bootstrap-token' */
  readonly secretName?: string;
  /** Key of the token in the Secret. @default 'token' */
  readonly key?: string;
}

/** Props of {@link OpenBao}; namespace, group and layer default to {@link OpenBao.placement}. */
export interface OpenBaoProps extends PlatformProps {
  /** Size of the data volume. @default '2Gi' */
  readonly storageSize?: string;
  /** StorageClass of the data volume. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Path of the KV version 2 secrets engine apps read from. @default 'secret' */
  readonly kvMount?: string;
  /**
   * Token (from a SOPS file you encrypt after `bao operator init`) with which a Job enables the
   * Kubernetes auth method, the KV mount and the roles and policies of OpenBao's clients.
   * @default - none: run the same script by hand once (see README: OpenBao first start)
   */
  readonly bootstrapToken?: BootstrapToken;
  /** Server requests and memory limit. @default { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '256Mi' } */
  readonly resources?: { readonly cpuRequest: string; readonly memoryRequest: string; readonly memoryLimit: string };
}

/** UID/GID the openbao image runs as (its `openbao` user). */
const OPENBAO_UID = 100;
const OPENBAO_GID = 1000;

/** Health path that answers 2xx while sealed or uninitialised, so Helm and Flux can finish before the one-time init. */
export const OPENBAO_READINESS_PATH = '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204';

/**
 * OpenBao (a runtime secret store: SOPS in Git bootstraps it, External Secrets reads it) from its chart: one server with file storage on a
 * persistent volume in a prune-protected namespace, TLS off inside the cluster, UI on, the agent
 * injector and CSI provider off (External Secrets reads it instead). Kubernetes auth for its
 * clients is configured by one idempotent script (a ConfigMap): run by a Job when a SOPS-encrypted
 * bootstrap token is provided, by hand otherwise. Initialising and unsealing are manual, once:
 * the unseal keys and root token never go to Git.
 */
export class OpenBao extends HelmComponent {
  /** Namespace 'openbao' (prune-protected: it holds the encrypted storage), group 'secrets', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'openbao', pruneProtected: true }, group: 'secrets' };
  /** Helm fullname: the name of the Service, StatefulSet and ServiceAccount. */
  public readonly fullname: string;
  /** In-cluster address clients use. */
  public readonly address: string;
  public readonly kvMount: string;
  public readonly storageSize: string;
  public readonly storageClassName?: string;
  /** Name of the ConfigMap holding the configure script. */
  public readonly configureScriptName: string;
  /** The configure Job's name (it changes with the script, so a changed script runs again), once rendered. */
  public configureJobName?: string;

  private readonly roles: KubernetesAuthRole[] = [];
  private readonly props: OpenBaoProps;

  constructor(cluster: HomelabCluster, id: string, props: OpenBaoProps = {}) {
    super(cluster, id, props, OpenBao.placement);
    this.props = props;
    this.fullname = id.includes('openbao') ? id : `${id}-openbao`;
    this.address = `http://${this.fullname}.${this.namespace}.svc:8200`;
    this.kvMount = props.kvMount ?? 'secret';
    this.storageSize = props.storageSize ?? '2Gi';
    this.storageClassName = props.storageClass;
    this.configureScriptName = `${this.fullname}-configure`;
    this.checkProps();
    cluster.registerService(OPENBAO, this, this);
    this.provide(service('openbao', id));
    const claimed: Capability = this.storageClassName ? storageClass(this.storageClassName) : DEFAULT_STORAGE_CLASS;
    this.require(claimed, 'the OpenBao data volume (a claim inside the chart values)');
    const r = this.resources();
    new ChartRelease(this, 'chart', { chart: 'openbao', releaseName: id, values: this.values() });
    this.addWorkload({ name: this.fullname, cpuRequest: r.cpuRequest, memoryRequest: r.memoryRequest, memoryLimit: r.memoryLimit });
    if (props.bootstrapToken) {
      this.addSopsFile(props.bootstrapToken.sopsFile);
      declareSecretSource(this, { name: props.bootstrapToken.secretName ?? 'openbao-bootstrap-token', by: `SOPS file ${props.bootstrapToken.sopsFile}`, sopsFile: props.bootstrapToken.sopsFile });
    }
    cluster.onPhase('finalize', () => this.renderConfigure());
  }

  /** Adds a Kubernetes auth role (and its read policy) to the configure script. Call before the finalize phase. */
  public addKubernetesAuthRole(role: KubernetesAuthRole): void {
    if (this.roles.some((r) => r.role === role.role)) {
      Diagnostics.of(this).error(this, `roles.${role.role}`, `Kubernetes auth role '${role.role}' is added twice`, 'give each OpenBao client its own role name');
      return;
    }
    this.roles.push(role);
  }

  /** Roles configured, in the order added. */
  public get kubernetesAuthRoles(): readonly KubernetesAuthRole[] {
    return this.roles;
  }

  /** The idempotent configure script: waits for unseal, then enables auth, the KV mount, policies and roles. */
  public configureScript(): string {
    const lines = [
      '#!/bin/sh',
      '# Configures OpenBao for its in-cluster clients. Idempotent: safe to run again.',
      '# Needs BAO_ADDR and BAO_TOKEN (a token allowed to manage auth methods, mounts and policies).',
      'set -eu',
      'until bao status >/dev/null 2>&1; do echo "waiting for OpenBao to be initialised and unsealed"; sleep 10; done',
      'bao auth list -format=json | grep -q \'"kubernetes/"\' || bao auth enable kubernetes',
      'bao write auth/kubernetes/config kubernetes_host="https://kubernetes.default.svc:443"',
      `bao secrets list -format=json | grep -q '"${this.kvMount}/"' || bao secrets enable -path=${this.kvMount} kv-v2`,
    ];
    for (const r of this.roles) {
      lines.push(`bao policy write ${r.policy} - <<'EOF'`);
      for (const p of r.readPaths) {
        lines.push(`path "${this.kvMount}/data/${p}" { capabilities = ["read"] }`);
        lines.push(`path "${this.kvMount}/metadata/${p}" { capabilities = ["read", "list"] }`);
      }
      lines.push('EOF');
      lines.push(`bao write auth/kubernetes/role/${r.role} bound_service_account_names=${r.serviceAccount.name} bound_service_account_namespaces=${r.serviceAccount.namespace} token_policies=${r.policy} token_ttl=1h`);
    }
    lines.push('echo "OpenBao configured"');
    return lines.join('\n') + '\n';
  }

  private resources(): { cpuRequest: string; memoryRequest: string; memoryLimit: string } {
    return this.props.resources ?? { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '256Mi' };
  }

  private values(): Record<string, unknown> {
    const r = this.resources();
    const config = [
      'ui = true',
      'listener "tcp" {',
      '  tls_disable = 1',
      '  address = "[::]:8200"',
      '  cluster_address = "[::]:8201"',
      '}',
      'storage "file" {',
      '  path = "/openbao/data"',
      '}',
      '',
    ].join('\n');
    return {
      global: { enabled: true, tlsDisable: true },
      injector: { enabled: false },
      csi: { enabled: false },
      ui: { enabled: true, serviceType: 'ClusterIP' },
      server: {
        enabled: true,
        resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { memory: r.memoryLimit } },
        // Ready while sealed: Helm and Flux finish the install; the one-time init/unseal comes after.
        readinessProbe: { enabled: true, path: OPENBAO_READINESS_PATH, port: 8200 },
        // No storageClass: the chart's null, the cluster's default StorageClass.
        dataStorage: { enabled: true, size: this.storageSize, ...(this.storageClassName ? { storageClass: this.storageClassName } : {}), accessMode: 'ReadWriteOnce', mountPath: '/openbao/data' },
        auditStorage: { enabled: false },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        // Kubernetes auth reviews client tokens with OpenBao's own ServiceAccount.
        authDelegator: { enabled: true },
        standalone: { enabled: true, config },
        ha: { enabled: false },
        statefulSet: {
          securityContext: {
            pod: { runAsNonRoot: true, runAsUser: OPENBAO_UID, runAsGroup: OPENBAO_GID, fsGroup: OPENBAO_GID, seccompProfile: { type: 'RuntimeDefault' } },
            container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        },
        // The chart's start command writes the effective config to /tmp.
        volumes: [{ name: 'tmp', emptyDir: {} }],
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    };
  }

  private renderConfigure(): void {
    const script = this.configureScript();
    new ApiObject(this, 'configure-script', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.configureScriptName, namespace: this.namespace },
      data: { 'configure.sh': script },
    });
    const token = this.props.bootstrapToken;
    if (!token) return;
    const hash = createHash('sha256').update(script).digest('hex').slice(0, 8);
    this.configureJobName = `${this.fullname}-configure-${hash}`;
    new ApiObject(this, 'configure-job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: this.configureJobName,
        namespace: this.namespace,
        // Jobs are immutable: let Flux recreate it rather than fail if it ever changes in place.
        annotations: { 'kustomize.toolkit.fluxcd.io/force': 'enabled' },
      },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': `${this.fullname}-configure` } },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: OPENBAO_UID, runAsGroup: OPENBAO_GID, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'configure',
              image: openbaoImage(),
              command: ['/bin/sh', '/scripts/configure.sh'],
              env: [
                { name: 'BAO_ADDR', value: this.address },
                { name: 'BAO_TOKEN', valueFrom: { secretKeyRef: { name: token.secretName ?? 'openbao-bootstrap-token', key: token.key ?? 'token' } } },
                { name: 'HOME', value: '/tmp' },
              ],
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [
              { name: 'scripts', configMap: { name: this.configureScriptName, defaultMode: 0o555 } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });
  }

  private checkProps(): void {
    const d = Diagnostics.of(this);
    const size = parseMemory(this.storageSize);
    if (size === undefined || size <= 0) d.error(this, 'storageSize', `'${this.storageSize}' is not a storage quantity`, "use e.g. '2Gi'");
    if (!/^[a-z0-9][a-z0-9-_]*$/.test(this.kvMount)) d.error(this, 'kvMount', `'${this.kvMount}' is not a usable mount path`, "use lowercase letters, digits, '-' or '_', e.g. 'secret'");
    const file = this.props.bootstrapToken?.sopsFile;
    if (file !== undefined && !file.endsWith('.sops.yaml')) {
      d.error(this, 'bootstrapToken.sopsFile', `'${file}' is not a *.sops.yaml file`, "name the encrypted Secret file e.g. 'bootstrap-token.sops.yaml'");
    }
  }
}

/** The OpenBao server image of the pinned chart (the configure Job uses its `bao` CLI). */
export function openbaoImage(): string {
  const image = CHARTS.openbao.images.find((i) => i.startsWith('quay.io/openbao/openbao:'));
  if (!image) throw new Error('imports/charts.ts lists no quay.io/openbao/openbao image for the openbao chart; rerun npm run import');
  return image;
}
