import { Estate } from '../src/lib/estate/estate.js';
import { runCli } from '../src/lib/synth/cli.js';
import { syntheticEstate } from './synthetic.js';

/**
 * Synth entry for the synthetic estate, the benchmark's counterpart of src/main.ts:
 * `node build/bench/synthetic-main.js <apps> [synth flags]` writes `clusters/` under the current
 * directory. Run by the cdk8s CLI (CDK8S_OUTDIR set), it also writes cdk8s's flat output there.
 */
const apps = Number(process.argv[2] ?? 1000);
// The bench reads the peak memory of this process from its last line.
if (process.env.BENCH_MAXRSS) process.on('exit', () => process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\n`));
let estate: Estate | undefined;
process.exitCode = runCli(process.argv.slice(3), () => (estate = syntheticEstate(apps)), process.cwd());
if (process.env.CDK8S_OUTDIR !== undefined && process.exitCode === 0) estate?.synth();
