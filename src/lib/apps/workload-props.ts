/**
 * Which controller runs an App's pods (see {@link AppProps.workload}), as types: the props, the
 * shape table and the renderer (app-controller.ts) speak them. Every kind gets the same hardened
 * pod template; only the controller around it differs.
 */

/** Retries and clean-up of the pods of a Job (one-off or scheduled). */
export interface JobOptions {
  /** Retries before the Job fails. @default 6 — the Kubernetes default */
  readonly backoffLimit?: number;
  /** Seconds the Job may run in all before it is stopped. @default - no deadline */
  readonly activeDeadlineSeconds?: number;
  /**
   * `Never`: a failed container gives a new pod and the failed one stays for `kubectl logs` until
   * the Job is cleaned up; `OnFailure` restarts the container in the same pod. A Job's pods must
   * say one of them (the API server refuses `Always`).
   * @default 'Never' — failed runs keep their logs, which is what one debugging a backup wants
   */
  readonly restartPolicy?: 'Never' | 'OnFailure';
}

/** A Job run on a schedule. */
export interface CronJobWorkload extends JobOptions {
  readonly kind: 'CronJob';
  /** Five-field cron expression (or `@daily`, `@hourly`…), in `timeZone`. */
  readonly schedule: string;
  /** IANA time zone of the schedule, e.g. `Europe/Berlin`. @default - the controller manager's (UTC on Talos and k3s) */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the last one still runs.
   * @default 'Forbid' — Kubernetes' default is `Allow`, but two runs of a backup or a sync job on the
   * same volume at once is rarely wanted; the late run is skipped
   */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Seconds after the due time a missed run may still start. @default - no deadline (Kubernetes' default) */
  readonly startingDeadlineSeconds?: number;
  /** @default 3 — the Kubernetes default */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 1 — the Kubernetes default */
  readonly failedJobsHistoryLimit?: number;
}

/**
 * A one-off Job (a migration, a seed). Flux applies it once; a changed pod template cannot be
 * patched into a Job (its template is immutable), so the Job carries Flux's
 * `kustomize.toolkit.fluxcd.io/force: enabled` and is recreated — and run again — when it changes.
 * No `ttlSecondsAfterFinished`: Flux would recreate a Job the TTL deleted and run it again.
 */
export interface JobWorkload extends JobOptions {
  readonly kind: 'Job';
}

/**
 * The controller of an App's pods:
 * - `Deployment`: interchangeable replicas;
 * - `StatefulSet`: stable pod names behind a headless Service `<app>-headless`, and one claim per
 *   pod for each `claim` volume (volumeClaimTemplates, kept when the set is deleted or scaled down);
 * - `DaemonSet`: one pod on every node the placement admits (no replicas, no PodDisruptionBudget);
 * - a CronJob or Job: pods that run to completion (no Service, route or PodDisruptionBudget).
 */
export type AppWorkload = 'Deployment' | 'StatefulSet' | 'DaemonSet' | CronJobWorkload | JobWorkload;

/** The kind name of a workload. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job';

/** The kind of `w` (`Deployment` when not given). */
export function workloadKind(w: AppWorkload | undefined): WorkloadKind {
  return w === undefined ? 'Deployment' : typeof w === 'string' ? w : w.kind;
}

/** Whether pods of this kind run to completion (CronJob, Job). */
export function runsToCompletion(kind: WorkloadKind): boolean {
  return kind === 'CronJob' || kind === 'Job';
}
