/**
 * Step 1c: the CEL validation rules (`x-kubernetes-validations`) of every served CRD version,
 * which the strict schemas drop, written with the schema location each sits at so synth can
 * evaluate them (src/lib/validation/cel-validator.ts):
 *
 *   imports/schemas/crds/cel/<group>/<kind>_<version>.json  that version's rules (only versions with rules)
 *   imports/schemas/crds/cel/summary.json                   counts: found, evaluated, transition, unsupported
 *   imports/schemas/crds/cel/unsupported.json               every rule the evaluator cannot evaluate, and why
 *
 * Each rule is compiled here with the evaluator synth uses (transpiled from src/ first), so the
 * committed lists say exactly which rules synth evaluates. Order follows the CRD files and the
 * schema (properties in their written order), so the output is deterministic.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { servedVersions } from './crd-source.mjs';
import { crdSchemaFile } from './crd-schemas.mjs';
import { REPO_ROOT, jsonComment, toJson, writeImport } from './util.mjs';

/** Keywords below which a rule would sit on a junctor branch; Kubernetes evaluates none there. */
const JUNCTORS = ['allOf', 'anyOf', 'oneOf', 'not'];

/** Escapes one JSON-pointer token. */
const token = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** A field-path spelling of a property name: `.name`, or `["a.b"]` for odd names. */
const fieldStep = (name) => (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);

/**
 * Collects every rule of a schema with its location, in schema order: the pointer into the
 * schema and the matching field path (`[*]` list items, `{*}` map values).
 */
export function collectRules(schema, pointer = '', field = '', junctor = undefined, out = []) {
  if (!schema || typeof schema !== 'object') return out;
  for (const v of schema['x-kubernetes-validations'] ?? []) out.push({ pointer, field: field.replace(/^\./, ''), junctor, v });
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    collectRules(sub, `${pointer}/properties/${token(name)}`, `${field}${fieldStep(name)}`, junctor, out);
  }
  if (schema.items && typeof schema.items === 'object') collectRules(schema.items, `${pointer}/items`, `${field}[*]`, junctor, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    collectRules(schema.additionalProperties, `${pointer}/additionalProperties`, `${field}{*}`, junctor, out);
  }
  for (const k of JUNCTORS) {
    const subs = k === 'not' ? [schema.not] : schema[k] ?? [];
    subs.forEach((s, i) => collectRules(s, `${pointer}/${k}${k === 'not' ? '' : `/${i}`}`, field, k, out));
  }
  return out;
}

/** Loads the evaluator's compile step from src/ (transpiled into build/ first). */
async function loadCompiler() {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/transpile.mjs'), 'src/lib/validation'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('transpiling src/lib/validation failed');
  const mod = await import(pathToFileURL(path.join(REPO_ROOT, 'build/src/lib/validation/cel-compile.js')).href);
  return mod.compileRule;
}

/** The committed entry of one rule, classified by the evaluator. */
function ruleEntry({ pointer, field, junctor, v }, compileRule) {
  const c = compileRule(v.rule);
  const entry = { schemaPath: pointer, field, rule: v.rule };
  for (const k of ['message', 'messageExpression', 'reason', 'fieldPath', 'optionalOldSelf']) if (v[k] !== undefined) entry[k] = v[k];
  if (c.kind === 'transition') entry.transition = true;
  else if (junctor) entry.unsupported = `sits below ${junctor}, where this evaluator does not look`;
  else if (c.kind === 'unsupported') entry.unsupported = c.reason;
  return entry;
}

/**
 * Writes the CEL rule files, summary and unsupported list; returns the counts.
 * @param {import('./crd-source.mjs').CrdFile[]} crds
 */
export async function writeCrdCelRules(crds) {
  const compileRule = await loadCompiler();
  const counts = { rules: 0, evaluated: 0, transition: 0, unsupported: 0 };
  const kinds = {};
  const unsupported = [];
  for (const { rel, crd } of crds) {
    const group = crd.spec.group;
    const kind = crd.spec.names.kind;
    for (const v of servedVersions(crd)) {
      const rules = collectRules(v.schema).map((r) => ruleEntry(r, compileRule));
      if (rules.length === 0) continue;
      const key = `${group}/${v.name}/${kind}`;
      writeImport(`schemas/crds/cel/${crdSchemaFile(group, kind, v.name)}`, toJson({ $comment: jsonComment([rel]), apiVersion: `${group}/${v.name}`, kind, rules }));
      kinds[key] = rules.length;
      for (const r of rules) {
        counts.rules++;
        if (r.transition) counts.transition++;
        else if (r.unsupported) {
          counts.unsupported++;
          unsupported.push({ kind: key, field: r.field, rule: r.rule, reason: r.unsupported });
        } else counts.evaluated++;
      }
    }
  }
  const sources = [...new Set(crds.map((c) => c.rel.replace(/\/[^/]+$/, '/')))];
  const sortedKinds = Object.fromEntries(Object.keys(kinds).sort().map((k) => [k, kinds[k]]));
  writeImport('schemas/crds/cel/summary.json', toJson({ $comment: jsonComment(sources), ...counts, kinds: sortedKinds }));
  writeImport('schemas/crds/cel/unsupported.json', toJson({ $comment: jsonComment(sources), rules: unsupported }));
  return counts;
}
