import type { HomelabCluster } from '../estate/cluster.js';
import { Component, ComponentProps, Layer, NamespaceOptions } from '../estate/component.js';
import { ChartRelease, ChartReleaseProps } from '../flux/helm-release.js';
import { mergeValues } from '../flux/values.js';

/** Where a platform component deploys: the props every platform construct shares. */
export interface PlatformProps {
  /** Namespace. @default - the class's `placement.namespace.name` (each class documents its own) */
  readonly namespace?: string;
  /** Folder group. @default - the class's `placement.group` (each class documents its own) */
  readonly group?: string;
  /** Layer in the layered layout. @default - the class's `placement.layer`, else 'platform' */
  readonly layer?: Layer;
}

/** Props of a platform component installed from a Helm chart. */
export interface HelmComponentProps extends PlatformProps {
  /** Extra Helm values, deep-merged over the derived ones and validated like them. @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * What a platform component uses when its {@link PlatformProps} leave namespace, group or layer
 * out, and how its namespace looks. Each component class publishes its own as `static placement`.
 */
export interface Placement {
  /** The default namespace name and the Namespace's options (Pod Security level, prune protection). */
  readonly namespace: NamespaceOptions;
  readonly group: string;
  /** @default 'platform' */
  readonly layer?: Layer;
}

/** Component props a platform component may still set itself (the rest comes from {@link PlatformProps}). */
export type PlatformComponentOptions = Omit<ComponentProps, 'name' | 'namespace' | 'group' | 'layer'>;

/**
 * A platform component: a {@link Component} whose namespace, group and layer come from
 * {@link PlatformProps}, with the class's {@link Placement} filling in what they leave out.
 */
export class PlatformComponent extends Component {
  constructor(cluster: HomelabCluster, id: string, props: PlatformProps, placement: Placement, options: PlatformComponentOptions = {}) {
    super(cluster, {
      name: id,
      namespace: namespaceOf(props, placement),
      group: props.group ?? placement.group,
      layer: props.layer ?? placement.layer,
      ...options,
    });
  }
}

/**
 * A platform component installed from one Helm chart: the chart is the component's HelmRelease
 * `chart`, with the derived values and the props' extra `values` deep-merged over them.
 */
export class HelmComponent extends PlatformComponent {
  /** Renders the chart: `values` with `extra` deep-merged over them, plus any other release options. */
  protected renderChart(chart: ChartReleaseProps['chart'], values: Record<string, unknown>, extra?: Record<string, unknown>, options: Omit<ChartReleaseProps, 'chart' | 'values'> = {}): ChartRelease {
    return new ChartRelease(this, 'chart', { chart, values: mergeValues(values, extra), ...options });
  }
}

/** The placement's namespace, named as the props say. */
function namespaceOf(props: PlatformProps, placement: Placement): NamespaceOptions {
  const { name, ...options } = placement.namespace;
  return { name: props.namespace ?? name, ...options };
}
