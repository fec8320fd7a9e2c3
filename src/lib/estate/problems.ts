import { IConstruct } from 'constructs';

/** One user mistake, located precisely enough to fix without reading library code. */
export interface Problem {
  /** Cluster the problem belongs to, or `(estate)` for estate-wide problems. */
  readonly cluster: string;
  /** Construct path inside the estate, e.g. `lab/platform/longhorn`. */
  readonly path: string;
  /** The offending field, e.g. `nodes[1].ip` or `spec.values.controller.replicaCount`. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Non-fatal observation printed by synth (fatal under `--strict`). */
export interface Warning {
  readonly cluster: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** Why the cluster accepts it (`acceptedWarnings`): printed, but not fatal under `--strict`. */
  readonly accepted?: string;
}

/** Formats one problem the way synth prints it. */
export function formatProblem(p: Problem): string {
  return `[${p.cluster}] ${p.path} › ${p.field}: ${p.message}\n    fix: ${p.fix}`;
}

/**
 * The only error type synth raises for user mistakes. It carries every problem found,
 * so a user sees all of them in one run; the CLI prints them without a stack trace.
 */
export class SynthError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(`synth found ${problems.length} problem(s):\n` + problems.map((p) => '  ' + formatProblem(p)).join('\n'));
    this.name = 'SynthError';
    this.problems = problems;
  }
}

/** Construct path without the root (the estate's own id). */
export function pathOf(scope: IConstruct): string {
  return scope.node.scopes.slice(1).map((s) => s.node.id).join('/') || '(estate)';
}
