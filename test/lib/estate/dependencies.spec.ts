import { crdGroup, storageClass, DEFAULT_STORAGE_CLASS } from '../../../src/lib/estate/capabilities.js';
import { resolveDependencies } from '../../../src/lib/estate/dependencies.js';
import { Diagnostics } from '../../../src/lib/estate/diagnostics.js';
import { planNamespaces } from '../../../src/lib/estate/namespaces.js';
import { deriveRequirements } from '../../../src/lib/estate/requirements.js';
import { configMap, rawComponent, testCluster } from '../../helpers.js';

const pgCluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec: { instances: 1 } };
const pvc = (sc?: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { storageClassName: sc, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });

function derive(cluster: ReturnType<typeof testCluster>['cluster']) {
  planNamespaces(cluster);
  for (const c of cluster.components) deriveRequirements(c, c.renderedObjects().map((o) => o.toJson()));
  return resolveDependencies(cluster);
}

describe('derived dependsOn', () => {
  test('a custom resource depends on the component installing its CRDs', () => {
    const { cluster } = testCluster();
    const operator = rawComponent(cluster, { name: 'cnpg', namespace: 'cnpg-system' });
    operator.provide(crdGroup('postgresql.cnpg.io'));
    const db = rawComponent(cluster, { name: 'postgres', namespace: 'databases' }, [pgCluster]);
    const deps = derive(cluster);
    expect(deps.get(db)!.map((e) => e.to.name)).toEqual(['cnpg']);
    expect(deps.get(db)![0].reason).toContain("Cluster 'pg'");
    expect(deps.get(operator)).toEqual([]);
  });

  test('a claim depends on its StorageClass, a class-less claim on the default one', () => {
    const { cluster } = testCluster();
    const nfs = rawComponent(cluster, { name: 'nfs', namespace: 'storage' });
    nfs.provide(storageClass('nfs'));
    nfs.provide(DEFAULT_STORAGE_CLASS);
    const longhorn = rawComponent(cluster, { name: 'longhorn', namespace: 'longhorn-system' });
    longhorn.provide(storageClass('longhorn'));
    const a = rawComponent(cluster, { name: 'a', namespace: 'apps' }, [pvc('longhorn')]);
    const b = rawComponent(cluster, { name: 'b', namespace: 'apps' }, [{ ...pvc(), metadata: { name: 'other' } }]);
    const deps = derive(cluster);
    expect(deps.get(a)!.map((e) => e.to.name)).toEqual(['longhorn']);
    // b shares namespace 'apps', created by a (first declared), so it also depends on a.
    expect(deps.get(b)!.map((e) => e.to.name)).toEqual(['a', 'nfs']);
  });

  test('a missing provider is a problem naming the cluster, component and capability', () => {
    const { cluster } = testCluster();
    rawComponent(cluster, { name: 'postgres', namespace: 'databases' }, [pgCluster]);
    derive(cluster);
    const [p] = Diagnostics.of(cluster).problems;
    expect(p.cluster).toBe('test');
    expect(p.path).toBe('test/postgres');
    expect(p.message).toContain("API group 'postgresql.cnpg.io'");
    expect(p.fix).toContain('operator');
  });

  test('two default StorageClasses are a problem', () => {
    const { cluster } = testCluster();
    for (const n of ['nfs', 'longhorn']) rawComponent(cluster, { name: n, namespace: n }).provide(DEFAULT_STORAGE_CLASS);
    rawComponent(cluster, { name: 'app', namespace: 'apps' }, [pvc()]);
    derive(cluster);
    const messages = Diagnostics.of(cluster).problems.map((p) => p.message + ' / ' + p.fix);
    expect(messages).toEqual([expect.stringContaining('a default StorageClass is provided by several components: nfs, longhorn')]);
    expect(messages[0]).toContain('exactly one');
  });

  test('a cycle is reported with its path', () => {
    const { cluster } = testCluster();
    const a = rawComponent(cluster, { name: 'a', namespace: 'x' });
    const b = rawComponent(cluster, { name: 'b', namespace: 'y', dependsOn: [a] });
    const c = rawComponent(cluster, { name: 'c', namespace: 'z', dependsOn: [b] });
    a.addDependsOn(c, 'test');
    derive(cluster);
    const cycles = Diagnostics.of(cluster).problems.filter((p) => p.message.startsWith('dependency cycle'));
    expect(cycles).toHaveLength(1);
    expect(cycles[0].message).toMatch(/a → c → b → a|b → a → c → b|c → b → a → c/);
  });

  test('a dependency on a component of another cluster is a problem', () => {
    const { estate, cluster } = testCluster();
    const other = testCluster({ name: 'other' });
    const foreign = rawComponent(other.cluster, { name: 'f', namespace: 'x' });
    rawComponent(cluster, { name: 'a', namespace: 'x', dependsOn: [foreign] }, [configMap('c')]);
    derive(cluster);
    expect(Diagnostics.of(estate).problems.map((p) => p.message)).toEqual([expect.stringContaining("belongs to cluster 'other'")]);
  });
});
