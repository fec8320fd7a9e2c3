/**
 * The one Ajv configuration used for every schema the project validates with, both for the
 * precompiled (standalone) validators written here and for the schemas
 * src/lib/validation compiles at runtime (keep AJV_OPTIONS in step with
 * src/lib/validation/ajv-instance.ts).
 */
import Ajv07 from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

/**
 * strict:false — CRD schemas carry x-kubernetes-* keywords; formats are not checked
 * (Kubernetes' formats differ from JSON Schema's, e.g. Go durations); regexps without the
 * u flag because upstream patterns are written for Go's RE2.
 */
export const AJV_OPTIONS = {
  strict: false,
  allErrors: true,
  validateFormats: false,
  validateSchema: false,
  unicodeRegExp: false,
};

/** Which JSON Schema dialect a schema asks for. */
export function dialectOf(schema) {
  return /2020-12|2019-09/.test(String(schema.$schema ?? '')) ? '2020' : '07';
}

/** A fresh Ajv for the dialect; `source` keeps generated code for standalone output. */
export function newAjv(dialect, { source = false, verbose = false } = {}) {
  const Ctor = dialect === '2020' ? Ajv2020.default : Ajv07.default;
  return new Ctor({ ...AJV_OPTIONS, verbose, code: { source, esm: false, lines: false } });
}

/** Compiles a schema and returns CommonJS standalone validator source. */
export function standaloneValidator(schema) {
  const ajv = newAjv(dialectOf(schema), { source: true });
  const validate = ajv.compile(schema);
  return standaloneCode.default(ajv, validate);
}
