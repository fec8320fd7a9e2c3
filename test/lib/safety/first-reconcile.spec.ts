import { crdGroup, DEFAULT_STORAGE_CLASS } from '../../../src/lib/estate/capabilities.js';
import { Problem, SynthError, Warning } from '../../../src/lib/estate/problems.js';
import { ChartRelease } from '../../../src/lib/flux/helm-release.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { configMap, rawComponent, tempRoot } from '../../helpers.js';
import { cnpgCluster, lab, LabOptions } from './fixtures.js';

/** Synthesizes the lab estate with `extra`: its problems (none when synth passes) and warnings. */
function run(extra: LabOptions['extra']): { problems: readonly Problem[]; warnings: readonly Warning[] } {
  try {
    const result = synthesize(lab({ extra }), { root: tempRoot() });
    return { problems: [], warnings: result.warnings };
  } catch (e) {
    if (e instanceof SynthError) return { problems: e.problems, warnings: [] };
    throw e;
  }
}

const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'self-signed' }, spec: { selfSigned: {} } };

describe('first-reconcile simulation', () => {
  test('a custom resource beside the chart installing its CRDs goes to <component>-config, which waits for the chart: no problem', () => {
    const root = tempRoot();
    const build = () => lab({ extra: (c) => {
      const cm = rawComponent(c, { name: 'cert-manager', namespace: 'cert-manager' }, [certificate]);
      new ChartRelease(cm, 'chart', { chart: 'cert-manager', values: { crds: { enabled: true } } });
      cm.provide(crdGroup('cert-manager.io'));
    } });
    synthesize(build(), { root });
    const ks = parseAllDocuments(readFileSync(join(root, 'clusters/lab/cert-manager/cert-manager/ks.yaml'), 'utf8')).map((d) => d.toJSON());
    const config = ks.find((k) => k.metadata.name === 'cert-manager-config');
    expect(config.spec.dependsOn).toEqual([{ name: 'cert-manager' }]);
    expect(config.spec.path).toBe('./clusters/lab/cert-manager/cert-manager/config');
  });

  test('the same resource in a component requiring the CRD group waits for the chart: no problem', () => {
    const { problems } = run((c) => {
      const cm = rawComponent(c, { name: 'cert-manager', namespace: 'cert-manager' });
      new ChartRelease(cm, 'chart', { chart: 'cert-manager', values: { crds: { enabled: true } } });
      cm.provide(crdGroup('cert-manager.io'));
      rawComponent(c, { name: 'certs', namespace: 'web' }, [certificate]);
    });
    expect(problems.filter((p) => p.path.includes('certs'))).toEqual([]);
  });

  test('a Kustomization that gives up before the HelmRelease it waits for is an error with the timeout to set', () => {
    const { problems } = run((c) => {
      const slow = rawComponent(c, { name: 'slow', namespace: 'slow', timeout: '5m' });
      new ChartRelease(slow, 'chart', { chart: 'cert-manager', timeout: '20m', values: { crds: { enabled: true } } });
    });
    const p = problems.find((x) => x.field === 'spec.timeout');
    expect(p?.message).toContain("Kustomization 'slow' waits for HelmRelease 'slow/");
    expect(p?.message).toContain('(timeout 20m) but gives up after 5m');
    expect(p?.fix).toContain('set the component\'s timeout to at least 25m');
  });

  test('a claim on the default class from a Kustomization not waiting for the storage: a warning (it binds once the class exists)', () => {
    const { problems, warnings } = run((c) => {
      rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' }, [configMap('x')]).provide(crdGroup('postgresql.cnpg.io'));
      rawComponent(c, { name: 'db', namespace: 'db' }, [cnpgCluster('pg', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's3' } }] })]);
    });
    expect(problems).toEqual([]);
    const w = warnings.find((x) => x.code === 'first-reconcile-order:a default StorageClass');
    expect(w?.message).toContain("Kustomization 'db' applies Cluster 'db/pg', which needs a default StorageClass; StorageClass 'nfs-storage'");
    expect(w?.message).toContain("make Kustomization 'db' depend on 'nfs'");
    const declared = run((c) => {
      rawComponent(c, { name: 'cnpg', namespace: 'cnpg-system' }, [configMap('x')]).provide(crdGroup('postgresql.cnpg.io'));
      rawComponent(c, { name: 'db', namespace: 'db' }, [cnpgCluster('pg', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's3' } }] })]).require(DEFAULT_STORAGE_CLASS, 'its claims');
    });
    expect(declared.warnings.filter((x) => x.code.startsWith('first-reconcile'))).toEqual([]);
  });

  test('a component with no chart providing a CRD group counts through its own Kustomization', () => {
    const { problems } = run((c) => {
      rawComponent(c, { name: 'crds', namespace: 'kube-system' }, [configMap('crds')]).provide(crdGroup('cert-manager.io'));
      rawComponent(c, { name: 'certs', namespace: 'web' }, [certificate]);
    });
    expect(problems.filter((p) => p.field === 'apiVersion')).toEqual([]);
  });
});
