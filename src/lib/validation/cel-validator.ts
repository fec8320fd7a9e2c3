/**
 * Evaluates a CRD's `x-kubernetes-validations` rules against a generated custom resource, as the
 * API server does on create: each rule at every value its location holds, on the object with
 * its schema defaults applied. A false rule is a SchemaIssue naming the field, the rule's
 * message and the rule. Transition rules (`oldSelf`) and rules this evaluator cannot compile are
 * never evaluated; they are listed in imports/schemas/crds/cel/unsupported.json and summary.json.
 * A rule that compiles but fails to evaluate for a reason of this evaluator's (a missing
 * overload, say) is recorded by `celNotEvaluated()` instead of raising a false error.
 */
import { compileRule, isCelError, type CompiledRule } from './cel-compile.js';
import { celRulesFor, ruleSites, schemaAt, type CelRuleEntry } from './cel-rules.js';
import { toCelValue, withDefaults } from './cel-value.js';
import { formatPath, PathSegment } from './paths.js';
import { Schema } from './structural-schema.js';
import { SchemaIssue } from './types.js';

const compiled = new Map<string, CompiledRule>();

/** Compiles a rule (once per distinct text). */
function compiledRule(rule: string): CompiledRule {
  let c = compiled.get(rule);
  if (!c) {
    c = compileRule(rule);
    compiled.set(rule, c);
  }
  return c;
}

/** A rule that compiled but could not be evaluated on some object. */
export interface CelNotEvaluated {
  object: string;
  field: string;
  rule: string;
  error: string;
}

const notEvaluated: CelNotEvaluated[] = [];

/** Every rule evaluation this process could not complete (see the file comment), in order. */
export function celNotEvaluated(): readonly CelNotEvaluated[] {
  return notEvaluated;
}

/**
 * Evaluation errors the API server raises too, so they reject the object: selecting a field
 * the object does not have (a rule without its `has()` guard).
 */
const OBJECT_ERRORS = /^(no such key|field not found)/;

/** Appends a rule's `fieldPath` (a JSONPath such as `.serverName` or `['a.b']`) to a location. */
export function withFieldPath(path: readonly PathSegment[], fieldPath: string | undefined): PathSegment[] {
  const out = [...path];
  if (!fieldPath) return out;
  for (const m of fieldPath.matchAll(/\.([^.[\]]+)|\['([^']*)'\]|\[(\d+)\]/g)) out.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2]));
  return out;
}

/** The message an error of the rule carries: its messageExpression's value, its message, or Kubernetes' default. */
function ruleMessage(entry: CelRuleEntry, self: unknown): string {
  if (entry.messageExpression) {
    const c = compiledRule(entry.messageExpression);
    const text = c.kind === 'program' ? c.program(self) : undefined;
    if (typeof text === 'string' && text.trim()) return text;
  }
  return entry.message ?? `failed rule: ${entry.rule}`;
}

/** Describes the failing rule after its message. */
function ruleSuffix(entry: CelRuleEntry): string {
  return ` (CEL rule \`${entry.rule}\`${entry.reason ? `, reason ${entry.reason}` : ''})`;
}

/** Evaluates one rule at every site in the defaulted object. */
function evaluateRule(entry: CelRuleEntry, root: unknown, schema: Schema | undefined, object: string): SchemaIssue[] {
  const c = compiledRule(entry.rule);
  if (c.kind !== 'program' || entry.transition || entry.unsupported) return [];
  const siteSchema = schemaAt(schema, entry.schemaPath);
  const issues: SchemaIssue[] = [];
  for (const site of ruleSites(root, entry.schemaPath)) {
    const self = toCelValue(site.value, siteSchema);
    const result = c.program(self);
    const field = formatPath(withFieldPath(site.path, entry.fieldPath));
    if (result === true) continue;
    if (result === false) {
      issues.push({ field, message: `${ruleMessage(entry, self)}${ruleSuffix(entry)}` });
    } else if (isCelError(result) && OBJECT_ERRORS.test(result.message)) {
      issues.push({ field, message: `rule cannot be evaluated on this object: ${result.message}${ruleSuffix(entry)}` });
    } else {
      notEvaluated.push({ object, field, rule: entry.rule, error: isCelError(result) ? result.message : `returned ${String(result)}, not a bool` });
    }
  }
  return issues;
}

/**
 * The CEL issues of one custom resource under its CRD version's strict schema (which supplies
 * the defaults and types). Objects of kinds without rules cost one map look-up.
 */
export function celIssues(obj: Record<string, any>, schema: Schema | undefined): SchemaIssue[] {
  const rules = celRulesFor(obj.apiVersion, obj.kind);
  if (rules.length === 0) return [];
  const root = withDefaults(obj, schema);
  const object = `${obj.kind} '${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? ''}'`;
  return rules.flatMap((entry) => evaluateRule(entry, root, schema, object));
}
