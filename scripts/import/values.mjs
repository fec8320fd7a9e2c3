/**
 * Step 1d: what validateHelmValues checks chart values against, for every chart:
 *  - imports/charts/<chart>/values.schema.json — the chart's own schema when it ships one,
 *    bundled into one self-contained file (app-template's $refs to common/schemas/*.json
 *    are embedded under "definitions" with their $id, so nothing is fetched or read later);
 *  - imports/charts/<chart>/values-defaults.json — the chart's default values (schema charts:
 *    Helm validates the defaults merged with the user's values, so required keys with
 *    defaults are satisfied);
 *  - imports/charts/<chart>/values-keys.json — the key tree of values.yaml (for charts
 *    without schema this is what is checked; for the others it only feeds suggestions).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { newAjv, dialectOf } from './ajv.mjs';
import { fixGoPatterns } from './go-regexp.mjs';
import { commentedKeys } from './values-comments.mjs';
import { clone, jsonComment, sharedRel, toJson, walkSchema, writeImport } from './util.mjs';

/** Every file below dir (recursive), sorted, as absolute paths. */
function filesBelow(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(p));
    else out.push(p);
  }
  return out;
}

/** Reads a JSON file. */
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));

/**
 * Maps the $id (explicit, or derived from the nearest values.schema.json $id above it) of
 * every JSON schema file of a chart folder to that file.
 */
function schemaFilesById(dir) {
  const byId = new Map();
  const files = filesBelow(dir).filter((f) => f.endsWith('.json'));
  const bases = new Map();
  for (const f of files) {
    if (path.basename(f) !== 'values.schema.json') continue;
    const id = readJson(f).$id;
    if (id) bases.set(path.dirname(f), id);
  }
  for (const f of files) {
    let id = readJson(f).$id;
    for (let d = path.dirname(f); !id && d.startsWith(dir); d = path.dirname(d)) {
      if (bases.has(d)) id = new URL(path.relative(d, f).split(path.sep).join('/'), bases.get(d)).href;
    }
    if (id) byId.set(id.replace(/#$/, ''), f);
  }
  return byId;
}

/** Non-local $ref targets (without fragment) below a schema, resolved against base. */
function externalRefs(schema, base) {
  const refs = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
      refs.add(new URL(node.$ref, base ?? 'file:///').href.replace(/#.*$/, ''));
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(schema);
  return [...refs].sort();
}

/**
 * Returns the chart's values schema with every external $ref embedded (as a definition
 * carrying its $id), and the list of files used.
 */
export function bundleValuesSchema(chartDir) {
  const rootFile = path.join(chartDir, 'values.schema.json');
  const root = readJson(rootFile);
  const byId = schemaFilesById(chartDir);
  const used = [rootFile];
  const embedded = {};
  const pending = externalRefs(root, root.$id);
  const seen = new Set();
  while (pending.length) {
    const id = pending.shift();
    if (seen.has(id) || id === root.$id) continue;
    seen.add(id);
    const file = byId.get(id);
    if (!file) throw new Error(`${rootFile}: $ref ${id} is not a file of the chart folder (no network here)`);
    const sub = readJson(file);
    const { $schema: _s, ...body } = sub;
    embedded[path.relative(chartDir, file).split(path.sep).join('/')] = { $id: id, ...body };
    used.push(file);
    pending.push(...externalRefs(sub, id));
  }
  if (Object.keys(embedded).length === 0) return { schema: root, used };
  const defsKey = dialectOf(root) === '2020' ? '$defs' : 'definitions';
  const sorted = Object.fromEntries(Object.keys(embedded).sort().map((k) => [k, embedded[k]]));
  return {
    schema: { ...root, $schema: root.$schema ?? 'http://json-schema.org/draft-07/schema#', [defsKey]: { ...(root[defsKey] ?? {}), ...sorted } },
    used,
  };
}

/** Every values.yaml of the chart folder (the chart's own first), parsed, with its text. */
function defaultValues(chartDir) {
  return filesBelow(chartDir)
    .filter((f) => path.basename(f) === 'values.yaml')
    .sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || a.localeCompare(b))
    .map((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return { file: f, text, values: parse(text) ?? {} };
    });
}

/** True when the schema's authors closed objects themselves somewhere. */
function declaresClosedObjects(schema) {
  let found = false;
  walkSchema(schema, (s) => {
    if (s.additionalProperties === false) found = true;
  });
  return found;
}

/** Keywords that bring in properties from elsewhere: an object using them is not closed. */
const COMPOSING = ['$ref', 'allOf', 'anyOf', 'oneOf', 'if', 'patternProperties', 'dependencies', 'dependentSchemas', 'unevaluatedProperties'];

/**
 * Closes the open objects of a schema whose authors never closed any (a schema generated
 * from values.yaml, like cilium's, lets every typo through otherwise), then reopens every
 * object the chart's own default values would then fail on. Returns how many stay closed.
 */
export function strictify(schema, defaults) {
  const closed = new Set();
  walkSchema(schema, (s, ctx) => {
    if (ctx.inJunctor || !s.properties || 'additionalProperties' in s) return;
    if (COMPOSING.some((k) => k in s) || s['x-kubernetes-preserve-unknown-fields'] === true) return;
    s.additionalProperties = false;
    closed.add(s);
  });
  let reopenedTotal = 0;
  for (let round = 0; round < 50; round++) {
    const ajv = newAjv(dialectOf(schema), { verbose: true });
    const validate = ajv.compile(schema);
    let reopened = 0;
    for (const { values } of defaults) {
      if (validate(values)) continue;
      for (const e of validate.errors ?? []) {
        if (e.keyword !== 'additionalProperties' || !closed.has(e.parentSchema)) continue;
        delete e.parentSchema.additionalProperties;
        closed.delete(e.parentSchema);
        reopened++;
      }
    }
    reopenedTotal += reopened;
    if (!reopened) return { closed: closed.size, reopened: reopenedTotal };
  }
  throw new Error('strictify did not converge');
}

/**
 * Keys whose value charts pass through to a Kubernetes object (with toYaml): their defaults
 * show a few fields of a much larger Kubernetes type, so they are free-form, not closed.
 */
const PASS_THROUGH = new Set([
  'affinity', 'annotations', 'commonAnnotations', 'commonLabels', 'containerSecurityContext', 'dnsConfig',
  'env', 'envFrom', 'extraArgs', 'extraEnv', 'extraVolumeMounts', 'extraVolumes', 'labels', 'lifecycle',
  'livenessProbe', 'nodeSelector', 'podAnnotations', 'podLabels', 'podSecurityContext', 'readinessProbe',
  'resources', 'rollingUpdate', 'securityContext', 'startupProbe', 'strategy', 'tolerations',
  'topologySpreadConstraints', 'updateStrategy', 'volumeMounts', 'volumes',
]);

/**
 * The key tree of values: nested maps stay maps; leaves record a type. "map" (an empty map
 * or a PASS_THROUGH key) and "list" mark free-form subtrees, "any" a null default, "scalar"
 * an empty-string placeholder (string, number or boolean accepted).
 */
export function keyTree(value, key = '') {
  if (value === null || value === undefined) return 'any';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0 || PASS_THROUGH.has(key)) return 'map';
    return Object.fromEntries(keys.sort().map((k) => [k, keyTree(value[k], k)]));
  }
  if (value === '') return 'scalar';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'any';
}

/** Adds commented-out keys (values-comments.mjs) to a key tree as "any", in place. */
function addCommentedKeys(tree, paths) {
  for (const p of paths) {
    let node = tree;
    for (const k of p.slice(0, -1)) node = typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, k) ? node[k] : undefined;
    const key = p[p.length - 1];
    if (node && typeof node === 'object' && !Object.prototype.hasOwnProperty.call(node, key)) node[key] = 'any';
  }
  return sortTree(tree);
}

/** Sorts the keys of a key tree (recursively), so output does not depend on insertion order. */
function sortTree(tree) {
  if (typeof tree !== 'object') return tree;
  return Object.fromEntries(Object.keys(tree).sort().map((k) => [k, sortTree(tree[k])]));
}

/** Merges key trees (for charts whose defaults come from several values.yaml). */
function mergeTrees(a, b) {
  if (typeof a !== 'object') return typeof b === 'object' ? b : a;
  if (typeof b !== 'object') return a;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeTrees(out[k], v) : v;
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/**
 * The top-level values keys that configure a subchart (Chart.yaml dependencies, by alias or
 * name), sorted. Their values.yaml files are not staged (stage.mjs keeps library sub-charts only), so the key check knows only
 * the keys the parent chart sets below them and lets the others through.
 */
function subchartKeys(chartDir) {
  const chart = parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) ?? {};
  return [...new Set((chart.dependencies ?? []).map((d) => String(d.alias ?? d.name)))].sort();
}

/** Charts whose schema is used as published even though it never closes an object. */
const SCHEMA_AS_PUBLISHED = new Set([]);

/**
 * Writes values.schema.json (schema charts) and values-keys.json (every chart).
 * @param {import('./charts.mjs').ChartInfo[]} charts
 * @returns {{ name: string, schema?: object, sources?: string[] }[]}
 */
export function writeChartValues(charts) {
  const out = [];
  for (const c of charts) {
    const defaults = defaultValues(c.dir);
    const valuesFiles = defaults.map((d) => sharedRel(d.file));
    let tree = 'map';
    for (const d of defaults) {
      const own = keyTree(d.values);
      const withComments = typeof own === 'object' ? addCommentedKeys(own, commentedKeys(d.text)) : own;
      tree = tree === 'map' ? withComments : mergeTrees(tree, withComments);
    }
    if (tree === 'any') tree = 'map';
    const subcharts = subchartKeys(c.dir);
    const keysFile = { $comment: jsonComment(valuesFiles), chart: c.name, version: c.version, keys: tree };
    writeImport(`charts/${c.name}/values-keys.json`, toJson(subcharts.length ? { ...keysFile, subcharts } : keysFile));
    if (c.values !== 'schema') {
      out.push({ name: c.name });
      continue;
    }
    const { schema: published, used } = bundleValuesSchema(c.dir);
    const schema = clone(published);
    const dropped = fixGoPatterns(schema);
    if (dropped.length) throw new Error(`${c.name}: patterns JavaScript cannot express: ${dropped.join(', ')}`);
    let note = 'as published';
    if (!declaresClosedObjects(schema) && !SCHEMA_AS_PUBLISHED.has(c.name)) {
      const n = strictify(schema, defaults);
      note = `strict: the published schema closes no object, so ${n.closed} objects that list properties were closed (additionalProperties: false); ${n.reopened} more were left open because the chart's own default values use keys they do not list`;
    }
    const { $comment: _c, ...rest } = schema;
    const text = { $comment: `${jsonComment(used.map(sharedRel))} Bundled (${note}).`, ...rest };
    writeImport(`charts/${c.name}/values.schema.json`, toJson(text));
    const own = defaults.find((d) => path.dirname(d.file) === c.dir);
    writeImport(`charts/${c.name}/values-defaults.json`, toJson({ $comment: jsonComment(own ? [sharedRel(own.file)] : []), values: own?.values ?? {} }));
    out.push({ name: c.name, schema: text, sources: used.map(sharedRel) });
  }
  return out;
}
