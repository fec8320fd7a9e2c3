import { Component } from '../../estate/component.js';
import { cronProblem } from '../../estate/cron.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { isDnsSubdomain } from '../../estate/names.js';
import { declareSecretSource, declareUserSecret } from '../../estate/user-secrets.js';
import {
  ObjectStore,
  ObjectStoreSpecConfigurationDataCompression,
  ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits as SidecarLimit,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests as SidecarRequest,
} from '../../../../imports/barmancloud.cnpg.io.js';
import {
  ScheduledBackup,
  ScheduledBackupSpecBackupOwnerReference,
  ScheduledBackupSpecMethod,
  ScheduledBackupSpecTarget,
} from '../../../../imports/postgresql.cnpg.io.js';

/** Name under which the Barman Cloud plugin registers with CloudNativePG. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/** Capability kind of a backup ObjectStore: `service('cnpg-object-store', '<namespace>/<name>')`. */
export const OBJECT_STORE_SERVICE_KIND = 'cnpg-object-store';

/** A key of a Secret, by reference. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/**
 * S3 credentials, by reference to a Secret in the database namespace. The Secret is never
 * rendered from values: it exists already, or the component carries it as a SOPS file.
 */
export interface S3Credentials {
  /** Secret holding the access key pair, in the PostgreSQL namespace. */
  readonly secretName: string;
  /** Key of the access key id. @default 'ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** Key of the secret access key. @default 'ACCESS_SECRET_KEY' */
  readonly secretAccessKeyKey?: string;
  /** Key of the region, for stores that need one. @default - no region */
  readonly regionKey?: string;
  /**
   * A SOPS-encrypted manifest of that Secret, relative to the component's manifest folder, which
   * the component then applies (Flux decrypts it). @default - the Secret exists in the cluster already
   */
  readonly sopsFile?: string;
}

/** Continuous backup (WAL archiving + scheduled base backups) through the Barman Cloud plugin. */
export interface PostgresBackupOptions {
  /** Bucket and prefix, `s3://bucket/path`. */
  readonly destinationPath: string;
  /** Endpoint of S3-compatible storage (MinIO, Garage, R2, Synology C2…). @default - AWS S3 */
  readonly endpointURL?: string;
  /** Credentials by Secret reference. Required: backups without credentials are reported. */
  readonly credentials?: S3Credentials;
  /** CA bundle for an endpoint with a private CA. @default - the system trust store */
  readonly endpointCA?: SecretKeyRef;
  /** Base backup schedule, CNPG's six-field cron (seconds first). @default '0 0 3 * * *' (daily at 03:00) */
  readonly schedule?: string;
  /** How long backups are kept (Barman `<n>d|w|m`). @default '30d' */
  readonly retentionPolicy?: string;
  /** Compression of archived WAL files. @default 'gzip' */
  readonly walCompression?: 'gzip' | 'bzip2' | 'lz4' | 'snappy' | 'xz' | 'zstd';
  /** Compression of base backups. @default 'gzip' */
  readonly dataCompression?: 'gzip' | 'bzip2' | 'lz4' | 'snappy';
  /** Take a base backup as soon as the ScheduledBackup is created. @default true */
  readonly immediate?: boolean;
}

/** What the rendered backup objects are called. */
export interface RenderedBackup {
  readonly objectStoreName: string;
  readonly scheduledBackupName: string;
  readonly schedule: string;
}

const DEFAULT_SCHEDULE = '0 0 3 * * *';

/** Checks the backup options; every mistake is reported at `backup.<field>`. Returns false if unusable. */
export function validateBackup(component: Component, backup: PostgresBackupOptions): boolean {
  const d = Diagnostics.of(component);
  let ok = true;
  const creds = backup.credentials;
  if (!creds || !creds.secretName) {
    d.error(component, 'backup.credentials', 'backups are configured without a credentials reference, so the Barman Cloud plugin cannot reach the object store',
      "set backup.credentials: { secretName: '<secret with ACCESS_KEY_ID and ACCESS_SECRET_KEY>' } (an existing Secret, an ExternalSecret, or a SOPS file given as sopsFile) — never the keys themselves");
    ok = false;
  } else if (!isDnsSubdomain(creds.secretName)) {
    d.error(component, 'backup.credentials.secretName', `'${creds.secretName}' is not a valid Secret name`, "use lowercase letters, digits, '-' and '.'");
    recordSelfCheck({ kind: 'secret-reported', component, name: creds.secretName });
    ok = false;
  }
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]*[a-z0-9](\/.*)?$/.test(backup.destinationPath)) {
    d.error(component, 'backup.destinationPath', `'${backup.destinationPath}' is not an S3 destination`, "write it as 's3://<bucket>/<prefix>' (the endpoint of S3-compatible storage goes in endpointURL)");
    ok = false;
  }
  if (backup.endpointURL !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(backup.endpointURL)) {
    d.error(component, 'backup.endpointURL', `'${backup.endpointURL}' is not an http(s) URL`, "write the endpoint like 'https://s3.example.com' or 'http://minio.storage.svc:9000'");
    ok = false;
  }
  const schedule = backup.schedule ?? DEFAULT_SCHEDULE;
  const fields = schedule.trim().split(/\s+/);
  const scheduleProblem = cronProblem(schedule, 6);
  if (scheduleProblem) {
    const fix = fields.length === 5 ? `CNPG schedules have a seconds field first: use '0 ${schedule.trim()}'` : "use six fields: 'seconds minutes hours day-of-month month day-of-week', e.g. '0 0 3 * * *'";
    d.error(component, 'backup.schedule', `'${schedule}' is not a CNPG schedule: ${scheduleProblem}`, fix);
    ok = false;
  }
  if (backup.retentionPolicy !== undefined && !/^[1-9][0-9]*[dwm]$/.test(backup.retentionPolicy)) {
    d.error(component, 'backup.retentionPolicy', `'${backup.retentionPolicy}' is not a Barman retention policy`, "use a number of days, weeks or months, e.g. '30d', '4w', '6m'");
    ok = false;
  }
  return ok;
}

/** The ObjectStore (barmancloud.cnpg.io/v1) a cluster archives to and restores from. */
export function renderObjectStore(component: Component, name: string, backup: PostgresBackupOptions): void {
  const creds = backup.credentials!;
  if (creds.sopsFile) {
    component.addSopsFile(creds.sopsFile);
    declareSecretSource(component, { name: creds.secretName, by: `SOPS file ${creds.sopsFile}`, sopsFile: creds.sopsFile });
  }
  const ref = (key: string) => ({ name: creds.secretName, key });
  // Without a SOPS file the Secret is yours to create (or an ExternalSecret of yours); the README lists it.
  if (!creds.sopsFile) {
    declareUserSecret(component, {
      name: creds.secretName,
      keys: [creds.accessKeyIdKey ?? 'ACCESS_KEY_ID', creds.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY', ...(creds.regionKey ? [creds.regionKey] : [])],
      reason: `S3 access key pair the Barman Cloud plugin archives WAL and base backups to ${backup.destinationPath} with`,
      howTo: 'an access key of the object store allowed to read and write that bucket and prefix',
    });
  }
  if (backup.endpointCA) {
    declareUserSecret(component, { name: backup.endpointCA.name, keys: [backup.endpointCA.key], reason: `CA bundle of the S3 endpoint ${backup.endpointURL ?? ''}`.trimEnd() });
  }
  new ObjectStore(component, 'object-store', {
    metadata: { name, namespace: component.namespace },
    spec: {
      retentionPolicy: backup.retentionPolicy ?? '30d',
      configuration: {
        destinationPath: backup.destinationPath,
        endpointUrl: backup.endpointURL,
        endpointCa: backup.endpointCA,
        s3Credentials: {
          accessKeyId: ref(creds.accessKeyIdKey ?? 'ACCESS_KEY_ID'),
          secretAccessKey: ref(creds.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY'),
          region: creds.regionKey ? ref(creds.regionKey) : undefined,
        },
        wal: { compression: (backup.walCompression ?? 'gzip') as ObjectStoreSpecConfigurationWalCompression },
        data: { compression: (backup.dataCompression ?? 'gzip') as ObjectStoreSpecConfigurationDataCompression },
      },
      instanceSidecarConfiguration: {
        // The plugin injects this sidecar into every instance pod; small, explicit requests.
        resources: {
          requests: { cpu: SidecarRequest.fromString(SIDECAR_RESOURCES.cpuRequest), memory: SidecarRequest.fromString(SIDECAR_RESOURCES.memoryRequest) },
          limits: { memory: SidecarLimit.fromString(SIDECAR_RESOURCES.memoryLimit) },
        },
      },
    },
  });
}

/** Requests of the Barman Cloud sidecar in each instance pod (counted in the capacity check). */
export const SIDECAR_RESOURCES = { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi' } as const;

/** A ScheduledBackup using the plugin method; suspended while the cluster hibernates. */
export function renderScheduledBackup(component: Component, clusterName: string, backup: PostgresBackupOptions, suspended: boolean): string {
  const name = `${clusterName}-daily`;
  new ScheduledBackup(component, 'scheduled-backup', {
    metadata: { name, namespace: component.namespace },
    spec: {
      cluster: { name: clusterName },
      schedule: backup.schedule ?? DEFAULT_SCHEDULE,
      method: ScheduledBackupSpecMethod.PLUGIN,
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
      backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
      target: ScheduledBackupSpecTarget.PREFER_HYPHEN_STANDBY,
      immediate: backup.immediate ?? true,
      suspend: suspended,
    },
  });
  return name;
}
