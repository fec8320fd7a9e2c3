import { recordRun, unchangedSinceLastRun } from './lib/synth/last-run.js';

/**
 * Synth entry. `npm run synth` runs the compiled file; the cdk8s CLI (`cdk8s synth`, see cdk8s.yaml)
 * runs it through ts-node and sets CDK8S_OUTDIR, in which case the flat cdk8s output it expects is
 * also written there once our own synth has succeeded. When nothing synth reads changed since its
 * last successful run, that run's output is printed again (see last-run.ts); the library is loaded
 * only when there is something to do.
 */
const root = process.cwd();
const argv = process.argv.slice(2);
const previous = unchangedSinceLastRun(root, argv);
if (previous) {
  for (const line of previous) console.log(line);
  console.log('synth: nothing changed since the last run (src/, build/, imports/, clusters/ as it left them); HOMELAB_FORCE_SYNTH=1 synthesizes anyway');
} else {
  const [{ buildEstate }, { main }] = await Promise.all([import('./clusters/index.js'), import('./cli/main.js')]);
  const output: string[] = [];
  // `cdk8s-homelab synth` (src/cli), which also writes the cdk8s CLI's flat output when CDK8S_OUTDIR is set.
  process.exitCode = await main(['synth', ...argv], { buildEstate }, root, (line) => {
    output.push(line);
    console.log(line);
  });
  if (process.exitCode === 0) recordRun(root, argv, output);
}
