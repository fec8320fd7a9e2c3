import type { DiffEntry } from './compare.js';
import type { TreeObject } from './objects.js';

/** `Kind ns/name` (with the API group for non-core kinds): how an object is named in the reports. */
export function describeObject(o: TreeObject): string {
  const id = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  return `${o.kind}${o.group ? ` (${o.group})` : ''} ${id}`;
}

/** The object of an entry: the new one, or the old one for a removal. */
export function objectOf(e: DiffEntry): TreeObject {
  return (e.new ?? e.old)!;
}

/** `+`, `-` or `~`. */
export function mark(e: DiffEntry): string {
  return e.status === 'added' ? '+' : e.status === 'removed' ? '-' : '~';
}
