import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { parseCpu, parseMemory } from '../../estate/quantity.js';
import {
  ClusterSpecResources,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
  ClusterSpecStorage,
} from '../../../../imports/postgresql.cnpg.io.js';
import { SIDECAR_RESOURCES } from './backup.js';

/**
 * PostgreSQL operand image. The tag pins the major version (CNPG reads it from the tag) and the
 * minor; `standard` images carry the usual extensions (pgvector, PGAudit) but no in-tree Barman
 * (backups go through the Barman Cloud plugin's sidecar).
 */
// renovate: datasource=docker depName=ghcr.io/cloudnative-pg/postgresql
export const POSTGRES_IMAGE = { repository: 'ghcr.io/cloudnative-pg/postgresql', tag: '17.9-standard-trixie' };

/** A container image, pinned. */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
}

/** Requests and limits of each PostgreSQL instance. */
export interface PostgresResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '256Mi' */
  readonly memoryRequest?: string;
  /** @default - no CPU limit (throttling a database hurts more than it helps) */
  readonly cpuLimit?: string;
  /** @default '1Gi' */
  readonly memoryLimit?: string;
}

/** Resolved resources with every default filled in. */
export interface ResolvedResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit?: string;
  readonly memoryLimit: string;
}

/**
 * `'scale-down'`: hibernate while the cluster's scale-down profile is active; `true`/`false`:
 * always / never.
 */
export type HibernationSetting = boolean | 'scale-down';

/** CNPG's declarative hibernation annotation. */
export const HIBERNATION_ANNOTATION = 'cnpg.io/hibernation';

/** Whether a Cluster hibernates, given the setting and the cluster's scale-down profile. */
export function isHibernated(cluster: HomelabCluster, setting: HibernationSetting): boolean {
  return setting === 'scale-down' ? cluster.scaledDown : setting;
}

/** Annotations of every Cluster: hibernation is always explicit, `on` or `off`. */
export function clusterAnnotations(hibernated: boolean): Record<string, string> {
  return { [HIBERNATION_ANNOTATION]: hibernated ? 'on' : 'off' };
}

export function resolveResources(r: PostgresResources | undefined): ResolvedResources {
  return { cpuRequest: r?.cpuRequest ?? '100m', memoryRequest: r?.memoryRequest ?? '256Mi', cpuLimit: r?.cpuLimit, memoryLimit: r?.memoryLimit ?? '1Gi' };
}

export function resourcesSpec(r: ResolvedResources): ClusterSpecResources {
  const limits: Record<string, ClusterSpecResourcesLimits> = { memory: ClusterSpecResourcesLimits.fromString(r.memoryLimit) };
  if (r.cpuLimit) limits.cpu = ClusterSpecResourcesLimits.fromString(r.cpuLimit);
  return {
    requests: { cpu: ClusterSpecResourcesRequests.fromString(r.cpuRequest), memory: ClusterSpecResourcesRequests.fromString(r.memoryRequest) },
    limits,
  };
}

/** Storage of a Cluster; no `storageClass` means the cluster's default StorageClass. */
export function storageSpec(size: string, storageClass: string | undefined): ClusterSpecStorage {
  return { size, storageClass, resizeInUseVolumes: true };
}

/** True for a tag CNPG can read the PostgreSQL major version from (`17`, `17.9`, `17.9-standard-trixie`). */
export function isVersionTag(tag: string): boolean {
  return /^[1-9][0-9]*(\.[0-9]+)?([-_.][A-Za-z0-9._-]+)?$/.test(tag);
}

/** `repository:tag` of an image. */
export function imageName(image: ImageRef): string {
  return `${image.repository}:${image.tag}`;
}

/** Reports malformed sizes, resources and image pins at `field`. */
export function validateClusterInputs(component: Component, inputs: { image: ImageRef; storageSize: string; walStorageSize?: string; resources: ResolvedResources }): void {
  const d = Diagnostics.of(component);
  const { image } = inputs;
  if (!isVersionTag(image.tag)) {
    d.error(component, 'image.tag', `'${image.tag}' does not start with a PostgreSQL version, so CloudNativePG cannot tell the major version (and 'latest' is never allowed)`,
      `pin a versioned tag such as '${POSTGRES_IMAGE.tag}'`);
  }
  for (const [field, value] of [['storageSize', inputs.storageSize], ['walStorageSize', inputs.walStorageSize]] as const) {
    if (value !== undefined && !(parseMemory(value)! > 0)) d.error(component, field, `'${value}' is not a storage size`, "write a quantity such as '10Gi'");
  }
  const r = inputs.resources;
  for (const [field, value] of [['resources.cpuRequest', r.cpuRequest], ['resources.cpuLimit', r.cpuLimit]] as const) {
    if (value !== undefined && !(parseCpu(value)! > 0)) d.error(component, field, `'${value}' is not a CPU quantity`, "write cores or millicores, e.g. '500m' or '1'");
  }
  for (const [field, value] of [['resources.memoryRequest', r.memoryRequest], ['resources.memoryLimit', r.memoryLimit]] as const) {
    if (!(parseMemory(value)! > 0)) d.error(component, field, `'${value}' is not a memory quantity`, "write a quantity such as '512Mi' or '1Gi'");
  }
  const req = parseMemory(r.memoryRequest);
  const lim = parseMemory(r.memoryLimit);
  if (req !== undefined && lim !== undefined && req > lim) {
    d.error(component, 'resources.memoryLimit', `memory limit ${r.memoryLimit} is below the request ${r.memoryRequest}`, 'raise the limit or lower the request');
  }
}

/** Declares the instances of a Cluster for the capacity check (PostgreSQL plus the backup sidecar). */
export function declareInstances(component: Component, name: string, instances: number, r: ResolvedResources, withSidecar: boolean, heavy: boolean): void {
  const cpu = (parseCpu(r.cpuRequest) ?? 0) + (withSidecar ? parseCpu(SIDECAR_RESOURCES.cpuRequest)! : 0);
  const mem = (parseMemory(r.memoryRequest) ?? 0) + (withSidecar ? parseMemory(SIDECAR_RESOURCES.memoryRequest)! : 0);
  const memLimit = (parseMemory(r.memoryLimit) ?? 0) + (withSidecar ? parseMemory(SIDECAR_RESOURCES.memoryLimit)! : 0);
  component.addWorkload({
    name,
    replicas: instances,
    cpuRequest: `${cpu}m`,
    memoryRequest: `${Math.round(mem / 2 ** 20)}Mi`,
    cpuLimit: r.cpuLimit,
    memoryLimit: `${Math.round(memLimit / 2 ** 20)}Mi`,
    heavy,
  });
}
