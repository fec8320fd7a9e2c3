import { PathSegment, formatPath } from './paths.js';
import { closestName } from './suggest.js';

/**
 * The JSON-schema dialect of Kubernetes structural schemas (CRD openAPIV3Schema) and of the
 * schemas generated for core kinds. Keep the keyword lists in step with
 * scripts/import/keywords.mjs, which refuses schemas using anything else.
 */
export interface Schema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  multipleOf?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  $ref?: string;
  definitions?: Record<string, Schema>;
  /** The value the API server fills in when the property is absent (read by cel-value.ts). */
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
}

/** A problem found by checkSchema, with its location still as segments. */
export interface StructuralIssue {
  path: PathSegment[];
  message: string;
  /** True for a field the schema does not know (as opposed to a bad value). */
  unknownField: boolean;
}

const patternCache = new Map<string, RegExp>();

/** Compiles (once) a schema pattern, without the u flag, as the import step verified. */
function regexp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    patternCache.set(pattern, re);
  }
  return re;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a value has the given JSON-schema type. */
function hasType(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return isPlainObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: return true;
  }
}

/** How a value is described in messages. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isPlainObject(v)) return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_NAMES: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', null: 'null' };

/** Order-insensitive structural equality of JSON values. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A short list of allowed values for messages. */
function listValues(values: unknown[]): string {
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v)).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} values)` : shown;
}

/** The property names a branch of anyOf/oneOf/not requires, when that is all it says. */
function requiredOnly(s: Schema): string[] | undefined {
  const keys = Object.keys(s);
  return keys.length === 1 && keys[0] === 'required' ? s.required : undefined;
}

/** Walks a value along a schema, collecting every violation. */
class Checker {
  readonly issues: StructuralIssue[] = [];

  constructor(private readonly root: Schema) {}

  private add(path: PathSegment[], message: string, unknownField = false): void {
    this.issues.push({ path, message, unknownField });
  }

  /** Resolves a local reference (`#/definitions/x` or any `#/…` pointer). */
  private resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (!isPlainObject(node)) throw new Error(`$ref ${ref} does not resolve`);
    return node as Schema;
  }

  /** Whether a value satisfies a subschema (used by anyOf/oneOf/not). */
  private passes(s: Schema, v: unknown, path: PathSegment[]): StructuralIssue[] {
    const sub = new Checker(this.root);
    sub.check(s, v, path);
    return sub.issues;
  }

  check(s: Schema, v: unknown, path: PathSegment[]): void {
    if (s.$ref) this.check(this.resolve(s.$ref), v, path);
    if (v === null && s.nullable) return;
    if (!this.checkType(s, v, path)) return;
    if (s.enum && !s.enum.some((e) => jsonEqual(e, v))) this.add(path, `must be one of ${listValues(s.enum)}, not ${describe(v)}`);
    if ('const' in s && !jsonEqual(s.const, v)) this.add(path, `must be ${JSON.stringify(s.const)}, not ${describe(v)}`);
    if (typeof v === 'string') this.checkString(s, v, path);
    else if (typeof v === 'number') this.checkNumber(s, v, path);
    else if (Array.isArray(v)) this.checkArray(s, v, path);
    else if (isPlainObject(v)) this.checkObject(s, v, path);
    this.checkJunctors(s, v, path);
  }

  /** Checks `type` (and int-or-string); false when the value has the wrong type. */
  private checkType(s: Schema, v: unknown, path: PathSegment[]): boolean {
    if (s['x-kubernetes-int-or-string']) {
      if (hasType('integer', v) || typeof v === 'string') return true;
      this.add(path, `must be an integer or a string, not ${describe(v)}`);
      return false;
    }
    if (s.type === undefined) return true;
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.some((t) => hasType(t, v))) return true;
    this.add(path, `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}, not ${describe(v)}`);
    return false;
  }

  private checkString(s: Schema, v: string, path: PathSegment[]): void {
    const length = [...v].length;
    if (s.minLength !== undefined && length < s.minLength) this.add(path, `must be at least ${s.minLength} characters long`);
    if (s.maxLength !== undefined && length > s.maxLength) this.add(path, `must be at most ${s.maxLength} characters long (is ${length})`);
    if (s.pattern !== undefined && !regexp(s.pattern).test(v)) this.add(path, `${describe(v)} does not match the pattern ${s.pattern}`);
  }

  private checkNumber(s: Schema, v: number, path: PathSegment[]): void {
    const exMin = s.exclusiveMinimum;
    const exMax = s.exclusiveMaximum;
    if (s.minimum !== undefined && (exMin === true ? v <= s.minimum : v < s.minimum)) this.add(path, `must be ${exMin === true ? '>' : '>='} ${s.minimum}, not ${v}`);
    if (typeof exMin === 'number' && v <= exMin) this.add(path, `must be > ${exMin}, not ${v}`);
    if (s.maximum !== undefined && (exMax === true ? v >= s.maximum : v > s.maximum)) this.add(path, `must be ${exMax === true ? '<' : '<='} ${s.maximum}, not ${v}`);
    if (typeof exMax === 'number' && v >= exMax) this.add(path, `must be < ${exMax}, not ${v}`);
    if (s.multipleOf !== undefined && !Number.isInteger(v / s.multipleOf)) this.add(path, `must be a multiple of ${s.multipleOf}`);
  }

  private checkArray(s: Schema, v: unknown[], path: PathSegment[]): void {
    if (s.minItems !== undefined && v.length < s.minItems) this.add(path, `must have at least ${s.minItems} items (has ${v.length})`);
    if (s.maxItems !== undefined && v.length > s.maxItems) this.add(path, `must have at most ${s.maxItems} items (has ${v.length})`);
    if (s.items) v.forEach((item, i) => this.check(s.items!, item, [...path, i]));
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'map' && s['x-kubernetes-list-map-keys']) this.checkListMapKeys(s['x-kubernetes-list-map-keys'], v, path);
    else if (listType === 'set' || s.uniqueItems) this.checkUnique(v, path);
  }

  /** Items of a list-type=map must differ in their key fields (as the API server demands). */
  private checkListMapKeys(keys: string[], v: unknown[], path: PathSegment[]): void {
    const seen = new Map<string, number>();
    v.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const id = JSON.stringify(keys.map((k) => item[k]));
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else this.add([...path, i], `duplicates item [${first}] (same ${keys.join(', ')}: ${keys.map((k) => JSON.stringify(item[k])).join(', ')})`);
    });
  }

  private checkUnique(v: unknown[], path: PathSegment[]): void {
    v.forEach((item, i) => {
      const first = v.findIndex((other) => jsonEqual(other, item));
      if (first < i) this.add([...path, i], `duplicates item [${first}]; the list is a set`);
    });
  }

  private checkObject(s: Schema, v: Record<string, unknown>, path: PathSegment[]): void {
    for (const name of s.required ?? []) {
      if (!(name in v) || v[name] === undefined) this.add([...path, name], `required field '${formatPath([...path, name])}' is missing`);
    }
    const count = Object.keys(v).length;
    if (s.minProperties !== undefined && count < s.minProperties) this.add(path, `must have at least ${s.minProperties} entries`);
    if (s.maxProperties !== undefined && count > s.maxProperties) this.add(path, `must have at most ${s.maxProperties} entries (has ${count})`);
    const props = s.properties ?? {};
    for (const [key, value] of Object.entries(v)) {
      if (value === undefined) continue;
      const sub = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
      if (sub) this.check(sub, value, [...path, key]);
      else if (s.additionalProperties === false && !s['x-kubernetes-preserve-unknown-fields']) this.unknownField(Object.keys(props), path, key);
      else if (isPlainObject(s.additionalProperties)) this.check(s.additionalProperties, value, [...path, key]);
    }
  }

  private unknownField(known: string[], path: PathSegment[], key: string): void {
    const guess = closestName(key, known);
    const hint = guess ? ` (did you mean '${formatPath([...path, guess])}'?)` : '';
    this.add([...path, key], `unknown field '${formatPath([...path, key])}'${hint}`, true);
  }

  private checkJunctors(s: Schema, v: unknown, path: PathSegment[]): void {
    for (const sub of s.allOf ?? []) this.check(sub, v, path);
    if (s.anyOf) this.checkAnyOf(s.anyOf, v, path);
    if (s.oneOf) this.checkOneOf(s.oneOf, v, path);
    if (s.not && this.passes(s.not, v, path).length === 0) {
      const req = requiredOnly(s.not);
      const anyReq = s.not.anyOf?.map(requiredOnly);
      if (req) this.add(path, `must not set ${req.map((r) => `'${r}'`).join(' and ')} together`);
      else if (anyReq?.every(Boolean)) this.add(path, `must not set ${anyReq.map((r) => r!.join(' and ')).join(' or ')}`);
      else this.add(path, 'matches a form the schema excludes (not)');
    }
  }

  /** anyOf: some branch must pass; otherwise report the closest branch's problems. */
  private checkAnyOf(branches: Schema[], v: unknown, path: PathSegment[]): void {
    const results = branches.map((b) => this.passes(b, v, path));
    if (results.some((r) => r.length === 0)) return;
    const reqs = branches.map(requiredOnly);
    if (reqs.every(Boolean)) {
      this.add(path, `must set at least one of ${reqs.map((r) => r!.map((n) => `'${n}'`).join(' and ')).join(', ')}`);
      return;
    }
    const best = results.reduce((a, b) => (b.length < a.length ? b : a));
    this.issues.push(...best);
  }

  /** oneOf: exactly one branch must pass. */
  private checkOneOf(branches: Schema[], v: unknown, path: PathSegment[]): void {
    const results = branches.map((b) => this.passes(b, v, path));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 1) return;
    const reqs = branches.map(requiredOnly);
    if (reqs.every(Boolean)) {
      this.add(path, `must set exactly one of ${reqs.map((r) => r!.map((n) => `'${n}'`).join(' and ')).join(', ')}${passing > 1 ? ` (sets ${passing})` : ''}`);
    } else if (passing > 1) {
      this.add(path, `matches ${passing} of the alternative forms; must match exactly one`);
    } else {
      this.issues.push(...results.reduce((a, b) => (b.length < a.length ? b : a)));
    }
  }
}

/**
 * Checks a value against a schema (whose `definitions` any `$ref` points into) and returns
 * every violation: wrong types and values, missing required fields, unknown fields (with the
 * closest known field suggested), duplicate keys in Kubernetes list-maps and sets.
 */
export function checkSchema(schema: Schema, value: unknown): StructuralIssue[] {
  const checker = new Checker(schema);
  checker.check(schema, value, []);
  return checker.issues;
}
