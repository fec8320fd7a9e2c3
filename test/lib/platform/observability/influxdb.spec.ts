import { readFileSync } from 'node:fs';
import { DEFAULT_STORAGE_CLASS, storageClass } from '../../../../src/lib/estate/capabilities.js';
import { INFLUXDB_IMAGE, InfluxDb } from '../../../../src/lib/platform/observability/index.js';
import { ExternalSecrets, OpenBao } from '../../../../src/lib/platform/secrets/index.js';
import { testCluster } from '../../../helpers.js';
import { problems, provider, synth } from './support.js';

const DIR = 'monitoring/influxdb';

function influx(props: Partial<ConstructorParameters<typeof InfluxDb>[2]> = {}, extra?: (c: ReturnType<typeof testCluster>['cluster']) => void) {
  const { estate, cluster } = testCluster();
  provider(cluster, 'block', 'block-storage', DEFAULT_STORAGE_CLASS, storageClass('longhorn'));
  extra?.(cluster);
  const db = new InfluxDb(cluster, 'influxdb', { admin: { existingSecret: 'influxdb-admin' }, ...props });
  return { estate, cluster, db };
}

describe('InfluxDb', () => {
  test('a hardened StatefulSet: pinned image, non-root, read-only root, no capabilities, no token, writable paths on volumes', () => {
    const { estate } = influx();
    const out = synth(estate);
    const sts = out.doc(`${DIR}/app/statefulset.yaml`);
    const pod = sts.spec.template.spec;
    const [c] = pod.containers;
    expect(c.image).toBe(`influxdb:${INFLUXDB_IMAGE.tag}`);
    expect(INFLUXDB_IMAGE.tag).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/etc/influxdb2', '/tmp', '/var/lib/influxdb2']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8086, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(out.doc(`${DIR}/app/service.yaml`).spec.ports).toEqual([{ name: 'http', port: 8086, targetPort: 'http', protocol: 'TCP' }]);
    // The namespace holds data: Flux never prunes it.
    expect(out.doc(`${DIR}/app/namespace.yaml`).metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(out.doc(`${DIR}/app/namespace.yaml`).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('NetworkPolicy: only the monitoring namespace reaches the HTTP port, egress only to DNS; none unless asked', () => {
    // Without a monitoring stack and without clients, nothing may come in.
    const none = synth(influx({ networkPolicy: true }).estate).doc(`${DIR}/app/networkpolicy.yaml`);
    expect(none.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(none.spec.ingress).toEqual([]);
    expect(none.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    const withClients = synth(influx({ networkPolicy: true, clients: [{ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'grafana' } }] }).estate);
    expect(withClients.doc(`${DIR}/app/networkpolicy.yaml`).spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } } }],
      ports: [{ protocol: 'TCP', port: 8086 }],
    }]);
    expect(synth(influx().estate).has(`${DIR}/app/networkpolicy.yaml`)).toBe(false);
  });

  test('the image pin carries a Renovate marker', () => {
    const source = readFileSync(new URL('../../../../src/lib/platform/observability/influxdb.ts', import.meta.url), 'utf8').split('\n');
    const i = source.findIndex((l) => l.startsWith('export const INFLUXDB_IMAGE'));
    expect(source[i - 1]).toBe('// renovate: datasource=docker depName=influxdb');
  });

  test('admin credentials come from the referenced Secret, never from values', () => {
    const { estate } = influx({ organization: 'lab', bucket: 'metrics', retention: '90d' });
    const env = synth(estate).doc(`${DIR}/app/statefulset.yaml`).spec.template.spec.containers[0].env;
    const byName = Object.fromEntries(env.map((e: any) => [e.name, e]));
    expect(byName.DOCKER_INFLUXDB_INIT_PASSWORD).toEqual({ name: 'DOCKER_INFLUXDB_INIT_PASSWORD', valueFrom: { secretKeyRef: { name: 'influxdb-admin', key: 'password' } } });
    expect(byName.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN.valueFrom.secretKeyRef).toEqual({ name: 'influxdb-admin', key: 'token' });
    expect(byName.DOCKER_INFLUXDB_INIT_USERNAME.valueFrom.secretKeyRef).toEqual({ name: 'influxdb-admin', key: 'username' });
    expect([byName.DOCKER_INFLUXDB_INIT_ORG.value, byName.DOCKER_INFLUXDB_INIT_BUCKET.value, byName.DOCKER_INFLUXDB_INIT_RETENTION.value]).toEqual(['lab', 'metrics', '90d']);
    expect(env.filter((e: any) => 'value' in e && /PASSWORD|TOKEN/.test(e.name))).toEqual([]);
  });

  test('storage: a claim template on the default or a named StorageClass, and the dependsOn follows', () => {
    const { estate } = influx({ storageClass: 'longhorn', storageSize: '25Gi' });
    const out = synth(estate);
    expect(out.doc(`${DIR}/app/statefulset.yaml`).spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { storageClassName: 'longhorn', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '25Gi' } } } },
    ]);
    expect(out.doc(`${DIR}/ks.yaml`).spec.dependsOn).toEqual([{ name: 'block' }]);
  });

  test('admin credentials from the secret store: an ExternalSecret in its namespace, after the store', () => {
    const { estate, db } = influx({ admin: { storeKey: 'infra/influxdb' } }, (c) => {
      new OpenBao(c, 'openbao');
      new ExternalSecrets(c, 'external-secrets');
    });
    const out = synth(estate);
    expect(db.adminSecretName).toBe('influxdb-admin');
    const es = out.doc(`${DIR}/app/externalsecret.yaml`);
    expect(es.metadata).toEqual({ name: 'influxdb-admin', namespace: 'influxdb' });
    expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['password', 'infra/influxdb', 'password'], ['token', 'infra/influxdb', 'token'], ['username', 'infra/influxdb', 'username'],
    ]);
    expect(out.doc(`${DIR}/ks.yaml`).spec.dependsOn.map((d: any) => d.name)).toEqual(['block', 'external-secrets', 'external-secrets-store']);
  });

  test.each([
    [{ admin: { storeKey: 'infra/influxdb' } }, 'externalSecrets.influxdb-admin', 'has no secret store'],
    [{ admin: { existingSecret: '' } }, 'admin.existingSecret', 'is empty'],
    [{ retention: 'forever' }, 'retention', 'is not an InfluxDB retention'],
    [{ storageSize: 'lots' }, 'storageSize', 'is not a storage quantity'],
  ])('misuse %j is reported on %s', (props, field, message) => {
    const { estate } = influx(props as any);
    expect(problems(estate).filter((p) => p.field === field)).toEqual([expect.objectContaining({ path: 'test/influxdb', message: expect.stringContaining(message) })]);
  });
});
