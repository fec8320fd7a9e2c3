import { NamespaceOptions } from '../estate/component.js';
import { Exposure } from '../estate/services.js';
import type { AppNetwork, AppProps, PostgresEnv, PostgresRequest, Resources } from './app-props.js';
import { EnvValue, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { AppSecurity } from './security.js';
import { AppVolume } from './volumes.js';

/**
 * What a user may change on any of the named app constructs. Everything else (image user, ports,
 * paths, env names) is fixed by the construct because the image dictates it. Layer, dependsOn,
 * nodeSelector and tolerations mean what they mean on {@link AppProps}.
 */
export interface AppOptions extends Pick<AppProps, 'layer' | 'dependsOn' | 'nodeSelector' | 'tolerations'> {
  /** @default - the construct's namespace (e.g. 'media' for the media stack) */
  readonly namespace?: string | NamespaceOptions;
  /** @default - the namespace */
  readonly group?: string;
  /** Another pinned image (a mirror, a newer tag). @default - the construct's pinned image */
  readonly image?: ImageRef;
  /** @default - the construct's default (see its README row) */
  readonly expose?: Exposure;
  /** @default - `<subdomain>.<cluster domain>` */
  readonly hostname?: string;
  /** @default - the component name */
  readonly subdomain?: string;
  /** @default - the construct's sizing */
  readonly resources?: Resources;
  /** @default - the construct's default (true for media servers, downloaders and automation) */
  readonly heavy?: boolean;
  /** Extra peers, added to the derived ones. @default - derived peers only */
  readonly network?: AppNetwork;
  /** Extra variables, after the construct's own (a same name replaces the construct's). @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Time zone of the app. @default 'Etc/UTC' */
  readonly timezone?: string;
  /** Change the identity the image runs as (e.g. to match NAS file owners). @default - the construct's */
  readonly security?: Pick<AppSecurity, 'runAsUser' | 'runAsGroup' | 'fsGroup' | 'supplementalGroups'>;
}

/** The app's own configuration volume. */
export interface ConfigStorage {
  /** @default - the construct's size */
  readonly size?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Use this existing claim instead of creating one (restored data). @default - a new claim `<app>-config` */
  readonly existingClaim?: string;
}

/** A shared media / data location: an NFS export or an existing ReadWriteMany claim. */
export type SharedStorage =
  | { readonly nfs: { readonly server: string; readonly path: string } }
  | { readonly existingClaim: string };

/** Merges a construct's props with the user's options (options win; env and network are added). */
export function withOptions(base: AppProps, options: AppOptions): AppProps {
  const env: Record<string, EnvValue> = { TZ: options.timezone ?? 'Etc/UTC', ...base.env, ...options.env };
  return {
    ...base,
    namespace: options.namespace ?? base.namespace,
    group: options.group ?? base.group,
    layer: options.layer ?? base.layer,
    dependsOn: options.dependsOn ?? base.dependsOn,
    image: options.image ?? base.image,
    expose: options.expose ?? base.expose,
    hostname: options.hostname ?? base.hostname,
    subdomain: options.subdomain ?? base.subdomain,
    resources: options.resources ? { ...base.resources, ...options.resources } : base.resources,
    nodeSelector: options.nodeSelector ?? base.nodeSelector,
    tolerations: options.tolerations ?? base.tolerations,
    heavy: options.heavy ?? base.heavy,
    env,
    security: { ...base.security, ...options.security },
    network: {
      egress: [...(base.network?.egress ?? []), ...(options.network?.egress ?? [])],
      ingress: [...(base.network?.ingress ?? []), ...(options.network?.ingress ?? [])],
    },
  };
}

/** The app's config volume: a new claim (default size) or an existing one. */
export function configVolume(mountPath: string, defaultSize: string, storage: ConfigStorage = {}): AppVolume {
  if (storage.existingClaim) return { type: 'existingClaim', claimName: storage.existingClaim, mountPath };
  return { type: 'claim', size: storage.size ?? defaultSize, storageClass: storage.storageClass, mountPath };
}

/** A shared media / data volume. */
export function sharedVolume(mountPath: string, storage: SharedStorage, readOnly = false): AppVolume {
  if ('nfs' in storage) return { type: 'nfs', server: storage.nfs.server, path: storage.nfs.path, mountPath, readOnly };
  return { type: 'existingClaim', claimName: storage.existingClaim, accessMode: 'ReadWriteMany', mountPath, readOnly };
}

/** What a user may choose of an app's PostgreSQL database: its name and owner role (the construct fixes the variables). */
export type DatabaseChoice = Pick<PostgresRequest, 'database' | 'owner'>;

/** The app's `database` prop: the user's database name (else the construct's) and owner, in the construct's variables. */
export function postgresDatabase(choice: DatabaseChoice | undefined, defaultName: string, env: PostgresEnv): { postgres: PostgresRequest } {
  return { postgres: { database: choice?.database ?? defaultName, owner: choice?.owner, env } };
}

/** A secret input as an env value. */
export function secretEnv(input: SecretInput): EnvValue {
  return input;
}

/** The hostname an app will get, known before construction (for env such as DOMAIN=https://…). */
export function expectedHostname(name: string, domain: string, options: Pick<AppOptions, 'hostname' | 'subdomain'>): string {
  return options.hostname ?? `${options.subdomain ?? name}.${domain}`;
}
