import { CLUSTERS } from './clusters/index.js';
import { main } from './cli/main.js';

/** `npm run render`: `cdk8s-homelab render` on the reference estate (every HelmRelease rendered with its real chart and checked). */
process.exitCode = await main(['render', ...process.argv.slice(2)], { clusters: CLUSTERS }, process.cwd());
