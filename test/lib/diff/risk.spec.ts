import { majorOf, tagOf } from '../../../src/lib/diff/risk.js';
import { brief, deployment, diffPlain, pvc, tree } from './support.js';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const ks = (name: string, spec: Record<string, any> = {}) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', path: `./clusters/lab/apps/${name}/app`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
});
const statefulSet = (claims: string[], extra: Record<string, any> = {}) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'demo' },
  spec: {
    serviceName: 'db', selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16.4' }] } },
    volumeClaimTemplates: claims.map((name) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })),
    ...extra,
  },
});
const crd = (versions: { name: string; served: boolean }[]) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: versions.map((v) => ({ ...v, storage: v.name === 'v1', schema: { openAPIV3Schema: { type: 'object' } } })) },
});

describe('risk classes', () => {
  test('data loss: removed PVC, Namespace, CNPG Cluster, StatefulSet with claims, pruning Kustomization, PV with reclaim Delete', async () => {
    const cnpg = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'demo' }, spec: { instances: 1, storage: { size: '1Gi' } } };
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'media' }, spec: { capacity: { storage: '1Ti' }, accessModes: ['ReadWriteMany'], persistentVolumeReclaimPolicy: 'Delete', nfs: { server: 'nas', path: '/media' } } };
    const old = tree({
      'apps/demo/ks.yaml': [ks('demo')],
      'apps/demo/app/namespace.yaml': [ns('demo')],
      'apps/demo/app/pvc.yaml': [pvc('data')],
      'apps/demo/app/cluster.yaml': [cnpg],
      'apps/demo/app/statefulset.yaml': [statefulSet(['data'])],
      'apps/demo/app/pv.yaml': [pv],
      'apps/web/app/deployment.yaml': [deployment('web')],
    });
    const r = await diffPlain(old, tree({ 'apps/web/app/deployment.yaml': [deployment('web')] }));
    const { entries, risks } = brief(r);
    expect(entries).toEqual([
      'removed lab/apps/demo//Namespace//demo',
      'removed lab/apps/demo//PersistentVolume//media',
      'removed lab/apps/demo//PersistentVolumeClaim/demo/data',
      'removed lab/apps/demo/apps/StatefulSet/demo/db',
      'removed lab/apps/demo/kustomize.toolkit.fluxcd.io/Kustomization/flux-system/demo',
      'removed lab/apps/demo/postgresql.cnpg.io/Cluster/demo/pg',
    ]);
    expect(risks.every((x) => x.startsWith('data-loss '))).toBe(true);
    expect(risks).toHaveLength(6);
    expect(risks.join('\n')).toContain('Flux Kustomization with prune: true removed: it deletes every object it applied (5 removed object(s) in this component)');
    expect(risks.join('\n')).toContain('PersistentVolume with reclaim policy Delete removed');
  });

  test('data loss on change: a claim template dropped, a PV reclaim policy turned to Delete; a retained PV removed is not a risk', async () => {
    const pv = (policy: string) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'media' }, spec: { capacity: { storage: '1Ti' }, accessModes: ['ReadWriteMany'], persistentVolumeReclaimPolicy: policy } });
    const r = await diffPlain(
      tree({ 'apps/db/app/sts.yaml': [statefulSet(['data', 'wal'])], 'apps/db/app/pv.yaml': [pv('Retain')], 'apps/db/app/pv2.yaml': [{ ...pv('Retain'), metadata: { name: 'old' } }] }),
      tree({ 'apps/db/app/sts.yaml': [statefulSet(['data'])], 'apps/db/app/pv.yaml': [pv('Delete')] }),
    );
    const { risks } = brief(r);
    expect(risks).toContain('data-loss lab/apps/db//PersistentVolume//media: PersistentVolume reclaim policy becomes Delete: releasing the claim will delete the storage');
    expect(risks.filter((x) => x.startsWith('data-loss lab/apps/db/apps/StatefulSet'))).toEqual([expect.stringContaining('volumeClaimTemplates wal removed')]);
    expect(risks.filter((x) => x.includes('PersistentVolume//old'))).toEqual([]);
  });

  test('immutable fields: selectors, claim templates, serviceName, PVC class and access modes, Service clusterIP', async () => {
    const svc = (clusterIP: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'demo' }, spec: { clusterIP, ports: [{ port: 80 }] } });
    const job = (sel: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'demo' }, spec: { selector: { matchLabels: { j: sel } }, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'busybox:1.36' }] } } } });
    const r = await diffPlain(
      tree({ 'apps/a/app/d.yaml': [deployment('web')], 'apps/a/app/s.yaml': [statefulSet(['data'])], 'apps/a/app/p.yaml': [pvc('data')], 'apps/a/app/svc.yaml': [svc('10.43.0.10')], 'apps/a/app/j.yaml': [job('a')] }),
      tree({
        'apps/a/app/d.yaml': [deployment('web', undefined, { app: 'web', tier: 'front' })],
        'apps/a/app/s.yaml': [statefulSet(['data'], { serviceName: 'db-headless', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }] })],
        'apps/a/app/p.yaml': [pvc('data', { storageClassName: 'longhorn', accessModes: ['ReadWriteMany'] })],
        'apps/a/app/svc.yaml': [svc('10.43.0.11')],
        'apps/a/app/j.yaml': [job('b')],
      }),
    );
    const immutable = brief(r).risks.filter((x) => x.startsWith('immutable ')).map((x) => x.replace(/ changes: .*/, ''));
    expect(immutable).toEqual([
      'immutable lab/apps/a//PersistentVolumeClaim/demo/data: `spec.storageClassName`',
      'immutable lab/apps/a//PersistentVolumeClaim/demo/data: `spec.accessModes`',
      'immutable lab/apps/a//Service/demo/web: `spec.clusterIP`',
      'immutable lab/apps/a/apps/Deployment/demo/web: `spec.selector`',
      'immutable lab/apps/a/apps/StatefulSet/demo/db: `spec.volumeClaimTemplates`',
      'immutable lab/apps/a/apps/StatefulSet/demo/db: `spec.serviceName`',
      'immutable lab/apps/a/batch/Job/demo/j: `spec.selector`',
    ]);
  });

  test('CRD changes: added, removed, changed, and a served version removed', async () => {
    const other = { ...crd([{ name: 'v1', served: true }]), metadata: { name: 'gadgets.example.com' } };
    const r = await diffPlain(
      tree({ 'infra/crds/crds.yaml': [crd([{ name: 'v1alpha1', served: true }, { name: 'v1', served: true }]), other] }),
      tree({ 'infra/crds/crds.yaml': [crd([{ name: 'v1alpha1', served: false }, { name: 'v1', served: true }])], 'infra/more/crds.yaml': [{ ...other, metadata: { name: 'gizmos.example.com' } }] }),
    );
    expect(brief(r).risks).toEqual([
      'crd lab/infra/apiextensions.k8s.io/CustomResourceDefinition//gadgets.example.com: CRD removed: Flux prunes it, and deleting it deletes every custom resource of its kind',
      'crd lab/infra/apiextensions.k8s.io/CustomResourceDefinition//widgets.example.com: served version(s) v1alpha1 removed: objects and clients still using them break (1 field(s) changed)',
      'crd lab/infra/more/apiextensions.k8s.io/CustomResourceDefinition//gizmos.example.com: CRD added (serves v1)',
    ]);
  });

  test('image major bumps: image references and chart tag values; minor bumps, dates and latest are not', async () => {
    const release = (tag: string) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x', namespace: 'demo' }, spec: { values: { image: { tag } } } });
    const r = await diffPlain(
      tree({ 'apps/a/app/d.yaml': [deployment('a', 'ghcr.io/x/a:v1.9.2'), deployment('b', 'b:1.2'), deployment('c', 'c:20240101'), deployment('d', 'd:latest')], 'apps/a/app/hr.yaml': [release('15.3-alpine')] }),
      tree({ 'apps/a/app/d.yaml': [deployment('a', 'ghcr.io/x/a:v2.0.0@sha256:abc'), deployment('b', 'b:1.3'), deployment('c', 'c:20250101'), deployment('d', 'd:2.0')], 'apps/a/app/hr.yaml': [release('16.4-alpine')] }),
    );
    expect(brief(r).risks).toEqual([
      'image-major lab/apps/a/apps/Deployment/demo/a: `spec.template.spec.containers[name=app].image`: ghcr.io/x/a:v1.9.2 → ghcr.io/x/a:v2.0.0@sha256:abc (major 1 → 2)',
      'image-major lab/apps/a/helm.toolkit.fluxcd.io/HelmRelease/demo/x: `spec.values.image.tag`: 15.3-alpine → 16.4-alpine (major 15 → 16)',
    ]);
    expect([tagOf('registry:5000/a/b'), tagOf('a/b:1.0@sha256:0'), majorOf('v3'), majorOf('latest'), majorOf('2024.01.01')]).toEqual(['', '1.0', 3, undefined, undefined]);
  });

  test('an object moved to another component keeps its risk, which says it is a move', async () => {
    const r = await diffPlain(tree({ 'apps/old/app/pvc.yaml': [pvc('data')] }), tree({ 'apps/new/app/pvc.yaml': [pvc('data')] }));
    expect(brief(r)).toEqual({
      entries: ['added lab/apps/new//PersistentVolumeClaim/demo/data', 'removed lab/apps/old//PersistentVolumeClaim/demo/data'],
      risks: ['data-loss lab/apps/old//PersistentVolumeClaim/demo/data: PersistentVolumeClaim removed: its volume (and, with reclaim policy Delete, its data) goes with it — but it is also added in component `apps/new` (a move between components)'],
    });
  });

  test('ordinary changes carry no risk and list their fields; unchanged objects are counted', async () => {
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo', labels: { 'app.kubernetes.io/name': v } }, data: { mode: v } });
    const r = await diffPlain(tree({ 'apps/a/app/c.yaml': [cm('a')], 'apps/a/app/d.yaml': [deployment('a')] }), tree({ 'apps/a/app/c.yaml': [cm('b')], 'apps/a/app/d.yaml': [deployment('a')] }));
    expect(r.unchanged).toBe(1);
    expect(r.entries.map((e) => [e.status, e.risks, e.fields])).toEqual([
      ['changed', [], [{ path: 'metadata.labels["app.kubernetes.io/name"]', old: 'a', new: 'b' }, { path: 'data.mode', old: 'a', new: 'b' }]],
    ]);
  });
});
