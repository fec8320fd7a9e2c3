import { coreIndex } from './core-kinds.js';
import { crdEntry } from './crd-schemas.js';

/**
 * Built-in kinds that are cluster-scoped (not namespaced). kubernetes-models does not record
 * scope, so these come from the Kubernetes API reference.
 */
const CLUSTER_SCOPED_BUILT_IN = new Set([
  'v1/Namespace', 'v1/Node', 'v1/PersistentVolume', 'v1/ComponentStatus',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'storage.k8s.io/v1/StorageClass', 'storage.k8s.io/v1/CSIDriver', 'storage.k8s.io/v1/CSINode', 'storage.k8s.io/v1/VolumeAttachment',
  'storage.k8s.io/v1beta1/VolumeAttributesClass', 'storage.k8s.io/v1/VolumeAttributesClass',
  'networking.k8s.io/v1/IngressClass', 'networking.k8s.io/v1beta1/IPAddress', 'networking.k8s.io/v1beta1/ServiceCIDR',
  'networking.k8s.io/v1/IPAddress', 'networking.k8s.io/v1/ServiceCIDR',
  'scheduling.k8s.io/v1/PriorityClass', 'node.k8s.io/v1/RuntimeClass',
  'apiextensions.k8s.io/v1/CustomResourceDefinition', 'apiregistration.k8s.io/v1/APIService',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
  'certificates.k8s.io/v1/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration',
  'resource.k8s.io/v1/DeviceClass', 'resource.k8s.io/v1/ResourceSlice',
]);

/**
 * Whether objects of a kind live in a namespace: CRD kinds as their CRD declares; built-in
 * kinds (those kubernetes-models has) from a fixed list of the cluster-scoped ones; undefined
 * for kinds neither knows (and for kustomize files).
 */
export function kindScope(apiVersion: string, kind: string): 'Namespaced' | 'Cluster' | undefined {
  const crd = crdEntry(apiVersion, kind);
  if (crd) return crd.scope;
  const key = `${apiVersion}/${kind}`;
  if (!Object.prototype.hasOwnProperty.call(coreIndex(), key)) return undefined;
  return CLUSTER_SCOPED_BUILT_IN.has(key) ? 'Cluster' : 'Namespaced';
}
