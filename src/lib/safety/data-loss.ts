import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HomelabCluster } from '../estate/cluster.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { Estate } from '../estate/estate.js';
import { listFiles } from '../output/writer.js';
import { isGenerated } from '../output/yaml.js';
import type { ClusterTree, RenderedManifest } from '../tree/tree.js';
import { claimedStorageClasses, describeObject, holdsData, identityOf, isCnpgCluster, isDefaultStorageClass, isKustomizeFile, isLonghornBackupTarget, isLonghornVolume, isPruneProtectedData, isPvc, isStatefulSetWithClaims, Manifest, objectKey } from '../tree/manifests.js';
import { Reporter } from './report.js';

/** An object of the tree on disk, with the file it is in. */
export interface OldObject {
  readonly cluster: string;
  readonly file: string;
  readonly object: Manifest;
}

/**
 * Every object of the generated files under `root/outDir` (user files are never removed, so not
 * read). Files whose content equals the new tree's (`unchanged`) are skipped: their objects are
 * in the new tree as they are, so nothing in them can be lost — a steady-state synth parses nothing.
 */
export function readOldTree(root: string, outDir: string, unchanged: ReadonlyMap<string, string> = new Map()): OldObject[] {
  const out: OldObject[] = [];
  for (const file of listFiles(root, join(root, outDir))) {
    if (!/\.ya?ml$/.test(file) || file.endsWith('.sops.yaml')) continue;
    const content = readFileSync(join(root, file), 'utf8');
    if (!isGenerated(content) || unchanged.get(file) === content) continue;
    const cluster = file.slice(outDir.length + 1).split('/')[0];
    for (const doc of parseAllDocuments(content)) {
      let object: Manifest | undefined;
      try {
        object = doc.errors.length === 0 ? doc.toJSON() : undefined;
      } catch {
        object = undefined; // a hand-broken generated file: synth rewrites it, nothing in it can be read
      }
      if (object && typeof object === 'object' && object.kind && !isKustomizeFile(object)) out.push({ cluster, file, object });
    }
  }
  return out;
}

/** One object holding data that the new tree drops. */
export interface DataLossFinding {
  readonly cluster: string;
  /** `Kind/namespace/name`: what an acknowledgement names. */
  readonly key: string;
  readonly old: OldObject;
  readonly kind: 'removed' | 'renamed' | 'moved' | 'templates-removed';
  /** Why dropping it loses data. */
  readonly why: string;
  /** The new object that looks like the old one renamed or moved. */
  readonly successor?: RenderedManifest;
}

/**
 * Compares the tree on disk with the new one, cluster by cluster, and lists every data-holding
 * object that would disappear: claims, StatefulSet claim templates, CNPG clusters, Longhorn
 * volumes and backup targets, namespaces holding any of those, and StorageClasses in use.
 */
export function findDataLoss(old: readonly OldObject[], trees: readonly ClusterTree[]): DataLossFinding[] {
  const findings: DataLossFinding[] = [];
  const clusters = [...new Set(old.map((o) => o.cluster))];
  for (const name of clusters) {
    const before = old.filter((o) => o.cluster === name);
    const tree = trees.find((t) => t.cluster.name === name);
    const after = tree ? tree.manifests.filter((m) => !isKustomizeFile(m.object)) : [];
    findings.push(...compareCluster(name, before, after));
  }
  return findings;
}

function compareCluster(cluster: string, before: OldObject[], after: RenderedManifest[]): DataLossFinding[] {
  const now = new Map(after.map((m) => [identityOf(m.object), m]));
  const was = new Set(before.map((o) => identityOf(o.object)));
  const added = after.filter((m) => !was.has(identityOf(m.object)));
  const findings: DataLossFinding[] = [];
  const dataObjects = before.filter((o) => holdsData(o.object));
  for (const o of dataObjects) {
    const current = now.get(identityOf(o.object));
    if (current) {
      if (isStatefulSetWithClaims(o.object)) {
        const kept = new Set((current.object.spec?.volumeClaimTemplates ?? []).map((t: Manifest) => t.metadata?.name));
        const gone = o.object.spec.volumeClaimTemplates.map((t: Manifest) => t.metadata?.name).filter((n: string) => !kept.has(n));
        if (gone.length > 0) {
          findings.push({ cluster, key: objectKey(o.object), old: o, kind: 'templates-removed', why: `its volumeClaimTemplates ${gone.map((n: string) => `'${n}'`).join(', ')} would go: the pods would get new, empty volumes and the old claims be orphaned` });
        }
      }
      continue;
    }
    const successor = findSuccessor(o.object, added);
    findings.push({ cluster, key: objectKey(o.object), old: o, kind: successor?.kind ?? 'removed', why: consequence(o.object), successor: successor?.m });
  }
  // Namespaces holding data (before, or still after): deleting the namespace deletes everything in it.
  const dataNamespaces = new Map<string, Manifest[]>();
  const holders = new Map([...after.map((m) => m.object), ...dataObjects.map((o) => o.object)].filter(holdsData).map((o) => [identityOf(o), o]));
  for (const o of holders.values()) if (o.metadata?.namespace) dataNamespaces.set(o.metadata.namespace, [...(dataNamespaces.get(o.metadata.namespace) ?? []), o]);
  for (const o of before.filter((x) => x.object.kind === 'Namespace' && x.object.apiVersion === 'v1')) {
    const inside = dataNamespaces.get(o.object.metadata?.name);
    if (inside && !now.has(identityOf(o.object))) {
      findings.push({ cluster, key: objectKey(o.object), old: o, kind: 'removed', why: `deleting a namespace deletes everything in it, including ${inside.map(describeObject).join(', ')}` });
    }
  }
  // StorageClasses in use by a claim before or after.
  const defaultBefore = before.find((o) => isDefaultStorageClass(o.object))?.object.metadata?.name;
  const users = new Map<string, Manifest[]>();
  for (const obj of [...dataObjects.map((o) => o.object), ...after.map((m) => m.object).filter(holdsData)]) {
    for (const sc of claimedStorageClasses(obj)) {
      const name = sc ?? defaultBefore;
      if (name) users.set(name, [...(users.get(name) ?? []).filter((u) => identityOf(u) !== identityOf(obj)), obj]);
    }
  }
  for (const o of before.filter((x) => x.object.kind === 'StorageClass' && x.object.apiVersion?.startsWith('storage.k8s.io/'))) {
    const claims = users.get(o.object.metadata?.name);
    if (claims && !now.has(identityOf(o.object))) {
      findings.push({ cluster, key: objectKey(o.object), old: o, kind: 'removed', why: `it is in use by ${claims.map(describeObject).join(', ')}: their volumes lose the class that provisions and expands them, and removing its driver strands the data` });
    }
  }
  return findings;
}

function consequence(o: Manifest): string {
  if (isPvc(o)) return 'deleting a claim releases its volume, and with reclaimPolicy Delete the data is destroyed';
  if (isCnpgCluster(o)) return 'deleting a CloudNativePG Cluster deletes its instances and their volumes: every database in it';
  if (isLonghornVolume(o)) return 'deleting a Longhorn Volume deletes its replicas: the data is gone';
  if (isLonghornBackupTarget(o)) return 'without its backup target Longhorn no longer sees or restores the backups stored there';
  if (isStatefulSetWithClaims(o)) return "the volumes of its claim templates would be orphaned, and a later StatefulSet of another name would start empty";
  return 'it holds data';
}

/** A new object of the same kind that looks like the old one under another name (or in another namespace). */
function findSuccessor(old: Manifest, added: RenderedManifest[]): { kind: 'renamed' | 'moved'; m: RenderedManifest } | undefined {
  const sameKind = added.filter((m) => m.object.kind === old.kind && m.object.apiVersion === old.apiVersion);
  const moved = sameKind.find((m) => m.object.metadata?.name === old.metadata?.name && m.object.metadata?.namespace !== old.metadata?.namespace);
  if (moved) return { kind: 'moved', m: moved };
  const candidates = sameKind
    .filter((m) => m.object.metadata?.namespace === old.metadata?.namespace)
    .map((m) => ({ m, score: similarity(old, m.object) }))
    .filter((c) => c.score >= 0.6)
    .sort((a, b) => b.score - a.score);
  return candidates[0] ? { kind: 'renamed', m: candidates[0].m } : undefined;
}

/** Share of leaf values two objects' specs have in common (names ignored). */
export function similarity(a: Manifest, b: Manifest): number {
  const la = leaves(a.spec ?? {}, '', a.metadata?.name);
  const lb = leaves(b.spec ?? {}, '', b.metadata?.name);
  const keys = new Set([...la.keys(), ...lb.keys()]);
  if (keys.size === 0) return 1;
  let same = 0;
  for (const k of keys) if (la.has(k) && la.get(k) === lb.get(k)) same++;
  return same / keys.size;
}

function leaves(v: unknown, path: string, name: string | undefined, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, name, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, name, out);
  else out.set(path, typeof v === 'string' && name && v.includes(name) ? '(name)' : JSON.stringify(v));
  return out;
}

export interface DataLossOptions {
  /** Repository root. */
  readonly root: string;
  /** Output folder under the root. */
  readonly outDir: string;
  /** Acknowledgements from the command line (`--allow-data-loss=…`), for every cluster. @default [] */
  readonly allowDataLoss?: readonly string[];
}

/**
 * The data-loss guard: every finding not acknowledged (cluster `allowDataLoss` or the CLI flag)
 * becomes a problem naming the object, why dropping it loses data, and how to confirm or undo.
 * Acknowledgements that match nothing are warned about, so they do not linger.
 */
export function checkDataLoss(estate: Estate, trees: readonly ClusterTree[], options: DataLossOptions): DataLossFinding[] {
  const files = new Map(trees.flatMap((t) => [...t.files]));
  const findings = findDataLoss(readOldTree(options.root, options.outDir, files), trees);
  const cli = new Set(options.allowDataLoss ?? []);
  const used = new Set<string>();
  const unacknowledged: DataLossFinding[] = [];
  const gone = new Map<string, DataLossFinding[]>();
  for (const f of findings) {
    const cluster = trees.find((t) => t.cluster.name === f.cluster)?.cluster;
    if (!cluster && !cli.has(removedClusterAck(f.cluster))) {
      // A removed cluster is one decision: reported once, listing what goes.
      gone.set(f.cluster, [...(gone.get(f.cluster) ?? []), f]);
      continue;
    }
    if (!cluster) continue;
    const acks = new Set([...cluster.allowDataLoss, ...cli]);
    const ack = [f.key, `${f.cluster}:${f.key}`].find((k) => acks.has(k));
    if (ack) {
      used.add(`${f.cluster}|${ack}`);
      continue;
    }
    unacknowledged.push(f);
    report(cluster, f);
  }
  for (const [name, list] of gone) {
    unacknowledged.push(...list);
    reportRemovedCluster(estate, name, list);
  }
  for (const t of trees) {
    const r = new Reporter(t.cluster);
    t.cluster.allowDataLoss.forEach((key) => {
      if (!used.has(`${t.cluster.name}|${key}`)) {
        r.warn(t.cluster, 'allow-data-loss-unused', `allowDataLoss entry '${key}' matches nothing this synth removes; delete the entry (once the removal is committed) so a later mistake is not silently accepted`);
      }
    });
  }
  return unacknowledged;
}

/** The acknowledgement that lets a whole cluster's tree go: `--allow-data-loss=Cluster/<name>`. */
export function removedClusterAck(cluster: string): string {
  return `Cluster/${cluster}`;
}

/** One problem for a cluster that left the estate with data in its tree. */
function reportRemovedCluster(estate: Estate, name: string, findings: readonly DataLossFinding[]): void {
  const objects = findings.map((f) => describeObject(f.old.object)).sort();
  Diagnostics.of(estate).problems.push({
    cluster: name,
    path: `(estate) (clusters/${name}/)`,
    field: 'clusters',
    message: `cluster '${name}' is no longer in the estate, and its tree holds data: removing it would let Flux delete ${objects.join(', ')}`,
    fix: `keep the cluster in the estate (src/clusters/index.ts), or acknowledge the whole cluster once: npm run synth -- --allow-data-loss=${removedClusterAck(name)} (decommission the cluster first: Flux on it would prune what the commit removes)`,
  });
}

function report(cluster: HomelabCluster, f: DataLossFinding): void {
  const o = f.old.object;
  const where = `allowDataLoss: ['${f.key}'] to cluster '${f.cluster}' in ${cluster.sourceFile}`;
  const confirm = `If you mean it, acknowledge it: add ${where}, or run synth with --allow-data-loss=${f.key}.`
    + (isPruneProtectedData(o) || o.kind === 'Namespace' ? ` Flux keeps it anyway (prune: disabled): after committing, back it up and delete it by hand (kubectl delete ${o.kind.toLowerCase()} ${o.metadata?.name}${o.metadata?.namespace ? ` -n ${o.metadata.namespace}` : ''}).` : '');
  let message: string;
  let fix: string;
  if (f.kind === 'renamed' || f.kind === 'moved') {
    const n = f.successor!.object;
    message = `${describeObject(o)} would be removed and ${describeObject(n)} created with the same spec: this looks like ${f.kind === 'renamed' ? 'a rename' : 'a move to another namespace'}, which Kubernetes cannot do for a ${o.kind}: the new one starts empty, ${f.why}`;
    fix = f.kind === 'renamed'
      ? `keep the old name: name it '${o.metadata?.name}' again. ${confirm}`
      : `keep it in namespace '${o.metadata?.namespace}'. ${confirm}`;
  } else if (f.kind === 'templates-removed') {
    message = `${describeObject(o)} holds data: ${f.why}`;
    fix = `keep the claim template names. ${confirm}`;
  } else {
    message = `${describeObject(o)} holds data and would be removed (it is in ${f.old.file}): ${f.why}`;
    fix = `put it back (restore the component or the object). ${confirm}`;
  }
  const field = f.kind === 'renamed' || f.kind === 'moved' ? 'metadata.name' : 'allowDataLoss';
  const site: RenderedManifest = f.successor ?? { cluster: f.cluster, file: f.old.file, path: cluster.node.path, object: o };
  new Reporter(cluster).error(site, field, message, fix);
}
