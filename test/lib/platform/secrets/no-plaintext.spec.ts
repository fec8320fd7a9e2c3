import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crdGroup, storageClass, DEFAULT_STORAGE_CLASS } from '../../../../src/lib/estate/capabilities.js';
import { InfluxDb, KubePrometheusStack, declareMonitorTarget } from '../../../../src/lib/platform/observability/index.js';
import { ExternalSecrets, OpenBao, requestExternalSecret } from '../../../../src/lib/platform/secrets/index.js';
import { sopsProblem } from '../../../../src/lib/output/sops.js';
import { validateManifest } from '../../../../src/lib/validation/index.js';
import { rawComponent, tempRoot, testCluster } from '../../../helpers.js';
import { fakeIngress, problems, provider, synth } from '../observability/support.js';
import { BACKUP_KEY, CLUSTER_KEY, encryptedSecret, plaintextSecret, writeRepoFile } from './sops-fixtures.js';

const TOKEN = 'clusters/test/secrets/openbao/app/bootstrap-token.sops.yaml';

/** A cluster with every observability and secrets construct, wired together. */
function fullCluster(leak?: 'secret-object') {
  const { estate, cluster } = testCluster({ sops: { ageRecipients: [CLUSTER_KEY, BACKUP_KEY] } });
  const longhorn = provider(cluster, 'longhorn', 'longhorn-system', DEFAULT_STORAGE_CLASS, storageClass('longhorn'), crdGroup('longhorn.io'));
  // What Longhorn declares for itself: its manager's ServiceMonitor.
  declareMonitorTarget(longhorn, { kind: 'ServiceMonitor', selector: { matchLabels: { app: 'longhorn-manager' } }, port: 'manager', reason: 'stands in for Longhorn' });
  fakeIngress(cluster);
  new KubePrometheusStack(cluster, 'kube-prometheus-stack', { storageClass: 'longhorn', grafanaAdminSecret: 'grafana-admin' });
  new OpenBao(cluster, 'openbao', { bootstrapToken: { sopsFile: 'bootstrap-token.sops.yaml' } });
  new ExternalSecrets(cluster, 'external-secrets');
  new InfluxDb(cluster, 'influxdb', { admin: { storeKey: 'infra/influxdb' } });
  const app = rawComponent(cluster, { name: 'web', namespace: 'web', layer: 'apps' });
  requestExternalSecret(app, 'web-credentials', { password: { key: 'apps/web', property: 'password' } });
  if (leak === 'secret-object') {
    rawComponent(cluster, { name: 'leaky', namespace: 'leaky' }, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-password' }, stringData: { password: 'hunter2' } }]);
  }
  return estate;
}

describe('no plaintext Secret anywhere in the generated tree', () => {
  test('a cluster with every observability and secrets construct: no Secret object, SOPS files encrypted, ExternalSecrets instead', () => {
    const root = tempRoot();
    writeRepoFile(root, TOKEN, encryptedSecret('openbao-bootstrap-token', 'openbao', [CLUSTER_KEY, BACKUP_KEY]));
    const out = synth(fullCluster(), 'test', root);
    const scanned: string[] = [];
    for (const [path, text] of out.files) {
      if (!/\.ya?ml$/.test(path)) continue;
      scanned.push(path);
      if (path.endsWith('.sops.yaml') && path !== 'clusters/test/.sops.yaml') {
        expect({ path, problem: sopsProblem(text) }).toEqual({ path, problem: undefined });
        continue;
      }
      for (const doc of parseAllDocuments(text).map((d) => d.toJSON())) {
        expect({ path, kind: doc?.kind === 'Secret' ? 'Secret' : 'other' }).toEqual({ path, kind: 'other' });
      }
      // No credential-looking literal in any generated file (the test token's plaintext included).
      expect(text).not.toMatch(/hunter2|s\.[A-Za-z0-9]{20,}|AGE-SECRET-KEY-/);
    }
    expect(scanned.length).toBeGreaterThan(30);
    const kinds = out.all().map((o) => o.kind);
    expect(kinds.filter((k) => k === 'ExternalSecret')).toHaveLength(2);
    expect(kinds).toContain('ClusterSecretStore');
    expect(out.files.has(TOKEN)).toBe(true);
  });

  test('every ESO and Prometheus Operator object is checked against its CRD schema: a stray field would fail', () => {
    const root = tempRoot();
    writeRepoFile(root, TOKEN, encryptedSecret('openbao-bootstrap-token', 'openbao'));
    const crs = synth(fullCluster(), 'test', root).all().filter((o) => ['external-secrets.io/', 'monitoring.coreos.com/'].some((g) => String(o.apiVersion).startsWith(g)));
    expect(new Set(crs.map((o) => o.kind))).toEqual(new Set(['ExternalSecret', 'ClusterSecretStore', 'PodMonitor', 'ServiceMonitor']));
    for (const o of crs) {
      expect(validateManifest(o)).toEqual([]);
      const broken = { ...o, spec: { ...o.spec, refreshIntervall: '1h' } };
      expect(validateManifest(broken).map((i) => i.field)).toContain('spec.refreshIntervall');
    }
  });

  test('an attempt to render a plaintext Secret fails the synth and writes nothing', () => {
    const root = tempRoot();
    writeRepoFile(root, TOKEN, encryptedSecret('openbao-bootstrap-token', 'openbao'));
    const found = problems(fullCluster('secret-object'), root);
    expect(found).toEqual([expect.objectContaining({ field: 'data', message: "Secret 'db-password' would be written in plaintext into clusters/" })]);
    expect(existsSync(join(root, 'clusters/test/kustomization.yaml'))).toBe(false);
  });

  test('an attempt to commit the bootstrap token unencrypted fails the synth', () => {
    const root = tempRoot();
    writeRepoFile(root, TOKEN, plaintextSecret('openbao-bootstrap-token', 'openbao'));
    const found = problems(fullCluster(), root);
    expect(found).toEqual([expect.objectContaining({ path: 'test/openbao', field: 'sopsFiles', message: expect.stringContaining('it is plaintext') })]);
  });
});
