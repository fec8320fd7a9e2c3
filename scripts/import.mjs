#!/usr/bin/env node
/**
 * `npm run import`: regenerates everything under imports/ (and cdk8s.yaml) from the inputs
 * import.config.mjs names (charts with their pins, CRD files, Talos schemas). Each input is
 * found locally first (a chart mirror, ../shared, the cache) and downloaded only when nothing
 * local has it (scripts/import/resolve.mjs). Deterministic: the same inputs give the same
 * files, whichever place they were read from. Never edit imports/ by hand.
 *
 *   npm run import [-- --offline | --online] [--keep-missing]
 *     --offline       never download; a missing input is an error naming it
 *     --online        download every input again (refreshes the cache)
 *     --keep-missing  a chart found nowhere keeps its previously imported files (same version only)
 *   HOMELAB_CHART_MIRROR=<dir>   unpacked charts as <dir>/<chart>-<version>/
 *   HOMELAB_SHARED or SHARED_DIR=<dir>  the old reference layout (crds/, talos/, charts/)
 *   HOMELAB_IMPORT_CACHE=<dir>   cache (default node_modules/.cache/cdk8s-homelab/import)
 *
 *   imports/<group>.ts                      typed cdk8s classes (cdk8s import), one module per API group
 *   imports/charts.ts                       Helm chart pins and metadata (copied from import.config.mjs)
 *   imports/charts/<chart>/values-keys.json key tree of the chart's values.yaml
 *   imports/charts/<chart>/values.schema.json  the chart's values schema, bundled (if it ships one)
 *   imports/validators/charts/<chart>.cjs   that schema precompiled with Ajv
 *   imports/schemas/crds/<group>/<kind>_<version>.json  strict schema of every served CRD version
 *   imports/schemas/crds/index.json         "group/version/Kind" -> file, scope, source
 *   imports/schemas/crds/cel/…              the CRDs' CEL rules with their locations, summary, unsupported list
 *   imports/schemas/k8s/{definitions,index}.json  strict schemas of the kubernetes-models kinds
 *   imports/schemas/talos/*.json             talhelper's talconfig schema, Talos machine-config schema
 *   imports/validators/talos/*.cjs           those two precompiled with Ajv
 *
 * When a chart's version differs from the one in the committed imports/ (git HEAD), dist/import-report.md
 * lists the values keys the estate (clusters/) sets that the new version removed, moved or retyped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeClassImports, classImportPaths } from './import/cdk8s-classes.mjs';
import { readCharts, writeChartsModule } from './import/charts.mjs';
import { writeCoreSchemas } from './import/core-schemas.mjs';
import { writeCrdCelRules } from './import/crd-cel.mjs';
import { writeCrdSchemas } from './import/crd-schemas.mjs';
import { readCrds } from './import/crd-source.mjs';
import { writeCdk8sConfig } from './import/cdk8s-config.mjs';
import { loadManifest } from './import/manifest.mjs';
import { importOptions } from './import/resolve.mjs';
import { buildStage } from './import/stage.mjs';
import { keptCharts, restoreKept } from './import/keep.mjs';
import { bumpReport, readCommittedCharts, readImportedCharts, REPORT_FILE } from './import/bump-report.mjs';
import { IMPORTS_DIR, REPO_ROOT, setStageRoot } from './import/util.mjs';
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

/** One line per source kind: which inputs came from where. */
function sourceSummary(sources) {
  return [...sources.keys()].sort().map((from) => `  ${from.padEnd(8)} ${sources.get(from).size}: ${[...sources.get(from)].sort().join(', ')}`);
}

/**
 * Writes (and prints) the bump report against the committed imports/, or removes a stale one when
 * no chart version differs from the commit any more.
 */
function writeReport(baseline, after) {
  const file = path.join(REPO_ROOT, REPORT_FILE);
  const report = bumpReport(baseline, after, path.join(REPO_ROOT, 'clusters'));
  if (!report) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, report);
  console.log(`\n${report}\n(written to ${REPORT_FILE})`);
}

async function main() {
  const t0 = performance.now();
  const opts = importOptions();
  const manifest = await loadManifest();
  const before = readImportedCharts(IMPORTS_DIR);
  const staged = await step('inputs (mirror, cache, download)', () => buildStage(manifest, opts));
  const kept = keptCharts(manifest, staged, before, opts);
  setStageRoot(staged.stage);
  const shared = staged.stage;
  const saved = kept.save(IMPORTS_DIR);
  fs.rmSync(IMPORTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(IMPORTS_DIR, { recursive: true });
  // cdk8s import runs in child processes; the other steps proceed meanwhile.
  const classes = step('typed classes (cdk8s import)', () => writeClassImports(shared));
  const crdFiles = readCrds(shared);
  const crds = await step('CRD schemas', () => writeCrdSchemas(crdFiles));
  const cel = await step('CRD CEL rules', () => writeCrdCelRules(crdFiles));
  console.log(`CEL rules: ${cel.rules} found, ${cel.evaluated} evaluated, ${cel.transition} transition rules (not applicable on create), ${cel.unsupported} unsupported (imports/schemas/crds/cel/unsupported.json)`);
  await step('Kubernetes schemas', () => writeCoreSchemas());
  const charts = readCharts(staged.charts);
  await step('charts.ts', () => writeChartsModule(shared, [...charts, ...kept.infos].sort((a, b) => a.name.localeCompare(b.name))));
  const values = await step('values schemas and keys', () => writeChartValues(charts));
  await step('values validators (Ajv)', () => writeChartValidators(values));
  restoreKept(IMPORTS_DIR, saved);
  await step('Talos schemas and validators', () => writeTalosSchemas(shared));
  const groups = await classes;
  writeCdk8sConfig(classImportPaths(shared));
  writeReport(readCommittedCharts(REPO_ROOT) ?? before, readImportedCharts(IMPORTS_DIR));
  console.log(['inputs by source:', ...sourceSummary(staged.sources)].join('\n'));
  if (kept.infos.length) console.log(`kept the previous imports of ${kept.infos.map((c) => `${c.name} ${c.version}`).join(', ')} (--keep-missing: not found anywhere)`);
  console.log(`imports/: ${groups.length} class modules, ${Object.keys(crds).length} CRD schemas, ${charts.length + kept.infos.length} charts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err instanceof Error && err.name === 'ImportInputError' ? err.message : err);
  process.exit(1);
});
