import { ajvIssues } from './ajv-errors.js';
import { celIssues } from './cel-validator.js';
import { coreIndex, coreSchema, loadModelValidators, modelValidator } from './core-kinds.js';
import { crdIndex, crdSchema } from './crd-schemas.js';
import { KUSTOMIZATION_SCHEMA } from './kustomize-schema.js';
import { formatPath } from './paths.js';
import { Schema, checkSchema } from './structural-schema.js';
import { SchemaIssue } from './types.js';

export type { SchemaIssue } from './types.js';

const KUSTOMIZE_API = 'kustomize.config.k8s.io/v1beta1';

/**
 * Core kinds whose kubernetes-models validator is loaded when this module is first imported
 * (≈0.1 s): the kinds the library writes. Others are checked by their structural schema alone
 * unless `prepareValidation` has loaded their validator.
 */
const PRELOADED_MODEL_KINDS = [
  'v1/Namespace', 'v1/Service', 'v1/ConfigMap', 'v1/Secret', 'v1/PersistentVolumeClaim', 'v1/ServiceAccount',
  'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet',
  'batch/v1/CronJob', 'batch/v1/Job',
  'networking.k8s.io/v1/Ingress', 'networking.k8s.io/v1/NetworkPolicy', 'networking.k8s.io/v1/IngressClass',
  'storage.k8s.io/v1/StorageClass',
  'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget',
];

await loadModelValidators(PRELOADED_MODEL_KINDS);

/**
 * Loads kubernetes-models' validators for the core kinds among the given manifests, so that
 * `validateManifest` also applies its integer and format checks to kinds outside the preloaded
 * set. Optional: without it those kinds are still checked against their strict structure.
 */
export async function prepareValidation(manifests: Iterable<{ apiVersion?: unknown; kind?: unknown }>): Promise<void> {
  const keys = [...manifests].map((m) => `${String(m.apiVersion)}/${String(m.kind)}`);
  await loadModelValidators(keys);
}

/** Converts structural issues to schema issues. */
function structuralIssues(schema: Schema, obj: unknown): SchemaIssue[] {
  return checkSchema(schema, obj).map((i) => ({ field: formatPath(i.path), message: i.message }));
}

/**
 * Core kinds: the strict structure generated from kubernetes-models' types, plus (when loaded)
 * kubernetes-models' own validator for what types alone cannot say (integers, formats);
 * problems both report for the same field are reported once.
 */
function validateCore(schema: Schema, obj: Record<string, any>): SchemaIssue[] {
  const issues = structuralIssues(schema, obj);
  const validate = modelValidator(obj.apiVersion, obj.kind);
  if (validate && !validate(obj)) {
    const fields = new Set(issues.map((i) => i.field));
    issues.push(...ajvIssues(validate.errors ?? []).filter((i) => !fields.has(i.field)));
  }
  return issues;
}

/**
 * Custom resources: the strict structure, then (only when that holds, as the rules assume the
 * types the schema promises) the CRD's CEL rules.
 */
function validateCustomResource(schema: Schema, obj: Record<string, any>): SchemaIssue[] {
  const issues = structuralIssues(schema, obj);
  return issues.length ? issues : celIssues(obj, schema);
}

/** The issue for a kind no schema is known for, naming the versions that are known. */
function unknownKind(apiVersion: string, kind: string): SchemaIssue {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const versions = [...Object.keys(crdIndex()), ...Object.keys(coreIndex())]
    .map((k) => k.split('/'))
    .filter((p) => p[p.length - 1] === kind && (p.length === 2 ? group === '' : p.slice(0, -2).join('/') === group))
    .map((p) => p.slice(0, -1).join('/'));
  const known = versions.length ? ` (known: ${versions.sort().join(', ')})` : '';
  return {
    field: 'apiVersion',
    message: `no schema for ${apiVersion} ${kind}${known}; add its CRD to import.config.mjs and run npm run import`,
  };
}

/**
 * Validates one Kubernetes manifest against the strict schema of its apiVersion and kind:
 * CRD kinds against imports/schemas/crds, core kinds against the kubernetes-models schemas,
 * kustomize's Kustomization against a built-in schema. Unknown fields, wrong types, missing
 * required fields and values outside enums or patterns are issues; so is an apiVersion/kind
 * with no known schema. A custom resource is also held to its CRD's CEL rules (cel-validator.ts).
 * Synchronous, reads only imports/, caches everything it reads.
 */
export function validateManifest(obj: Record<string, any>): SchemaIssue[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return [{ field: '', message: 'a manifest must be a map' }];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [{ field: typeof apiVersion !== 'string' ? 'apiVersion' : 'kind', message: 'a manifest needs string apiVersion and kind' }];
  }
  if (apiVersion === KUSTOMIZE_API && kind === 'Kustomization') return structuralIssues(KUSTOMIZATION_SCHEMA, obj);
  const crd = crdSchema(apiVersion, kind);
  if (crd) return validateCustomResource(crd, obj);
  const core = coreSchema(apiVersion, kind);
  if (core) return validateCore(core, obj);
  return [unknownKind(apiVersion, kind)];
}
