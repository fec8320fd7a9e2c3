/**
 * The ledger: one per cluster, holding the typed facts constructs record while they build and wire
 * (routes, hostnames, LoadBalancer addresses, node requirements, network flows, user secrets…) so
 * checks, docs, capacity and the Talos/bootstrap generators read them instead of re-parsing YAML.
 *
 * This module depends on nothing else in the library: each kind of fact is declared beside the
 * code that records it (`new FactKind<RouteFact>('route')`), and whoever reads that fact imports
 * the kind from there. The ledger replaces per-module registries: no fact lives in module state,
 * so two estates built in one process never see each other's facts.
 */

/** A kind of fact, typed by what one fact holds. Declare one constant per kind, beside its producer. */
export class FactKind<T> {
  /** @param name short name, used in error messages and docs (e.g. `route`). */
  constructor(public readonly name: string) {}

  /** @internal never called: keeps `T` part of the type, so two kinds of different facts do not mix. */
  protected readonly factType?: (fact: T) => void;
}

/** A value derived once from the ledger (or the cluster) and reused by every reader. */
export class DerivedKind<T> {
  constructor(public readonly name: string) {}

  /** @internal see {@link FactKind}. */
  protected readonly valueType?: () => T;
}

/**
 * Facts of one cluster, in the order they were recorded. A fact may name an owner (the component
 * or construct it belongs to) so readers can ask for one owner's facts without scanning them all.
 */
export class Ledger {
  private readonly facts = new Map<FactKind<unknown>, unknown[]>();
  private readonly byOwner = new Map<FactKind<unknown>, Map<object, unknown[]>>();
  private readonly derived = new Map<DerivedKind<unknown>, unknown>();

  /** Records `fact`; with `owner`, it is also listed under that owner. */
  public record<T>(kind: FactKind<T>, fact: T, owner?: object): void {
    push(this.facts, kind as FactKind<unknown>, fact);
    if (owner === undefined) return;
    let owners = this.byOwner.get(kind as FactKind<unknown>);
    if (!owners) {
      owners = new Map();
      this.byOwner.set(kind as FactKind<unknown>, owners);
    }
    push(owners, owner, fact);
  }

  /** Every fact of `kind`, in recording order. */
  public all<T>(kind: FactKind<T>): readonly T[] {
    return (this.facts.get(kind as FactKind<unknown>) ?? []) as T[];
  }

  /** The facts of `kind` recorded for `owner`, in recording order. */
  public of<T>(kind: FactKind<T>, owner: object): readonly T[] {
    return (this.byOwner.get(kind as FactKind<unknown>)?.get(owner) ?? []) as T[];
  }

  /** Whether any fact of `kind` was recorded. */
  public has<T>(kind: FactKind<T>): boolean {
    return this.all(kind).length > 0;
  }

  /** The value of `kind`, derived by `derive` the first time it is asked for. */
  public derive<T>(kind: DerivedKind<T>, derive: () => T): T {
    if (this.derived.has(kind as DerivedKind<unknown>)) return this.derived.get(kind as DerivedKind<unknown>) as T;
    const value = derive();
    this.derived.set(kind as DerivedKind<unknown>, value);
    return value;
  }
}

function push<K>(map: Map<K, unknown[]>, key: K, value: unknown): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
