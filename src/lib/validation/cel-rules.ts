/**
 * The CEL rules `npm run import` extracted from the CRDs (imports/schemas/crds/cel/), and where
 * in an object each applies. A rule sits at a schema location written as a JSON pointer into the
 * CRD's openAPIV3Schema, made of `properties/<name>`, `items` (every list item) and
 * `additionalProperties` (every map value); it runs once per value found there, and not at all
 * where an optional field is absent.
 */
import { crdEntry } from './crd-schemas.js';
import { PathSegment } from './paths.js';
import { readImportJson } from './repo-files.js';
import { Schema } from './structural-schema.js';

/** One `x-kubernetes-validations` entry, as imports/schemas/crds/cel/<group>/<kind>_<version>.json holds it. */
export interface CelRuleEntry {
  /** JSON pointer of the schema node carrying the rule, e.g. `/properties/spec/properties/listeners`. */
  schemaPath: string;
  /** The same location as a field path, e.g. `spec.listeners[*].tls` (`[*]` list items, `{*}` map values). */
  field: string;
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  /** JSONPath (relative to the rule's location) of the field an error is reported at. */
  fieldPath?: string;
  /** Reads `oldSelf`: applies to updates only, never evaluated here. */
  transition?: true;
  /** Why this evaluator cannot evaluate the rule (it is listed, not evaluated). */
  unsupported?: string;
}

/** A CEL rules file. */
export interface CelRuleFile {
  apiVersion: string;
  kind: string;
  rules: CelRuleEntry[];
}

/** The rules of a CRD kind (none when its CRD version has no rules or imports/ lacks it). */
export function celRulesFor(apiVersion: string, kind: string): CelRuleEntry[] {
  const entry = crdEntry(apiVersion, kind);
  return (entry && readImportJson<CelRuleFile>(`schemas/crds/cel/${entry.file}`)?.rules) ?? [];
}

/** One step of a rule location. */
type Step = { property: string } | 'items' | 'additionalProperties';

const stepCache = new Map<string, Step[]>();

/** Parses a rule location pointer (cached); anything but the three step kinds is a broken import. */
export function locationSteps(pointer: string): Step[] {
  let steps = stepCache.get(pointer);
  if (steps) return steps;
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  steps = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'properties' && i + 1 < tokens.length) steps.push({ property: tokens[++i] });
    else if (t === 'items' || t === 'additionalProperties') steps.push(t);
    else throw new Error(`CEL rule location ${pointer}: unexpected '${t}'`);
  }
  stepCache.set(pointer, steps);
  return steps;
}

/** A value a rule applies to, and where it is. */
export interface RuleSite {
  value: unknown;
  path: PathSegment[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows one step from every site (absent or mistyped values end there). */
function follow(sites: RuleSite[], step: Step): RuleSite[] {
  const out: RuleSite[] = [];
  for (const { value, path } of sites) {
    if (step === 'items') {
      if (Array.isArray(value)) value.forEach((v, i) => out.push({ value: v, path: [...path, i] }));
    } else if (step === 'additionalProperties') {
      if (isMap(value)) for (const [k, v] of Object.entries(value)) out.push({ value: v, path: [...path, k] });
    } else if (isMap(value) && value[step.property] !== undefined && value[step.property] !== null) {
      out.push({ value: value[step.property], path: [...path, step.property] });
    }
  }
  return out;
}

/** Every value in `root` at a rule's location. */
export function ruleSites(root: unknown, pointer: string): RuleSite[] {
  return locationSteps(pointer).reduce<RuleSite[]>((sites, step) => follow(sites, step), [{ value: root, path: [] }]);
}

/** The schema node at a rule's location, if the strict schema has it. */
export function schemaAt(schema: Schema | undefined, pointer: string): Schema | undefined {
  let node = schema;
  for (const step of locationSteps(pointer)) {
    if (!node) return undefined;
    if (step === 'items') node = node.items;
    else if (step === 'additionalProperties') node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    else node = node.properties?.[step.property];
  }
  return node;
}
