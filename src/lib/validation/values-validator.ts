import fs from 'node:fs';
import { createRequire } from 'node:module';
import { AjvError, CompiledValidator, ajvIssues } from './ajv-errors.js';
import { mergeHelmValues } from './helm-merge.js';
import { PathSegment } from './paths.js';
import { importsPath, readImportJson } from './repo-files.js';
import { SchemaIssue } from './types.js';
import { KeyTree, checkValuesKeys, subtree } from './values-keys.js';

export type { SchemaIssue } from './types.js';

interface ValuesKeysFile {
  chart: string;
  version: string;
  keys: KeyTree;
  /** Top-level keys configuring subcharts (absent when the chart has none). */
  subcharts?: string[];
}

const require = createRequire(import.meta.url);
const validators = new Map<string, CompiledValidator | null>();

/**
 * The precompiled validator of a chart's values schema (imports/validators/charts/<chart>.cjs),
 * or null when the chart ships no schema. Loaded once.
 */
function chartValidator(chart: string): CompiledValidator | null {
  if (!validators.has(chart)) {
    const file = importsPath(`validators/charts/${chart}.cjs`);
    validators.set(chart, fs.existsSync(file) ? (require(file) as CompiledValidator) : null);
  }
  return validators.get(chart)!;
}

const baselines = new Map<string, Set<string>>();

/** Identity of an Ajv error, to recognise errors the chart's defaults already have. */
const errorKey = (e: AjvError): string => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;

/** Errors of the chart's defaults on their own (normally none), computed once per chart. */
function baseline(chart: string, validate: CompiledValidator, defaults: unknown): Set<string> {
  let keys = baselines.get(chart);
  if (!keys) {
    keys = new Set(validate(defaults) ? [] : (validate.errors ?? []).map(errorKey));
    baselines.set(chart, keys);
  }
  return keys;
}

/** Names of the keys values.yaml has at a path (for did-you-mean hints on schema errors). */
function knownKeys(tree: KeyTree): (path: PathSegment[]) => string[] {
  return (path) => {
    const node = subtree(tree, path);
    return typeof node === 'object' ? Object.keys(node) : [];
  };
}

/**
 * Validates Helm values for a chart of import.config.mjs (as imported into imports/): merged
 * over the chart's defaults (as Helm does) against the chart's own values.schema.json when it
 * ships one (made strict where the published one closes no object; see the schema's
 * $comment), otherwise against the key tree of its values.yaml (keys it documents only as
 * commented-out YAML count as known). Unknown keys are issues naming the full dotted key
 * and, where one is close, the key probably meant; so are values of the wrong type.
 */
export function validateHelmValues(chart: string, values: unknown): SchemaIssue[] {
  const keys = readImportJson<ValuesKeysFile>(`charts/${chart}/values-keys.json`);
  if (!keys) {
    return [{ field: '', message: `no values data for chart '${chart}'; add the chart to import.config.mjs and run npm run import` }];
  }
  const data = values ?? {};
  const validate = chartValidator(chart);
  if (!validate) return checkValuesKeys(keys.keys, data, keys.subcharts ?? []);
  const defaults = readImportJson<{ values: unknown }>(`charts/${chart}/values-defaults.json`)?.values ?? {};
  const known = baseline(chart, validate, defaults);
  if (validate(mergeHelmValues(defaults, data))) return [];
  const errors = (validate.errors ?? []).filter((e) => !known.has(errorKey(e)));
  return ajvIssues(errors, knownKeys(keys.keys), 'values key');
}
