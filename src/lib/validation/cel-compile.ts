/**
 * Compiles one CRD validation rule (`x-kubernetes-validations[].rule`) with @bufbuild/cel and
 * says, before anything is evaluated, whether it can be evaluated here at all: a rule that does
 * not parse or calls a function the environment does not bind is *unsupported* and is listed
 * (imports/schemas/crds/cel/unsupported.json), not evaluated, so it can never raise a false error.
 * A rule that reads `oldSelf` is a *transition rule*: it compares an update with the stored
 * object and does not apply when an object is created, which is all synth can check.
 * Deliberately free of imports/: `npm run import` loads this module to classify the rules.
 */
import { celEnv, isCelError, parse, plan, type CelEnv, type CelResult } from '@bufbuild/cel';
import { CEL_EXTENSIONS } from './cel-ext.js';

/** A compiled rule: call it with the value of `self`. */
export type CelProgram = (self: unknown) => CelResult;

/** What compiling a rule found. */
export type CompiledRule =
  | { kind: 'program'; program: CelProgram }
  | { kind: 'transition' }
  | { kind: 'unsupported'; reason: string };

/**
 * Calls the parser emits for operators the planner evaluates itself, so they are not in the
 * function resolver: logic with CEL's error absorption, the conditional and indexing.
 */
const SPECIAL_FORMS = new Set(['_&&_', '_||_', '_?_:_', '@not_strictly_false', '_[_]', '_[?_]']);

let env: CelEnv | undefined;

/** The one environment every rule is evaluated in: the standard library plus cel-ext.ts. */
export function celEnvironment(): CelEnv {
  env ??= celEnv({ funcs: [...CEL_EXTENSIONS] });
  return env;
}

/** Function names called and identifiers read anywhere in a parsed expression (a protobuf message tree). */
export function namesIn(node: unknown, out = { calls: new Set<string>(), idents: new Set<string>() }) {
  if (Array.isArray(node)) {
    for (const n of node) namesIn(n, out);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.$typeName === 'cel.expr.Expr.Call' && typeof o.function === 'string') out.calls.add(o.function);
    if (o.$typeName === 'cel.expr.Expr.Ident' && typeof o.name === 'string') out.idents.add(o.name);
    for (const [k, v] of Object.entries(o)) if (k !== '$typeName') namesIn(v, out);
  }
  return out;
}

/** Functions the rule calls that neither the environment nor the planner knows, sorted. */
function unboundCalls(calls: Iterable<string>): string[] {
  const funcs = celEnvironment().funcs;
  return [...calls].filter((f) => !SPECIAL_FORMS.has(f) && !funcs.find(f)).sort();
}

/** Parses a rule, or returns the parser's message. */
function tryParse(rule: string): ReturnType<typeof parse> | string {
  try {
    return parse(rule);
  } catch (err) {
    return `does not parse: ${(err as Error).message.split('\n')[0]}`;
  }
}

/** Compiles a rule (see the file comment for the three outcomes). */
export function compileRule(rule: string): CompiledRule {
  const parsed = tryParse(rule);
  if (typeof parsed === 'string') return { kind: 'unsupported', reason: parsed };
  // The expression itself: sourceInfo also keeps the macro calls (has, all…) as written, before expansion.
  const { calls, idents } = namesIn(parsed.expr);
  if (idents.has('oldSelf')) return { kind: 'transition' };
  const unbound = unboundCalls(calls);
  if (unbound.length) return { kind: 'unsupported', reason: `calls ${unbound.map((f) => `${f}()`).join(', ')}, which this evaluator does not implement` };
  const run = plan(celEnvironment(), parsed);
  return { kind: 'program', program: (self) => run({ self } as never) };
}

/** Whether a result is an evaluation error rather than a value. */
export { isCelError };
