import { IConstruct } from 'constructs';
import { Problem, SynthError, Warning, pathOf } from './problems.js';

/** Marks the construct that names a cluster, so any descendant can find its cluster's name. */
export const CLUSTER_NAME = Symbol.for('cdk8s-homelab.cluster-name');

/** Where the root construct holds its estate's {@link Diagnostics}. */
const DIAGNOSTICS = Symbol('cdk8s-homelab.diagnostics');

/**
 * Collects every problem and warning raised while the estate is built and synthesized.
 * Constructs report a mistake and carry on with a safe fallback, so one run lists them all.
 */
export class Diagnostics {
  /** The diagnostics of the estate `scope` belongs to, held by the estate's root construct. */
  public static of(scope: IConstruct): Diagnostics {
    const root = scope.node.root as IConstruct & { [DIAGNOSTICS]?: Diagnostics };
    return (root[DIAGNOSTICS] ??= new Diagnostics());
  }

  public readonly problems: Problem[] = [];
  public readonly warnings: Warning[] = [];

  /** Records a user mistake at `scope`. */
  public error(scope: IConstruct, field: string, message: string, fix: string): void {
    this.problems.push({ cluster: clusterNameOf(scope), path: pathOf(scope), field, message, fix });
  }

  /** Records a warning at `scope`; the same code is kept once per cluster and path. */
  public warn(scope: IConstruct, code: string, message: string): void {
    const w = { cluster: clusterNameOf(scope), path: pathOf(scope), code, message };
    if (!this.warnings.some((x) => x.cluster === w.cluster && x.path === w.path && x.code === code)) this.warnings.push(w);
  }

  /** Throws a {@link SynthError} holding every problem so far, if there is any. */
  public throwIfAny(): void {
    if (this.problems.length > 0) throw new SynthError(this.problems);
  }
}

/** Name of the cluster `scope` belongs to, or `(estate)`. */
export function clusterNameOf(scope: IConstruct): string {
  for (const s of [...scope.node.scopes].reverse()) {
    const name = (s as unknown as Record<symbol, string | undefined>)[CLUSTER_NAME];
    if (name) return name;
  }
  return '(estate)';
}

/**
 * A construct id for a new child named `name` under `scope`. A name already taken is reported as a
 * duplicate (instead of the construct library's own exception) and a unique id is returned.
 */
export function uniqueChildId(scope: IConstruct, name: string, what: string): string {
  if (!scope.node.tryFindChild(name)) return name;
  Diagnostics.of(scope).error(scope, `${what}.${name}`, `two ${what}s are named '${name}'`, `give each ${what} a unique name`);
  let i = 2;
  while (scope.node.tryFindChild(`${name}~${i}`)) i++;
  return `${name}~${i}`;
}
