/**
 * Services are how constructs that never import each other still work together: a platform
 * component registers itself as the cluster's provider of a service (ingress, tunnel, Postgres…),
 * and apps ask the cluster for it. Requests are made in the `wire` phase, so the order in which a
 * cluster file declares apps and platform does not matter; providers render what they gathered
 * (a tunnel's ingress rules, for example) in the `finalize` phase.
 */
export class ServiceKey<T> {
  /** Phantom field carrying the provider type. */
  declare readonly _type?: T;
  constructor(public readonly name: string, public readonly description: string) {}
}

/**
 * Build phases, run in this order once every component is declared:
 * - `wire`: consumers find their providers and hand them what they need (routes, databases, monitors);
 * - `finalize`: providers render what they were handed (a hook here may not create components);
 * - `check`: cross-object checks over what is now complete (no new objects).
 */
export type Phase = 'wire' | 'finalize' | 'check';

/** {@link Phase}s in the order they run. */
export const PHASES: readonly Phase[] = ['wire', 'finalize', 'check'];
