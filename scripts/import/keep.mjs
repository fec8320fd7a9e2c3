/**
 * What happens to inputs found nowhere. By default nothing is generated: imports/ is rewritten
 * as a whole, and a missing chart would otherwise silently lose its values schema (synth would
 * then refuse every HelmRelease of it). With --keep-missing, a chart that was imported before at
 * the same version keeps its previous files: they are exactly what a fresh import would write.
 * A chart whose version changed cannot be kept (its old files describe another version), and a
 * missing CRD or Talos schema is always an error (they are few and downloadable by URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImportInputError } from './util.mjs';


/** Files under imports/ that belong to one chart. */
function chartFiles(importsDir, name) {
  const dir = path.join(importsDir, 'charts', name);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => path.join('charts', name, f)) : [];
  const validator = path.join('validators', 'charts', `${name}.cjs`);
  if (fs.existsSync(path.join(importsDir, validator))) files.push(validator);
  return files;
}

/**
 * Decides about the missing inputs of a staged run: throws an ImportInputError listing them,
 * or (--keep-missing) returns the charts to keep with their ChartInfo and a saver of their files.
 * @param {import('./manifest.mjs').Manifest} manifest
 * @param {{ missing: string[], missingCharts: string[] }} staged
 * @param {Map<string, { info: object }>} before  the previous imports (bump-report.mjs readImportedCharts)
 * @param {{ keepMissing: boolean }} opts
 */
export function keptCharts(manifest, staged, before, opts) {
  const none = { infos: [], save: () => [] };
  if (!staged.missing.length) return none;
  const problems = [];
  const infos = [];
  const chartMissing = new Set(staged.missingCharts);
  for (const line of staged.missing) {
    const chart = manifest.charts.find((c) => chartMissing.has(c.name) && line.startsWith(`chart ${c.name} ${c.version}:`));
    const prev = chart && before.get(chart.name)?.info;
    if (!chart || !opts.keepMissing) problems.push(line);
    else if (!prev || prev.version !== chart.version) problems.push(`${line} (--keep-missing keeps only a chart imported before at the same version; imports/ has ${prev ? prev.version : 'none'})`);
    else infos.push({ ...chart, appVersion: prev.appVersion, kubeVersion: prev.kubeVersion, values: prev.values, dir: undefined });
  }
  if (problems.length) {
    const hint = opts.keepMissing || !staged.missingCharts.length ? '' : '\nTo keep the previously imported files of missing charts at an unchanged version instead, pass --keep-missing.';
    throw new ImportInputError(`npm run import: ${problems.length} input(s) of import.config.mjs not found; nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}${hint}`);
  }
  return {
    infos,
    save: (importsDir) => infos.flatMap((c) => chartFiles(importsDir, c.name)).map((rel) => ({ rel, content: fs.readFileSync(path.join(importsDir, rel)) })),
  };
}

/** Writes back the files keptCharts saved before imports/ was cleared. */
export function restoreKept(importsDir, saved) {
  for (const { rel, content } of saved) {
    fs.mkdirSync(path.dirname(path.join(importsDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(importsDir, rel), content);
  }
}
