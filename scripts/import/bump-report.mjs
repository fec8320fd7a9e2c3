/**
 * The bump report: when a chart's version in import.config.mjs differs from the version imported
 * before, which of the values keys the estate sets (the HelmReleases committed under clusters/,
 * with their valuesFrom ConfigMaps) the new version no longer has, has moved (best effort: the
 * same leaf name appears elsewhere), or types differently. Compared on the values schema when
 * both versions ship one, else on the values.yaml key tree. The estate itself is not changed:
 * the report says what to look at before `npm run synth` (which validates against the new schema).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Where `npm run import` writes the report (relative to the repository root). */
export const REPORT_FILE = 'dist/import-report.md';

const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));

/** The string or undefined value of one `  field: '…',` line of a chart constant in charts.ts. */
function fieldOf(block, field) {
  const m = new RegExp(`^  ${field}: (?:'((?:[^'\\\\]|\\\\.)*)'|undefined),$`, 'm').exec(block);
  return m?.[1]?.replace(/\\(.)/g, '$1');
}

/**
 * What imports/ holds per chart: the charts.ts entry (version, appVersion, kubeVersion, values
 * mode), the key tree and the bundled values schema. Empty when nothing was imported yet.
 * @returns {Map<string, { info: object, keys: unknown, schema?: object }>}
 */
export function readImportedCharts(importsDir) {
  const out = new Map();
  const file = path.join(importsDir, 'charts.ts');
  if (!fs.existsSync(file)) return out;
  const text = fs.readFileSync(file, 'utf8');
  for (const [block] of text.matchAll(/^export const \w+: HelmChartInfo = \{\n[\s\S]*?\n\};$/gm)) {
    const name = fieldOf(block, 'name');
    if (!name) continue;
    const info = { name, version: fieldOf(block, 'version'), appVersion: fieldOf(block, 'appVersion'), kubeVersion: fieldOf(block, 'kubeVersion'), values: fieldOf(block, 'values') };
    const dir = path.join(importsDir, 'charts', name);
    const keysFile = path.join(dir, 'values-keys.json');
    const schemaFile = path.join(dir, 'values.schema.json');
    out.set(name, {
      info,
      keys: fs.existsSync(keysFile) ? readJson(keysFile).keys : 'map',
      ...(fs.existsSync(schemaFile) ? { schema: readJson(schemaFile) } : {}),
    });
  }
  return out;
}

/**
 * readImportedCharts of the imports/ committed at ref (default HEAD), so the report compares with
 * what the repository holds, not with the previous run: running the import twice after a bump
 * reports the bump both times. Undefined when root is no git checkout or ref has no imports/.
 */
export function readCommittedCharts(root, ref = 'HEAD') {
  const archive = spawnSync('git', ['archive', '--format=tar', ref, '--', 'imports/charts.ts', 'imports/charts'], { cwd: root, maxBuffer: 1 << 30 });
  if (archive.status !== 0) return undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-committed-'));
  try {
    const untar = spawnSync('tar', ['-x', '-C', tmp], { input: archive.stdout });
    if (untar.status !== 0) return undefined;
    return readImportedCharts(path.join(tmp, 'imports'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every .yaml/.yml file below dir, sorted. */
function yamlFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges b into a (maps deeply, everything else replaced), as Helm merges values layers. */
function mergeValues(a, b) {
  if (!isObject(a) || !isObject(b)) return b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeValues(out[k], v) : v;
  return out;
}

/** The value at a dotted Helm targetPath, nested (`a.b` -> { a: { b: value } }). */
function atTargetPath(targetPath, value) {
  return targetPath.split('.').reverse().reduce((acc, k) => ({ [k]: acc }), value);
}

/**
 * The values every HelmRelease of the estate sets, by chart name: spec.values over its valuesFrom
 * ConfigMaps (Secrets are not readable here). The chart is spec.chart.spec.chart, or the chart
 * an OCIRepository/HelmChart chartRef points at (an OCI URL's last path segment).
 * @returns {Map<string, { file: string, values: object }[]>}
 */
export function estateValues(clustersDir) {
  const docs = [];
  for (const file of yamlFiles(clustersDir)) {
    for (const d of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (d.errors.length) continue;
      const obj = d.toJS();
      if (isObject(obj) && typeof obj.kind === 'string') docs.push({ file: path.relative(path.dirname(clustersDir), file).split(path.sep).join('/'), obj });
    }
  }
  const find = (kind, ns, name) => docs.find((d) => d.obj.kind === kind && d.obj.metadata?.name === name && (d.obj.metadata?.namespace ?? ns) === ns)?.obj;
  const out = new Map();
  for (const { file, obj } of docs) {
    if (obj.kind !== 'HelmRelease') continue;
    const ns = obj.metadata?.namespace;
    const ref = obj.spec?.chartRef;
    let chart = obj.spec?.chart?.spec?.chart;
    if (!chart && ref?.kind === 'OCIRepository') chart = String(find('OCIRepository', ref.namespace ?? ns, ref.name)?.spec?.url ?? '').split('/').pop() || undefined;
    if (!chart && ref?.kind === 'HelmChart') chart = find('HelmChart', ref.namespace ?? ns, ref.name)?.spec?.chart;
    if (!chart) continue;
    let values = {};
    for (const vf of obj.spec?.valuesFrom ?? []) {
      if (vf.kind !== 'ConfigMap') continue;
      const text = find('ConfigMap', ns, vf.name)?.data?.[vf.valuesKey ?? 'values.yaml'];
      if (text === undefined) continue;
      const layer = vf.targetPath ? atTargetPath(vf.targetPath, text) : parseAllDocuments(text)[0]?.toJS() ?? {};
      values = mergeValues(values, layer);
    }
    values = mergeValues(values, obj.spec?.values ?? {});
    if (!out.has(chart)) out.set(chart, []);
    out.get(chart).push({ file, values });
  }
  return out;
}

/** JSON type of a value as JSON schema names it. */
function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

/**
 * Every key path a values object sets (maps descended, list items as `[]`), with the JSON type
 * of the value there. Paths are arrays of segments.
 */
export function valuePaths(values, prefix = []) {
  const out = [];
  if (isObject(values)) {
    for (const k of Object.keys(values).sort()) {
      out.push({ path: [...prefix, k], type: jsonType(values[k]) });
      out.push(...valuePaths(values[k], [...prefix, k]));
    }
  } else if (Array.isArray(values)) {
    for (const item of values) if (isObject(item)) out.push(...valuePaths(item, [...prefix, '[]']));
  }
  return out;
}

// ---- lookups: what an old or new import says about one path ----

/** A lookup result: the path is absent, free-form (anything goes), or present with known types. */
const ABSENT = { status: 'absent' };
const FREE = { status: 'free' };

/** Key-tree leaf types as JSON types ('scalar'/'any' say nothing). */
const TREE_TYPES = { string: ['string'], number: ['integer', 'number'], boolean: ['boolean'], list: ['array'], map: ['object'] };

/** Looks a path up in a values-keys.json key tree. */
export function treeLookup(tree, p) {
  let node = tree;
  for (const seg of p) {
    if (!isObject(node)) return FREE;
    if (!Object.prototype.hasOwnProperty.call(node, seg)) return ABSENT;
    node = node[seg];
  }
  if (isObject(node)) return { status: 'present', types: ['object'] };
  return { status: 'present', types: TREE_TYPES[node] ?? [] };
}

/** Every subschema a bundled schema defines with an $id, so $refs to them resolve. */
function idIndex(root) {
  const ids = new Map();
  const visit = (s) => {
    if (Array.isArray(s)) return s.forEach(visit);
    if (!isObject(s)) return;
    if (typeof s.$id === 'string') ids.set(s.$id.replace(/#$/, ''), s);
    Object.values(s).forEach(visit);
  };
  visit(root);
  return ids;
}

/** Resolves a JSON pointer fragment (`#/definitions/x`) inside doc. */
function pointer(doc, frag) {
  let node = doc;
  for (const raw of frag.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    node = node?.[decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/**
 * The alternatives a schema node stands for after $ref and allOf/anyOf/oneOf/then/else are
 * expanded (best effort: enough to see properties and types, not full validation semantics).
 */
function expand(s, root, ids, depth = 0) {
  if (s === true || s === undefined) return [true];
  if (!isObject(s) || depth > 40) return [];
  const out = [s];
  if (typeof s.$ref === 'string') {
    const [base, frag = ''] = s.$ref.split('#');
    const doc = base ? ids.get(base) : root;
    const target = doc && (frag ? pointer(doc, `#${frag}`) : doc);
    out.push(...(target ? expand(target, base ? doc : root, ids, depth + 1) : [true]));
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const sub of s[k] ?? []) out.push(...expand(sub, root, ids, depth + 1));
  for (const k of ['then', 'else']) if (s[k]) out.push(...expand(s[k], root, ids, depth + 1));
  return out;
}

/** The child schemas of one segment below a set of alternatives, or FREE. */
function childSchemas(alts, seg) {
  const children = [];
  let free = false;
  for (const a of alts) {
    if (a === true) {
      free = true;
      continue;
    }
    if (seg === '[]') {
      if (isObject(a.items)) children.push(a.items);
      else if (a.type === 'array' || a.items === true) free = true;
      continue;
    }
    if (a.properties && Object.prototype.hasOwnProperty.call(a.properties, seg)) children.push(a.properties[seg]);
    for (const [re, sub] of Object.entries(a.patternProperties ?? {})) if (new RegExp(re, 'u').test(seg)) children.push(sub);
    if (isObject(a.additionalProperties)) children.push(a.additionalProperties);
    else if (a.additionalProperties === true || a['x-kubernetes-preserve-unknown-fields'] === true) free = true;
  }
  // An object nobody closed accepts any key: free, unless some alternative lists the key.
  const closedSomewhere = alts.some((a) => a !== true && a.additionalProperties === false);
  const lists = alts.some((a) => a !== true && (a.properties || a.patternProperties || isObject(a.additionalProperties)));
  if (!children.length && !closedSomewhere && (!lists || seg === '[]')) free = true;
  if (children.length) return { children };
  return free ? FREE : ABSENT;
}

/** Types a set of alternatives declares (union; empty = unknown). */
function typesOf(alts) {
  const types = new Set();
  for (const a of alts) {
    if (a === true) return [];
    const t = a.type;
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) t.forEach((x) => types.add(x));
  }
  if (types.has('number')) types.add('integer');
  return [...types].sort();
}

/** Looks a path up in a bundled values schema. */
export function schemaLookup(schema, p) {
  const ids = idIndex(schema);
  let alts = expand(schema, schema, ids);
  for (const seg of p) {
    const r = childSchemas(alts, seg);
    if (r === FREE || r === ABSENT) return r;
    alts = r.children.flatMap((c) => expand(c, schema, ids));
  }
  return { status: 'present', types: typesOf(alts) };
}

/** Every key path a key tree defines (for rename guesses). */
function treePaths(tree, prefix = []) {
  if (!isObject(tree)) return [];
  return Object.keys(tree).flatMap((k) => [[...prefix, k], ...treePaths(tree[k], [...prefix, k])]);
}

/** Every property path a schema lists, to a bounded depth (for rename guesses). */
function schemaPaths(schema, maxDepth = 8) {
  const ids = idIndex(schema);
  const out = [];
  const walk = (alts, prefix, seen) => {
    if (prefix.length >= maxDepth) return;
    for (const a of alts) {
      if (a === true || seen.has(a)) continue;
      for (const k of Object.keys(a.properties ?? {})) {
        out.push([...prefix, k]);
        walk(expand(a.properties[k], schema, ids), [...prefix, k], new Set([...seen, a]));
      }
    }
  };
  walk(expand(schema, schema, ids), [], new Set());
  return out;
}

/** A key path as written in the report: `a.b`, list items as `a[].b`. */
const fmt = (p) => p.join('.').replace(/\.\[\]/g, '[]');

/** Number of equal leading segments of two paths. */
function commonPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The rename candidates most like the removed path (shared leading and trailing segments, similar
 * depth), formatted and sorted: `hubble.relay.enabled` -> `hubble.relayServer.enabled` rather than
 * every other `…enabled` the new version added.
 */
function closest(p, candidates) {
  const score = (c) => commonPrefix(p, c) + commonPrefix([...p].reverse(), [...c].reverse()) - Math.abs(p.length - c.length) / 2;
  const best = Math.max(...candidates.map(score));
  return candidates.filter((c) => score(c) === best).map(fmt).sort();
}

/**
 * The changes of one chart's bump for the given estate paths.
 * @param {{ keys: unknown, schema?: object }} oldImport
 * @param {{ keys: unknown, schema?: object }} newImport
 * @param {{ path: string[], type: string, file: string }[]} used
 */
export function compareChart(oldImport, newImport, used) {
  const bySchema = Boolean(oldImport.schema && newImport.schema);
  const lookup = (imp, p) => (bySchema ? schemaLookup(imp.schema, p) : treeLookup(imp.keys, p));
  const newPaths = () => (bySchema ? schemaPaths(newImport.schema) : treePaths(newImport.keys));
  let candidates;
  const changes = [];
  const removedPrefixes = [];
  const seen = new Set();
  for (const u of used) {
    const key = fmt(u.path);
    if (seen.has(key)) continue;
    seen.add(key);
    const underRemoved = removedPrefixes.some((r) => key.startsWith(`${r}.`));
    const before = lookup(oldImport, u.path);
    const after = underRemoved ? ABSENT : lookup(newImport, u.path);
    if (before.status === 'absent') continue; // the estate set it before the bump already: synth's concern, not the bump's
    if (after.status === 'absent') {
      candidates ??= newPaths();
      const leaf = u.path[u.path.length - 1];
      const moved = closest(u.path, candidates.filter((c) => c[c.length - 1] === leaf && fmt(c) !== key && lookup(oldImport, c).status !== 'present'));
      // Below a removed key only the moved ones are worth a row (the rest went with their parent).
      if (underRemoved && !moved.length) continue;
      changes.push({ key, change: moved.length ? 'renamed' : 'removed', detail: moved.length ? `now ${moved.slice(0, 3).map((m) => `\`${m}\``).join(', ')}?` : 'no longer in the values', files: [u.file] });
      if (!underRemoved) removedPrefixes.push(key);
      continue;
    }
    if (before.status === 'present' && after.status === 'present' && before.types.length && after.types.length && before.types.join() !== after.types.join()) {
      const accepted = after.types.includes(u.type) || (u.type === 'integer' && after.types.includes('number'));
      changes.push({ key, change: 'type changed', detail: `${before.types.join('|')} → ${after.types.join('|')}; the estate sets ${/^[aeiou]/.test(u.type) ? 'an' : 'a'} ${u.type}${accepted ? ' (still accepted)' : ' (no longer accepted)'}`, files: [u.file] });
    }
  }
  // One row per key, listing every file that sets it.
  for (const c of changes) c.files = [...new Set(used.filter((u) => fmt(u.path) === c.key).map((u) => u.file))].sort();
  return { by: bySchema ? 'values schema' : 'values.yaml key tree', changes: changes.sort((a, b) => a.key.localeCompare(b.key)) };
}

/**
 * The report of every chart whose version changed between two imports, as Markdown; undefined
 * when no version changed.
 * @param {Map<string, object>} before  readImportedCharts before the import
 * @param {Map<string, object>} after   readImportedCharts after it
 */
export function bumpReport(before, after, clustersDir) {
  const bumped = [...after.keys()].sort().filter((n) => before.has(n) && before.get(n).info.version !== after.get(n).info.version);
  const added = [...after.keys()].sort().filter((n) => !before.has(n));
  const removed = [...before.keys()].sort().filter((n) => !after.has(n));
  if (!bumped.length && !added.length && !removed.length) return undefined;
  const estate = estateValues(clustersDir);
  const lines = ['# npm run import: chart version changes', ''];
  lines.push('Values keys the estate sets (clusters/**: HelmRelease spec.values and valuesFrom ConfigMaps) that the new chart version removed, moved or types differently. Review them, then run `npm run synth`.', '');
  for (const name of bumped) {
    const releases = estate.get(name) ?? [];
    const used = releases.flatMap((r) => valuePaths(r.values).map((p) => ({ ...p, file: r.file })));
    const { by, changes } = compareChart(before.get(name), after.get(name), used);
    lines.push(`## ${name} ${before.get(name).info.version} → ${after.get(name).info.version}`, '');
    if (!releases.length) {
      lines.push('No HelmRelease of the estate uses this chart.', '');
      continue;
    }
    const keys = new Set(used.map((u) => fmt(u.path))).size;
    lines.push(`Compared on the ${by}; ${keys} key(s) set by ${releases.length} HelmRelease(s).`, '');
    if (!changes.length) {
      lines.push('None of them changed.', '');
      continue;
    }
    lines.push('| Key | Change | Detail | Set in |', '|---|---|---|---|');
    const cell = (text) => text.replace(/\|/g, '\\|');
    for (const c of changes) lines.push(`| \`${c.key}\` | ${c.change} | ${cell(c.detail)} | ${c.files.join(', ')} |`);
    lines.push('');
  }
  if (added.length) lines.push(`New charts: ${added.map((n) => `${n} ${after.get(n).info.version}`).join(', ')}.`, '');
  if (removed.length) lines.push(`Charts no longer imported: ${removed.map((n) => `${n} ${before.get(n).info.version}`).join(', ')}.`, '');
  return lines.join('\n');
}
