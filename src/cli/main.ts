import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Estate } from '../lib/estate/estate.js';
import type { ClusterDefinition } from '../testing/estate-checks.js';
import { runInit } from './init.js';

// The library (schemas, validators, cdk8s) loads only for the commands that need it: `init` and
// `help` stay fast.

/** What the commands that need the estate build it from. */
export interface EstateSource {
  /** The estate's clusters, one function each (preferred: `test` checks each on its own). */
  readonly clusters?: readonly ClusterDefinition[];
  /** Builds the whole estate (used when `clusters` is not given). */
  readonly buildEstate?: () => Estate;
}

export const USAGE = `usage: cdk8s-homelab <command> [options]

  synth [--check] [--strict] [--quiet] [--allow-data-loss=…]   write (or check) clusters/
  diff [options]                                               what Flux would change (see docs/diff.md)
  render [options]                                             render every HelmRelease with its chart (needs helm)
  test [--strict] [--no-kustomize] [--no-committed]            the generic checks, per cluster
  import [args]                                                regenerate imports/ (library repository) or run \`cdk8s import\`
  init <dir> --template <talos-single-node|talos-ha|k3s|oke> [--name NAME] [--library SPEC]
                                                               scaffold a new estate repository

The estate is read from the module package.json's "cdk8s-homelab": { "estate": "…" } names
(default build/src/main.js, compiled by \`tsc\`), which exports \`clusters\` (or \`buildEstate\`).`;

/** Estate builder of a source; undefined when it has neither. */
function builder(source: EstateSource, EstateClass: typeof Estate): (() => Estate) | undefined {
  if (source.buildEstate) return source.buildEstate;
  const clusters = source.clusters;
  if (!clusters) return undefined;
  return () => {
    const estate = new EstateClass();
    for (const define of clusters) define(estate);
    return estate;
  };
}

/** Where the user's compiled estate module is: package.json `cdk8s-homelab.estate`, else build/src/main.js. */
export function estateModulePath(root: string): string {
  const pkgFile = join(root, 'package.json');
  const configured = existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8'))['cdk8s-homelab']?.estate as string | undefined) : undefined;
  return resolve(root, configured ?? 'build/src/main.js');
}

/** Imports the user's estate module and picks its exports. */
export async function loadEstate(root: string): Promise<EstateSource | string> {
  const file = estateModulePath(root);
  if (!existsSync(file)) return `no estate module at ${file}: compile the sources first (\`npx tsc\`, which \`npm run synth\` runs), or set "cdk8s-homelab": { "estate": "<compiled module>" } in package.json`;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const clusters = (mod.clusters ?? mod.CLUSTERS) as readonly ClusterDefinition[] | undefined;
  const buildEstate = mod.buildEstate as (() => Estate) | undefined;
  if (!Array.isArray(clusters) && typeof buildEstate !== 'function') return `${file} exports neither \`clusters\` (an array of cluster functions) nor \`buildEstate\``;
  return { clusters: Array.isArray(clusters) ? clusters : undefined, buildEstate };
}

/**
 * The `cdk8s-homelab` command. `source` is the estate when the caller has it (a repository's own
 * `src/main.ts`); otherwise commands that need it load the compiled estate module of `root`.
 * Returns the exit code.
 */
export async function main(argv: readonly string[], source?: EstateSource, root: string = process.cwd(), log: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'init') return runInit(rest, root, log);
  if (command === 'import') return runImport(rest, root, log);
  if (!['synth', 'diff', 'render', 'test'].includes(command)) {
    log(`unknown command: ${command}\n${USAGE}`);
    return 2;
  }
  const loaded = source ?? (await loadEstate(root));
  if (typeof loaded === 'string') {
    log(loaded);
    return 1;
  }
  const { Estate } = await import('../lib/estate/estate.js');
  const build = builder(loaded, Estate)!;
  switch (command) {
    case 'synth': {
      // The CLI assembles the run: the estate, then synth's pipeline (contributors and checks).
      const [{ runCli }, { STANDARD_PIPELINE }] = await Promise.all([import('../lib/synth/cli.js'), import('../lib/synth/pipeline.js')]);
      let estate: Estate | undefined;
      const code = runCli(rest, () => (estate = build()), root, log, undefined, STANDARD_PIPELINE);
      // Run through the cdk8s CLI (`cdk8s synth`): it also wants its flat output in CDK8S_OUTDIR.
      if (process.env.CDK8S_OUTDIR !== undefined && code === 0) estate?.synth();
      return code;
    }
    case 'diff':
      return (await import('../lib/diff/cli.js')).runDiffCli(rest, build, root, log);
    case 'render':
      return (await import('../lib/render/cli.js')).runRenderCli(rest, build, root, log);
    default: {
      const known = new Set(['--strict', '--no-kustomize', '--no-committed']);
      const unknown = rest.filter((a) => !known.has(a));
      if (unknown.length > 0) {
        log(`unknown argument(s): ${unknown.join(' ')}\n${USAGE}`);
        return 2;
      }
      const clusters = loaded.clusters;
      if (!clusters) {
        log('test: the estate module exports only `buildEstate`; export `clusters` (one function per cluster) so each cluster is checked on its own');
        return 1;
      }
      const { runEstateChecks } = await import('../testing/estate-checks.js');
      return runEstateChecks({ clusters, root, strict: rest.includes('--strict'), kustomize: !rest.includes('--no-kustomize'), committed: !rest.includes('--no-committed') }, log);
    }
  }
}

/**
 * `import`: in the library's own repository, its import pipeline (scripts/import.mjs regenerates
 * imports/); in an estate repository, `cdk8s import` of the cdk8s CLI (typed classes for your own
 * CRDs), when installed.
 */
function runImport(args: readonly string[], root: string, log: (line: string) => void): number {
  const script = join(root, 'scripts', 'import.mjs');
  if (existsSync(script) && existsSync(join(root, 'import.config.mjs'))) {
    return spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
  }
  const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
  if (existsSync(cdk8s)) return spawnSync(cdk8s, ['import', ...args, '--language', 'typescript', '--check-upgrade=false'], { cwd: root, stdio: 'inherit' }).status ?? 1;
  log('import: the library ships its own imports (charts, CRD classes, schemas). For typed classes of your own CRDs, install cdk8s-cli (`npm i -D cdk8s-cli`) and run `cdk8s-homelab import <crd.yaml>`.');
  return 2;
}
