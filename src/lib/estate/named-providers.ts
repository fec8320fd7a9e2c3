/**
 * Picking one of several providers of the same service by name (a PostgreSQL cluster, a secret
 * store…): a consumer names one, or gets the cluster's default (the one registered as the service).
 * Each caller words its own problems; the rule is here once.
 */
export interface NamedChoice<T> {
  /** What the consumer asked for: a name, the provider itself, or nothing (the default). */
  readonly choice: string | T | undefined;
  /** Every provider of the service in the cluster, in declaration order. */
  readonly named: readonly T[];
  readonly nameOf: (provider: T) => string;
  /** The cluster's default provider (its registered service), if any. */
  readonly fallback: T | undefined;
  /** Reports a name no provider has; `names` lists the ones there are (quoted, comma-separated). */
  readonly unknown: (choice: string, names: string) => void;
  /** Reports that providers exist but none is the default. */
  readonly noDefault: (names: string, first: T) => void;
  /** Reports that the cluster has no provider at all. */
  readonly none: () => void;
}

/** The provider `choice` means, or `undefined` after reporting why there is none. */
export function chooseNamed<T extends object>(c: NamedChoice<T>): T | undefined {
  const names = c.named.map((p) => `'${c.nameOf(p)}'`).join(', ');
  if (typeof c.choice === 'object') return c.choice;
  if (typeof c.choice === 'string') {
    const wanted = c.choice;
    const found = c.named.find((p) => c.nameOf(p) === wanted);
    if (!found) c.unknown(wanted, names);
    return found;
  }
  if (c.fallback) return c.fallback;
  if (c.named.length > 0) c.noDefault(names, c.named[0]);
  else c.none();
  return undefined;
}
