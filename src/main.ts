import { Estate } from './lib/estate/estate.js';
import { buildEstate } from './clusters/index.js';
import { runCli } from './lib/synth/cli.js';

/**
 * Synth entry. `npm run synth` runs the compiled file; the cdk8s CLI (`cdk8s synth`, see cdk8s.yaml)
 * runs it through ts-node and sets CDK8S_OUTDIR, in which case the flat cdk8s output it expects is
 * also written there once our own synth has succeeded.
 */
let estate: Estate | undefined;
process.exitCode = runCli(process.argv.slice(2), () => (estate = buildEstate()), process.cwd());
if (process.env.CDK8S_OUTDIR !== undefined && process.exitCode === 0) estate?.synth();
