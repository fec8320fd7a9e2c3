import { schemaUrlFor } from '../../../src/lib/validation/schema-urls.js';
import { kindScope } from '../../../src/lib/validation/kind-scope.js';

const yannh = 'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.32.0-standalone-strict';
const datree = 'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main';

describe('schemaUrlFor', () => {
  test.each([
    ['v1', 'Namespace', `${yannh}/namespace-v1.json`],
    ['apps/v1', 'Deployment', `${yannh}/deployment-apps-v1.json`],
    ['networking.k8s.io/v1', 'Ingress', `${yannh}/ingress-networking-v1.json`],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', `${yannh}/clusterrolebinding-rbac-v1.json`],
    ['policy/v1', 'PodDisruptionBudget', `${yannh}/poddisruptionbudget-policy-v1.json`],
    ['helm.toolkit.fluxcd.io/v2', 'HelmRelease', `${datree}/helm.toolkit.fluxcd.io/helmrelease_v2.json`],
    ['postgresql.cnpg.io/v1', 'Cluster', `${datree}/postgresql.cnpg.io/cluster_v1.json`],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute', `${datree}/gateway.networking.k8s.io/httproute_v1.json`],
    ['kustomize.config.k8s.io/v1beta1', 'Kustomization', 'https://json.schemastore.org/kustomization.json'],
  ])('%s %s', (apiVersion, kind, url) => {
    expect(schemaUrlFor(apiVersion, kind)).toBe(url);
  });
});

describe('kindScope', () => {
  test('reads CRD scopes from the index and knows cluster-scoped built-in kinds', () => {
    expect(kindScope('postgresql.cnpg.io/v1', 'Cluster')).toBe('Namespaced');
    expect(kindScope('cert-manager.io/v1', 'ClusterIssuer')).toBe('Cluster');
    expect(kindScope('v1', 'Namespace')).toBe('Cluster');
    expect(kindScope('v1', 'ConfigMap')).toBe('Namespaced');
    expect(kindScope('example.com/v1', 'Widget')).toBeUndefined();
  });
});
