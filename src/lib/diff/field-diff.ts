/** One field that differs between the two sides of an object; `undefined` is "not set". */
export interface FieldChange {
  /** YAML path: `spec.template.spec.containers[name=app].image`, `metadata.labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  readonly old: unknown;
  readonly new: unknown;
}

/**
 * The fields that differ between two objects, leaves first-to-last in the old object's key order
 * (then keys only the new one has). Lists whose items all carry a unique `name` (containers, env,
 * ports, volumes) are paired by name, so one inserted item is one change and not a shifted list.
 */
export function fieldChanges(a: unknown, b: unknown, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(a, b, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isMap(a) && isMap(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) walk(a[k], b[k], join(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const an = namesOf(a);
    const bn = namesOf(b);
    if (an && bn) {
      const byName = new Map(b.map((x, i) => [bn[i], x]));
      const names = [...an, ...bn.filter((n) => !an.includes(n))];
      const old = new Map(a.map((x, i) => [an[i], x]));
      for (const n of names) walk(old.get(n), byName.get(n), `${path}[name=${n}]`, out);
      return;
    }
    // Scalar lists (args, accessModes) read best as one value; lists of maps go item by item.
    if (a.every((x) => !isMap(x)) && b.every((x) => !isMap(x))) {
      out.push({ path: path || '(root)', old: a, new: b });
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  out.push({ path: path || '(root)', old: a, new: b });
}

/** The `name` of every item when all are maps with distinct string names, else undefined. */
function namesOf(list: unknown[]): string[] | undefined {
  const names = list.map((x) => (isMap(x) && typeof x.name === 'string' ? x.name : undefined));
  if (names.some((n) => n === undefined) || new Set(names).size !== names.length) return undefined;
  return names as string[];
}

/** `a.b`, or `a["x.y/z"]` for keys that are not plain identifiers (label and annotation keys). */
function join(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

export function isMap(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values (key order ignored: the API server ignores it too). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A value for one line of the summary: compact JSON, cut at `max` characters; unset is `(unset)`. */
export function formatValue(v: unknown, max = 100): string {
  if (v === undefined) return '(unset)';
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
