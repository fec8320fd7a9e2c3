/**
 * Reads every CustomResourceDefinition under <stage>/crds/<source>/ (stage.mjs; YAML 1.2,
 * so prometheus-operator's bare `- =` enum item parses as the string "=").
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { listSorted, sharedRel } from './util.mjs';

/**
 * @typedef {object} CrdFile
 * @property {string} source   folder below crds/ (e.g. "cloudnative-pg")
 * @property {string} abs      absolute path of the file
 * @property {string} rel      path as written in headers (../shared/crds/…)
 * @property {object} crd      the parsed CustomResourceDefinition
 */

/** Lists every CRD document of every file below crds/, sorted by source folder then file name. */
export function readCrds(shared) {
  const root = path.join(shared, 'crds');
  /** @type {CrdFile[]} */
  const out = [];
  for (const source of listSorted(root)) {
    const dir = path.join(root, source);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of listSorted(dir)) {
      if (!/\.ya?ml$/.test(file)) continue;
      const abs = path.join(dir, file);
      for (const doc of parseAllDocuments(fs.readFileSync(abs, 'utf8'))) {
        if (doc.errors.length) throw new Error(`${abs}: ${doc.errors[0].message}`);
        const crd = doc.toJS();
        if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
        out.push({ source, abs, rel: sharedRel(abs), crd });
      }
    }
  }
  return out;
}

/** The served versions of a CRD with their openAPIV3Schema. */
export function servedVersions(crd) {
  return (crd.spec.versions ?? [])
    .filter((v) => v.served !== false)
    .map((v) => ({
      name: v.name,
      storage: v.storage === true,
      deprecated: v.deprecated === true,
      schema: v.schema?.openAPIV3Schema ?? crd.spec.validation?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    }));
}
