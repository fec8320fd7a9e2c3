/**
 * The schema keywords src/lib/validation/structural-schema.ts interprets or knowingly
 * ignores (keep both lists in step with that file). The import fails on any other keyword
 * in a CRD or Kubernetes schema, so nothing in a schema is silently left unchecked.
 */
import { walkSchema } from './util.mjs';

export const CHECKED = new Set([
  'type', 'nullable', 'enum', 'const',
  'properties', 'additionalProperties', 'required', 'minProperties', 'maxProperties',
  'items', 'minItems', 'maxItems', 'uniqueItems',
  'pattern', 'minLength', 'maxLength',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'allOf', 'anyOf', 'oneOf', 'not', '$ref',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
]);

export const IGNORED = new Set([
  '$comment', '$schema', 'definitions', 'description', 'title', 'default', 'example', 'format',
  'x-kubernetes-map-type', 'x-kubernetes-embedded-resource',
]);

/** Throws when a schema uses a keyword outside CHECKED and IGNORED. */
export function assertKnownKeywords(schema, where) {
  walkSchema(schema, (s) => {
    for (const k of Object.keys(s)) {
      if (!CHECKED.has(k) && !IGNORED.has(k)) throw new Error(`${where}: schema keyword '${k}' is not supported by src/lib/validation/structural-schema.ts`);
    }
  });
}
