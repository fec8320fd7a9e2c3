import { fieldChanges, FieldChange, deepEqual } from './field-diff.js';
import { ClusterObjects, objectKey, TreeObject } from './objects.js';
import { ReleaseRender, releaseKey } from './rendered.js';
import { Risk, risksOf } from './risk.js';

/** One object that differs between the sides. */
export interface DiffEntry {
  readonly key: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly old?: TreeObject;
  readonly new?: TreeObject;
  readonly fields: readonly FieldChange[];
  readonly risks: readonly Risk[];
}

/** A HelmRelease whose rendered objects are not compared, and why. */
export interface NotRendered {
  readonly cluster: string;
  readonly component: string;
  readonly id: string;
  /** `chart version` on each side that has the release. */
  readonly old?: string;
  readonly new?: string;
  readonly reasons: readonly string[];
}

/** One side of the comparison: the plain objects, and the releases (undefined: not rendered at all, `--no-render`). */
export interface DiffSide {
  readonly label: string;
  readonly clusters: readonly ClusterObjects[];
  readonly releases?: readonly ReleaseRender[];
}

export interface DiffResult {
  readonly from: string;
  readonly to: string;
  /** Sorted by key. */
  readonly entries: readonly DiffEntry[];
  readonly notRendered: readonly NotRendered[];
  readonly unchanged: number;
  /** Releases rendered on both sides (or on the one side that has them). */
  readonly renderedReleases: number;
  /** Clusters on either side. */
  readonly clusters: readonly string[];
}

/**
 * Pairs the objects of the two sides by key and diffs each pair. A release that one side could
 * not render is listed in `notRendered`, and its rendered objects are left out on both sides:
 * comparing a rendered side with an unrendered one would show every object added or removed.
 */
export function compareSides(from: DiffSide, to: DiffSide): DiffResult {
  const { notRendered, comparable } = pairReleases(from.releases, to.releases);
  const oldObjects = indexObjects(from, comparable);
  const newObjects = indexObjects(to, comparable);
  const keys = [...new Set([...oldObjects.keys(), ...newObjects.keys()])].sort(byCodePoint);
  const raw: Omit<DiffEntry, 'risks'>[] = [];
  let unchanged = 0;
  for (const key of keys) {
    const o = oldObjects.get(key);
    const n = newObjects.get(key);
    if (o && n) {
      if (deepEqual(o.object, n.object)) unchanged++;
      else raw.push({ key, status: 'changed', old: o, new: n, fields: fieldChanges(o.object, n.object) });
    } else if (n) raw.push({ key, status: 'added', new: n, fields: [] });
    else raw.push({ key, status: 'removed', old: o, fields: [] });
  }
  const removedIn = new Map<string, number>();
  for (const e of raw) if (e.status === 'removed') removedIn.set(`${e.old!.cluster}/${e.old!.component}`, (removedIn.get(`${e.old!.cluster}/${e.old!.component}`) ?? 0) + 1);
  // The Kustomization itself is one of the removed objects of its component: not counted as pruned.
  const pruned = (cluster: string, component: string) => Math.max(0, (removedIn.get(`${cluster}/${component}`) ?? 0) - 1);
  const movedTo = movedObjects(raw);
  const entries = raw.map((e) => {
    const risks = risksOf(e, pruned);
    const to = e.status === 'removed' ? movedTo.get(identity(e.old!)) : undefined;
    return { ...e, risks: to ? risks.map((x) => ({ ...x, message: `${x.message} — but it is also added in component \`${to}\` (a move between components)` })) : risks };
  });
  const clusters = [...new Set([...from.clusters, ...to.clusters].map((c) => c.cluster))].sort(byCodePoint);
  return { from: from.label, to: to.label, entries, notRendered, unchanged, renderedReleases: comparable.size, clusters };
}

/** An object's identity without its component: what the API server knows it by. */
function identity(o: TreeObject): string {
  return [o.cluster, o.group, o.kind, o.namespace, o.name].join('/');
}

/**
 * Identity → component of removed objects that the new side adds in another component: a move,
 * which the risk messages say, since the object does not simply disappear from the cluster.
 */
function movedObjects(raw: readonly Omit<DiffEntry, 'risks'>[]): Map<string, string> {
  const added = new Map<string, string>();
  for (const e of raw) if (e.status === 'added') added.set(identity(e.new!), e.new!.component);
  const out = new Map<string, string>();
  for (const e of raw) {
    const to = e.status === 'removed' ? added.get(identity(e.old!)) : undefined;
    if (to !== undefined) out.set(identity(e.old!), to);
  }
  return out;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Release keys whose rendered objects both sides have, and the releases that cannot be compared. */
function pairReleases(from: readonly ReleaseRender[] | undefined, to: readonly ReleaseRender[] | undefined): { notRendered: NotRendered[]; comparable: Set<string> } {
  const comparable = new Set<string>();
  const notRendered: NotRendered[] = [];
  if (!from || !to) return { notRendered, comparable };
  const old = new Map(from.map((r) => [releaseKey(r), r]));
  const neu = new Map(to.map((r) => [releaseKey(r), r]));
  for (const key of [...new Set([...old.keys(), ...neu.keys()])].sort(byCodePoint)) {
    const a = old.get(key);
    const b = neu.get(key);
    const failed = [a, b].filter((r): r is ReleaseRender => r !== undefined && r.objects === undefined);
    if (failed.length === 0) {
      comparable.add(key);
      continue;
    }
    const r = (a ?? b)!;
    const label = (x: ReleaseRender | undefined) => (x ? `${x.chart} ${x.version}` : undefined);
    // One reason when both sides fail alike (the usual case: the chart is in no mirror).
    const same = failed.length === 2 && failed[0].reason === failed[1].reason && a!.version === b!.version;
    const reasons = same ? [String(failed[0].reason)] : failed.map((f) => `${f === a ? 'old' : 'new'}: ${f.reason}`);
    notRendered.push({ cluster: r.cluster, component: r.component, id: r.id, old: label(a), new: label(b), reasons });
  }
  return { notRendered, comparable };
}

/** Key → object of one side: its plain objects and the objects of its comparable releases. */
function indexObjects(side: DiffSide, comparable: ReadonlySet<string>): Map<string, TreeObject> {
  const out = new Map<string, TreeObject>();
  const add = (o: TreeObject): void => {
    let key = objectKey(o);
    // Two objects with one identity (a chart rendering what the tree also holds) both stay visible.
    for (let i = 2; out.has(key); i++) key = `${objectKey(o)}#${i}`;
    out.set(key, o);
  };
  for (const c of side.clusters) for (const o of c.objects) add(o);
  for (const r of side.releases ?? []) if (comparable.has(releaseKey(r))) for (const o of r.objects ?? []) add(o);
  return out;
}
