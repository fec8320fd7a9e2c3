/** CloudNativePG clusters of the rendered tree: whether they follow the scale-down profile, and what a restore recovers from. */
import type { Manifest } from './manifests.js';

/** What a CNPG Cluster bootstrapped by `recovery` restores: its name and namespace, and the backup it reads. */
export interface CnpgRecovery {
  /** `metadata.namespace`, when the object sets one. */
  readonly namespace?: string;
  readonly clusterName: string;
  /** ObjectStore and server name it recovers from, when the Barman Cloud plugin parameters say. */
  readonly objectStore?: string;
  readonly serverName?: string;
}

const isCnpgCluster = (o: Manifest): boolean => o.kind === 'Cluster' && String(o.apiVersion).startsWith('postgresql.cnpg.io/');

/** Whether `o` is a CNPG Cluster carrying the `cnpg.io/hibernation` annotation (it follows the scale-down profile). */
export function isHibernationManaged(o: Manifest): boolean {
  return isCnpgCluster(o) && o.metadata?.annotations?.['cnpg.io/hibernation'] !== undefined;
}

/** The recovery a CNPG Cluster bootstraps from, or `undefined` for other objects and clusters started empty. */
export function cnpgRecovery(o: Manifest): CnpgRecovery | undefined {
  if (!isCnpgCluster(o) || !o.spec?.bootstrap?.recovery) return undefined;
  const source = String(o.spec.bootstrap.recovery.source ?? '');
  const external: Manifest | undefined = (o.spec.externalClusters ?? []).find((x: Manifest) => x.name === source);
  const params = external?.plugin?.parameters ?? {};
  return {
    ...(o.metadata?.namespace !== undefined && o.metadata?.namespace !== null ? { namespace: String(o.metadata.namespace) } : {}),
    clusterName: String(o.metadata?.name),
    ...(params.barmanObjectName ? { objectStore: String(params.barmanObjectName) } : {}),
    ...(params.serverName ? { serverName: String(params.serverName) } : {}),
  };
}
