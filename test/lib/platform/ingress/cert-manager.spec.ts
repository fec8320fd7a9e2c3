import { CHARTS } from '../../../../imports/charts.js';
import { CERT_ISSUER, CertManager, DNS01_RESOLVERS, LETSENCRYPT } from '../../../../src/lib/platform/ingress/index.js';
import { testCluster } from '../../../helpers.js';
import { Synthesized, problemsOf } from './support.js';

describe('CertManager', () => {
  test('OCI chart with CRDs, requests, public DNS-01 resolvers; restricted namespace; provides the cert-manager API groups', () => {
    const { estate, cluster } = testCluster();
    const cm = new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'acme-cloudflare', email: 'ops@example.com', apiToken: { name: 'cloudflare-api-token' } }] });
    const s = new Synthesized(estate);
    const hr = s.one('HelmRelease', 'cert-manager');
    expect(hr.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'cert-manager' });
    expect(s.one('OCIRepository', 'cert-manager').spec).toMatchObject({ url: 'oci://quay.io/jetstack/charts/cert-manager', ref: { tag: CHARTS['cert-manager'].version } });
    const v = hr.spec.values;
    expect(v.crds).toEqual({ enabled: true, keep: true });
    expect(v.dns01RecursiveNameservers).toBe(DNS01_RESOLVERS.join(','));
    expect(v.dns01RecursiveNameserversOnly).toBe(true);
    expect(v.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' } });
    expect(v.webhook).toEqual({ replicaCount: 1, resources: { requests: { cpu: '10m', memory: '32Mi' } } });
    expect(v.prometheus.servicemonitor.enabled).toBe(false);
    expect(s.one('Namespace', 'cert-manager').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect([...cm.provides].map(String)).toEqual(expect.arrayContaining(['crd:cert-manager.io', 'crd:acme.cert-manager.io']));
    expect(cm.workloads.map((w) => w.name)).toEqual(['cert-manager', 'cert-manager-webhook', 'cert-manager-cainjector']);
    expect(cluster.service(CERT_ISSUER)?.defaultIssuer).toEqual({ name: 'letsencrypt', publiclyTrusted: true });
  });

  test('ACME DNS-01 via Cloudflare: ClusterIssuer with the API token by Secret reference, applied after the CRDs', () => {
    const { estate, cluster } = testCluster({ domain: 'tosih.org' });
    new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'acme-cloudflare', email: 'ops@tosih.org', staging: true, apiToken: { name: 'cloudflare', key: 'token' } }] });
    const s = new Synthesized(estate);
    const issuer = s.one('ClusterIssuer', 'letsencrypt-staging');
    expect(issuer.metadata.namespace).toBeUndefined();
    expect(issuer.spec.acme).toEqual({
      email: 'ops@tosih.org',
      server: LETSENCRYPT.staging,
      privateKeySecretRef: { name: 'letsencrypt-staging-account-key' },
      solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare', key: 'token' } } }, selector: { dnsZones: ['tosih.org'] } }],
    });
    expect(s.fileOf('ClusterIssuer', 'letsencrypt-staging')).toBe('clusters/test/certs/cert-manager/config/clusterissuer.yaml');
    expect(s.dependsOn('cert-manager-config')).toEqual(['cert-manager']);
  });

  test('internal CA: a self-signed bootstrap issuer signs a CA certificate that the CA issuer uses', () => {
    const { estate, cluster } = testCluster({ name: 'lab' });
    new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'internal-ca' }, { type: 'self-signed' }], defaultIssuer: 'self-signed' });
    const s = new Synthesized(estate);
    expect(s.one('ClusterIssuer', 'internal-ca-bootstrap').spec).toEqual({ selfSigned: {} });
    expect(s.one('Certificate', 'internal-ca').spec).toMatchObject({
      isCA: true, commonName: 'lab internal CA', secretName: 'internal-ca', issuerRef: { kind: 'ClusterIssuer', name: 'internal-ca-bootstrap' },
    });
    expect(s.one('Certificate', 'internal-ca').metadata.namespace).toBe('cert-manager');
    expect(s.one('ClusterIssuer', 'internal-ca').spec).toEqual({ ca: { secretName: 'internal-ca' } });
    expect(s.one('ClusterIssuer', 'self-signed').spec).toEqual({ selfSigned: {} });
    expect(s.values('cert-manager').dns01RecursiveNameserversOnly).toBe(false);
    expect(cluster.service(CERT_ISSUER)?.defaultIssuer).toEqual({ name: 'self-signed', publiclyTrusted: false });
  });

  test('without issuers the cluster has no certificate issuer service', () => {
    const { estate, cluster } = testCluster();
    new CertManager(cluster, 'cert-manager');
    new Synthesized(estate);
    expect(cluster.service(CERT_ISSUER)).toBeUndefined();
  });

  test('a bad e-mail, two issuers with one name and an unknown default issuer are errors', () => {
    const { estate, cluster } = testCluster();
    new CertManager(cluster, 'cert-manager', {
      issuers: [{ type: 'acme-cloudflare', email: 'not-an-address', apiToken: { name: 'cf' } }, { type: 'self-signed', name: 'letsencrypt' }],
      defaultIssuer: 'vault',
    });
    const problems = problemsOf(estate);
    expect(problems.map((p) => [p.path, p.field])).toEqual([
      ['test/cert-manager', 'issuers[0].email'],
      ['test/cert-manager', 'issuers[1].name'],
      ['test/cert-manager', 'defaultIssuer'],
    ]);
    expect(problems[1].message).toBe("two issuers are named 'letsencrypt'");
    expect(problems[2].message).toBe("'vault' is not one of the issuers (letsencrypt)");
  });

  test('an unknown values key is an error naming it', () => {
    const { estate, cluster } = testCluster();
    new CertManager(cluster, 'cert-manager', { values: { webhook: { replicas: 2 } } });
    expect(problemsOf(estate)).toEqual([expect.objectContaining({ path: 'test/cert-manager/chart', field: expect.stringMatching(/^values\.webhook/) })]);
  });
});
