import { CLUSTERS } from './clusters/index.js';
import { main } from './cli/main.js';

/** `npm run diff`: `cdk8s-homelab diff` on the reference estate (what Flux would change between the committed tree and what synth produces now). */
process.exitCode = await main(['diff', ...process.argv.slice(2)], { clusters: CLUSTERS }, process.cwd());
