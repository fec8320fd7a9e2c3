import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Estate, HomelabCluster } from '../../src/api/estate.js';
import { CLUSTERS } from '../../src/clusters/index.js';
import { isTestFile, repositoryPath } from '../../src/lib/estate/source-file.js';
import { clusterProps, tempRoot } from '../helpers.js';

/**
 * `sourceFile` (named in every generated header) defaults to the file that calls
 * `new HomelabCluster`, relative to its repository root, compiled JavaScript mapped back to its
 * TypeScript source: right when a cluster's name differs from its file or a factory in another
 * file builds it, and the same whether the sources (ts-jest) or the build (synth) run.
 */

/** A repository with a compiled estate in build/ (as `tsc` leaves it) beside its sources. */
function compiledRepo(files: Record<string, string>): string {
  const root = tempRoot('source-file-');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'lab', type: 'module' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('sourceFile of the reference estate', () => {
  test('each cluster names its own file (the ARM environments too, though arm-base.ts calls new HomelabCluster)', () => {
    const estate = new Estate();
    for (const cluster of CLUSTERS) cluster(estate);
    expect(Object.fromEntries(estate.clusters.map((c) => [c.name, c.sourceFile]))).toEqual({
      home: 'src/clusters/home.ts',
      cloud: 'src/clusters/cloud.ts',
      'arm-review': 'src/clusters/arm-review.ts',
      'arm-staging': 'src/clusters/arm-staging.ts',
      'arm-prod': 'src/clusters/arm-prod.ts',
      services: 'src/clusters/services.ts',
      ha: 'src/clusters/ha.ts',
      'prox-n100': 'src/clusters/prox-n100.ts',
      household: 'src/clusters/household.ts',
    });
  });
});

describe('sourceFile default', () => {
  /** A compiled repository where edge.ts calls a factory in factory.ts that calls new HomelabCluster; builds a cluster named `name` through it. */
  async function viaFactory(name: string): Promise<HomelabCluster> {
    const root = compiledRepo({
      'src/clusters/factory.ts': '// the factory\n',
      'src/clusters/edge.ts': '// the cluster\n',
      // What tsc (rootDir '.') writes for the two sources; the factory gets HomelabCluster passed in.
      'build/src/clusters/factory.js': 'export function factory(HomelabCluster, scope, props) {\n  return new HomelabCluster(scope, props);\n}\n',
      'build/src/clusters/edge.js': "import { factory } from './factory.js';\nexport function edge(HomelabCluster, scope, props) {\n  return factory(HomelabCluster, scope, props);\n}\n",
    });
    const { edge } = await import(join(root, 'build/src/clusters/edge.js'));
    return edge(HomelabCluster, new Estate(), clusterProps({ name }));
  }

  test('a cluster built by a factory in another (compiled) file names the factory\'s .ts source when no file is named after it', async () => {
    expect((await viaFactory('lab-one')).sourceFile).toBe('src/clusters/factory.ts');
  });

  test('a file named after the cluster on the stack wins over the factory it calls', async () => {
    expect((await viaFactory('edge')).sourceFile).toBe('src/clusters/edge.ts');
  });

  test('a subclass of HomelabCluster names the file declaring the subclass', async () => {
    const root = compiledRepo({
      'src/edge-cluster.ts': '// the subclass\n',
      'build/src/edge-cluster.js': 'export function define(HomelabCluster) {\n  return class EdgeCluster extends HomelabCluster {\n    constructor(scope, props) {\n      super(scope, props);\n    }\n  };\n}\n',
    });
    const { define } = await import(join(root, 'build/src/edge-cluster.js'));
    const EdgeCluster = define(HomelabCluster);
    expect(new EdgeCluster(new Estate(), clusterProps({ name: 'edge' })).sourceFile).toBe('src/edge-cluster.ts');
  });

  test('a cluster a test builds keeps the rule by name (tests are no part of the committed tree)', () => {
    expect(new HomelabCluster(new Estate(), clusterProps({ name: 'lab' })).sourceFile).toBe('src/clusters/lab.ts');
  });

  test('an explicit sourceFile wins', () => {
    expect(new HomelabCluster(new Estate(), clusterProps({ name: 'lab', sourceFile: 'estate/lab.ts' })).sourceFile).toBe('estate/lab.ts');
  });
});

describe('repositoryPath', () => {
  const root = compiledRepo({
    'src/clusters/a.ts': '',
    'src/b.mts': '',
    'src/c.ts': '',
    'plain/d.js': '',
    'node_modules/lib/e.js': '',
  });

  test('maps build/ and dist/ JavaScript back to the TypeScript it was compiled from', () => {
    expect(repositoryPath(join(root, 'build/src/clusters/a.js'))).toBe('src/clusters/a.ts');
    expect(repositoryPath(join(root, 'dist/src/clusters/a.js'))).toBe('src/clusters/a.ts');
    expect(repositoryPath(join(root, 'build/src/b.mjs'))).toBe('src/b.mts');
    // rootDir 'src': build/c.js is src/c.ts
    expect(repositoryPath(join(root, 'build/c.js'))).toBe('src/c.ts');
  });

  test('keeps sources as they are, relative to the nearest package.json, with / separators', () => {
    expect(repositoryPath(join(root, 'src/clusters/a.ts'))).toBe('src/clusters/a.ts');
    expect(repositoryPath(join(root, 'plain/d.js'))).toBe('plain/d.js');
  });

  test('gives nothing for compiled code without its source or code in node_modules', () => {
    expect(repositoryPath(join(root, 'build/src/missing.js'))).toBeUndefined();
    expect(repositoryPath(join(root, 'node_modules/lib/e.js'))).toBeUndefined();
  });

  test('tells tests from sources', () => {
    expect(['test/helpers.ts', 'src/x.spec.ts', 'tests/a.ts', 'src/__tests__/b.js', 'a.test.mjs'].filter(isTestFile)).toHaveLength(5);
    expect(['src/clusters/ha.ts', 'src/clusters/testing-lab.ts', 'src/latest.ts'].filter(isTestFile)).toEqual([]);
  });
});
