/**
 * Step 1b: one strict JSON schema per (group, version, kind) of every CRD, plus an index.
 *
 * "Strict" follows kubeconform's strict mode: every object schema that lists `properties`
 * and says nothing about extra keys (no `additionalProperties`, no
 * `x-kubernetes-preserve-unknown-fields: true`) is closed with `additionalProperties: false`.
 * Descriptions and CEL rules are dropped (crd-cel.mjs writes the rules apart), `metadata` becomes
 * a permissive ObjectMeta, apiVersion/kind are pinned to their exact values and Go-only regexp
 * syntax is rewritten (see go-regexp.mjs).
 */
import { servedVersions } from './crd-source.mjs';
import { fixGoPatterns } from './go-regexp.mjs';
import { assertKnownKeywords } from './keywords.mjs';
import { objectMetaSchema } from './object-meta.mjs';
import { clone, jsonComment, toJson, walkSchema, writeImport } from './util.mjs';

/** Keywords removed from the copied schemas: documentation and server-side CEL rules. */
const DROPPED = ['description', 'example', 'x-kubernetes-validations'];

/** Removes documentation keywords in place (only keywords, never property names). */
function stripDocs(schema) {
  walkSchema(schema, (s) => {
    for (const k of DROPPED) delete s[k];
  });
}

/** Closes every open object schema that lists properties (see file comment), in place. */
export function closeObjects(schema) {
  walkSchema(schema, (s, ctx) => {
    if (ctx.inJunctor) return;
    if (!s.properties || typeof s.properties !== 'object') return;
    if ('additionalProperties' in s) return;
    if (s['x-kubernetes-preserve-unknown-fields'] === true) return;
    s.additionalProperties = false;
  });
}

/** Builds the strict schema for one served version of a CRD. */
export function strictCrdSchema(crd, version, rel) {
  const group = crd.spec.group;
  const kind = crd.spec.names.kind;
  const body = clone(version.schema);
  stripDocs(body);
  closeObjects(body);
  const dropped = fixGoPatterns(body);
  if (dropped.length) throw new Error(`${rel}: patterns JavaScript cannot express: ${dropped.join(', ')}`);
  const props = body.properties ?? {};
  // Rebuild the top level so apiVersion, kind, metadata come first and are exact.
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = props;
  const required = [...new Set(['apiVersion', 'kind', ...(body.required ?? [])])];
  const { properties: _p, required: _r, type: _t, additionalProperties: _ap, ...otherKeywords } = body;
  const schema = {
    $comment: jsonComment([rel]),
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required,
    properties: {
      apiVersion: { type: 'string', enum: [`${group}/${version.name}`] },
      kind: { type: 'string', enum: [kind] },
      metadata: objectMetaSchema(),
      ...rest,
    },
    additionalProperties: body['x-kubernetes-preserve-unknown-fields'] === true,
    ...otherKeywords,
  };
  assertKnownKeywords(schema, `${rel} ${version.name}`);
  return schema;
}

/** File (relative to imports/schemas/crds/) holding one version's schema. */
export function crdSchemaFile(group, kind, version) {
  return `${group}/${kind.toLowerCase()}_${version}.json`;
}

/**
 * Writes every CRD schema and imports/schemas/crds/index.json.
 * @param {import('./crd-source.mjs').CrdFile[]} crds
 * @returns {Record<string, object>} the index entries, keyed "group/version/Kind"
 */
export function writeCrdSchemas(crds) {
  /** @type {Record<string, object>} */
  const index = {};
  for (const { source, rel, crd } of crds) {
    const group = crd.spec.group;
    const kind = crd.spec.names.kind;
    for (const v of servedVersions(crd)) {
      const key = `${group}/${v.name}/${kind}`;
      if (index[key]) throw new Error(`${key} defined twice (${index[key].crd} and ${rel})`);
      const file = crdSchemaFile(group, kind, v.name);
      writeImport(`schemas/crds/${file}`, toJson(strictCrdSchema(crd, v, rel)));
      index[key] = {
        file,
        scope: crd.spec.scope,
        source,
        crd: rel,
        plural: crd.spec.names.plural,
        storage: v.storage,
        ...(v.deprecated ? { deprecated: true } : {}),
      };
    }
  }
  const sorted = Object.fromEntries(Object.keys(index).sort().map((k) => [k, index[k]]));
  const sources = [...new Set(crds.map((c) => c.rel.replace(/\/[^/]+$/, '/')))];
  writeImport('schemas/crds/index.json', toJson({ $comment: jsonComment(sources), kinds: sorted }));
  return sorted;
}
