import { HomelabCluster } from '../estate/cluster.js';
import type { PostgresExtension } from '../platform/databases/postgres-config.js';
import { App, PostgresRequest, Resources } from './app.js';
import { EnvValue } from './env.js';
import { ImageRef } from './image.js';
import { NetworkPeer, web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, SharedStorage, sharedVolume, withOptions } from './options.js';
import { AppVolume } from './volumes.js';

/** Immich's server (API, web UI and job workers; amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/immich-app/immich-server
export const IMMICH_SERVER_IMAGE: ImageRef = { repository: 'ghcr.io/immich-app/immich-server', tag: 'v3.1.0', archs: ['amd64', 'arm64'] };

/** Immich's machine-learning service (CLIP search, faces, OCR; the CPU build, amd64/arm64). Keep it on the server's version. */
// renovate: datasource=docker depName=ghcr.io/immich-app/immich-machine-learning
export const IMMICH_ML_IMAGE: ImageRef = { repository: 'ghcr.io/immich-app/immich-machine-learning', tag: 'v3.1.0', archs: ['amd64', 'arm64'] };

/**
 * The extensions Immich's database needs, dependencies first (CNPG runs CREATE EXTENSION without
 * CASCADE): VectorChord on pgvector, earthdistance on cube, and the ones the initial migration asks
 * for (uuid-ossp, unaccent, pg_trgm). Created by CNPG as superuser, so Immich's own role, which is
 * not one, finds them in place ("Pre-existing Postgres" in Immich's docs).
 */
export const IMMICH_EXTENSIONS: readonly PostgresExtension[] = [
  { name: 'vector' }, { name: 'vchord' }, { name: 'cube' }, { name: 'earthdistance' },
  { name: 'pg_trgm' }, { name: 'unaccent' }, { name: 'uuid-ossp' },
];

/** The uid/gid Immich's rootless compose file runs both containers as (the `node` user of the server's base image). */
const IMMICH_UID = 1000;

export interface ImmichMachineLearningOptions {
  /** `/cache`: downloaded models (a few GB), kept across restarts. @default 10Gi claim */
  readonly cache?: ConfigStorage;
  /** @default - 100m / 1Gi requested, 4Gi memory limit */
  readonly resources?: Resources;
  /** Another pinned image (a `-openvino` or `-cuda` build). @default IMMICH_ML_IMAGE */
  readonly image?: ImageRef;
}

export interface ImmichProps extends AppOptions {
  /**
   * The database: `cluster` names a PostgresCluster running VECTORCHORD_IMAGE with
   * VECTORCHORD_PRELOAD in `sharedPreloadLibraries` (the cluster's default PostgreSQL has no
   * VectorChord, and Immich refuses to start without it). {@link IMMICH_EXTENSIONS} are created there.
   */
  readonly postgres: Pick<PostgresRequest, 'database' | 'owner'> & { readonly cluster: string };
  /** `/data`: uploads, thumbnails, encoded video, backups. @default 50Gi claim */
  readonly storage?: ConfigStorage;
  /** Put `/data` on the NAS (an NFS export or a ReadWriteMany claim) instead of a claim. @default - the `storage` claim */
  readonly library?: SharedStorage;
  /** The machine-learning service, as its own Deployment; `false` leaves smart search and faces off. @default {} */
  readonly machineLearning?: ImmichMachineLearningOptions | false;
}

/**
 * Immich on 2283 as uid/gid 1000 with a read-only root filesystem (its image runs unprivileged as
 * given: `/data` and `/tmp` are all it writes), PostgreSQL on a VectorChord cluster (`DB_*` from the
 * database Secret, the extensions created by CNPG), Redis for its job queues (`REDIS_*`), health
 * `/api/server/ping`. The machine-learning service is a second App, `<id>-machine-learning`, on 3003
 * (`/ping`), its models on a claim and `/.cache`, `/.config` on emptyDirs (its HOME is `/` as uid
 * 1000); the server reaches it at IMMICH_MACHINE_LEARNING_URL and is the only one allowed in.
 * Both fetch over HTTPS (version check, model downloads). Immich's nightly database dump uses
 * pg_dumpall, which needs a superuser: back the database up with the PostgresCluster's `backup` instead.
 */
export class Immich extends App {
  /** The machine-learning App, when enabled. */
  public readonly machineLearning?: App;

  constructor(cluster: HomelabCluster, id: string, props: ImmichProps) {
    const namespace = props.namespace ?? 'photos';
    const ml = props.machineLearning === false ? undefined : machineLearningApp(cluster, `${id}-machine-learning`, namespace, props, props.machineLearning ?? {});
    const env: Record<string, EnvValue> = {
      IMMICH_PORT: '2283',
      IMMICH_MEDIA_LOCATION: '/data',
      DB_VECTOR_EXTENSION: 'vectorchord',
      IMMICH_TRUSTED_PROXIES: cluster.network.podCidr,
    };
    if (ml) env.IMMICH_MACHINE_LEARNING_URL = ml.url;
    const data: AppVolume = props.library ? sharedVolume('/data', props.library, false) : configVolume('/data', '50Gi', props.storage);
    const egress: NetworkPeer[] = [web(), ...(ml ? [{ app: ml }] : [])];
    super(cluster, id, withOptions({
      namespace,
      image: IMMICH_SERVER_IMAGE,
      ports: [{ name: 'http', port: 2283 }],
      env,
      database: {
        postgres: {
          cluster: props.postgres.cluster,
          database: props.postgres.database ?? 'immich',
          owner: props.postgres.owner,
          extensions: IMMICH_EXTENSIONS,
          env: { host: 'DB_HOSTNAME', port: 'DB_PORT', database: 'DB_DATABASE_NAME', username: 'DB_USERNAME', password: 'DB_PASSWORD' },
        },
      },
      redis: { env: { host: 'REDIS_HOSTNAME', port: 'REDIS_PORT', password: 'REDIS_PASSWORD' } },
      persistence: { data },
      expose: 'internal',
      healthCheck: { path: '/api/server/ping' },
      // The first start runs the migrations and builds the vector indexes.
      probes: { startup: { failureThreshold: 60 } },
      resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '4Gi' },
      security: { runAsUser: IMMICH_UID, runAsGroup: IMMICH_UID, fsGroup: IMMICH_UID },
      network: { egress },
    }, props));
    this.machineLearning = ml;
  }
}

/** The machine-learning Deployment, in the server's namespace, reachable from the server only. */
function machineLearningApp(cluster: HomelabCluster, id: string, namespace: ImmichProps['namespace'], props: ImmichProps, ml: ImmichMachineLearningOptions): App {
  return new App(cluster, id, {
    namespace,
    group: props.group,
    layer: props.layer,
    image: ml.image ?? IMMICH_ML_IMAGE,
    ports: [{ name: 'http', port: 3003 }],
    env: { TZ: props.timezone ?? 'Etc/UTC', IMMICH_PORT: '3003', MACHINE_LEARNING_CACHE_FOLDER: '/cache' },
    persistence: {
      cache: configVolume('/cache', '10Gi', ml.cache),
      'home-cache': { type: 'emptyDir', mountPath: '/.cache', sizeLimit: '1Gi' },
      'home-config': { type: 'emptyDir', mountPath: '/.config', sizeLimit: '64Mi' },
    },
    healthCheck: { path: '/ping' },
    // Models load at the first request, not at start; a slow node still answers /ping quickly.
    resources: { cpuRequest: '100m', memoryRequest: '1Gi', memoryLimit: '4Gi', ...ml.resources },
    security: { runAsUser: IMMICH_UID, runAsGroup: IMMICH_UID, fsGroup: IMMICH_UID },
    nodeSelector: props.nodeSelector,
    tolerations: props.tolerations,
    heavy: props.heavy,
    // Models are downloaded from Hugging Face.
    network: { egress: [web()] },
  });
}
