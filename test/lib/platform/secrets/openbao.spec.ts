import { CHARTS } from '../../../../imports/charts.js';
import { DEFAULT_STORAGE_CLASS, service, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { ExternalSecrets, OPENBAO, OPENBAO_READINESS_PATH, OpenBao, openbaoImage } from '../../../../src/lib/platform/secrets/index.js';
import { tempRoot, testCluster } from '../../../helpers.js';
import { problems, provider, synth } from '../observability/support.js';
import { CLUSTER_KEY, encryptedSecret, writeRepoFile } from './sops-fixtures.js';

const DIR = 'secrets/openbao';

function bao(props: ConstructorParameters<typeof OpenBao>[2] = {}, extra?: (c: ReturnType<typeof testCluster>['cluster']) => void) {
  const { estate, cluster } = testCluster({ sops: { ageRecipients: [CLUSTER_KEY] } });
  provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS, storageClass('longhorn'));
  const openbao = new OpenBao(cluster, 'openbao', props);
  extra?.(cluster);
  return { estate, cluster, openbao };
}

/** A root with the bootstrap token file encrypted for the test cluster. */
function rootWithToken(): string {
  const root = tempRoot();
  writeRepoFile(root, `clusters/test/${DIR}/app/bootstrap-token.sops.yaml`, encryptedSecret('openbao-bootstrap-token', 'openbao'));
  return root;
}

describe('OpenBao', () => {
  test('pinned chart, persistent storage in a prune-protected namespace, registered as the OPENBAO backend', () => {
    const { estate, cluster, openbao } = bao();
    const out = synth(estate);
    expect(out.doc(`${DIR}/app/helmrepository.yaml`).spec.url).toBe(CHARTS.openbao.repository);
    const hr = out.doc(`${DIR}/app/helmrelease.yaml`);
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'openbao', version: CHARTS.openbao.version });
    const server = hr.spec.values.server;
    expect(server.dataStorage).toEqual({ enabled: true, size: '2Gi', accessMode: 'ReadWriteOnce', mountPath: '/openbao/data' });
    expect(server.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(server.standalone.config).toContain('storage "file" {\n  path = "/openbao/data"\n}');
    const ns = out.doc(`${DIR}/app/namespace.yaml`);
    expect(ns.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(out.doc(`${DIR}/ks.yaml`).spec.dependsOn).toEqual([{ name: 'block' }]);
    expect(cluster.service(OPENBAO)).toBe(openbao);
    expect(openbao.provides.has(service('openbao', 'openbao'))).toBe(true);
    expect(openbao.address).toBe('http://openbao.openbao.svc:8200');
  });

  test('hardened server: non-root, read-only root with /tmp on a volume, no capabilities; injector and CSI off', () => {
    const values = synth(bao().estate).doc(`${DIR}/app/helmrelease.yaml`).spec.values;
    expect(values.server.statefulSet.securityContext).toEqual({
      pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    });
    expect(values.server.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(values.injector).toEqual({ enabled: false });
    expect(values.csi).toEqual({ enabled: false });
    expect(values.server.authDelegator).toEqual({ enabled: true });
  });

  test('ready while sealed, so the HelmRelease installs before the one-time init/unseal', () => {
    const probe = synth(bao().estate).doc(`${DIR}/app/helmrelease.yaml`).spec.values.server.readinessProbe;
    expect(probe).toEqual({ enabled: true, path: OPENBAO_READINESS_PATH, port: 8200 });
    expect(OPENBAO_READINESS_PATH).toContain('sealedcode=204');
    expect(OPENBAO_READINESS_PATH).toContain('uninitcode=204');
  });

  test('a named StorageClass and size reach the chart and the dependsOn', () => {
    const { estate } = bao({ storageClass: 'longhorn', storageSize: '5Gi' });
    const out = synth(estate);
    expect(out.doc(`${DIR}/app/helmrelease.yaml`).spec.values.server.dataStorage).toMatchObject({ storageClass: 'longhorn', size: '5Gi' });
  });

  test('the configure script enables Kubernetes auth and KV v2 and grants each registered client its role', () => {
    const { estate } = bao({ kvMount: 'kv' }, (c) => new ExternalSecrets(c, 'external-secrets'));
    const script = synth(estate).doc(`${DIR}/app/configmap.yaml`).data['configure.sh'];
    expect(script).toContain('until bao status >/dev/null 2>&1; do');
    expect(script).toContain('bao auth enable kubernetes');
    expect(script).toContain('bao secrets enable -path=kv kv-v2');
    expect(script).toContain('path "kv/data/*" { capabilities = ["read"] }');
    expect(script).toContain('bao write auth/kubernetes/role/external-secrets bound_service_account_names=external-secrets bound_service_account_namespaces=external-secrets token_policies=external-secrets token_ttl=1h');
    expect(script).not.toMatch(/token=|BAO_TOKEN=/);
  });

  test('without a bootstrap token: the script only (run by hand), no Job, no SOPS file', () => {
    const out = synth(bao().estate);
    expect(out.has(`${DIR}/app/job.yaml`)).toBe(false);
    expect(out.doc(`${DIR}/app/kustomization.yaml`).resources).not.toContain('bootstrap-token.sops.yaml');
    expect(out.doc(`${DIR}/ks.yaml`).spec.decryption).toBeUndefined();
  });

  test('with a SOPS-encrypted bootstrap token: a hardened Job runs the script with the decrypted token', () => {
    const { estate, openbao } = bao({ bootstrapToken: { sopsFile: 'bootstrap-token.sops.yaml' } }, (c) => new ExternalSecrets(c, 'external-secrets'));
    const out = synth(estate, 'test', rootWithToken());
    const job = out.doc(`${DIR}/app/job.yaml`);
    expect(job.metadata.name).toBe(openbao.configureJobName);
    expect(job.metadata.name).toMatch(/^openbao-configure-[0-9a-f]{8}$/);
    expect(job.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
    const pod = job.spec.template.spec;
    const [c] = pod.containers;
    expect(c.image).toBe(openbaoImage());
    expect(c.image).toMatch(/^quay\.io\/openbao\/openbao:v\d+\.\d+\.\d+$/);
    expect(c.env).toContainEqual({ name: 'BAO_TOKEN', valueFrom: { secretKeyRef: { name: 'openbao-bootstrap-token', key: 'token' } } });
    expect(c.env).toContainEqual({ name: 'BAO_ADDR', value: 'http://openbao.openbao.svc:8200' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.volumes[0]).toEqual({ name: 'scripts', configMap: { name: 'openbao-configure', defaultMode: 0o555 } });
    expect(out.doc(`${DIR}/app/kustomization.yaml`).resources).toContain('bootstrap-token.sops.yaml');
    expect(out.doc(`${DIR}/ks.yaml`).spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
  });

  test('the Job is renamed when the script changes, so new roles are applied', () => {
    const a = bao({ bootstrapToken: { sopsFile: 'bootstrap-token.sops.yaml' } });
    synth(a.estate, 'test', rootWithToken());
    const b = bao({ bootstrapToken: { sopsFile: 'bootstrap-token.sops.yaml' } }, (c) => new ExternalSecrets(c, 'external-secrets'));
    synth(b.estate, 'test', rootWithToken());
    expect(a.openbao.configureJobName).toBeDefined();
    expect(b.openbao.configureJobName).not.toBe(a.openbao.configureJobName);
  });

  test.each([
    [{ bootstrapToken: { sopsFile: 'token.yaml' } }, 'bootstrapToken.sopsFile', 'is not a *.sops.yaml file'],
    [{ storageSize: 'two gigs' }, 'storageSize', 'is not a storage quantity'],
    [{ kvMount: 'Secret/Path' }, 'kvMount', 'is not a usable mount path'],
  ])('misuse %j is reported on %s', (props, field, message) => {
    const { estate } = bao(props as any);
    expect(problems(estate).filter((p) => p.field === field)).toEqual([expect.objectContaining({ path: 'test/openbao', message: expect.stringContaining(message) })]);
  });

  test('a role registered twice is a problem', () => {
    const { estate, openbao } = bao();
    const role = { role: 'app', policy: 'app', serviceAccount: { name: 'app', namespace: 'app' }, readPaths: ['apps/*'] };
    openbao.addKubernetesAuthRole(role);
    openbao.addKubernetesAuthRole(role);
    expect(problems(estate)).toEqual([expect.objectContaining({ field: 'roles.app', message: "Kubernetes auth role 'app' is added twice" })]);
  });
});
