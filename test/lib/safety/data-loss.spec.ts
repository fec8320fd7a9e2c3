import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { crdGroup } from '../../../src/lib/estate/capabilities.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { SynthError } from '../../../src/lib/estate/problems.js';
import { NfsCsi } from '../../../src/lib/platform/storage/nfs-csi.js';
import { CloudNativePg } from '../../../src/lib/platform/databases/cloudnative-pg.js';
import { PostgresCluster } from '../../../src/lib/platform/databases/postgres-cluster.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { readOldTree } from '../../../src/lib/safety/data-loss.js';
import { configMap, rawComponent, readTree, tempRoot, testCluster } from '../../helpers.js';
import { cli, cnpgCluster, deployment, lab, LabOptions, labProps, pvc } from './fixtures.js';

type Manifest = Record<string, any>;

/** Lab plus a `db` component running a CNPG Cluster `pg` (its operator provides the CRDs). */
function withDatabase(options: LabOptions & { database?: boolean; dbName?: string } = {}): Estate {
  return lab({
    ...options,
    extra: (c, parts) => {
      const operator = rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' }, [configMap('cnpg')]);
      operator.provide(crdGroup('postgresql.cnpg.io'));
      if (options.database !== false) rawComponent(c, { name: 'db', namespace: 'db' }, [cnpgCluster(options.dbName ?? 'pg')]);
      options.extra?.(c, parts);
    },
  });
}

function problemsOf(fn: () => unknown): SynthError['problems'] {
  try {
    fn();
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
  throw new Error('expected a SynthError');
}

const objectIn = (tree: Map<string, string>, file: string): Manifest => parse(tree.get(file)!.split('\n').filter((l) => !l.startsWith('#')).join('\n'));

describe('Flux prune protection of data', () => {
  const root = tempRoot('prune-');
  synthesize(withDatabase(), { root });
  const tree = readTree(root);
  const annotations = (file: string) => objectIn(tree, file).metadata.annotations ?? {};

  test('claims and CNPG clusters carry kustomize.toolkit.fluxcd.io/prune: disabled', () => {
    expect(annotations('clusters/lab/web/web/app/persistentvolumeclaim.yaml')).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    const cluster = [...tree.keys()].find((f) => f.startsWith('clusters/lab/db/db/') && f.endsWith('/cluster.yaml'))!;
    expect(objectIn(tree, cluster).kind).toBe('Cluster');
    expect(annotations(cluster)).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });

  test('every namespace is protected (deleting it deletes its neighbours too); other objects without data are not', () => {
    expect(annotations('clusters/lab/web/web/app/namespace.yaml')['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    expect(annotations('clusters/lab/db/db/app/namespace.yaml')['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    expect(annotations('clusters/lab/cnpg-system/cnpg/app/namespace.yaml')['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    expect(annotations('clusters/lab/web/web/app/deployment.yaml')['kustomize.toolkit.fluxcd.io/prune']).toBeUndefined();
  });

  test('storage for user data defaults to reclaimPolicy Retain', () => {
    expect(objectIn(tree, 'clusters/lab/storage/nfs/app/storageclass.yaml').reclaimPolicy).toBe('Retain');
  });
});

describe('data-loss guard', () => {
  let root: string;
  let before: Map<string, string>;

  beforeEach(() => {
    root = tempRoot('data-loss-');
    synthesize(withDatabase(), { root });
    before = readTree(root);
  });

  test('refuses to delete a PVC, says how to confirm, and writes nothing', () => {
    const problems = problemsOf(() => synthesize(withDatabase({ withoutClaim: true }), { root }));
    expect(problems).toEqual([expect.objectContaining({
      cluster: 'lab',
      path: 'lab (clusters/lab/web/web/app/persistentvolumeclaim.yaml)',
      field: 'allowDataLoss',
      message: expect.stringContaining("PersistentVolumeClaim 'web/web-data' holds data and would be removed"),
      fix: expect.stringMatching(/add allowDataLoss: \['PersistentVolumeClaim\/web\/web-data'\] to cluster 'lab' in src\/clusters\/lab.ts, or run synth with --allow-data-loss=PersistentVolumeClaim\/web\/web-data\. Flux keeps it anyway \(prune: disabled\).*kubectl delete persistentvolumeclaim web-data -n web/),
    })]);
    expect([...readTree(root)]).toEqual([...before]);
  });

  test('an acknowledgement in the cluster source lets the PVC go (and Flux keeps it until deleted by hand)', () => {
    const result = synthesize(withDatabase({ withoutClaim: true, cluster: { allowDataLoss: ['PersistentVolumeClaim/web/web-data'] } }), { root });
    expect(result.diff.removed).toEqual(['clusters/lab/web/web/app/persistentvolumeclaim.yaml']);
    expect(existsSync(join(root, 'clusters/lab/web/web/app/persistentvolumeclaim.yaml'))).toBe(false);
    expect(result.warnings.filter((w) => w.code === 'allow-data-loss-unused')).toEqual([]);
  });

  test('the CLI flag is the other way to confirm', () => {
    const refused = cli([], () => withDatabase({ withoutClaim: true }), root);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("PersistentVolumeClaim 'web/web-data' holds data and would be removed");
    const allowed = cli(['--allow-data-loss=PersistentVolumeClaim/web/web-data'], () => withDatabase({ withoutClaim: true }), root);
    expect(allowed.code).toBe(0);
    expect(readTree(root).has('clusters/lab/web/web/app/persistentvolumeclaim.yaml')).toBe(false);
  });

  test('refuses to delete a CNPG cluster, naming what is lost', () => {
    const problems = problemsOf(() => synthesize(withDatabase({ database: false }), { root }));
    const messages = problems.map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Cluster 'db\/pg' holds data and would be removed .*every database in it/),
      expect.stringMatching(/^Namespace 'db' holds data and would be removed .*including Cluster 'db\/pg'/),
    ]));
    expect(problems.every((p) => p.cluster === 'lab' && p.field === 'allowDataLoss')).toBe(true);
    expect([...readTree(root)]).toEqual([...before]);
    const ok = synthesize(withDatabase({ database: false, cluster: { allowDataLoss: ['Cluster/db/pg', 'Namespace/db'] } }), { root });
    expect(ok.diff.removed).toEqual(expect.arrayContaining([expect.stringMatching(/^clusters\/lab\/db\/db\/.*cluster\.yaml$/)]));
  });

  test('a renamed CNPG cluster is reported as a rename, with the fix to keep the old name', () => {
    const problems = problemsOf(() => synthesize(withDatabase({ dbName: 'postgres' }), { root }));
    expect(problems).toEqual([expect.objectContaining({
      cluster: 'lab',
      path: expect.stringMatching(/^lab\/db \(clusters\/lab\/db\/db\/.*cluster\.yaml\)$/),
      field: 'metadata.name',
      message: expect.stringMatching(/^Cluster 'db\/pg' would be removed and Cluster 'db\/postgres' created with the same spec: this looks like a rename/),
      fix: expect.stringMatching(/^keep the old name: name it 'pg' again\. .*allowDataLoss: \['Cluster\/db\/pg'\]/),
    })]);
  });

  test('a renamed PVC is a rename; a PVC moved to another namespace is a move', () => {
    const renamed = (name: string, ns = 'web') => withDatabase({ withoutClaim: true, extra: (c) => rawComponent(c, { name: 'data', namespace: ns, group: 'web' }, [pvc(name)]) });
    const rename = problemsOf(() => synthesize(renamed('web-storage'), { root }));
    expect(rename.map((p) => p.message)).toEqual([expect.stringContaining("PersistentVolumeClaim 'web/web-data' would be removed and PersistentVolumeClaim 'web/web-storage' created with the same spec: this looks like a rename")]);
    expect(rename[0].fix).toMatch(/^keep the old name: name it 'web-data' again/);
    const move = problemsOf(() => synthesize(renamed('web-data', 'media'), { root }));
    expect(move.map((p) => p.message)).toEqual([expect.stringContaining('this looks like a move to another namespace')]);
    expect(move[0].fix).toMatch(/^keep it in namespace 'web'/);
  });

  test('removing a StatefulSet claim template is refused', () => {
    const sts = (templates: string[]) => ({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'redis' },
      spec: {
        serviceName: 'redis', replicas: 1, selector: { matchLabels: { app: 'redis' } },
        template: deployment('redis').spec.template,
        volumeClaimTemplates: templates.map((t) => ({ metadata: { name: t }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })),
      },
    });
    const r = tempRoot('sts-');
    synthesize(lab({ extra: (c) => rawComponent(c, { name: 'redis', namespace: 'redis' }, [sts(['data', 'logs'])]) }), { root: r });
    const problems = problemsOf(() => synthesize(lab({ extra: (c) => rawComponent(c, { name: 'redis', namespace: 'redis' }, [sts(['data'])]) }), { root: r }));
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringContaining("StatefulSet 'redis/redis' holds data: its volumeClaimTemplates 'logs' would go"), fix: expect.stringContaining("allowDataLoss: ['StatefulSet/redis/redis']") })]);
  });

  test('a StorageClass still used by claims cannot be dropped', () => {
    const swapped = () => {
      const estate = new Estate();
      const c = new HomelabCluster(estate, labProps());
      new NfsCsi(c, 'nfs', { server: 'nas.lab.example.com', share: '/volume1/k8s', storageClassName: 'nfs-data', default: true });
      rawComponent(c, { name: 'web', namespace: 'web', layer: 'apps' }, [pvc('web-data')]);
      return estate;
    };
    const r = tempRoot('sc-');
    synthesize(lab(), { root: r });
    const problems = problemsOf(() => synthesize(swapped(), { root: r }));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^StorageClass 'nfs-storage' holds data and would be removed .*in use by PersistentVolumeClaim 'web\/web-data'/)]);
  });

  test('a cluster removed from the estate with data in it is refused', () => {
    const r = tempRoot('gone-');
    const two = () => {
      const e = lab();
      const other = new HomelabCluster(e, labProps({ name: 'other' }));
      new NfsCsi(other, 'nfs', { server: 'nas.lab.example.com', share: '/volume1/other', default: true });
      rawComponent(other, { name: 'x', namespace: 'x' }, [pvc('keep')]);
      return e;
    };
    synthesize(two(), { root: r });
    const problems = problemsOf(() => synthesize(lab(), { root: r }));
    // One problem for the whole cluster, listing what its tree would lose.
    expect(problems.map((p) => [p.cluster, p.path, p.field])).toEqual([['other', '(estate) (clusters/other/)', 'clusters']]);
    expect(problems[0].message).toBe("cluster 'other' is no longer in the estate, and its tree holds data: removing it would let Flux delete Namespace 'x', PersistentVolumeClaim 'x/keep', StorageClass 'nfs-storage'");
    expect(problems[0].fix).toContain('--allow-data-loss=Cluster/other');
    // Acknowledging objects one by one does not let a cluster go; the one cluster acknowledgement does.
    expect(cli(['--allow-data-loss=other:PersistentVolumeClaim/x/keep,other:Namespace/x'], lab, r).code).toBe(1);
    const removed = cli(['--allow-data-loss=Cluster/other'], lab, r);
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/removed cluster other: -\d+ files/);
    expect(existsSync(join(r, 'clusters/other'))).toBe(false);
  });

  test('the PostgresCluster construct: its CNPG Cluster is prune-protected, and deleting the component is refused', () => {
    const r = tempRoot('pg-');
    const withPostgres = (postgres: boolean) => lab({ extra: (c) => { new CloudNativePg(c, 'cnpg'); if (postgres) new PostgresCluster(c, 'postgres'); } });
    synthesize(withPostgres(true), { root: r });
    const tree = readTree(r);
    const clusterFile = [...tree.keys()].find((f) => f.startsWith('clusters/lab/databases/postgres/') && objectIn(tree, f).kind === 'Cluster' && objectIn(tree, f).apiVersion === 'postgresql.cnpg.io/v1')!;
    expect(objectIn(tree, clusterFile).metadata.annotations).toMatchObject({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    const problems = problemsOf(() => synthesize(withPostgres(false), { root: r }));
    expect(problems.map((p) => p.message.replace(/ \(it is in .*/, ''))).toEqual(expect.arrayContaining([
      "Cluster 'databases/postgres' holds data and would be removed",
      "Namespace 'databases' holds data and would be removed",
    ]));
    expect([...readTree(r)]).toEqual([...tree]);
  });

  test('a steady-state synth parses nothing of the old tree; changed files are read', () => {
    const { files } = synthesize(withDatabase(), { root, check: true });
    expect(readOldTree(root, 'clusters', files)).toEqual([]);
    const all = readOldTree(root, 'clusters');
    expect(all.length).toBeGreaterThan(10);
    expect(all.map((o) => o.object.kind)).toEqual(expect.arrayContaining(['PersistentVolumeClaim', 'Cluster', 'Namespace', 'StorageClass']));
    expect(all.every((o) => o.cluster === 'lab' && o.file.startsWith('clusters/lab/'))).toBe(true);
  });

  test('objects without data come and go freely', () => {
    const result = synthesize(withDatabase({ extra: (c) => rawComponent(c, { name: 'cache', namespace: 'cache' }, [configMap('c')]) }), { root });
    expect(result.diff.added.length).toBeGreaterThan(0);
    expect(synthesize(withDatabase(), { root }).diff.removed.length).toBeGreaterThan(0);
  });

  test('a leftover acknowledgement is a warning, and fails --strict', () => {
    const stale = () => withDatabase({ cluster: { allowDataLoss: ['PersistentVolumeClaim/web/old-data'] } });
    const result = synthesize(stale(), { root, check: true });
    expect(result.warnings.filter((w) => w.code.startsWith('allow-data-loss'))).toEqual([expect.objectContaining({ cluster: 'lab', code: 'allow-data-loss-unused', message: expect.stringContaining("allowDataLoss entry 'PersistentVolumeClaim/web/old-data' matches nothing") })]);
    expect(problemsOf(() => synthesize(stale(), { root, strict: true })).map((p) => p.field)).toContain('allow-data-loss-unused');
  });
});

describe('namespace prune protection opt-out', () => {
  test('a namespace is unprotected only when every component in it sets pruneProtected: false', () => {
    const { estate, cluster } = testCluster({ name: 'lab' });
    rawComponent(cluster, { name: 'scratch', namespace: { name: 'scratch', pruneProtected: false } }, [configMap('a')]);
    rawComponent(cluster, { name: 'shared-a', namespace: { name: 'shared', pruneProtected: false } }, [configMap('b')]);
    rawComponent(cluster, { name: 'shared-b', namespace: 'shared' }, [configMap('c')]);
    const root = tempRoot('ns-prune-');
    synthesize(estate, { root });
    const files = readTree(root);
    const ns = (path: string) => objectIn(files, path).metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'];
    expect(ns('clusters/lab/scratch/scratch/app/namespace.yaml')).toBeUndefined();
    expect(ns('clusters/lab/shared/shared-a/app/namespace.yaml')).toBe('disabled');
  });
});
