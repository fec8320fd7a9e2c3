import { Traefik } from '../../../src/lib/platform/ingress/traefik.js';
import { exposeService } from '../../../src/lib/platform/ingress/exposure.js';
import { ROUTE } from '../../../src/lib/estate/route-facts.js';
import { renderCluster } from '../../../src/lib/synth/render.js';
import { componentIndex } from '../../../src/lib/tree/components.js';
import { hostUses, recordedRoute, routeHostnames } from '../../../src/lib/tree/routes.js';
import { rawComponent, testCluster } from '../../helpers.js';

describe('routes as ledger facts', () => {
  test("the ingress records the routes it renders; hand-written route objects are read from the object", () => {
    const { cluster } = testCluster();
    new Traefik(cluster, 'traefik');
    const handWritten = { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'raw' }, spec: { routes: [{ match: `Host(\`raw.${cluster.domain}\`)`, kind: 'Rule', services: [{ name: 'app', port: 80 }] }] } };
    const app = rawComponent(cluster, { name: 'app', namespace: 'app', layer: 'apps' }, [handWritten]);
    exposeService(app, { expose: 'public', serviceName: 'app', port: 80 });
    const tree = renderCluster(cluster, () => undefined);
    expect(cluster.ledger.of(ROUTE, app)).toEqual([expect.objectContaining({ kind: 'IngressRoute', name: 'app', hostname: `app.${cluster.domain}`, exposure: 'public', serviceName: 'app', servicePort: 80 })]);
    const componentOf = componentIndex(cluster);
    const routes = tree.manifests.filter((m) => m.object.kind === 'IngressRoute');
    const byName = (name: string) => routes.find((m) => m.object.metadata?.name === name)!;
    expect(recordedRoute(app, byName('app').object)?.hostname).toBe(`app.${cluster.domain}`);
    expect(recordedRoute(app, byName('raw').object)).toBeUndefined();
    expect(hostUses(byName('app'), componentOf(byName('app'))).map((u) => [u.host, u.path, u.field])).toEqual([[`app.${cluster.domain}`, '/', 'spec.routes[0].match']]);
    expect(routeHostnames(byName('raw').object, app)).toEqual([`raw.${cluster.domain}`]);
  });
});
