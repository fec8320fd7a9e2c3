import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { HomelabCluster } from '../../src/lib/estate/cluster.js';
import { estateChecks } from '../../src/testing/estate-checks.js';
import { clusterProps, configMap, rawComponent, tempRoot } from '../helpers.js';

/**
 * The generic checks welcome a user's clusters: each cluster is checked on its own, so a broken
 * one (throws while built, or fails synth) fails its own group only, and the estate-wide group
 * stays green unless the problem is between clusters.
 */

function repo(clusters: string[]): string {
  const root = tempRoot('checks-');
  for (const c of clusters) {
    mkdirSync(join(root, 'src', 'clusters'), { recursive: true });
    writeFileSync(join(root, 'src', 'clusters', `${c}.ts`), `// the ${c} cluster\n`);
  }
  return root;
}

const good = (name: string) => function good(scope: Construct) {
  const cluster = new HomelabCluster(scope, clusterProps({ name }));
  rawComponent(cluster, { name: 'web', namespace: 'web' }, [configMap('settings')]);
  return cluster;
};

/** Fails synth: an object of a kind nobody provides. */
function invalid(scope: Construct) {
  const cluster = new HomelabCluster(scope, clusterProps({ name: 'invalid' }));
  rawComponent(cluster, { name: 'web', namespace: 'web' }, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 1 } }]);
  return cluster;
}

function throws(): never {
  throw new Error('a typo in my cluster file');
}

async function outcomes(groups: ReturnType<typeof estateChecks>['groups']): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const g of groups) {
    out[g.title] = [];
    for (const c of g.checks) {
      try {
        await c.run();
      } catch {
        out[g.title].push(c.name);
      }
    }
  }
  return out;
}

describe('generic estate checks', () => {
  test('healthy clusters pass every check; a broken cluster fails its own group only', async () => {
    const root = repo(['alpha', 'beta', 'invalid']);
    const { groups, cleanup } = estateChecks({ clusters: [good('alpha'), throws, invalid, good('beta')], root, committed: false });
    try {
      const failed = await outcomes(groups);
      expect(Object.keys(failed)).toEqual(['cluster alpha (src/clusters/alpha.ts)', 'cluster throws', 'cluster invalid (src/clusters/invalid.ts)', 'cluster beta (src/clusters/beta.ts)', 'estate']);
      expect(failed['cluster alpha (src/clusters/alpha.ts)']).toEqual([]);
      expect(failed['cluster beta (src/clusters/beta.ts)']).toEqual([]);
      expect(failed['cluster throws']).toEqual(['builds']);
      expect(failed['cluster invalid (src/clusters/invalid.ts)']).toContain('synthesizes (every object validates against its schema; no problem, no data loss)');
      expect(failed.estate).toEqual([]);
    } finally {
      cleanup();
    }
  });

  test('a header naming a source file that does not exist, a stale committed tree, duplicate names', async () => {
    const root = repo([]);
    const { groups, cleanup } = estateChecks({ clusters: [good('alpha'), good('alpha')], root, kustomize: false });
    try {
      const failed = await outcomes(groups);
      expect(failed['cluster alpha (src/clusters/alpha.ts)']).toEqual([
        'the committed clusters/ folder is up to date',
        "every generated file names the cluster's source file, which exists",
      ]);
      expect(failed.estate).toEqual(['cluster names are unique']);
    } finally {
      cleanup();
    }
  });
});
