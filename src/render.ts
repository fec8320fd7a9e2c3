import { buildEstate } from './clusters/index.js';
import { runRenderCli } from './lib/render/cli.js';

/** `npm run render`: renders every HelmRelease of the estate with its real chart and checks the output. */
process.exitCode = await runRenderCli(process.argv.slice(2), buildEstate, process.cwd());
