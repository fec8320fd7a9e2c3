/**
 * Turns a generated object into the value a CRD's CEL rules see on the API server. Two things
 * happen there before the rules run, and both change what a rule reads:
 *  - defaulting: every absent property with a schema `default` is filled in (the API server
 *    defaults before it validates; Gateway API's rules read `self.type` of a path match that
 *    synth leaves to its default), and
 *  - typing: a whole number is a CEL `int` unless its schema says `number` (JavaScript has one
 *    number type; @bufbuild/cel reads bigint as int), and schema properties appear under the
 *    escaped names of cel-names.ts.
 */
import { escapePropertyName } from './cel-names.js';
import { Schema } from './structural-schema.js';

/** A structural schema; the strict schemas keep its `default` keyword. */
export type DefaultingSchema = Schema;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema of map values (additionalProperties), when it is one. */
function valueSchema(schema: Schema | undefined): Schema | undefined {
  const ap = schema?.additionalProperties;
  return typeof ap === 'object' ? ap : undefined;
}

/**
 * A copy of `value` with the schema's defaults applied the way the API server applies them:
 * an absent (or, where not nullable, null) property gets its default, and defaults inside that
 * default or inside any present value are applied in turn. Values are never changed otherwise.
 */
export function withDefaults(value: unknown, schema: DefaultingSchema | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((v) => withDefaults(v, schema.items));
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  const values = valueSchema(schema);
  for (const [k, v] of Object.entries(value)) out[k] = withDefaults(v, schema.properties?.[k] ?? values);
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const missing = !(k in out) || (out[k] === null && !sub.nullable);
    if (missing && sub.default !== undefined) out[k] = withDefaults(structuredClone(sub.default), sub);
  }
  return out;
}

/** Whether the schema types a value as a floating-point `number` (so CEL sees a double). */
function isDouble(schema: Schema | undefined): boolean {
  return schema?.type === 'number';
}

/**
 * The CEL value of a (defaulted) JSON value under its schema: maps become `Map`s keyed by the
 * escaped property names (map keys as they are), whole numbers bigints. Properties Kubernetes
 * does not expose to CEL are left out. Without a schema (preserved unknown fields) keys stay as
 * they are and whole numbers are ints, as the API server decodes JSON.
 */
export function toCelValue(value: unknown, schema: Schema | undefined): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && !isDouble(schema) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((v) => toCelValue(v, schema?.items));
  if (!isMap(value)) return value;
  const out = new Map<string, unknown>();
  const values = valueSchema(schema);
  for (const [k, v] of Object.entries(value)) {
    const property = schema?.properties?.[k];
    const name = property ? escapePropertyName(k) : k;
    if (name !== undefined) out.set(name, toCelValue(v, property ?? values));
  }
  return out;
}
