import { App } from '../../../src/lib/apps/app.js';
import { CloudNativePg } from '../../../src/lib/platform/databases/cloudnative-pg.js';
import { PostgresCluster } from '../../../src/lib/platform/databases/postgres-cluster.js';
import { ExternalSecrets } from '../../../src/lib/platform/secrets/external-secrets.js';
import { readTree, tempRoot } from '../../helpers.js';
import { cli, lab } from './fixtures.js';

/**
 * Removing an app that had its own database on the cluster's PostgreSQL: the Database and role
 * objects of the other apps look alike, which once made the data-loss check call the removal a
 * rename of one into another. Every order of removal must pass with no data-loss problem (the
 * CNPG Cluster, which holds the data, stays).
 */
const estate = (apps: string[]) => () => lab({
  extra: (c) => {
    new CloudNativePg(c, 'cnpg');
    new ExternalSecrets(c, 'external-secrets', { store: false });
    new PostgresCluster(c, 'postgres');
    for (const name of apps) new App(c, name, { image: { repository: `ghcr.io/example/${name}`, tag: '1.0.0' }, ports: [{ name: 'http', port: 8080 }], database: { postgres: {} } });
  },
});

describe('removing an app with a database', () => {
  test.each([
    [['alpha', 'beta', 'gamma'], ['alpha', 'gamma']],
    [['alpha', 'beta', 'gamma'], ['beta', 'gamma']],
    [['alpha', 'beta', 'gamma'], ['alpha']],
  ])('%j -> %j synthesizes without a rename or data-loss error', (before, after) => {
    const root = tempRoot('db-removal-');
    expect(cli([], estate(before), root).code).toBe(0);
    const removed = before.filter((a) => !after.includes(a));
    const { code, out } = cli([], estate(after), root);
    expect(out).not.toMatch(/rename|allowDataLoss|holds data/);
    expect(code).toBe(0);
    const files = [...readTree(root).keys()];
    for (const a of removed) expect(files.some((f) => f.includes(`/${a}/`))).toBe(false);
    expect(files.some((f) => /postgres\/.*cluster\.yaml$/.test(f))).toBe(true);
  });
});
