/** `cdk8s-homelab/synth`: synthesize an estate into `clusters/` (the engine behind `cdk8s-homelab synth`). */
export { synthesize } from '../lib/synth/synth.js';
export type { SynthOptions, SynthResult } from '../lib/synth/synth.js';
export { runCli as runSynthCli, parseArgs as parseSynthArgs } from '../lib/synth/cli.js';
export type { CliOptions as SynthCliOptions } from '../lib/synth/cli.js';
export { runDiffCli } from '../lib/diff/cli.js';
export { runRenderCli } from '../lib/render/cli.js';
export { generatedHeader } from '../lib/output/yaml.js';
