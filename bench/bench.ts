import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildEstate } from '../src/clusters/index.js';
import { Estate } from '../src/lib/estate/estate.js';
import { synthesize } from '../src/lib/synth/synth.js';
import { syntheticEstate } from './synthetic.js';

/** One measured synth: construct, render, validate and write, in milliseconds. */
interface Sample { construct: number; render: number; validate: number; write: number; total: number; files: number }

function measure(build: () => Estate): Sample {
  const root = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const t0 = performance.now();
    const estate = build();
    const construct = performance.now() - t0;
    const r = synthesize(estate, { root });
    const total = performance.now() - t0;
    return { construct, ...r.timings, total, files: r.files.size };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Median of `runs` samples after one warm-up. */
function warm(build: () => Estate, runs: number): Sample {
  measure(build);
  const samples = Array.from({ length: runs }, () => measure(build)).sort((a, b) => a.total - b.total);
  return samples[Math.floor(samples.length / 2)];
}

const round = (s: Sample) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v * 10) / 10]));

/**
 * Times the cdk8s CLI (`cdk8s synth`) on the synthetic estate: it runs a generated app file
 * through ts-node (the CLI's usual path) and writes cdk8s's flat output.
 */
function cdk8sCli(apps: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const repo = resolve('.');
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'app.ts'), `import { syntheticEstate } from '${repo}/bench/synthetic.ts';\nsyntheticEstate(${apps}).synth();\n`);
  writeFileSync(join(dir, 'cdk8s.yaml'), `language: typescript\napp: node --no-warnings --loader ts-node/esm app.ts\noutput: dist\n`);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: `${repo}/tsconfig.json`, include: ['app.ts'], 'ts-node': { transpileOnly: true } }));
  const t0 = performance.now();
  execFileSync(join(repo, 'node_modules/.bin/cdk8s'), ['synth', '--check-upgrade=false'], { cwd: dir, stdio: 'ignore', env: { ...process.env, NODE_PATH: join(repo, 'node_modules'), TS_NODE_PROJECT: join(dir, 'tsconfig.json') } });
  const ms = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const reference = warm(buildEstate, 5);
const scale = Object.fromEntries([250, 500, 1000].map((n) => [n, warm(() => syntheticEstate(n), 3)]));
const slope = (scale[1000].total - scale[250].total) / 750;
let cli: number | string;
try {
  cli = cdk8sCli(1000);
} catch (e) {
  cli = `failed: ${(e as Error).message.split('\n')[0]}`;
}
const result = {
  reference: round(reference),
  synthetic: Object.fromEntries(Object.entries(scale).map(([n, s]) => [n, round(s)])),
  perAppSlopeMs: Math.round(slope * 1000) / 1000,
  cdk8sCli1000Ms: typeof cli === 'number' ? Math.round(cli) : cli,
  cliOverOurs1000: typeof cli === 'number' ? Math.round((cli / scale[1000].total) * 10) / 10 : null,
};
console.log(JSON.stringify(result));
