import { createRequire } from 'node:module';
import { CompiledValidator, ajvIssues } from '../validation/ajv-errors.js';
import { importsPath } from '../validation/repo-files.js';
import { SchemaIssue } from '../validation/types.js';

const require = createRequire(import.meta.url);
const validators = new Map<string, CompiledValidator>();

/** A precompiled validator of imports/validators/talos/ (written by `npm run import`), loaded once. */
function talosValidator(name: 'talconfig' | 'machine-config'): CompiledValidator {
  let v = validators.get(name);
  if (!v) {
    const mod = require(importsPath(`validators/talos/${name}.cjs`)) as CompiledValidator & { default?: CompiledValidator };
    v = mod.default ?? mod;
    validators.set(name, v);
  }
  return v;
}

/** Issues of a talhelper `talconfig.yaml` document against talhelper's JSON schema. */
export function validateTalconfig(doc: unknown): SchemaIssue[] {
  const validate = talosValidator('talconfig');
  return validate(doc) ? [] : ajvIssues(validate.errors ?? []);
}

/**
 * Issues of a Talos machine-config patch — a partial `v1alpha1` config (`machine`/`cluster` keys,
 * strategic merge) or a whole document of another kind (`kind: Layer2VIPConfig`…) — against the
 * Talos machine-config schema; unknown keys are issues.
 */
export function validateMachinePatch(patch: unknown): SchemaIssue[] {
  const validate = talosValidator('machine-config');
  // The schema picks the document's definition with if/then on `kind`; those keywords only repeat the real error.
  return validate(patch) ? [] : ajvIssues((validate.errors ?? []).filter((e) => e.keyword !== 'if'));
}
