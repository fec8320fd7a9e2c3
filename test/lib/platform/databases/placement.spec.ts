import { DEFAULT_STORAGE_CLASS } from '../../../../src/lib/estate/capabilities.js';
import { Redis } from '../../../../src/lib/platform/databases/index.js';
import { InfluxDb } from '../../../../src/lib/platform/observability/influxdb.js';
import { rawComponent, testCluster } from '../../../helpers.js';
import { platformStubs, singleNode } from './fixtures.js';

/** Redis and InfluxDB take namespace, group and layer from PlatformProps like every platform component. */
describe('data services: placement from PlatformProps', () => {
  test('Redis: the placement by default (restricted, prune-protected redis namespace; apps layer when layered)', () => {
    const { cluster } = singleNode();
    platformStubs(cluster);
    const redis = new Redis(cluster, 'redis');
    expect([redis.namespace, redis.group, redis.layer]).toEqual(['redis', 'databases', 'platform']);
    expect(Redis.placement(cluster).namespace).toEqual({ name: 'redis', podSecurity: 'restricted', pruneProtected: true });
    const layered = singleNode({ flux: { layout: 'layered' } }).cluster;
    expect(new Redis(layered, 'redis').layer).toBe('apps');
  });

  test('Redis: namespace, group and layer props override the placement', () => {
    const { cluster } = singleNode();
    const redis = new Redis(cluster, 'cache', { namespace: 'cache', group: 'data', layer: 'apps' });
    expect([redis.namespace, redis.group, redis.layer]).toEqual(['cache', 'data', 'apps']);
  });

  test('InfluxDb: the placement by default, overridden by the props', () => {
    const { cluster } = testCluster();
    rawComponent(cluster, { name: 'block', namespace: 'storage' }).provide(DEFAULT_STORAGE_CLASS);
    const db = new InfluxDb(cluster, 'influxdb', { admin: { existingSecret: 'influxdb-admin' } });
    expect([db.namespace, db.group, db.layer]).toEqual(['influxdb', 'monitoring', 'apps']);
    const moved = new InfluxDb(cluster, 'metrics', { admin: { existingSecret: 'metrics-admin' }, namespace: 'metrics', group: 'data', layer: 'platform' });
    expect([moved.namespace, moved.group, moved.layer]).toEqual(['metrics', 'data', 'platform']);
    expect(moved.url).toBe('http://metrics.metrics.svc:8086');
  });
});
