import { PathSegment, formatPath, pointerToPath } from './paths.js';
import { closestName } from './suggest.js';
import { SchemaIssue } from './types.js';

/** The parts of an Ajv error object (also produced by precompiled validators) used here. */
export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

/** A compiled validator: returns true or leaves its errors on `errors`. */
export type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** Returns the names known at a path (for did-you-mean hints), if the caller can tell. */
export type KnownNames = (path: PathSegment[]) => Iterable<string>;

const TYPE_NAMES: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', null: 'null' };

/** "integer" -> "an integer"; "string,null" -> "a string or null". */
function typeNames(types: unknown): string {
  return String(types).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

/** A sentence for one Ajv error (the field itself is reported separately). */
function describeError(e: AjvError, path: PathSegment[], known?: KnownNames, noun = 'field'): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'additionalProperties': {
      const at = [...path, p.additionalProperty as string];
      const guess = known ? closestName(p.additionalProperty, known(path)) : undefined;
      return `unknown ${noun} '${formatPath(at)}'${guess ? ` (did you mean '${formatPath([...path, guess])}'?)` : ''}`;
    }
    case 'required':
      return `required ${noun} '${formatPath([...path, p.missingProperty as string])}' is missing`;
    case 'type':
      return `must be ${typeNames(p.type)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `does not match the pattern ${p.pattern}`;
    case 'format':
      return `is not a valid ${p.format}`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `must be ${p.comparison} ${p.limit}`;
    case 'minLength': return `must be at least ${p.limit} characters long`;
    case 'maxLength': return `must be at most ${p.limit} characters long`;
    case 'minItems': return `must have at least ${p.limit} items`;
    case 'maxItems': return `must have at most ${p.limit} items`;
    case 'uniqueItems': return `items ${p.j} and ${p.i} are equal; items must be unique`;
    default:
      return e.message ?? `fails the schema's '${e.keyword}' rule`;
  }
}

/** Path of the field an error is about (the extra or missing property itself, if any). */
function errorPath(e: AjvError): PathSegment[] {
  const path = pointerToPath(e.instancePath);
  if (e.keyword === 'additionalProperties') return [...path, e.params.additionalProperty];
  if (e.keyword === 'required') return [...path, e.params.missingProperty];
  return path;
}

/**
 * Converts Ajv errors to issues. Branch errors under a failed anyOf/oneOf are folded into
 * one issue ("must be string or null"; else the anyOf plus its first branch problem), and
 * duplicates are dropped. `noun` names what a property is ("field", "values key").
 */
export function ajvIssues(errors: readonly AjvError[], known?: KnownNames, noun = 'field'): SchemaIssue[] {
  const junctors = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const branchOf = (e: AjvError): AjvError | undefined =>
    junctors.find((j) => j !== e && e.schemaPath.startsWith(`${j.schemaPath}/`));
  const out: SchemaIssue[] = [];
  const seen = new Set<string>();
  const push = (field: string, message: string): void => {
    const key = `${field}\u0000${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message });
    }
  };
  // Where a value has the wrong type, its other errors (format, range, ...) are noise.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type' && !branchOf(e)).map((e) => e.instancePath));
  for (const e of errors) {
    if (branchOf(e)) continue;
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) continue;
    const path = pointerToPath(e.instancePath);
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches = errors.filter((b) => branchOf(b) === e);
      const typeOnly = branches.length > 0 && branches.every((b) => b.keyword === 'type' && b.instancePath === e.instancePath);
      if (typeOnly) push(formatPath(path), `must be ${typeNames(branches.map((b) => String(b.params.type)).join(','))}`);
      else if (branches.length) push(formatPath(errorPath(branches[0])), `${describeError(branches[0], pointerToPath(branches[0].instancePath), known, noun)} (no alternative of the schema's ${e.keyword} fits)`);
      else push(formatPath(path), `must match ${e.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the schema's alternatives`);
      continue;
    }
    push(formatPath(errorPath(e)), describeError(e, path, known, noun));
  }
  return out;
}
