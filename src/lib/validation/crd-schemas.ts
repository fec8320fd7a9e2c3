import { readImportJson } from './repo-files.js';
import { Schema } from './structural-schema.js';

/** One entry of imports/schemas/crds/index.json. */
export interface CrdIndexEntry {
  /** Schema file below imports/schemas/crds/. */
  file: string;
  scope: 'Namespaced' | 'Cluster';
  /** CRD source folder (import.config.mjs `crds`) the CRD came from (e.g. "cloudnative-pg"). */
  source: string;
  /** The CRD file, relative to the repository root. */
  crd: string;
  plural: string;
  /** Whether this is the version the API server stores. */
  storage: boolean;
  deprecated?: boolean;
}

interface CrdIndex {
  kinds: Record<string, CrdIndexEntry>;
}

/** Every CRD kind with a schema, keyed "group/version/Kind". */
export function crdIndex(): Record<string, CrdIndexEntry> {
  return readImportJson<CrdIndex>('schemas/crds/index.json')?.kinds ?? {};
}

/** The index entry of a CRD kind, if imports/ has its schema. */
export function crdEntry(apiVersion: string, kind: string): CrdIndexEntry | undefined {
  const index = crdIndex();
  const key = `${apiVersion}/${kind}`;
  return Object.prototype.hasOwnProperty.call(index, key) ? index[key] : undefined;
}

/** The strict schema of a CRD kind (read once), if imports/ has it. */
export function crdSchema(apiVersion: string, kind: string): Schema | undefined {
  const entry = crdEntry(apiVersion, kind);
  return entry && readImportJson<Schema>(`schemas/crds/${entry.file}`);
}
