import { buildEstate } from './clusters/index.js';
import { runDiffCli } from './lib/diff/cli.js';

/** `npm run diff`: what Flux would change between the committed tree and what synth produces now. */
process.exitCode = await runDiffCli(process.argv.slice(2), buildEstate, process.cwd());
