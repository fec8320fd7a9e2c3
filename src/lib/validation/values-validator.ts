import fs from 'node:fs';
import { createRequire } from 'node:module';
import { CompiledValidator, ajvIssues } from './ajv-errors.js';
import { PathSegment } from './paths.js';
import { importsPath, readImportJson } from './repo-files.js';
import { SchemaIssue } from './types.js';
import { KeyTree, checkValuesKeys, subtree } from './values-keys.js';

export type { SchemaIssue } from './types.js';

interface ValuesKeysFile {
  chart: string;
  version: string;
  keys: KeyTree;
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

/** Names of the keys values.yaml has at a path (for did-you-mean hints on schema errors). */
function knownKeys(tree: KeyTree): (path: PathSegment[]) => string[] {
  return (path) => {
    const node = subtree(tree, path);
    return typeof node === 'object' ? Object.keys(node) : [];
  };
}

/**
 * Validates Helm values for a chart of ../shared/charts (as imported into imports/): against
 * the chart's own values.schema.json when it ships one (made strict where the published one
 * closes no object; see the schema's $comment), otherwise against the key tree of its
 * values.yaml. Unknown keys are issues naming the full dotted key and, where one is close,
 * the key probably meant; so are values of the wrong type.
 */
export function validateHelmValues(chart: string, values: unknown): SchemaIssue[] {
  const keys = readImportJson<ValuesKeysFile>(`charts/${chart}/values-keys.json`);
  if (!keys) {
    return [{ field: '', message: `no values data for chart '${chart}'; add the chart to ../shared/charts and run npm run import` }];
  }
  const data = values ?? {};
  const validate = chartValidator(chart);
  if (!validate) return checkValuesKeys(keys.keys, data);
  if (validate(data)) return [];
  return ajvIssues(validate.errors ?? [], knownKeys(keys.keys), 'values key');
}
