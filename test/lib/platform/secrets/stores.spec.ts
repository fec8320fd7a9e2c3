import { parseAllDocuments } from 'yaml';
import { DEFAULT_STORAGE_CLASS } from '../../../../src/lib/estate/capabilities.js';
import { SECRET_STORE } from '../../../../src/lib/estate/services.js';
import { userSecrets } from '../../../../src/lib/estate/user-secrets.js';
import { CertManager } from '../../../../src/lib/platform/ingress/cert-manager.js';
import {
  BitwardenSecretsManagerStore, ExternalSecrets, ExternalSecretsProps, KubernetesSecretStore, OnePasswordConnectStore, OpenBao,
  VaultSecretStore, requestExternalSecret, secretStores, storeCapability,
} from '../../../../src/lib/platform/secrets/index.js';
import { synthesize } from '../../../../src/lib/synth/synth.js';
import { rawComponent, readTree, tempRoot, testCluster } from '../../../helpers.js';
import { fluxAppliedFolders, kustomizeBuildAll } from '../../../kustomize.js';
import { problemsOf, synth } from '../databases/fixtures.js';

type Cluster = ReturnType<typeof testCluster>['cluster'];

const ORG = '11111111-2222-3333-4444-555555555555';
const PROJECT = '66666666-7777-8888-9999-000000000000';

/** External Secrets without its OpenBao store, plus whatever stores `build` declares. */
function withOperator(build: (c: Cluster, eso: ExternalSecrets) => void, eso: ExternalSecretsProps = {}) {
  const { estate, cluster } = testCluster();
  new CertManager(cluster, 'cert-manager');
  const operator = new ExternalSecrets(cluster, 'external-secrets', { store: false, ...eso });
  build(cluster, operator);
  return { estate, cluster, operator };
}

const app = (c: Cluster, name = 'paperless') => rawComponent(c, { name, namespace: name, layer: 'apps' });
const storeSpec = (out: ReturnType<typeof synth>, name: string) => out.get('ClusterSecretStore', name).spec.provider;

describe('1Password Connect store', () => {
  const build = (c: Cluster, eso: ExternalSecrets) => new OnePasswordConnectStore(c, 'onepassword', { operator: eso, connectHost: 'http://onepassword-connect.onepassword.svc:8080', vaults: ['homelab', 'shared'] });

  test('renders the onepassword provider with vault priorities in order and the token by reference', () => {
    const { estate } = withOperator(build);
    expect(storeSpec(synth(estate), 'onepassword')).toEqual({
      onepassword: {
        connectHost: 'http://onepassword-connect.onepassword.svc:8080',
        vaults: { homelab: 1, shared: 2 },
        auth: { secretRef: { connectTokenSecretRef: { name: 'onepassword-connect-token', key: 'token', namespace: 'external-secrets' } } },
      },
    });
  });

  test('is the default store; an app asks it for an item field; the token is a README prerequisite', () => {
    const { estate, cluster } = withOperator((c, eso) => {
      build(c, eso);
      requestExternalSecret(app(c), 'paperless-admin', { PAPERLESS_ADMIN_PASSWORD: { key: 'Paperless', property: 'password' } });
    });
    const out = synth(estate);
    expect(cluster.service(SECRET_STORE)!.component.name).toBe('onepassword');
    expect(out.get('ExternalSecret', 'paperless-admin', 'paperless').spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'onepassword' },
      data: [{ secretKey: 'PAPERLESS_ADMIN_PASSWORD', remoteRef: { key: 'Paperless', property: 'password' } }],
    });
    expect(out.ks('paperless').spec.dependsOn.map((d: any) => d.name)).toContain('onepassword');
    expect(userSecrets(cluster)).toContainEqual(expect.objectContaining({ name: 'onepassword-connect-token', namespace: 'external-secrets', keys: ['token'] }));
    expect(out.tree.get('clusters/test/README.md')).toContain('onepassword-connect-token');
  });
});

describe('Bitwarden Secrets Manager store', () => {
  const build = (c: Cluster, eso: ExternalSecrets) => new BitwardenSecretsManagerStore(c, 'bitwarden', { operator: eso, organizationID: ORG, projectID: PROJECT });

  test('the operator runs the SDK server with a cert-manager certificate; the store trusts its CA', () => {
    const { estate, cluster } = withOperator(build, { bitwardenSdkServer: true });
    const out = synth(estate);
    expect(out.get('HelmRelease', 'external-secrets').spec.values['bitwarden-sdk-server']).toEqual({ enabled: true });
    expect(out.get('Issuer', 'bitwarden-sdk-server-selfsigned', 'external-secrets').spec).toEqual({ selfSigned: {} });
    expect(out.get('Certificate', 'bitwarden-tls-certs', 'external-secrets').spec).toMatchObject({
      secretName: 'bitwarden-tls-certs',
      dnsNames: ['bitwarden-sdk-server', 'bitwarden-sdk-server.external-secrets', 'bitwarden-sdk-server.external-secrets.svc', 'bitwarden-sdk-server.external-secrets.svc.cluster.local'],
      issuerRef: { kind: 'Issuer', name: 'bitwarden-sdk-server-selfsigned' },
    });
    expect(storeSpec(out, 'bitwarden')).toEqual({
      bitwardensecretsmanager: {
        bitwardenServerSDKURL: 'https://bitwarden-sdk-server.external-secrets.svc.cluster.local:9998',
        caProvider: { type: 'Secret', name: 'bitwarden-tls-certs', namespace: 'external-secrets', key: 'ca.crt' },
        organizationID: ORG,
        projectID: PROJECT,
        auth: { secretRef: { credentials: { name: 'bitwarden-access-token', key: 'token', namespace: 'external-secrets' } } },
      },
    });
    expect(out.ks('external-secrets').spec.dependsOn.map((d: any) => d.name)).toContain('cert-manager');
    expect(userSecrets(cluster).map((s) => s.name)).toEqual(['bitwarden-access-token']);
  });

  test('the layered layout: the certificate and the store are applied after the CRDs they need', () => {
    const { estate, cluster } = testCluster({ flux: { layout: 'layered' } });
    new CertManager(cluster, 'cert-manager');
    const eso = new ExternalSecrets(cluster, 'external-secrets', { store: false, bitwardenSdkServer: true });
    build(cluster, eso);
    const files = [...synth(estate).tree.keys()].filter((f) => /\/(certificate|issuer|clustersecretstore)\.yaml$/.test(f));
    expect(files.sort()).toEqual([
      'clusters/test/apps/secrets/bitwarden-config/clustersecretstore.yaml',
      'clusters/test/apps/secrets/external-secrets-config/certificate.yaml',
      'clusters/test/apps/secrets/external-secrets-config/issuer.yaml',
    ]);
  });

  test("'user-provided' TLS lists the SDK server's Secret as a prerequisite instead of issuing it", () => {
    const { estate, cluster } = withOperator(build, { bitwardenSdkServer: 'user-provided' });
    const out = synth(estate);
    expect(out.all('Certificate')).toEqual([]);
    expect(userSecrets(cluster)).toContainEqual(expect.objectContaining({ name: 'bitwarden-tls-certs', keys: ['ca.crt', 'tls.crt', 'tls.key'] }));
  });

  test('without the SDK server on the operator the store is a problem naming the fix', () => {
    expect(problemsOf(withOperator(build).estate)).toContainEqual(expect.objectContaining({
      path: 'test/bitwarden', field: 'operator',
      message: "the Bitwarden store 'bitwarden' needs the Bitwarden SDK server, but 'external-secrets' does not run it",
      fix: "create the operator with new ExternalSecrets(cluster, 'external-secrets', { bitwardenSdkServer: true })",
    }));
  });

  test('the EU cloud URLs are passed through', () => {
    const { estate } = withOperator((c, eso) => new BitwardenSecretsManagerStore(c, 'bitwarden', { operator: eso, organizationID: ORG, projectID: PROJECT, apiURL: 'https://api.bitwarden.eu', identityURL: 'https://identity.bitwarden.eu' }), { bitwardenSdkServer: true });
    expect(storeSpec(synth(estate), 'bitwarden').bitwardensecretsmanager).toMatchObject({ apiURL: 'https://api.bitwarden.eu', identityURL: 'https://identity.bitwarden.eu' });
  });
});

describe('Vault and Kubernetes stores', () => {
  test('Vault with a token: KV v2 at secret/, the token by reference', () => {
    const { estate, cluster } = withOperator((c, eso) => new VaultSecretStore(c, 'vault', { operator: eso, server: 'https://vault.lan:8200', auth: { token: {} } }));
    expect(storeSpec(synth(estate), 'vault')).toEqual({
      vault: { server: 'https://vault.lan:8200', path: 'secret', version: 'v2', auth: { tokenSecretRef: { name: 'vault-token', key: 'token', namespace: 'external-secrets' } } },
    });
    expect(userSecrets(cluster).map((s) => s.name)).toEqual(['vault-token']);
  });

  test("Vault with Kubernetes auth logs in as the operator's ServiceAccount; a CA bundle is trusted by reference", () => {
    const { estate } = withOperator((c, eso) => new VaultSecretStore(c, 'vault', {
      operator: eso, server: 'https://vault.lan:8200', path: 'kv', vaultNamespace: 'homelab', ca: { secretName: 'vault-ca' }, auth: { kubernetes: { role: 'eso' } },
    }));
    expect(storeSpec(synth(estate), 'vault').vault).toEqual({
      server: 'https://vault.lan:8200', path: 'kv', version: 'v2', namespace: 'homelab',
      caProvider: { type: 'Secret', name: 'vault-ca', key: 'ca.crt', namespace: 'external-secrets' },
      auth: { kubernetes: { mountPath: 'kubernetes', role: 'eso', serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
    });
  });

  test('Kubernetes: a ServiceAccount without token, a read-only Role on Secrets of the remote namespace, bound to it', () => {
    const { estate } = withOperator((c, eso) => {
      rawComponent(c, { name: 'vault-ns', namespace: 'homelab-secrets' });
      new KubernetesSecretStore(c, 'k8s-secrets', { operator: eso, remoteNamespace: 'homelab-secrets' });
    });
    const out = synth(estate);
    expect(out.get('ServiceAccount', 'k8s-secrets-reader', 'external-secrets').automountServiceAccountToken).toBe(false);
    expect(out.get('Role', 'k8s-secrets-reader', 'homelab-secrets').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    expect(out.get('RoleBinding', 'k8s-secrets-reader', 'homelab-secrets').subjects).toEqual([{ kind: 'ServiceAccount', name: 'k8s-secrets-reader', namespace: 'external-secrets' }]);
    expect(storeSpec(out, 'kubernetes')).toEqual({
      kubernetes: {
        remoteNamespace: 'homelab-secrets',
        server: { url: 'https://kubernetes.default.svc', caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt', namespace: 'external-secrets' } },
        auth: { serviceAccount: { name: 'k8s-secrets-reader', namespace: 'external-secrets' } },
      },
    });
  });
});

describe('several stores in one cluster', () => {
  function many(extra?: (c: Cluster) => void) {
    const { estate, cluster } = testCluster();
    new CertManager(cluster, 'cert-manager');
    rawComponent(cluster, { name: 'block', namespace: 'storage' }).provide(DEFAULT_STORAGE_CLASS);
    new OpenBao(cluster, 'openbao');
    const eso = new ExternalSecrets(cluster, 'external-secrets', { bitwardenSdkServer: true });
    new OnePasswordConnectStore(cluster, 'onepassword', { operator: eso, connectHost: 'http://op-connect.lan:8080', vaults: ['homelab'], registerService: false });
    new BitwardenSecretsManagerStore(cluster, 'bitwarden', { operator: eso, organizationID: ORG, projectID: PROJECT, registerService: false });
    extra?.(cluster);
    return { estate, cluster, eso };
  }

  test('a consumer picks a store by name; without a name it reads the default (OpenBao)', () => {
    const { estate, cluster, eso } = many((c) => {
      const a = app(c);
      requestExternalSecret(a, 'paperless-op', { token: { key: 'Paperless', property: 'token' } }, { store: 'onepassword' });
      requestExternalSecret(a, 'paperless-bao', { token: { key: 'apps/paperless', property: 'token' } });
    });
    const out = synth(estate);
    expect(secretStores(cluster).map((s) => s.storeName)).toEqual(['openbao', 'onepassword', 'bitwarden']);
    expect(cluster.service(SECRET_STORE)).toBe(eso.store);
    expect(out.get('ExternalSecret', 'paperless-op').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'onepassword' });
    expect(out.get('ExternalSecret', 'paperless-bao').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'openbao' });
    expect(cluster.component('paperless')!.requires.has(storeCapability('onepassword'))).toBe(true);
  });

  test('every generated object validates against the External Secrets and cert-manager CRD schemas (synth validates)', () => {
    const out = synth(many((c) => new VaultSecretStore(c, 'vault', { operator: c.component('external-secrets') as ExternalSecrets, server: 'https://vault.lan:8200', auth: { kubernetes: { role: 'eso' } }, registerService: false })).estate);
    const kinds = [...out.tree.values()].flatMap((c) => parseAllDocuments(c).map((d) => d.toJSON()?.kind));
    expect(kinds.filter((k) => k === 'ClusterSecretStore')).toHaveLength(4);
    expect(kinds).toEqual(expect.arrayContaining(['Issuer', 'Certificate']));
  });

  test('every folder Flux applies builds with kubectl kustomize (the remote Role and RoleBinding included)', async () => {
    const root = tempRoot('stores-');
    synthesize(many((c) => {
      rawComponent(c, { name: 'vault-ns', namespace: 'homelab-secrets' });
      new KubernetesSecretStore(c, 'k8s-secrets', { operator: c.component('external-secrets') as ExternalSecrets, remoteNamespace: 'homelab-secrets', registerService: false });
    }).estate, { root });
    const folders = fluxAppliedFolders(readTree(root));
    expect(folders).toEqual(expect.arrayContaining(['clusters/test/secrets/k8s-secrets/app', 'clusters/test/secrets/bitwarden/app']));
    await kustomizeBuildAll(root, folders);
  });

  test('a second default store is a problem naming the way out', () => {
    const { estate } = withOperator((c, eso) => {
      new VaultSecretStore(c, 'vault', { operator: eso, server: 'https://vault.lan:8200', auth: { token: {} } });
      new OnePasswordConnectStore(c, 'onepassword', { operator: eso, connectHost: 'http://op:8080', vaults: ['homelab'] });
    });
    expect(problemsOf(estate)).toContainEqual(expect.objectContaining({
      path: 'test/onepassword', field: 'registerService',
      message: "cluster 'test' already has a default secret store ('vault'), and 'onepassword' would be a second default",
      fix: expect.stringContaining("{ store: 'onepassword' }"),
    }));
  });

  test('an unknown store name lists the stores there are; two stores of one name are a problem', () => {
    const { estate } = many((c) => {
      requestExternalSecret(app(c), 'x', { a: { key: 'k' } }, { store: 'lastpass' });
      new OnePasswordConnectStore(c, 'onepassword-2', { operator: c.component('external-secrets') as ExternalSecrets, storeName: 'onepassword', connectHost: 'http://op:8080', vaults: ['a'], registerService: false });
    });
    const problems = problemsOf(estate);
    expect(problems).toContainEqual(expect.objectContaining({
      path: 'test/paperless', field: 'externalSecrets.x.store',
      message: "asks ClusterSecretStore 'lastpass' for Secret 'x', but cluster 'test' has only 'openbao', 'onepassword', 'bitwarden'",
    }));
    expect(problems).toContainEqual(expect.objectContaining({ path: 'test/onepassword-2', field: 'storeName', message: expect.stringContaining("is already declared by 'onepassword'") }));
  });

  test.each([
    ['1Password without vaults', (c: Cluster, eso: ExternalSecrets) => new OnePasswordConnectStore(c, 'op', { operator: eso, connectHost: 'http://op:8080', vaults: [] }), 'test/op', 'vaults', 'lists no usable vault'],
    ['1Password with a bare host', (c: Cluster, eso: ExternalSecrets) => new OnePasswordConnectStore(c, 'op', { operator: eso, connectHost: 'op-connect', vaults: ['a'] }), 'test/op', 'connectHost', "'op-connect' is not a usable connectHost"],
    ['Bitwarden with a project name', (c: Cluster, eso: ExternalSecrets) => new BitwardenSecretsManagerStore(c, 'bw', { operator: eso, organizationID: ORG, projectID: 'homelab' }), 'test/bw', 'projectID', "'homelab' is not a usable projectID"],
    ['Vault without auth', (c: Cluster, eso: ExternalSecrets) => new VaultSecretStore(c, 'vault', { operator: eso, server: 'https://v:8200' } as any), 'test/vault', 'auth', 'has no way to log in'],
    ['Kubernetes with a bad namespace', (c: Cluster, eso: ExternalSecrets) => new KubernetesSecretStore(c, 'k8s', { operator: eso, remoteNamespace: 'Secrets' }), 'test/k8s', 'remoteNamespace', "'Secrets' is not a namespace name"],
  ])('%s is reported', (_name, build, path, field, message) => {
    expect(problemsOf(withOperator(build as any, { bitwardenSdkServer: true }).estate)).toContainEqual(expect.objectContaining({ path, field, message: expect.stringContaining(message) }));
  });
});
