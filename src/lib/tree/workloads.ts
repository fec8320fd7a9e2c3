/** Workloads of the rendered tree as the scheduler reads them: replicas, containers' resources, placement rules. */
import { apiGroup, containersOf, Manifest, podTemplateOf } from './manifests.js';

/** One container of a pod template and the resources it writes (quantities as written, unparsed). */
export interface ContainerResources {
  /** Field path of the container's resources, e.g. `spec.template.spec.containers[0].resources`. */
  readonly field: string;
  /** An init container that runs to completion (not a native sidecar, `restartPolicy: Always`). */
  readonly runsToCompletion: boolean;
  readonly requests: { readonly cpu?: unknown; readonly memory?: unknown };
  readonly limits: { readonly cpu?: unknown; readonly memory?: unknown };
}

/** A workload object (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod…) with its pod template read. */
export interface PodWorkload {
  readonly kind: string;
  readonly name: string;
  /** One pod per eligible node (a DaemonSet). */
  readonly perNode: boolean;
  /** Runs to completion (batch Jobs and CronJobs). */
  readonly transient: boolean;
  /** `spec.replicas` as written: only Deployments, StatefulSets and ReplicaSets have it. */
  readonly replicas: unknown;
  /** Field path of the pod spec, e.g. `spec.template.spec`. */
  readonly podSpecAt: string;
  readonly containers: readonly ContainerResources[];
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Required node affinity: the `matchExpressions` of each term. */
  readonly affinityTerms: readonly (readonly Manifest[])[];
  readonly tolerations: readonly Manifest[];
  /** Required pod anti-affinity on the hostname: at most one pod per node. */
  readonly onePerNode: boolean;
}

/** The workload a manifest describes, or `undefined` when it has no pod template. */
export function podWorkload(o: Manifest): PodWorkload | undefined {
  const t = podTemplateOf(o);
  if (!t) return undefined;
  const spec = t.spec;
  const containers = containersOf(spec).map(({ container, at, init }) => {
    const r = container.resources ?? {};
    return { field: `${t.at}.${at}.resources`, runsToCompletion: init && container.restartPolicy !== 'Always', requests: r.requests ?? {}, limits: r.limits ?? {} };
  });
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const antiAffinity = spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return {
    kind: String(o.kind),
    name: String(o.metadata?.name),
    perNode: o.kind === 'DaemonSet',
    transient: apiGroup(o) === 'batch',
    replicas: o.spec?.replicas,
    podSpecAt: t.at,
    containers,
    nodeSelector: spec.nodeSelector ?? {},
    affinityTerms: terms.map((term: Manifest) => term.matchExpressions ?? []),
    tolerations: spec.tolerations ?? [],
    onePerNode: antiAffinity.some((a: Manifest) => a.topologyKey === 'kubernetes.io/hostname'),
  };
}

/**
 * Container images of rendered objects as the docs list them, `repository:tag`, sorted: any
 * object with a pod spec where workloads keep one (`spec.template.spec`, a CronJob's job template, a Pod's spec).
 */
export function containerImages(objects: readonly Manifest[]): string[] {
  const images = new Set<string>();
  for (const o of objects) {
    const pod = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) if (typeof c?.image === 'string') images.add(c.image);
  }
  return [...images].sort();
}
