import { parse, parseAllDocuments } from 'yaml';
import { buildEstate } from '../../src/clusters/index.js';
import { synthesize } from '../../src/lib/synth/synth.js';
import { readTree, tempRoot } from '../helpers.js';

const root = tempRoot('prox-');
synthesize(buildEstate(), { root });
const tree = readTree(root);
const base = 'clusters/prox-n100';
const doc = (path: string) => parse(tree.get(`${base}/${path}`)!);
const docs = (path: string) => parseAllDocuments(tree.get(`${base}/${path}`)!).map((d) => d.toJSON());

describe('prox-n100 (seed 004)', () => {
  test('exactly three Flux Kustomizations flux-system → platform → apps, every 5 minutes, pruning, health-checked', () => {
    const [, root] = docs('flux/gotk-sync.yaml');
    const platform = doc('flux/platform.yaml');
    const apps = doc('flux/apps.yaml');
    const all = [root, platform, apps];
    expect(all.map((k) => k.metadata.name)).toEqual(['flux-system', 'platform', 'apps']);
    expect(all.map((k) => k.spec.path)).toEqual(['./clusters/prox-n100/flux', './clusters/prox-n100/platform', './clusters/prox-n100/apps']);
    expect(all.map((k) => k.spec.dependsOn?.map((d: any) => d.name))).toEqual([undefined, ['flux-system'], ['platform']]);
    expect(all.map((k) => k.spec.interval)).toEqual(['5m', '5m', '5m']);
    expect(all.every((k) => k.spec.prune === true)).toBe(true);
    expect([platform.spec.wait, apps.spec.wait]).toEqual([true, true]);
    expect(all.map((k) => k.spec.sourceRef)).toEqual(Array(3).fill({ kind: 'GitRepository', name: 'flux-system' }));
    const kustomizations = [...tree.values()].flatMap((c) => parseAllDocuments(c).map((d) => d.toJSON()))
      .filter((o) => o?.kind === 'Kustomization' && o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1');
    expect(kustomizations).toHaveLength(3);
  });

  test('classic bootstrap: synth writes the sync objects, not gotk-components.yaml', () => {
    const [repo] = docs('flux/gotk-sync.yaml');
    expect(repo).toMatchObject({ kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { ref: { branch: 'main' } } });
    expect(tree.has(`${base}/flux/gotk-components.yaml`)).toBe(false);
    expect(doc('flux/kustomization.yaml').resources).toEqual(['gotk-sync.yaml', 'platform.yaml', 'apps.yaml']);
  });

  test('NFS: csi-driver-nfs HelmRelease in nfs-provisioner, nfs-storage default StorageClass with Retain', () => {
    const sc = doc('platform/storage/nfs/storageclass.yaml');
    expect(sc.metadata).toEqual({ name: 'nfs-storage', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } });
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(sc.provisioner).toBe('nfs.csi.k8s.io');
    const hr = doc('platform/storage/nfs/helmrelease.yaml');
    expect(hr.metadata.namespace).toBe('nfs-provisioner');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'csi-driver-nfs', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(hr.spec.values.controller.replicas).toBe(2);
    const ns = doc('platform/storage/nfs/namespace.yaml');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(doc('platform/kustomization.yaml').resources).toContain('storage/nfs');
  });

  test('snapshot of the generated tree', () => {
    expect(Object.fromEntries([...tree].filter(([p]) => p.startsWith(base)))).toMatchSnapshot();
  });
});
