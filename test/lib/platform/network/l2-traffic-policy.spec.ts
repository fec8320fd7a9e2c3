import { ApiObject } from 'cdk8s';
import { checkL2LocalTrafficPolicy, L2_LOCAL_POLICY_FIXED_IN, localPolicyPaths, olderThan } from '../../../../src/lib/platform/network/l2-traffic-policy.js';
import { Diagnostics } from '../../../../src/lib/estate/diagnostics.js';
import { rawComponent, testCluster } from '../../../helpers.js';

const localLb = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'dns' }, ports: [{ port: 53, protocol: 'UDP' }] } };

describe("Cilium's L2 election and externalTrafficPolicy: Local", () => {
  test('olderThan compares major.minor.patch numerically', () => {
    expect(olderThan('1.20.0', '1.20.2')).toBe(true);
    expect(olderThan('1.9.9', '1.20.2')).toBe(true);
    expect(olderThan('1.20.2', '1.20.2')).toBe(false);
    expect(olderThan('v1.21.0', '1.20.2')).toBe(false);
    expect(olderThan('1.20.10', '1.20.2')).toBe(false);
  });

  test('a raw Local LoadBalancer on several nodes is reported before the fix, not from it on', () => {
    const { cluster } = testCluster();
    rawComponent(cluster, { name: 'dns', namespace: 'dns' }, [localLb]);
    const errorsWith = (version: string) => {
      const seen: string[] = [];
      const d = Diagnostics.of(cluster);
      const before = d.problems.length;
      checkL2LocalTrafficPolicy(cluster, version);
      for (const p of d.problems.slice(before)) seen.push(`${p.field}: ${p.message}`);
      return seen;
    };
    expect(errorsWith('1.20.0')).toEqual([expect.stringMatching(/^spec\.externalTrafficPolicy: Service 'dns\/dns' keeps traffic on the receiving node/)]);
    expect(errorsWith(L2_LOCAL_POLICY_FIXED_IN)).toEqual([]);
  });

  test('one node always holds both the address and the pods: nothing to report', () => {
    const { cluster } = testCluster({ nodes: [{ name: 'solo', role: 'control-plane', cpu: 4, memory: '8Gi' }] });
    const c = rawComponent(cluster, { name: 'dns', namespace: 'dns' }, [localLb]);
    expect(c.renderedObjects().some((o: ApiObject) => o.kind === 'Service')).toBe(true);
    const before = Diagnostics.of(cluster).problems.length;
    checkL2LocalTrafficPolicy(cluster, '1.20.0');
    expect(Diagnostics.of(cluster).problems.length).toBe(before);
  });

  test('Helm values asking a chart for Local are found wherever the chart keeps them, and reported on the HelmRelease', () => {
    expect(localPolicyPaths({ service: { spec: { externalTrafficPolicy: 'Local' } }, other: [{ externalTrafficPolicy: 'Local' }, { externalTrafficPolicy: 'Cluster' }] })).toEqual(['service.spec.externalTrafficPolicy', 'other[0].externalTrafficPolicy']);
    const { cluster } = testCluster();
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'traefik' }, spec: { interval: '1h', chart: { spec: { chart: 'traefik', sourceRef: { kind: 'HelmRepository', name: 'traefik' } } }, values: { service: { spec: { externalTrafficPolicy: 'Local' } } } } };
    rawComponent(cluster, { name: 'traefik', namespace: 'traefik' }, [release]);
    const d = Diagnostics.of(cluster);
    const before = d.problems.length;
    checkL2LocalTrafficPolicy(cluster, '1.20.0');
    expect(d.problems.slice(before).map((p) => p.field)).toEqual(['spec.values.service.spec.externalTrafficPolicy']);
  });
});
