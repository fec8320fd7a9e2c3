/** Schema validation of generated manifests and Helm values, and schema URLs for editors. */
export type { SchemaIssue } from './types.js';
export { validateManifest, prepareValidation } from './schema-validator.js';
export { validateHelmValues } from './values-validator.js';
export { schemaUrlFor, KUBERNETES_SCHEMA_VERSION } from './schema-urls.js';
export { kindScope } from './kind-scope.js';
