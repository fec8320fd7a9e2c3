import { ApiObject } from 'cdk8s';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { Construct } from 'constructs';

/** One folder of an upstream Git repository that Flux applies as it is (CRDs no chart installs). */
export interface UpstreamManifestsProps {
  /** Name of the GitRepository and of the nested Flux Kustomization (in flux-system). */
  readonly name: string;
  /** Repository URL. */
  readonly url: string;
  /** Git tag to fetch: a pin, never a branch. */
  readonly tag: string;
  /** Folder inside the repository, without leading or trailing slash (`config/crd/standard`). */
  readonly path: string;
  /** How often Flux re-applies the folder. @default '1h' */
  readonly interval?: string;
}

/**
 * A `GitRepository` fetching only `path` of `url` at `tag`, and a nested Flux `Kustomization`
 * applying it with `wait: true` and `prune: false`: these are CRDs, and deleting a CRD deletes every
 * object of its kinds, so removing the component (or renaming it) must never prune them.
 */
export function upstreamManifests(scope: Construct, props: UpstreamManifestsProps): void {
  const repo = new GitRepository({
    metadata: { name: props.name, namespace: 'flux-system' },
    spec: {
      interval: '12h',
      url: props.url,
      ref: { tag: props.tag },
      // Fetch only the folder, not the whole repository.
      ignore: `/*\n!/${props.path}/\n`,
    },
  });
  new ApiObject(scope, 'source', repo.toJSON() as any);
  const ks = new Kustomization({
    metadata: { name: props.name, namespace: 'flux-system' },
    spec: {
      interval: props.interval ?? '1h',
      retryInterval: '1m',
      timeout: '5m',
      path: `./${props.path}`,
      prune: false,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: props.name },
    },
  });
  new ApiObject(scope, 'kustomization', ks.toJSON() as any);
}
