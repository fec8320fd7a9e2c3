import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { Estate } from '../lib/estate/estate.js';
import { formatProblem, SynthError } from '../lib/estate/problems.js';
import { listFiles } from '../lib/output/writer.js';
import { GENERATED_MARK } from '../lib/output/yaml.js';
import { synthesize, SynthResult } from '../lib/synth/synth.js';
import { fluxAppliedFolders, kustomizedFiles, kustomizeFailures, unmarkedPins, yamlDocs } from './tree-checks.js';


/** One cluster of an estate: a function that adds it to the estate (`(estate) => new HomelabCluster(estate, {…})`). */
export type ClusterDefinition = (scope: Construct) => unknown;

export interface EstateCheckOptions {
  /**
   * The estate's clusters, one function each. Each is built and synthesized in an estate of its
   * own, so a broken cluster fails its own checks only.
   */
  readonly clusters: readonly ClusterDefinition[];
  /** Repository root: the committed `clusters/` and the clusters' source files. @default process.cwd() */
  readonly root?: string;
  /** Compare with the committed `clusters/<name>/` (what `synth --check` does, per cluster). @default true */
  readonly committed?: boolean;
  /** Build every folder Flux applies with `kubectl kustomize` (needs kubectl on PATH). @default true */
  readonly kustomize?: boolean;
  /** Warnings fail the cluster's synth check, as `synth --strict` does. @default false */
  readonly strict?: boolean;
}

/** One named check; throws an Error whose message says what is wrong and how to fix it. */
export interface Check {
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

/** The checks of one cluster (or, `cluster: undefined`, of the estate as a whole). */
export interface CheckGroup {
  readonly title: string;
  readonly cluster?: string;
  readonly checks: readonly Check[];
}


/** A cluster built and synthesized on its own into a temporary root. */
interface Synthesized {
  readonly cluster: HomelabCluster;
  readonly root: string;
  readonly result: SynthResult;
  /** The files of `clusters/<name>/` synth wrote, repository-relative. */
  readonly files: Map<string, string>;
}

function fail(message: string): never {
  throw new Error(message);
}

function describeError(e: unknown): string {
  if (e instanceof SynthError) return `synth failed: ${e.problems.length} problem(s)\n${e.problems.map(formatProblem).join('\n')}`;
  return String((e as Error)?.message ?? e);
}

/** Builds one cluster in an estate of its own; returns the estate and the clusters it added. */
function buildOne(define: ClusterDefinition): { estate: Estate; cluster: HomelabCluster } {
  const estate = new Estate();
  define(estate);
  const clusters = estate.clusters;
  if (clusters.length !== 1) fail(`${define.name || 'a cluster definition'} added ${clusters.length} clusters to the estate; a definition adds exactly one`);
  return { estate, cluster: clusters[0] };
}

function readCluster(root: string, name: string): Map<string, string> {
  const dir = join(root, 'clusters', name);
  return new Map(listFiles(root, dir).map((p) => [p, readFileSync(join(root, p), 'utf8')]));
}

/** The per-cluster checks; each synthesizes the cluster (once, shared) on first use. */
function clusterChecks(define: ClusterDefinition, cluster: HomelabCluster, estate: Estate, o: Required<Omit<EstateCheckOptions, 'clusters'>>, cleanup: string[]): Check[] {
  const name = cluster.name;
  const prefix = `clusters/${name}/`;
  let synthesized: Synthesized | undefined;
  let synthError: unknown;
  const synth = (): Synthesized => {
    if (synthesized) return synthesized;
    if (synthError !== undefined) fail(`cannot check: the cluster does not synthesize (see its synth check)`);
    const root = mkdtempSync(join(tmpdir(), `homelab-check-${name}-`));
    cleanup.push(root);
    // The committed folder is the starting point, as for `npm run synth`: SOPS files and other files
    // synth does not own are read from it, and the data-loss guard compares against it.
    const committedDir = join(o.root, 'clusters', name);
    if (existsSync(committedDir)) cpSync(committedDir, join(root, 'clusters', name), { recursive: true });
    try {
      const result = synthesize(estate, { root, strict: o.strict });
      return (synthesized = { cluster, root, result, files: readCluster(root, name) });
    } catch (e) {
      synthError = e;
      throw new Error(describeError(e));
    }
  };
  const checks: Check[] = [
    { name: 'synthesizes (every object validates against its schema; no problem, no data loss)', run: () => void synth() },
  ];
  if (o.committed) {
    checks.push({
      name: 'the committed clusters/ folder is up to date',
      run: () => {
        const { result } = synth();
        const lines = [
          ...result.diff.added.filter((p) => p.startsWith(prefix)).map((p) => `  added:   ${p}`),
          ...result.diff.changed.filter((p) => p.startsWith(prefix)).map((p) => `  changed: ${p}`),
          ...result.diff.removed.filter((p) => p.startsWith(prefix)).map((p) => `  removed: ${p}`),
        ];
        if (lines.length > 0) fail(`clusters/${name}/ differs from what synth writes (${lines.length} file(s)); run \`npm run synth\` and commit:\n${lines.join('\n')}`);
      },
    });
  }
  checks.push(
    {
      name: 'a second synth changes nothing (deterministic)',
      run: () => {
        const { root } = synth();
        const diff = synthesize(rebuild(), { root, check: true, strict: o.strict }).diff;
        const changed = [...diff.added, ...diff.changed, ...diff.removed].filter((p) => p.startsWith(prefix));
        if (changed.length > 0) fail(`a second synth of the same source changes ${changed.join(', ')}: something in the cluster is not deterministic (a date, a random value, an unordered map)`);
      },
    },
    {
      name: "every generated file names the cluster's source file, which exists",
      run: () => {
        const { files } = synth();
        const problems: string[] = [];
        if (!existsSync(join(o.root, cluster.sourceFile))) problems.push(`the generated headers name ${cluster.sourceFile}, which does not exist: pass \`sourceFile: '<path of this file>'\` to the HomelabCluster`);
        for (const [path, content] of files) {
          const first = content.split('\n', 1)[0];
          if (first.includes(GENERATED_MARK) && !first.includes(`from ${cluster.sourceFile}`)) problems.push(`${path}: header does not name ${cluster.sourceFile}`);
        }
        if (problems.length > 0) fail(problems.join('\n'));
      },
    },
    {
      name: 'the cluster README is generated',
      run: () => {
        const readme = synth().files.get(`${prefix}README.md`);
        if (readme === undefined) fail(`${prefix}README.md was not generated`);
        if (!readme.includes(name)) fail(`${prefix}README.md does not name the cluster`);
      },
    },
    {
      name: 'every folder Flux applies builds with kubectl kustomize',
      run: async () => {
        if (!o.kustomize) return;
        const { root, files } = synth();
        const folders = fluxAppliedFolders(files).filter((f) => `${f}/`.startsWith(prefix));
        if (folders.length === 0) fail(`no Flux Kustomization of ${name} applies a folder of clusters/${name}/`);
        const failures = await kustomizeFailures(root, folders);
        if (failures.length > 0) fail(`kubectl kustomize failed:\n${failures.join('\n')}`);
      },
    },
    {
      name: 'every manifest Flux applies carries a generated header and a schema line',
      run: () => {
        const { files } = synth();
        const manifests = new Set<string>();
        for (const folder of fluxAppliedFolders(files)) kustomizedFiles(files, folder, manifests);
        const problems: string[] = [];
        for (const path of manifests) {
          const lines = (files.get(path) ?? '').split('\n');
          if (!lines[0].includes(GENERATED_MARK)) problems.push(`${path}: no generated header`);
          else if (!path.endsWith('gotk-sync.yaml') && !/^# yaml-language-server: \$schema=https:\/\//.test(lines[1] ?? '')) problems.push(`${path}: no schema line`);
        }
        if (problems.length > 0) fail(problems.join('\n'));
      },
    },
    {
      name: 'no plaintext Secret in the tree',
      run: () => {
        const problems: string[] = [];
        for (const [path, content] of synth().files) {
          if (!/\.ya?ml$/.test(path) || path.endsWith('.sops.yaml')) continue;
          for (const doc of yamlDocs(content)) {
            if (doc.kind === 'Secret' && (doc.data !== undefined || doc.stringData !== undefined)) problems.push(`${path}: Secret ${doc.metadata?.name} carries data; encrypt it with SOPS or reference it from a secret store`);
          }
        }
        if (problems.length > 0) fail(problems.join('\n'));
      },
    },
    {
      name: 'every image is pinned (no floating tag)',
      run: () => {
        const problems: string[] = [];
        for (const [path, content] of synth().files) {
          for (const m of content.matchAll(/^\s*-?\s*image:\s*['"]?([^\s'"]+)['"]?\s*$/gm)) {
            if (!/:[^:/]+$|@sha256:/.test(m[1]) || /:latest$/.test(m[1])) problems.push(`${path}: image ${m[1]} has no pinned tag`);
          }
        }
        if (problems.length > 0) fail(problems.join('\n'));
      },
    },
    {
      name: "every version pin in the cluster's source file has a Renovate marker",
      run: () => {
        const file = join(o.root, cluster.sourceFile);
        if (!existsSync(file)) return; // reported by the header check
        const problems = unmarkedPins(readFileSync(file, 'utf8')).map((l) => `${cluster.sourceFile}:${l.line}: ${l.text.trim()} — add a \`// renovate: datasource=… depName=…\` comment on the line above`);
        if (problems.length > 0) fail(problems.join('\n'));
      },
    },
  );
  return checks;

  function rebuild(): Estate {
    const fresh = new Estate();
    define(fresh);
    return fresh;
  }
}

/**
 * The generic checks of an estate: one group per cluster (a cluster that does not build fails its
 * own group only), then one estate-wide group (unique names; the clusters that pass on their own
 * also synthesize together). Temporary roots are removed by `cleanup()`.
 */
export function estateChecks(options: EstateCheckOptions): { groups: CheckGroup[]; cleanup: () => void } {
  const o = { root: options.root ?? process.cwd(), committed: options.committed ?? true, kustomize: options.kustomize ?? true, strict: options.strict ?? false };
  const temp: string[] = [];
  const groups: CheckGroup[] = [];
  const built: { define: ClusterDefinition; cluster: HomelabCluster }[] = [];
  options.clusters.forEach((define, i) => {
    try {
      const { estate, cluster } = buildOne(define);
      built.push({ define, cluster });
      groups.push({ title: `cluster ${cluster.name} (${cluster.sourceFile})`, cluster: cluster.name, checks: clusterChecks(define, cluster, estate, o, temp) });
    } catch (e) {
      const label = define.name || `cluster #${i + 1}`;
      groups.push({ title: `cluster ${label}`, checks: [{ name: 'builds', run: () => fail(`${label} throws while it is built: ${describeError(e)}`) }] });
    }
  });
  groups.push({
    title: 'estate',
    checks: [
      {
        name: 'cluster names are unique',
        run: () => {
          const names = built.map((b) => b.cluster.name);
          const dup = names.filter((n, i) => names.indexOf(n) !== i);
          if (dup.length > 0) fail(`more than one cluster is named ${[...new Set(dup)].join(', ')}`);
        },
      },
      {
        name: 'the clusters that pass on their own synthesize together',
        run: () => {
          const root = mkdtempSync(join(tmpdir(), 'homelab-check-estate-'));
          temp.push(root);
          const estate = new Estate();
          const seen = new Set<string>();
          for (const b of built) {
            if (seen.has(b.cluster.name)) continue;
            seen.add(b.cluster.name);
            try {
              buildOne(b.define);
              b.define(estate);
            } catch {
              // fails its own group
            }
          }
          if (estate.clusters.length === 0) return;
          try {
            synthesize(estate, { root, strict: o.strict });
          } catch (e) {
            if (e instanceof SynthError) {
              // problems of one cluster alone are that cluster's; only what arises between clusters fails here
              const own = new Set(e.problems.map((p) => p.cluster));
              const alone = [...own].filter((c) => c !== undefined && synthesizesAlone(built.find((b) => b.cluster.name === c)?.define));
              const between = e.problems.filter((p) => p.cluster === undefined || alone.includes(p.cluster));
              if (between.length > 0) fail(`the estate does not synthesize as a whole:\n${between.map(formatProblem).join('\n')}`);
              return;
            }
            throw e;
          }
        },
      },
    ],
  });
  return {
    groups,
    cleanup: () => {
      for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function synthesizesAlone(define: ClusterDefinition | undefined): boolean {
  if (!define) return false;
  const root = mkdtempSync(join(tmpdir(), 'homelab-check-alone-'));
  try {
    synthesize(buildOne(define).estate, { root });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The describe/test pair of a test framework: Jest's globals, or `node:test`'s exports. */
export interface TestApi {
  readonly describe: (name: string, body: () => void) => unknown;
  readonly test: (name: string, body: () => Promise<void>, timeout?: number) => unknown;
  /** Jest's `afterAll` or node:test's `after`: removes the temporary roots. */
  readonly after?: (body: () => void) => unknown;
}

/**
 * Registers the generic checks as tests, one `describe` per cluster:
 *
 *     import { describe, test, after } from 'node:test';     // or Jest's globals
 *     import { defineEstateTests } from 'cdk8s-homelab/testing';
 *     import { clusters } from '../src/clusters/index.js';
 *     defineEstateTests({ describe, test, after }, { clusters });
 */
export function defineEstateTests(t: TestApi, options: EstateCheckOptions): void {
  const { groups, cleanup } = estateChecks(options);
  for (const group of groups) {
    t.describe(group.title, () => {
      for (const check of group.checks) t.test(check.name, async () => check.run());
    });
  }
  t.after?.(cleanup);
}

/** Runs the generic checks without a test framework (`cdk8s-homelab test`); returns the exit code. */
export async function runEstateChecks(options: EstateCheckOptions, log: (line: string) => void = console.log): Promise<number> {
  const { groups, cleanup } = estateChecks(options);
  let failed = 0;
  let passed = 0;
  try {
    for (const group of groups) {
      log(group.title);
      for (const check of group.checks) {
        try {
          await check.run();
          passed++;
          log(`  ok    ${check.name}`);
        } catch (e) {
          failed++;
          log(`  FAIL  ${check.name}`);
          for (const line of String((e as Error)?.message ?? e).split('\n')) log(`        ${line}`);
        }
      }
    }
  } finally {
    cleanup();
  }
  log(`test: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
