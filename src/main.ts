import { buildEstate } from './clusters/index.js';
import { runCli } from './lib/synth/cli.js';

/**
 * Synth entry. `npm run synth` runs the compiled file; the cdk8s CLI (`cdk8s synth`) runs it too and
 * sets CDK8S_OUTDIR, in which case the flat cdk8s output it expects is also written there.
 */
const viaCdk8sCli = process.env.CDK8S_OUTDIR !== undefined;
process.exitCode = runCli(process.argv.slice(2), () => {
  const estate = buildEstate();
  if (viaCdk8sCli) process.once('beforeExit', () => estate.synth());
  return estate;
}, process.cwd());
