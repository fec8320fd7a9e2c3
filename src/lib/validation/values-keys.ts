import { PathSegment, formatPath } from './paths.js';
import { closestName } from './suggest.js';
import { SchemaIssue } from './types.js';

/**
 * A node of a values-keys tree (imports/charts/<chart>/values-keys.json): a map of known keys,
 * or a leaf. "map" (an empty map in values.yaml), "list" and "any" (null in values.yaml) take
 * any value; "string", "number" and "boolean" take that type; "scalar" (an empty-string
 * placeholder) takes any string, number or boolean. null is always accepted (it unsets a key).
 */
export type KeyTree = { [key: string]: KeyTree } | 'map' | 'list' | 'any' | 'scalar' | 'string' | 'number' | 'boolean';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a leaf accepts, in words (for messages). */
const EXPECTED: Record<string, string> = {
  string: 'a string', number: 'a number', boolean: 'a boolean', scalar: 'a string, number or boolean',
};

/** Whether a value fits a leaf type. */
function fitsLeaf(leaf: string, v: unknown): boolean {
  switch (leaf) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'scalar': return ['string', 'number', 'boolean'].includes(typeof v);
    default: return true;
  }
}

/** The subtree at a path of known keys, or undefined. */
export function subtree(tree: KeyTree, path: readonly PathSegment[]): KeyTree | undefined {
  let node: KeyTree | undefined = tree;
  for (const seg of path) {
    if (typeof node !== 'object' || typeof seg !== 'string' || !Object.prototype.hasOwnProperty.call(node, seg)) return undefined;
    node = node[seg];
  }
  return node;
}

/** Every path of the tree whose last key is `name` (case-insensitive), shortest first. */
function pathsNamed(tree: KeyTree, name: string, prefix: string[] = []): string[][] {
  if (typeof tree !== 'object') return [];
  const out: string[][] = [];
  for (const [k, child] of Object.entries(tree)) {
    if (k.toLowerCase() === name.toLowerCase()) out.push([...prefix, k]);
    out.push(...pathsNamed(child, name, [...prefix, k]));
  }
  return out.sort((a, b) => a.length - b.length || a.join('.').localeCompare(b.join('.')));
}

/**
 * The key most likely meant instead of an unknown one: a close sibling (typo), else the same
 * key elsewhere in the tree (misplaced), as a full dotted path.
 */
export function suggestKey(tree: KeyTree, parent: readonly PathSegment[], key: string): string | undefined {
  const siblings = subtree(tree, parent);
  const near = typeof siblings === 'object' ? closestName(key, Object.keys(siblings)) : undefined;
  if (near !== undefined) return formatPath([...parent, near]);
  const elsewhere = pathsNamed(tree, key)[0];
  return elsewhere ? formatPath(elsewhere) : undefined;
}

/**
 * `open`: the value sits below a subchart's key, whose own values.yaml the tree does not hold, so
 * keys the tree does not list are let through (the ones it lists are still type-checked).
 */
function walk(tree: KeyTree, node: KeyTree, value: unknown, path: PathSegment[], issues: SchemaIssue[], open = false, subcharts: readonly string[] = []): void {
  if (value === null || value === undefined) return;
  if (typeof node === 'string') {
    if (!fitsLeaf(node, value)) {
      issues.push({ field: formatPath(path), message: `'${formatPath(path)}' must be ${EXPECTED[node]} (values.yaml has ${EXPECTED[node]} there), not ${Array.isArray(value) ? 'a list' : isPlainObject(value) ? 'a map' : JSON.stringify(value)}` });
    }
    return;
  }
  if (!isPlainObject(value)) {
    issues.push({ field: formatPath(path), message: `'${formatPath(path) || 'values'}' must be a map of known keys, not ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}` });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    const childOpen = open || (path.length === 0 && subcharts.includes(key));
    if (Object.prototype.hasOwnProperty.call(node, key)) {
      walk(tree, node[key], child, at, issues, childOpen);
      continue;
    }
    if (childOpen) continue;
    const guess = suggestKey(tree, path, key);
    issues.push({ field: formatPath(at), message: `unknown values key '${formatPath(at)}'${guess ? ` (did you mean '${guess}'?)` : ''}` });
  }
}

/**
 * Checks Helm values against a chart's values.yaml key tree: every key must exist (or sit
 * below a free-form map or list), and values must have the type of a definite scalar default.
 * Keys values.yaml documents only in comments are unknown to the tree and reported. Below a
 * top-level key naming a subchart (`subcharts`, from Chart.yaml dependencies) only the keys the
 * tree lists are checked: the subchart's own values.yaml is not in the reference data.
 */
export function checkValuesKeys(tree: KeyTree, values: unknown, subcharts: readonly string[] = []): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  walk(tree, tree, values, [], issues, false, subcharts);
  return issues;
}
