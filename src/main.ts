import { recordRun, unchangedSinceLastRun } from './lib/synth/last-run.js';

/**
 * Synth entry. `npm run synth` runs the compiled file; the cdk8s CLI (`cdk8s synth`, see cdk8s.yaml)
 * runs it through ts-node and sets CDK8S_OUTDIR, in which case the flat cdk8s output it expects is
 * also written there once our own synth has succeeded. When nothing synth reads changed since its
 * last successful run, that run's output is printed again (see last-run.ts); the library is loaded
 * only when there is something to do. It assembles the run: the estate (src/clusters/), then
 * synth's pipeline (render → contributors → checks → write, src/lib/synth/pipeline.ts).
 */
const root = process.cwd();
const argv = process.argv.slice(2);
const previous = unchangedSinceLastRun(root, argv);
if (previous) {
  for (const line of previous) console.log(line);
  console.log('synth: nothing changed since the last run (src/, build/, imports/, clusters/ as it left them); HOMELAB_FORCE_SYNTH=1 synthesizes anyway');
} else {
  const [{ buildEstate }, { runCli }, { STANDARD_PIPELINE }] = await Promise.all([
    import('./clusters/index.js'), import('./lib/synth/cli.js'), import('./lib/synth/pipeline.js'),
  ]);
  const output: string[] = [];
  let estate: Awaited<ReturnType<typeof buildEstate>> | undefined;
  process.exitCode = runCli(argv, () => (estate = buildEstate()), root, (line) => {
    output.push(line);
    console.log(line);
  }, undefined, STANDARD_PIPELINE);
  if (process.env.CDK8S_OUTDIR !== undefined && process.exitCode === 0) estate?.synth();
  if (process.exitCode === 0) recordRun(root, argv, output);
}
