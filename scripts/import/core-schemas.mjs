/**
 * Structural schemas for every Kubernetes kind the kubernetes-models package has.
 *
 * kubernetes-models ships precompiled validators that check types, formats and required
 * fields but let unknown fields through. To be strict like kubeconform, this step reads the
 * package's own type declarations (the same API version as its validators) with the
 * TypeScript compiler and writes one JSON schema per type (closed objects, required
 * fields, basic types) into imports/schemas/k8s/definitions.json, plus an index of kinds
 * naming the kubernetes-models validator module of each.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { assertKnownKeywords } from './keywords.mjs';
import { REPO_ROOT, jsonComment, listSorted, toJson, writeImport } from './util.mjs';

const MODELS = path.join(REPO_ROOT, 'node_modules', 'kubernetes-models');
const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

/**
 * @typedef {object} CoreKind
 * @property {string} apiVersion
 * @property {string} kind
 * @property {string} dts      absolute path of the model's .d.ts
 * @property {string} module   kubernetes-models/_schemas/<module> holds its validator
 */

/** Lists every top-level kind (a model with static apiVersion and kind) in kubernetes-models. */
export function scanCoreKinds() {
  /** @type {CoreKind[]} */
  const kinds = [];
  const versionDirs = [];
  for (const g of listSorted(MODELS)) {
    const dir = path.join(MODELS, g);
    if (g.startsWith('_') || !fs.statSync(dir).isDirectory()) continue;
    if (g === 'v1') versionDirs.push(dir);
    else for (const v of listSorted(dir)) if (fs.statSync(path.join(dir, v)).isDirectory()) versionDirs.push(path.join(dir, v));
  }
  for (const dir of versionDirs) {
    for (const f of listSorted(dir)) {
      if (!f.endsWith('.js') || f === 'index.js') continue;
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      const kind = src.match(/this\.kind="([^"]+)"/)?.[1];
      const apiVersion = src.match(/this\.apiVersion="([^"]+)"/)?.[1];
      const module = src.match(/_schemas\/([A-Za-z0-9]+)\.js/)?.[1];
      if (!kind || !apiVersion || !module) continue;
      kinds.push({ apiVersion, kind, module, dts: path.join(dir, f.replace(/\.js$/, '.d.ts')) });
    }
  }
  return kinds;
}

/** Definition name of a declared interface: its folder below the package plus the type name. */
function definitionName(decl, name) {
  const rel = path.relative(NODE_MODULES, decl.getSourceFile().fileName).split(path.sep);
  const pkg = rel[0].startsWith('@') ? rel.slice(0, 2) : rel.slice(0, 1);
  const dirs = rel.slice(pkg.length, -1);
  const prefix = pkg.join('/') === 'kubernetes-models' ? [] : [pkg[pkg.length - 1]];
  return [...prefix, ...dirs, name.replace(/^I(?=[A-Z])/, '')].join('.');
}

/** Converts TypeScript types of the model declarations to JSON schemas. */
class SchemaBuilder {
  constructor(checker) {
    this.checker = checker;
    /** @type {Map<string, object>} */
    this.definitions = new Map();
  }

  /** JSON schema of a type; named interfaces become "#/definitions/<name>" references. */
  schemaOf(type) {
    const F = ts.TypeFlags;
    const c = this.checker;
    if (type.flags & (F.Any | F.Unknown)) return {};
    if (type.flags & F.StringLiteral) return { type: 'string', enum: [type.value] };
    if (type.flags & F.String) return { type: 'string' };
    if (type.flags & (F.Number | F.NumberLiteral)) return { type: 'number' };
    if (type.flags & (F.Boolean | F.BooleanLiteral)) return { type: 'boolean' };
    if (type.flags & F.Null) return { type: 'null' };
    if (type.isUnion()) return this.unionOf(type.types.filter((t) => !(t.flags & (F.Undefined | F.Void))));
    if (c.isArrayType(type)) return { type: 'array', items: this.schemaOf(c.getTypeArguments(type)[0]) };
    if (type.flags & F.Object) return this.objectOf(type);
    return {};
  }

  /** A union of primitives becomes a type list (or an enum of literals); others anyOf. */
  unionOf(members) {
    const F = ts.TypeFlags;
    if (members.length === 1) return this.schemaOf(members[0]);
    if (members.every((t) => t.flags & F.BooleanLiteral)) return { type: 'boolean' };
    if (members.every((t) => t.flags & F.StringLiteral)) return { type: 'string', enum: members.map((t) => t.value).sort() };
    const prim = members.map((t) => this.schemaOf(t));
    if (prim.every((s) => typeof s.type === 'string' && Object.keys(s).length <= 2)) {
      return { type: [...new Set(prim.map((s) => s.type))].sort() };
    }
    return { anyOf: prim };
  }

  /** Objects: maps ({[k]: V}), free-form (no members) or closed records with a definition. */
  objectOf(type) {
    const c = this.checker;
    const props = c.getPropertiesOfType(type);
    const index = c.getIndexInfosOfType(type).find((i) => i.keyType.flags & ts.TypeFlags.String);
    if (props.length === 0) return index ? { type: 'object', additionalProperties: this.schemaOf(index.type) } : {};
    const sym = type.aliasSymbol ?? type.getSymbol();
    const decl = sym?.declarations?.[0];
    if (!decl || !ts.isInterfaceDeclaration(decl)) return this.recordOf(props);
    const name = definitionName(decl, sym.getName());
    if (!this.definitions.has(name)) {
      this.definitions.set(name, {}); // placeholder first: types may be recursive
      this.definitions.set(name, this.recordOf(props));
    }
    return { $ref: `#/definitions/${name}` };
  }

  /** A closed object schema for the given members. */
  recordOf(props) {
    const properties = {};
    const required = [];
    for (const p of props) {
      properties[p.getName()] = this.schemaOf(this.checker.getTypeOfSymbol(p));
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
    }
    return { type: 'object', ...(required.length ? { required } : {}), properties, additionalProperties: false };
  }
}

/**
 * Writes imports/schemas/k8s/definitions.json and imports/schemas/k8s/index.json.
 * @returns {number} how many kinds were indexed
 */
export function writeCoreSchemas() {
  const kinds = scanCoreKinds();
  const program = ts.createProgram(kinds.map((k) => k.dts), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const builder = new SchemaBuilder(checker);
  const index = {};
  for (const k of kinds) {
    const sf = program.getSourceFile(k.dts);
    if (!sf) throw new Error(`cannot load ${k.dts}`);
    const decl = sf.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === `I${k.kind}`);
    if (!decl) throw new Error(`${k.dts}: no interface I${k.kind}`);
    const ref = builder.schemaOf(checker.getTypeAtLocation(decl.name)).$ref;
    index[`${k.apiVersion}/${k.kind}`] = { definition: ref.replace('#/definitions/', ''), module: k.module };
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(MODELS, 'package.json'), 'utf8'));
  const source = `node_modules/kubernetes-models@${pkg.version} type declarations`;
  const defs = Object.fromEntries([...builder.definitions.keys()].sort().map((n) => [n, builder.definitions.get(n)]));
  for (const [n, d] of Object.entries(defs)) assertKnownKeywords(d, `kubernetes-models ${n}`);
  writeImport('schemas/k8s/definitions.json', toJson({ $comment: jsonComment([source]), $schema: 'http://json-schema.org/draft-07/schema#', definitions: defs }));
  const sorted = Object.fromEntries(Object.keys(index).sort().map((k) => [k, index[k]]));
  writeImport('schemas/k8s/index.json', toJson({ $comment: jsonComment([source]), kubernetesModels: pkg.version, kinds: sorted }));
  return kinds.length;
}
