import { CompiledValidator } from './ajv-errors.js';
import { readImportJson } from './repo-files.js';
import { Schema } from './structural-schema.js';

/** One entry of imports/schemas/k8s/index.json. */
interface CoreKindEntry {
  /** Name of the kind's schema in imports/schemas/k8s/definitions.json. */
  definition: string;
  /** Module of kubernetes-models/_schemas/ holding the kind's precompiled validator. */
  module: string;
}

interface CoreIndex {
  kinds: Record<string, CoreKindEntry>;
}

/** Every Kubernetes kind kubernetes-models knows, keyed "apiVersion/Kind" (v1/Namespace, apps/v1/Deployment). */
export function coreIndex(): Record<string, CoreKindEntry> {
  return readImportJson<CoreIndex>('schemas/k8s/index.json')?.kinds ?? {};
}

function entry(key: string): CoreKindEntry | undefined {
  const index = coreIndex();
  return Object.prototype.hasOwnProperty.call(index, key) ? index[key] : undefined;
}

const schemas = new Map<string, Schema>();

/** The strict structural schema of a core kind (sharing one definitions table), if known. */
export function coreSchema(apiVersion: string, kind: string): Schema | undefined {
  const key = `${apiVersion}/${kind}`;
  const e = entry(key);
  if (!e) return undefined;
  let schema = schemas.get(key);
  if (!schema) {
    const definitions = readImportJson<{ definitions: Record<string, Schema> }>('schemas/k8s/definitions.json')?.definitions ?? {};
    schema = { $ref: `#/definitions/${e.definition}`, definitions };
    schemas.set(key, schema);
  }
  return schema;
}

const modelValidators = new Map<string, CompiledValidator>();

/**
 * Loads kubernetes-models' own validators (ES modules, so this is asynchronous) for the given
 * "apiVersion/Kind" keys; unknown keys are ignored. Loaded validators are kept for the process.
 */
export async function loadModelValidators(keys: Iterable<string>): Promise<void> {
  // One at a time: the modules share most of their imports, and Jest's ESM loader fails on
  // concurrent imports of overlapping module graphs.
  for (const k of new Set(keys)) {
    const e = entry(k);
    if (!e || modelValidators.has(k)) continue;
    const mod = (await import(`kubernetes-models/_schemas/${e.module}`)) as { validate: CompiledValidator };
    modelValidators.set(k, mod.validate);
  }
}

/** The kubernetes-models validator of a core kind, if loaded. */
export function modelValidator(apiVersion: string, kind: string): CompiledValidator | undefined {
  return modelValidators.get(`${apiVersion}/${kind}`);
}
