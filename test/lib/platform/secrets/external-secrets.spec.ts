import { CHARTS } from '../../../../imports/charts.js';
import { DEFAULT_STORAGE_CLASS, crdGroup } from '../../../../src/lib/estate/capabilities.js';
import { SECRET_STORE } from '../../../../src/lib/estate/services.js';
import { ExternalSecrets, OpenBao, requestExternalSecret, storeCapability } from '../../../../src/lib/platform/secrets/index.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { problems, provider, synth } from '../observability/support.js';

type Cluster = ReturnType<typeof testCluster>['cluster'];

/** Storage, OpenBao, External Secrets (with its store) and an app asking for a Secret. */
function chain(overrides: Parameters<typeof testCluster>[0] = {}, extra?: (c: Cluster) => void) {
  const { estate, cluster } = testCluster(overrides);
  provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
  const openbao = new OpenBao(cluster, 'openbao');
  const eso = new ExternalSecrets(cluster, 'external-secrets');
  const app = rawComponent(cluster, { name: 'vaultwarden', namespace: 'vaultwarden', layer: 'apps' });
  const secretName = requestExternalSecret(app, 'vaultwarden-admin', { ADMIN_TOKEN: { key: 'apps/vaultwarden', property: 'admin-token' } });
  extra?.(cluster);
  return { estate, cluster, openbao, eso, app, secretName };
}

/** Names of the Kustomizations a component's Kustomization depends on. */
const deps = (out: ReturnType<typeof synth>, rel: string): string[] => (out.doc(rel).spec.dependsOn ?? []).map((d: any) => d.name);

describe('External Secrets + OpenBao store', () => {
  test('the operator: pinned chart, CRDs installed by the chart and provided, restricted namespace, workloads declared', () => {
    const { estate, eso } = chain();
    const out = synth(estate);
    const hr = out.doc('secrets/external-secrets/app/helmrelease.yaml');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'external-secrets', version: CHARTS['external-secrets'].version });
    expect(hr.spec.values).toMatchObject({ installCRDs: true, replicaCount: 1, serviceAccount: { create: true, name: 'external-secrets' } });
    expect(hr.spec.values.resources).toEqual({ requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(eso.provides.has(crdGroup('external-secrets.io'))).toBe(true);
    expect(eso.provides.has(crdGroup('generators.external-secrets.io'))).toBe(true);
    expect(out.doc('secrets/external-secrets/app/namespace.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(eso.workloads.map((w) => w.name)).toEqual(['external-secrets', 'external-secrets-webhook', 'external-secrets-cert-controller']);
  });

  test('the ClusterSecretStore reads OpenBao (Vault provider, KV v2, Kubernetes auth as the operator ServiceAccount)', () => {
    const { estate, cluster, eso } = chain();
    const out = synth(estate);
    const store = out.doc('secrets/external-secrets-store/app/clustersecretstore.yaml');
    expect(store.metadata).toEqual({ name: 'openbao' });
    expect(store.spec.provider.vault).toEqual({
      server: 'http://openbao.openbao.svc:8200',
      path: 'secret',
      version: 'v2',
      auth: { kubernetes: { mountPath: 'kubernetes', role: 'external-secrets', serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
    });
    expect(cluster.service(SECRET_STORE)).toBe(eso.store);
  });

  test("the app's ExternalSecret lands in its namespace and materialises the Secret whose name it got", () => {
    const { estate, secretName } = chain();
    const es = synth(estate).doc('vaultwarden/vaultwarden/app/externalsecret.yaml');
    expect(secretName).toBe('vaultwarden-admin');
    expect(es).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'vaultwarden-admin', namespace: 'vaultwarden' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'openbao' },
        target: { name: 'vaultwarden-admin', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: [{ secretKey: 'ADMIN_TOKEN', remoteRef: { key: 'apps/vaultwarden', property: 'admin-token' } }],
      },
    });
  });

  test('bootstrap order is derived: OpenBao → store (also after the operator CRDs) → the app', () => {
    const { estate, app, eso } = chain();
    const out = synth(estate);
    expect(deps(out, 'secrets/openbao/ks.yaml')).toEqual(['block']);
    expect(deps(out, 'secrets/external-secrets/ks.yaml')).toEqual([]);
    expect(deps(out, 'secrets/external-secrets-store/ks.yaml')).toEqual(['external-secrets', 'openbao']);
    expect(deps(out, 'vaultwarden/vaultwarden/ks.yaml')).toEqual(['external-secrets', 'external-secrets-store']);
    expect(app.requires.has(storeCapability('openbao'))).toBe(true);
    expect(eso.store!.provides.has(storeCapability('openbao'))).toBe(true);
  });

  test('the layered layout: operator and store in platform, the store object applied by the apps layer after the CRDs', () => {
    const { estate } = chain({ flux: { layout: 'layered' } });
    const out = synth(estate);
    expect(out.has('apps/secrets/external-secrets-store-config/clustersecretstore.yaml')).toBe(true);
    expect(out.has('apps/vaultwarden/vaultwarden/externalsecret.yaml')).toBe(true);
    expect(out.has('platform/secrets/openbao/helmrelease.yaml')).toBe(true);
  });

  test('store: false renders no store and registers no SECRET_STORE', () => {
    const { estate, cluster } = testCluster();
    provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS);
    const eso = new ExternalSecrets(cluster, 'external-secrets', { store: false });
    const out = synth(estate);
    expect(eso.store).toBeUndefined();
    expect(cluster.service(SECRET_STORE)).toBeUndefined();
    expect(out.has('secrets/external-secrets-store/ks.yaml')).toBe(false);
  });

  test('a store without OpenBao in the cluster is a problem naming the fix', () => {
    const { estate, cluster } = testCluster();
    new ExternalSecrets(cluster, 'external-secrets');
    expect(problems(estate)).toEqual([expect.objectContaining({
      path: 'test/external-secrets-store',
      field: 'backend',
      message: "the ClusterSecretStore 'openbao' reads OpenBao, but cluster 'test' has no OpenBao component",
      fix: expect.stringContaining('new OpenBao(cluster'),
    })]);
  });

  test('asking for a Secret on a cluster without a secret store is a problem on the consumer', () => {
    const { estate, cluster } = testCluster();
    const app = rawComponent(cluster, { name: 'web', namespace: 'web' });
    expect(requestExternalSecret(app, 'web-db', { password: { key: 'apps/web' } })).toBe('web-db');
    expect(problems(estate)).toEqual([expect.objectContaining({ path: 'test/web', field: 'externalSecrets.web-db', message: expect.stringContaining("cluster 'test' has no secret store") })]);
  });

  test.each([
    ['the same Secret twice', (app: any) => { requestExternalSecret(app, 'dup', { a: { key: 'x' } }); requestExternalSecret(app, 'dup', { a: { key: 'x' } }); }, 'externalSecrets.dup', 'is requested twice'],
    ['no keys', (app: any) => requestExternalSecret(app, 'empty', {}), 'externalSecrets.empty', 'maps no keys'],
    ['an invalid name', (app: any) => requestExternalSecret(app, 'Bad_Name', { a: { key: 'x' } }), 'externalSecrets.Bad_Name', 'is not a valid Secret name'],
    ['a key without store path', (app: any) => requestExternalSecret(app, 'nopath', { a: { key: '' } }), 'externalSecrets.nopath.a', 'has no store path'],
  ])('asking for %s is a problem', (_, ask, field, message) => {
    const { estate } = chain({}, (c) => ask(c.component('vaultwarden')));
    expect(problems(estate)).toEqual([expect.objectContaining({ path: 'test/vaultwarden', field, message: expect.stringContaining(message) })]);
  });
});
