import { crdGroup } from '../estate/capabilities.js';
import type { HomelabCluster } from '../estate/cluster.js';
import { Component, Layer } from '../estate/component.js';
import { upstreamManifests } from '../flux/upstream-manifests.js';

/** Props every upstream-CRDs component takes. */
export interface UpstreamCrdsProps {
  /** Upstream release (a Git tag of the upstream repository). @default - the class's pinned release (its `source.version`) */
  readonly version?: string;
  /** How often Flux re-applies the CRDs. @default '1h' */
  readonly interval?: string;
  /** Folder group. @default - the class's `source.group` */
  readonly group?: string;
  /** @default 'platform' */
  readonly layer?: Layer;
}

/** Where a set of CRDs comes from upstream, and what it provides. */
export interface UpstreamCrdsSource {
  /** Name of the component {@link UpstreamCrds.ensure} creates. */
  readonly id: string;
  /** Name of the GitRepository and nested Flux Kustomization rendered. */
  readonly name: string;
  /** Upstream Git repository. */
  readonly url: string;
  /** Folder of the repository holding the CRD manifests. */
  readonly path: string;
  /** Release installed when the props name none. */
  readonly version: string;
  /** Folder group when the props name none. */
  readonly group: string;
  /** API group of the CRDs, provided to the cluster as `crdGroup(apiGroup)`. */
  readonly apiGroup: string;
}

/** A concrete upstream-CRDs class: its source and its constructor. */
export interface UpstreamCrdsClass {
  readonly source: UpstreamCrdsSource;
  new (cluster: HomelabCluster, id: string, props?: UpstreamCrdsProps): Component;
}

/**
 * CRDs applied from upstream at a pinned tag (no chart installs them here): a `GitRepository`
 * fetching only the CRD folder and a nested Flux `Kustomization` applying it without pruning, in
 * `flux-system`. Provides the CRDs' API group, so everything rendering their kinds waits for it.
 * A concrete class declares only its static `source` ({@link UpstreamCrdsClass}).
 */
export class UpstreamCrds extends Component {
  /**
   * The component providing the class's CRDs (its `source.apiGroup`), created as `source.id` with
   * `props` if the cluster has none yet. Call it from a `wire` hook (every constructor has run by
   * then) so two constructs never both create one.
   */
  public static ensure(this: UpstreamCrdsClass, cluster: HomelabCluster, props: UpstreamCrdsProps = {}): Component {
    const existing = cluster.components.find((c) => c.provides.has(crdGroup(this.source.apiGroup)));
    return existing ?? new this(cluster, this.source.id, props);
  }

  /** The upstream release installed. */
  public readonly version: string;

  /** @param props what to install; the rest comes from the concrete class's static `source`. */
  constructor(cluster: HomelabCluster, id: string, props: UpstreamCrdsProps = {}) {
    const source = (new.target as unknown as UpstreamCrdsClass).source;
    super(cluster, { name: id, namespace: 'flux-system', group: props.group ?? source.group, layer: props.layer });
    this.version = props.version ?? source.version;
    upstreamManifests(this, { name: source.name, url: source.url, tag: this.version, path: source.path, interval: props.interval });
    this.provide(crdGroup(source.apiGroup));
  }
}
