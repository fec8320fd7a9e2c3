#!/usr/bin/env node
/**
 * `npm run import`: regenerates everything under imports/ (and cdk8s.yaml) from the
 * upstream reference data in ../shared (or $SHARED_DIR). Offline, deterministic: running
 * it twice leaves no diff. Never edit imports/ by hand; change this script or ../shared.
 *
 *   imports/<group>.ts                      typed cdk8s classes (cdk8s import), one module per API group
 *   imports/charts.ts                       Helm chart pins and metadata (Renovate-managed versions)
 *   imports/charts/<chart>/values-keys.json key tree of the chart's values.yaml
 *   imports/charts/<chart>/values.schema.json  the chart's values schema, bundled (if it ships one)
 *   imports/validators/charts/<chart>.cjs   that schema precompiled with Ajv
 *   imports/schemas/crds/<group>/<kind>_<version>.json  strict schema of every served CRD version
 *   imports/schemas/crds/index.json         "group/version/Kind" -> file, scope, source
 *   imports/schemas/crds/cel/…              the CRDs' CEL rules with their locations, summary, unsupported list
 *   imports/schemas/k8s/{definitions,index}.json  strict schemas of the kubernetes-models kinds
 *   imports/schemas/talos/*.json             talhelper's talconfig schema, Talos machine-config schema
 *   imports/validators/talos/*.cjs           those two precompiled with Ajv
 */
import fs from 'node:fs';
import { writeClassImports, classImportPaths } from './import/cdk8s-classes.mjs';
import { readCharts, writeChartsModule } from './import/charts.mjs';
import { writeCoreSchemas } from './import/core-schemas.mjs';
import { writeCrdCelRules } from './import/crd-cel.mjs';
import { writeCrdSchemas } from './import/crd-schemas.mjs';
import { readCrds } from './import/crd-source.mjs';
import { writeCdk8sConfig } from './import/cdk8s-config.mjs';
import { IMPORTS_DIR, sharedDir } from './import/util.mjs';
import { writeChartValidators } from './import/validators.mjs';
import { writeChartValues } from './import/values.mjs';
import { writeTalosSchemas } from './import/talos.mjs';

/** Runs one step and logs how long it took. */
async function step(name, fn) {
  const t = performance.now();
  const result = await fn();
  console.log(`${name.padEnd(34)} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
}

async function main() {
  const t0 = performance.now();
  const shared = sharedDir();
  fs.rmSync(IMPORTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(IMPORTS_DIR, { recursive: true });
  // cdk8s import runs in child processes; the other steps proceed meanwhile.
  const classes = step('typed classes (cdk8s import)', () => writeClassImports(shared));
  const crdFiles = readCrds(shared);
  const crds = await step('CRD schemas', () => writeCrdSchemas(crdFiles));
  const cel = await step('CRD CEL rules', () => writeCrdCelRules(crdFiles));
  console.log(`CEL rules: ${cel.rules} found, ${cel.evaluated} evaluated, ${cel.transition} transition rules (not applicable on create), ${cel.unsupported} unsupported (imports/schemas/crds/cel/unsupported.json)`);
  await step('Kubernetes schemas', () => writeCoreSchemas());
  const charts = readCharts(shared);
  await step('charts.ts', () => writeChartsModule(shared, charts));
  const values = await step('values schemas and keys', () => writeChartValues(charts));
  await step('values validators (Ajv)', () => writeChartValidators(values));
  await step('Talos schemas and validators', () => writeTalosSchemas(shared));
  const groups = await classes;
  writeCdk8sConfig(classImportPaths(shared));
  console.log(`imports/: ${groups.length} class modules, ${Object.keys(crds).length} CRD schemas, ${charts.length} charts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
