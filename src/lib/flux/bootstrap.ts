import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { HomelabCluster } from '../estate/cluster.js';
import { fluxKustomization, SYNC_SOURCE } from './kustomization.js';
import { PRUNE_ANNOTATION } from '../tree/manifests.js';

/** Flux controllers the FluxInstance installs. */
export const FLUX_COMPONENTS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] as const;

/** Where flux-operator pulls the Flux distribution manifests from. */
export const FLUX_MANIFESTS_ARTIFACT = 'oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests';

/**
 * The flux-operator `FluxInstance` that installs Flux and syncs `syncPath` from the cluster's Git
 * repository. It creates the `flux-system` GitRepository and Kustomization itself. It is
 * prune-protected (`kustomize.toolkit.fluxcd.io/prune: disabled`).
 */
export function fluxInstance(cluster: HomelabCluster, syncPath: string): Record<string, unknown> {
  const sync: Record<string, unknown> = {
    kind: 'GitRepository',
    url: cluster.git.url,
    ref: `refs/heads/${cluster.git.branch}`,
    path: syncPath,
    interval: cluster.flux.interval,
  };
  if (cluster.git.secretRef) sync.pullSecret = cluster.git.secretRef;
  return {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
    // Deleting the FluxInstance makes flux-operator uninstall Flux: dropping it from the tree (or
    // renaming it) must never let the root Kustomization prune it.
    metadata: { name: 'flux', namespace: 'flux-system', annotations: { [PRUNE_ANNOTATION]: 'disabled' } },
    spec: {
      distribution: { version: cluster.flux.version, registry: 'ghcr.io/fluxcd', artifact: FLUX_MANIFESTS_ARTIFACT },
      components: [...FLUX_COMPONENTS],
      cluster: { type: 'kubernetes', multitenant: false, networkPolicy: true, domain: 'cluster.local' },
      sync,
      wait: true,
    },
  };
}

/**
 * The two sync objects `flux bootstrap` writes to `gotk-sync.yaml`: the GitRepository and the
 * root Kustomization. Synth owns them; `gotk-components.yaml` stays the CLI's.
 */
export function classicSyncObjects(cluster: HomelabCluster, syncPath: string): Record<string, unknown>[] {
  const repo = new GitRepository({
    metadata: { name: SYNC_SOURCE.name, namespace: SYNC_SOURCE.namespace },
    spec: {
      interval: '1m',
      ref: { branch: cluster.git.branch },
      url: cluster.git.url,
      secretRef: { name: cluster.git.secretRef ?? 'flux-system' },
    },
  });
  const root = fluxKustomization({ name: 'flux-system', path: `./${syncPath}`, interval: cluster.flux.interval, wait: false });
  return [repo.toJSON() as unknown as Record<string, unknown>, root];
}
