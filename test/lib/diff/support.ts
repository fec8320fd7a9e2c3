import { stringify } from 'yaml';
import type { DiffResult } from '../../../src/lib/diff/compare.js';
import { diffTrees } from '../../../src/lib/diff/cli.js';
import { helm, MIRROR } from '../render/support.js';
import { tempRoot } from '../../helpers.js';

type Manifest = Record<string, any>;

/** A tree of files from `path → objects` (paths cluster-relative, in cluster `lab`). */
export function tree(files: Record<string, Manifest[]>, cluster = 'lab'): Map<string, string> {
  return new Map(Object.entries(files).map(([p, docs]) => [`clusters/${cluster}/${p}`, docs.map((d) => stringify(d)).join('---\n')]));
}

/** Diffs two in-memory trees without rendering. */
export async function diffPlain(a: Map<string, string>, b: Map<string, string>): Promise<DiffResult> {
  const r = await diffTrees(a, b, { fromLabel: 'old', toLabel: 'new', clusters: [], render: false, helm: undefined, cacheDir: tempRoot('diff-cache-'), contextOf: () => ({ kubeVersion: 'v1.32.0', apiVersions: [] }) });
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** Diffs two in-memory trees, rendering their HelmReleases with the test charts. */
export async function diffRendered(a: Map<string, string>, b: Map<string, string>, cacheDir = tempRoot('diff-cache-')): Promise<DiffResult> {
  const r = await diffTrees(a, b, { fromLabel: 'old', toLabel: 'new', clusters: [], render: true, helm: helm(), mirror: MIRROR, cacheDir, concurrency: 2, contextOf: () => ({ kubeVersion: 'v1.32.0', apiVersions: [] }) });
  if (typeof r === 'string') throw new Error(r);
  return r;
}


export const pvc = (name: string, spec: Manifest = {}): Manifest => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'demo' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local', resources: { requests: { storage: '1Gi' } }, ...spec },
});

export function deployment(name: string, image = 'ghcr.io/example/app:1.2.3', selector: Manifest = { app: name }): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'demo' },
    spec: { selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { containers: [{ name: 'app', image }] } } },
  };
}

/** A short summary of the result: `status key` lines and `class: message` risk lines. */
export function brief(r: DiffResult): { entries: string[]; risks: string[] } {
  return {
    entries: r.entries.map((e) => `${e.status} ${e.key}`),
    risks: r.entries.flatMap((e) => e.risks.map((x) => `${x.class} ${e.key}: ${x.message}`)),
  };
}
