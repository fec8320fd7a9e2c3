import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildEstate } from '../../../src/clusters/index.js';
import { Component } from '../../../src/lib/estate/component.js';
import { recordSelfCheck } from '../../../src/lib/estate/self-checks.js';
import { Diagnostics } from '../../../src/lib/estate/diagnostics.js';
import type { Estate } from '../../../src/lib/estate/estate.js';
import { Problem, SynthError, Warning } from '../../../src/lib/estate/problems.js';
import { declareSecretSource, declareSecretUse, userSecrets } from '../../../src/lib/estate/user-secrets.js';
import { PostgresCluster } from '../../../src/lib/platform/databases/postgres-cluster.js';
import { Redis } from '../../../src/lib/platform/databases/redis.js';
import { Cloudflared } from '../../../src/lib/platform/ingress/cloudflared.js';
import { ExternalDns } from '../../../src/lib/platform/ingress/external-dns.js';
import { TailscaleOperator } from '../../../src/lib/platform/network/tailscale-operator.js';
import { objectSecretProviders, objectSecretReferences, repositoryReader, unprovidedSecretReferences } from '../../../src/lib/safety/secret-references.js';
import { renderEstate } from '../../../src/lib/synth/render.js';
import type { RenderedManifest } from '../../../src/lib/tree/tree.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { encryptedSecret, CLUSTER_KEY } from '../platform/secrets/sops-fixtures.js';
import { rawComponent, tempRoot, testCluster } from '../../helpers.js';
import { withOwnerDeclarations } from '../docs/owner-declarations.js';

type Manifest = Record<string, any>;

/** Synthesizes into a temp root holding `userFiles`; returns the problems and warnings. */
function run(estate: Estate, userFiles: Record<string, string> = {}): { problems: Problem[]; warnings: readonly Warning[] } {
  const root = tempRoot('secret-refs-');
  for (const [p, c] of Object.entries(userFiles)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  try {
    const r = synthesize(estate, { root });
    return { problems: [], warnings: r.warnings };
  } catch (e) {
    if (!(e instanceof SynthError)) throw e;
    return { problems: [...e.problems], warnings: Diagnostics.of(estate).warnings };
  }
}

const secretProblems = (ps: Problem[]): Problem[] => ps.filter((p) => p.message.includes('has no provider'));

function deployment(name: string, spec: Manifest): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'nginxinc/nginx-unprivileged:1.29.8-alpine', ...spec.container }], ...spec.pod },
      },
    },
  };
}

const envFromSecret = (name: string, key: string, optional?: boolean): Manifest => ({ container: { env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name, key, ...(optional === undefined ? {} : { optional }) } } }] } });
const secretObject = (name: string, namespace?: string): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, ...(namespace ? { namespace } : {}) }, type: 'Opaque' });

function manifest(object: Manifest): RenderedManifest {
  return { cluster: 'test', file: 'clusters/test/x/app/o.yaml', path: 'test/x', object };
}

describe('secret references: the check at synth', () => {
  test('a Secret nothing provides is an error naming the cluster, the component path, the field, the Secret and the three fixes', () => {
    const { estate, cluster } = testCluster();
    rawComponent(cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('app-token', 'token'))]);
    const problems = secretProblems(run(estate).problems);
    expect(problems).toEqual([{
      cluster: 'test',
      path: 'test/app (clusters/test/apps/app/app/deployment.yaml)',
      field: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef',
      message: "Secret 'apps/app-token' read by Deployment 'apps/app' has no provider in cluster 'test': no Secret, ExternalSecret, Certificate or SOPS file creates it and no component declares it user-provided",
      fix: expect.stringContaining("call declareUserSecret({ name: 'app-token', keys: ['token'], reason: '…' }) on component 'app'"),
    }]);
    expect(problems[0].fix).toContain("addSopsFile('app-token.sops.yaml')");
    expect(problems[0].fix).toContain('clusters/test/apps/app/app/app-token.sops.yaml');
    expect(problems[0].fix).toContain('fromStore');
  });

  test('a Secret object of the same namespace provides it; one in another namespace does not', () => {
    const same = testCluster();
    rawComponent(same.cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('app-token', 'token')), secretObject('app-token')]);
    expect(secretProblems(run(same.estate).problems)).toEqual([]);

    const other = testCluster();
    rawComponent(other.cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('app-token', 'token'))]);
    rawComponent(other.cluster, { name: 'vault', namespace: 'vault' }, [secretObject('app-token')]);
    expect(secretProblems(run(other.estate).problems).map((p) => p.message)).toEqual([expect.stringContaining("Secret 'apps/app-token'")]);
  });

  test('an optional reference needs no provider', () => {
    const { estate, cluster } = testCluster();
    rawComponent(cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('maybe', 'token', true))]);
    expect(secretProblems(run(estate).problems)).toEqual([]);
  });

  test('declared user-provided, or a declared runtime source, satisfies the reference', () => {
    for (const declare of [
      (c: Component) => c.declareUserSecret({ name: 'app-token', keys: ['token'], reason: 'API token' }),
      (c: Component) => declareSecretSource(c, { name: 'app-token', by: 'the operator' }),
    ]) {
      const { estate, cluster } = testCluster();
      const app = rawComponent(cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('app-token', 'token'))]);
      declare(app);
      expect(secretProblems(run(estate).problems)).toEqual([]);
    }
  });

  test('a reference declared by a construct (a chart value) needs a provider like a secretKeyRef', () => {
    const { estate, cluster } = testCluster();
    const app = rawComponent(cluster, { name: 'app', namespace: 'apps' }, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }]);
    declareSecretUse(app, { name: 'chart-admin', field: 'spec.values.admin.existingSecret', keys: ['password'] });
    expect(secretProblems(run(estate).problems)).toEqual([expect.objectContaining({ path: 'test/app', field: 'spec.values.admin.existingSecret', message: expect.stringContaining("Secret 'apps/chart-admin' read by component 'app'") })]);
  });

  test('a SOPS file of the component provides the Secrets it defines (names stay readable), read from the repository', () => {
    const build = () => {
      const t = testCluster({ sops: { ageRecipients: [CLUSTER_KEY] } });
      const app = rawComponent(t.cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('app-token', 'token'))]);
      app.addSopsFile('app-token.sops.yaml');
      return t.estate;
    };
    const path = 'clusters/test/apps/app/app/app-token.sops.yaml';
    expect(secretProblems(run(build(), { [path]: encryptedSecret('app-token', 'apps') }).problems)).toEqual([]);
    expect(secretProblems(run(build(), { [path]: encryptedSecret('other-name', 'apps') }).problems)).toHaveLength(1);
  });

  test('a SOPS file named as the source of a Secret but defining another one is a warning', () => {
    const { estate, cluster } = testCluster({ sops: { ageRecipients: [CLUSTER_KEY] } });
    new ExternalDns(cluster, 'external-dns', { apiToken: { name: 'cloudflare-api-token', sopsFile: 'token.sops.yaml' } });
    const { problems, warnings } = run(estate, { 'clusters/test/network/external-dns/app/token.sops.yaml': encryptedSecret('token', 'external-dns') });
    expect(secretProblems(problems)).toEqual([]);
    expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({
      code: 'sops-secret-name:cloudflare-api-token',
      message: expect.stringContaining("defines Secret 'external-dns/token', but 'external-dns' reads Secret 'external-dns/cloudflare-api-token' from it"),
    })]));
  });

  test('the SOPS key of flux-system is a bootstrap Secret: Kustomization decryption needs nothing more', () => {
    const { estate, cluster } = testCluster({ sops: { ageRecipients: [CLUSTER_KEY] } });
    const app = rawComponent(cluster, { name: 'app', namespace: 'apps' }, [secretObject('placeholder')]);
    app.addSopsFile('app-token.sops.yaml');
    expect(secretProblems(run(estate, { 'clusters/test/apps/app/app/app-token.sops.yaml': encryptedSecret('app-token', 'apps') }).problems)).toEqual([]);
  });

  test("a component that recorded a problem about a Secret (secret-reported) is not told again that nothing provides it", () => {
    const { estate, cluster } = testCluster();
    const app = rawComponent(cluster, { name: 'app', namespace: 'apps' }, [deployment('app', envFromSecret('app-token', 'token'))]);
    recordSelfCheck({ kind: 'secret-reported', component: app, name: 'app-token' });
    expect(secretProblems(run(estate).problems)).toEqual([]);
  });

  test('what a construct already reported is not reported again (no store for fromStore)', () => {
    const { estate, cluster } = testCluster();
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'remote', token: { name: 'cloudflared-token', fromStore: { key: 'cloudflare/tunnel' } } } });
    const { problems } = run(estate);
    expect(problems.map((p) => p.field)).toContain('tunnel.token.fromStore');
    expect(secretProblems(problems)).toEqual([]);
  });

  test('an ExternalSecret reading through a Kubernetes SecretStore needs the remote Secret in the remote namespace', () => {
    const store = { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'reader' }, spec: { provider: { kubernetes: { remoteNamespace: 'databases', auth: { serviceAccount: { name: 'reader' } }, server: { url: 'https://kubernetes.default.svc' } } } } };
    const es = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'copy' }, spec: { secretStoreRef: { kind: 'SecretStore', name: 'reader' }, target: { name: 'copy' }, data: [{ secretKey: 'password', remoteRef: { key: 'db-role', property: 'password' } }] } };
    const refs = (withSource: boolean) => {
      const { cluster } = testCluster();
      rawComponent(cluster, { name: 'app', namespace: 'apps' }, [store, es]);
      if (withSource) rawComponent(cluster, { name: 'db', namespace: 'databases' }, [secretObject('db-role')]);
      cluster.prepare();
      const [tree] = renderEstate(cluster.node.scope as Estate, () => undefined);
      return unprovidedSecretReferences(tree).map((r) => `${r.namespace}/${r.name} ${r.field}`);
    };
    expect(refs(false)).toEqual(['databases/db-role spec.data[0].remoteRef']);
    expect(refs(true)).toEqual([]);
  });
});

describe('secret references: what the rendered objects read', () => {
  const cases: [string, Manifest, string[]][] = [
    ['envFrom', deployment('a', { container: { envFrom: [{ secretRef: { name: 'env' } }, { secretRef: { name: 'opt', optional: true } }] } }), ['ns/env spec.template.spec.containers[0].envFrom[0].secretRef']],
    ['secret and projected volumes, image pull secrets', deployment('a', { pod: {
      volumes: [{ name: 'v', secret: { secretName: 'vol', items: [{ key: 'k', path: 'p' }] } }, { name: 'p', projected: { sources: [{ secret: { name: 'proj' } }] } }],
      imagePullSecrets: [{ name: 'pull' }],
    } }), ['ns/vol spec.template.spec.volumes[0].secret', 'ns/proj spec.template.spec.volumes[1].projected.sources[0].secret', 'ns/pull spec.template.spec.imagePullSecrets[0]']],
    ['CronJob pod template', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'ns' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'cron', key: 'a' } } }] }] } } } } } }, ['ns/cron spec.jobTemplate.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef']],
    ['HelmRelease valuesFrom and an EnvVarSource in values (release namespace)', { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'h', namespace: 'ns' }, spec: {
      targetNamespace: 'target',
      valuesFrom: [{ kind: 'Secret', name: 'vals' }, { kind: 'ConfigMap', name: 'cm' }, { kind: 'Secret', name: 'opt', optional: true }],
      values: { env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'chart-env', key: 't' } } }, { name: 'U', valueFrom: { secretKeyRef: { name: '{{ .Release.Name }}-x', key: 'u' } } }], existingSecret: 'not-guessed' },
    } }, ['ns/vals spec.valuesFrom[0]', 'target/chart-env spec.values.env[0].valueFrom.secretKeyRef']],
    ['Flux sources', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'g', namespace: 'flux-system' }, spec: { secretRef: { name: 'git' }, verify: { secretRef: { name: 'gpg' } } } }, ['flux-system/git spec.secretRef', 'flux-system/gpg spec.verify.secretRef']],
    ['Kustomization decryption', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k', namespace: 'flux-system' }, spec: { decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } } }, ['flux-system/sops-age spec.decryption.secretRef']],
    ['FluxInstance', { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name: 'flux', namespace: 'flux-system' }, spec: { sync: { pullSecret: 'git-creds' } } }, ['flux-system/git-creds spec.sync.pullSecret']],
    ['ClusterIssuer solver tokens in the cert-manager namespace, not the ACME account key', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { acme: { privateKeySecretRef: { name: 'le-key' }, solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cf', key: 'api-token' } } } }] } } }, ['cm-ns/cf spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef']],
    ['CNPG Cluster', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'db' }, spec: { bootstrap: { initdb: { secret: { name: 'init' } } }, managed: { roles: [{ name: 'r', passwordSecret: { name: 'role' } }] }, superuserSecret: { name: 'su' } } }, ['db/init spec.bootstrap.initdb.secret', 'db/su spec.superuserSecret', 'db/role spec.managed.roles[0].passwordSecret']],
    ['Barman ObjectStore credentials', { apiVersion: 'barmancloud.cnpg.io/v1', kind: 'ObjectStore', metadata: { name: 'o', namespace: 'db' }, spec: { configuration: { destinationPath: 's3://b', s3Credentials: { accessKeyId: { name: 's3', key: 'ID' }, secretAccessKey: { name: 's3', key: 'KEY' } } } } }, ['db/s3 spec.configuration.s3Credentials.accessKeyId', 'db/s3 spec.configuration.s3Credentials.secretAccessKey']],
    ['ClusterSecretStore auth refs carry their namespace; a ConfigMap CA is not a Secret', { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 's' }, spec: { provider: { vault: { auth: { tokenSecretRef: { name: 'vault-token', namespace: 'eso', key: 'token' } }, caProvider: { type: 'ConfigMap', name: 'ca' } } } } }, ['eso/vault-token spec.provider.vault.auth.tokenSecretRef']],
    ['Ingress TLS', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { tls: [{ hosts: ['a.example.com'] }, { secretName: 'i-tls' }] } }, ['ns/i-tls spec.tls[1].secretName']],
    ['Gateway certificate refs', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'net' }, spec: { listeners: [{ name: 'https', tls: { certificateRefs: [{ kind: 'Secret', group: '', name: 'wild' }, { name: 'other', namespace: 'certs' }] } }] } }, ['net/wild spec.listeners[0].tls.certificateRefs[0]', 'certs/other spec.listeners[0].tls.certificateRefs[1]']],
    ['Traefik TLSStore', { apiVersion: 'traefik.io/v1alpha1', kind: 'TLSStore', metadata: { name: 'default', namespace: 'traefik' }, spec: { defaultCertificate: { secretName: 'wildcard-tls' } } }, ['traefik/wildcard-tls spec.defaultCertificate.secretName']],
  ];
  test.each(cases)('%s', (_what, object, expected) => {
    const o = { ...object, metadata: { namespace: object.kind === 'ClusterIssuer' || object.kind === 'ClusterSecretStore' ? undefined : 'ns', ...object.metadata } };
    expect(objectSecretReferences(manifest(o), 'cm-ns').map((r) => `${r.namespace}/${r.name} ${r.field}`)).toEqual(expected);
  });
});

describe('secret references: what the rendered objects provide', () => {
  const provided = (o: Manifest): string[] => objectSecretProviders(manifest(o)).map((p) => `${p.namespace}/${p.name}`);
  test('Secrets, ExternalSecret targets (not Merge), Certificates', () => {
    expect(provided(secretObject('s', 'ns'))).toEqual(['ns/s']);
    expect(provided({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'es', namespace: 'ns' }, spec: { target: { name: 'target' } } })).toEqual(['ns/target']);
    expect(provided({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'es', namespace: 'ns' }, spec: {} })).toEqual(['ns/es']);
    expect(provided({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'es', namespace: 'ns' }, spec: { target: { creationPolicy: 'Merge' } } })).toEqual([]);
    expect(provided({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'ns' }, spec: { secretName: 'c-tls' } })).toEqual(['ns/c-tls']);
  });
  test('CloudNativePG generated Secrets: -app unless initdb names one, -superuser only when enabled', () => {
    const cnpg = (spec: Manifest) => provided({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'db' }, spec });
    expect(cnpg({})).toEqual(['db/pg-ca', 'db/pg-server', 'db/pg-replication', 'db/pg-app']);
    expect(cnpg({ bootstrap: { initdb: { secret: { name: 'mine' } } }, enableSuperuserAccess: true })).toEqual(['db/pg-ca', 'db/pg-server', 'db/pg-replication', 'db/pg-superuser']);
  });
  test('cert-manager ingress-shim on an annotated Ingress', () => {
    const ingress = (annotations: Record<string, string>) => provided({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'ns', annotations }, spec: { tls: [{ secretName: 'i-tls' }] } });
    expect(ingress({ 'cert-manager.io/cluster-issuer': 'le' })).toEqual(['ns/i-tls']);
    expect(ingress({})).toEqual([]);
  });
});

describe('secret references: platform constructs declare what they read', () => {
  test('a Secret reference without sopsFile or fromStore is user-provided; with either it is not', () => {
    const { cluster } = testCluster();
    new ExternalDns(cluster, 'external-dns', { apiToken: { name: 'cf-token' } });
    new ExternalDns(cluster, 'external-dns-2', { namespace: 'dns-2', apiToken: { name: 'cf-sops', sopsFile: 'cf-sops.sops.yaml' } });
    expect(userSecrets(cluster).map((s) => [`${s.namespace}/${s.name}`, s.keys, s.readers[0].reason])).toEqual([
      ['external-dns/cf-token', ['api-token'], 'Cloudflare API token (Zone:DNS:Edit on the zones external-dns writes)'],
    ]);
  });

  test('cloudflared (local) declares its chart-value Secret reads and the credentials with cert.pem', () => {
    const { cluster } = testCluster();
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef', credentials: { name: 'tunnel-credentials' } } });
    expect(userSecrets(cluster).map((s) => [`${s.namespace}/${s.name}`, s.keys])).toEqual([['cloudflared/tunnel-credentials', ['cert.pem', 'credentials.json']]]);
  });

  test('the Tailscale operator declares operator-oauth; PostgreSQL backups and Redis declare existing Secrets without a SOPS file', () => {
    const { cluster } = testCluster();
    new TailscaleOperator(cluster, 'tailscale');
    new PostgresCluster(cluster, 'postgres', { backup: { destinationPath: 's3://bucket/x', credentials: { secretName: 'pg-s3' } } });
    new Redis(cluster, 'redis', { auth: { secretName: 'redis-auth' } });
    new Redis(cluster, 'redis-sops', { namespace: 'redis-sops', auth: { secretName: 'redis-sops-auth', sopsFile: 'redis-sops-auth.sops.yaml' } });
    expect(userSecrets(cluster).map((s) => [`${s.namespace}/${s.name}`, s.keys])).toEqual([
      ['databases/pg-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']],
      ['redis/redis-auth', ['password']],
      ['tailscale/operator-oauth', ['client_id', 'client_secret']],
    ]);
  });
});

describe('secret references: the reference estate', () => {
  test('with the apps/observability declarations, every Secret every cluster reads has a provider', () => {
    const estate = buildEstate();
    withOwnerDeclarations(estate);
    for (const c of estate.clusters) c.prepare();
    const read = repositoryReader(tempRoot('no-sops-'));
    const missing = renderEstate(estate, read).flatMap((t) => unprovidedSecretReferences(t, read).map((r) => `${t.cluster.name}: ${r.namespace}/${r.name} (${r.reader})`));
    expect(missing).toEqual([]);
  });
});
