import { closestName } from '../validation/suggest.js';

/**
 * The shape of construct props, checked where input enters: TypeScript checks it at compile time,
 * but props built from YAML, JSON or `as any` arrive unchecked, and a string where a list belongs
 * would crash deep inside a construct. A shape names each field's type; {@link shapeProblems} lists
 * every mismatch with its path, so the construct reports them and leaves the field out.
 */
export type Shape =
  | 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'any'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[]; readonly open?: boolean }
  | { readonly oneOf: readonly Shape[] }
  | { readonly enum: readonly (string | boolean)[] }
  | { readonly test: (v: unknown) => boolean; readonly expected: string };

/** One mismatch: where (`ports[1].port`) and what was expected. */
export interface ShapeProblem {
  readonly path: string;
  readonly message: string;
}

/** Every place `value` does not fit `shape`, paths starting at `path`. */
export function shapeProblems(value: unknown, shape: Shape, path: string): ShapeProblem[] {
  if (shape === 'any') return [];
  if (typeof shape === 'string') return fitsScalar(value, shape) ? [] : [{ path, message: `must be ${article(shape)}, not ${describeValue(value)}` }];
  if ('enum' in shape) return shape.enum.includes(value as string) ? [] : [{ path, message: `must be one of ${shape.enum.map((e) => `'${e}'`).join(', ')}, not ${describeValue(value)}` }];
  if ('test' in shape) return shape.test(value) ? [] : [{ path, message: `must be ${shape.expected}, not ${describeValue(value)}` }];
  if ('oneOf' in shape) {
    const options = shape.oneOf.map((s) => shapeProblems(value, s, path));
    if (options.some((p) => p.length === 0)) return [];
    // The option whose outer type matched explains the mismatch most precisely (a map given for a
    // string-or-map field is a wrong map, not a wrong string); then the one with fewest problems.
    const rootMismatch = (p: ShapeProblem[]): number => (p.some((x) => x.path === path) ? 1 : 0);
    return options.reduce((a, b) => (rootMismatch(b) < rootMismatch(a) || (rootMismatch(b) === rootMismatch(a) && b.length < a.length) ? b : a));
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return [{ path, message: `must be a list, not ${describeValue(value)}` }];
    return value.flatMap((v, i) => shapeProblems(v, shape.list, `${path}[${i}]`));
  }
  if (!isMap(value)) return [{ path, message: `must be a map, not ${describeValue(value)}` }];
  if ('map' in shape) return Object.entries(value).flatMap(([k, v]) => shapeProblems(v, shape.map, join(path, k)));
  return fieldsProblems(value, shape, path);
}

function fieldsProblems(value: Record<string, unknown>, shape: { fields: Readonly<Record<string, Shape>>; required?: readonly string[]; open?: boolean }, path: string): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  for (const key of shape.required ?? []) if (value[key] === undefined) out.push({ path: join(path, key), message: 'is required' });
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const field = shape.fields[k];
    if (field) out.push(...shapeProblems(v, field, join(path, k)));
    else if (!shape.open) {
      const near = closestName(k, Object.keys(shape.fields));
      out.push({ path: join(path, k), message: `is not a known field${near ? ` (did you mean '${near}'?)` : ''}` });
    }
  }
  return out;
}

function fitsScalar(v: unknown, type: 'string' | 'number' | 'integer' | 'boolean' | 'object'): boolean {
  if (type === 'integer') return typeof v === 'number' && Number.isInteger(v);
  if (type === 'number') return typeof v === 'number' && Number.isFinite(v);
  if (type === 'object') return typeof v === 'object' && v !== null;
  return typeof v === type;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function article(type: string): string {
  return type === 'integer' ? 'a whole number' : type === 'object' ? 'an object' : `a ${type}`;
}

/** A value as a message shows it: short, typed. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : typeof v;
}
