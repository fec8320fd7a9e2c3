import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import type { Component } from '../estate/component.js';
import { cronProblem } from '../estate/cron.js';
import { Diagnostics } from '../estate/diagnostics.js';
import type { AppProps } from './app-props.js';
import type { AppVolume } from './volumes.js';
import { AppWorkload, JobOptions, runsToCompletion, workloadKind } from './workload-props.js';

/**
 * The controller around an App's pod template: Deployment, StatefulSet (with its headless Service),
 * DaemonSet, CronJob or Job, every one given the same hardened template (app-workload.ts builds it),
 * and the checks of what each kind cannot do.
 */

/** Flux recreates an object carrying this annotation when it cannot be patched (a Job's immutable template). */
const FLUX_FORCE = { 'kustomize.toolkit.fluxcd.io/force': 'enabled' };

/** What the controller is rendered from. */
export interface ControllerInput {
  readonly workload: AppWorkload | undefined;
  readonly metadata: k8s.ObjectMeta;
  readonly template: k8s.PodTemplateSpec;
  readonly selectorLabels: Record<string, string>;
  readonly replicas: number;
  /** Some volume is attached to one node at a time (a Deployment then recreates instead of rolling). */
  readonly singleNodeClaim: boolean;
  readonly claimTemplates: k8s.KubePersistentVolumeClaimProps[];
  /** Stopped (heavy apps while the cluster is scaled down): 0 replicas, or a suspended CronJob or Job. */
  readonly stopped: boolean;
}

/** The name of a StatefulSet's headless governing Service. */
export function headlessServiceName(app: string): string {
  return `${app}-headless`;
}

/** Renders the controller of `input.workload` into `app`. */
export function renderController(app: Component, input: ControllerInput): void {
  const w = input.workload;
  const selector = { matchLabels: { ...input.selectorLabels } };
  const { metadata, template } = input;
  if (w === undefined || w === 'Deployment') {
    new k8s.KubeDeployment(app, 'deployment', {
      metadata,
      spec: {
        replicas: input.replicas, revisionHistoryLimit: 3, selector, template,
        // A volume one node mounts at a time cannot move while the old pod still holds it.
        strategy: input.singleNodeClaim
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      },
    });
  } else if (w === 'StatefulSet') {
    new k8s.KubeStatefulSet(app, 'statefulset', {
      metadata,
      spec: {
        serviceName: headlessServiceName(app.name), replicas: input.replicas, revisionHistoryLimit: 3, selector, template,
        // Kubernetes' defaults, written out: pods one by one, claims kept when the set goes or shrinks.
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        volumeClaimTemplates: input.claimTemplates.length > 0 ? input.claimTemplates : undefined,
      },
    });
  } else if (w === 'DaemonSet') {
    new k8s.KubeDaemonSet(app, 'daemonset', {
      metadata,
      spec: { revisionHistoryLimit: 3, selector, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } } },
    });
  } else if (w.kind === 'CronJob') {
    new k8s.KubeCronJob(app, 'cronjob', {
      metadata,
      spec: {
        schedule: w.schedule,
        timeZone: w.timeZone,
        concurrencyPolicy: w.concurrencyPolicy ?? 'Forbid',
        startingDeadlineSeconds: w.startingDeadlineSeconds,
        successfulJobsHistoryLimit: w.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: w.failedJobsHistoryLimit ?? 1,
        suspend: input.stopped || undefined,
        jobTemplate: { metadata: { labels: template.metadata?.labels }, spec: jobSpec(w, template) },
      },
    });
  } else {
    // A suspended Job starts no pod until it is resumed (the scale-down profile switched off, the Job recreated).
    new k8s.KubeJob(app, 'job', { metadata: { ...metadata, annotations: { ...metadata.annotations, ...FLUX_FORCE } }, spec: { ...jobSpec(w, template), suspend: input.stopped || undefined } });
  }
}

/** A Job's spec: retries, deadline and the template with the Job's restart policy. */
function jobSpec(o: JobOptions, template: k8s.PodTemplateSpec): k8s.JobSpec {
  return {
    backoffLimit: o.backoffLimit ?? 6,
    activeDeadlineSeconds: o.activeDeadlineSeconds,
    template: { ...template, spec: { ...template.spec!, restartPolicy: o.restartPolicy ?? 'Never' } },
  };
}

/** Whether the kind gets a PodDisruptionBudget: replicated Deployments and StatefulSets only (a DaemonSet's pods are per node, a Job's end). */
export function wantsDisruptionBudget(workload: AppWorkload | undefined, replicas: number): boolean {
  const kind = workloadKind(workload);
  return (kind === 'Deployment' || kind === 'StatefulSet') && replicas > 1;
}

/** What each kind cannot do, reported at `workload` (or the prop it contradicts). */
export function checkWorkload(scope: IConstruct, p: AppProps, volumes: Readonly<Record<string, AppVolume>>): void {
  const d = Diagnostics.of(scope);
  const w = p.workload;
  const kind = workloadKind(w);
  if (kind === 'Deployment' || kind === 'StatefulSet') return;
  if (p.replicas !== undefined) d.error(scope, 'replicas', `a ${kind} has no replica count (${kind === 'DaemonSet' ? 'one pod per eligible node' : 'its pods run to completion'})`, kind === 'DaemonSet' ? 'drop replicas; narrow the nodes with nodeSelector' : 'drop replicas');
  if (p.spread) d.error(scope, 'spread', `a ${kind}'s pods are not spread by a constraint`, 'drop spread');
  if (kind === 'DaemonSet') {
    const shared = Object.entries(volumes).find(([, v]) => (v.type === 'claim' || v.type === 'existingClaim') && (v.accessMode ?? 'ReadWriteOnce') !== 'ReadWriteMany' && v.accessMode !== 'ReadOnlyMany');
    if (shared) d.error(scope, `persistence.${shared[0]}`, `a DaemonSet runs a pod on every eligible node, but volume '${shared[0]}' can be attached to one node only`, 'use ReadWriteMany storage (NFS), a hostPath, or a StatefulSet');
    if (p.heavy) d.error(scope, 'heavy', 'a DaemonSet cannot be stopped by the scale-down profile (it has no replica count)', 'drop heavy, or use a Deployment');
    return;
  }
  if (runsToCompletion(kind)) checkJob(d, scope, p, w as Exclude<AppWorkload, string>);
}

function checkJob(d: Diagnostics, scope: IConstruct, p: AppProps, w: Exclude<AppWorkload, string>): void {
  if ((p.expose ?? 'none') !== 'none') d.error(scope, 'expose', `a ${w.kind}'s pods run to completion, so nothing can be routed to them`, "set expose: 'none'");
  if (p.metrics) d.error(scope, 'metrics', `a ${w.kind} has no Service to scrape`, 'drop metrics (push them to a Pushgateway instead)');
  if ((p.sidecars ?? []).length > 0) d.error(scope, 'sidecars', `a sidecar would keep the ${w.kind}'s pod running after the job's container ends, so the Job never completes`, "make it a native sidecar (initContainers: [{ …, restartPolicy: 'Always' }]), which stops when the job's container ends");
  const nonNegative: [keyof JobOptions | 'startingDeadlineSeconds' | 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit', number][] = [['backoffLimit', 0], ['activeDeadlineSeconds', 1], ['startingDeadlineSeconds', 0], ['successfulJobsHistoryLimit', 0], ['failedJobsHistoryLimit', 0]];
  for (const [key, min] of nonNegative) {
    const v = (w as unknown as Record<string, unknown>)[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min)) d.error(scope, `workload.${key}`, `${key} ${String(v)} is out of range`, `use a whole number ≥ ${min}`);
  }
  if (w.kind !== 'CronJob') return;
  const problem = cronProblem(w.schedule ?? '', 5);
  if (problem) d.error(scope, 'workload.schedule', `schedule '${w.schedule}' is not a cron expression: ${problem}`, "write five fields, e.g. '30 3 * * *' (03:30 every day), or '@daily'");
  if (w.timeZone !== undefined && !/^([A-Za-z_+-]+(\/[A-Za-z0-9_+-]+)*|UTC)$/.test(w.timeZone)) d.error(scope, 'workload.timeZone', `'${w.timeZone}' is not an IANA time zone name`, "write it like 'Europe/Berlin' or 'UTC'");
  if (/TZ=|CRON_TZ=/.test(w.schedule ?? '')) d.error(scope, 'workload.schedule', 'the schedule sets its time zone inline, which the API server refuses', 'give it as timeZone instead');
}
