import { coreIndex } from './core-kinds.js';
import { crdEntry } from './crd-schemas.js';

/** Kubernetes version of the yannh/kubernetes-json-schema schemas referenced for core kinds. */
export const KUBERNETES_SCHEMA_VERSION = 'v1.32.0';

const YANNH = `https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/${KUBERNETES_SCHEMA_VERSION}-standalone-strict`;
const DATREE = 'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main';
const KUSTOMIZATION = 'https://json.schemastore.org/kustomization.json';

/** Whether a kind belongs to the built-in Kubernetes API. */
function isBuiltIn(apiVersion: string, kind: string, group: string): boolean {
  if (Object.prototype.hasOwnProperty.call(coreIndex(), `${apiVersion}/${kind}`)) return true;
  if (crdEntry(apiVersion, kind)) return false;
  return !group.includes('.');
}

/**
 * The JSON schema URL for a `# yaml-language-server: $schema=` line: kustomize files use
 * SchemaStore's; built-in kinds yannh/kubernetes-json-schema (`deployment-apps-v1.json`,
 * `ingress-networking-v1.json`, `namespace-v1.json`: lowercased kind, first DNS label of the
 * group, version); CRD kinds datreeio's CRDs-catalog (`<group>/<kind>_<version>.json`).
 */
export function schemaUrlFor(apiVersion: string, kind: string): string {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (group === 'kustomize.config.k8s.io' && kind === 'Kustomization') return KUSTOMIZATION;
  if (isBuiltIn(apiVersion, kind, group)) {
    const prefix = group ? `-${group.split('.')[0]}` : '';
    return `${YANNH}/${kind.toLowerCase()}${prefix}-${version}.json`;
  }
  return `${DATREE}/${group}/${kind.toLowerCase()}_${version}.json`;
}
