import { App, AppProps } from '../../../src/lib/apps/app.js';
import { DEFAULT_DENY_OWNER, NETWORK_FLOW } from '../../../src/lib/apps/app-network-policy.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const web = (c: HomelabCluster, id: string, props: Partial<AppProps> = {}) =>
  new App(c, id, { image: IMAGE, ports: [{ name: 'http', port: 8080 }], ...props });

describe('App: the NetworkPolicy graph lives on the cluster ledger', () => {
  const build = (c: HomelabCluster) => {
    const api = web(c, 'api', { namespace: 'shop' });
    const front = web(c, 'front', { namespace: 'shop', network: { egress: [{ app: api }] } });
    web(c, 'probe', { namespace: 'ops', network: { ingress: [{ app: front }] } });
  };
  const first = synth(build, { defaultDenyNetworkPolicies: true });
  const second = synth(build, { defaultDenyNetworkPolicies: true });

  test('each connection is a fact, listed under the app it reaches', () => {
    const flows = first.cluster.ledger.all(NETWORK_FLOW).map((f) => `${f.from.name} -> ${f.to.name} :${f.ports.map((p) => p.port).join(',')}`);
    expect(flows).toEqual(['front -> api :8080', 'front -> probe :8080']);
    const api = first.cluster.components.find((c) => c.name === 'api')!;
    expect(first.cluster.ledger.of(NETWORK_FLOW, api).map((f) => f.from.name)).toEqual(['front']);
  });

  test('the first app of a namespace owns its default-deny', () => {
    expect(first.cluster.ledger.all(DEFAULT_DENY_OWNER).map((o) => `${o.namespace}: ${o.owner.name}`)).toEqual(['shop: api', 'ops: probe']);
  });

  test('two estates built in one process keep their own facts', () => {
    const owners = second.cluster.ledger.all(DEFAULT_DENY_OWNER).map((o) => o.owner);
    expect(owners.every((o) => o.cluster === second.cluster)).toBe(true);
    expect(second.cluster.ledger.all(NETWORK_FLOW)).toHaveLength(2);
    expect(second.get('NetworkPolicy', 'api', 'shop').spec.ingress).toHaveLength(1);
  });
});
