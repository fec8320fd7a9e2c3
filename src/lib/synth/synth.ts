import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { Estate } from '../estate/estate.js';
import { Warning } from '../estate/problems.js';
import { diffTree, TreeDiff, withTreeLock, writeTreeAtomically, WriteHooks } from '../output/writer.js';
import { CheckContext, STANDARD_PIPELINE, SynthPipeline } from './pipeline.js';
import { renderEstate } from './render.js';
import type { ClusterTree } from '../tree/tree.js';
import { acceptedReason } from '../safety/index.js';
import type { CapacityReport } from '../safety/capacity.js';

export interface SynthOptions {
  /** Repository root the tree is written under. */
  readonly root: string;
  /** Output folder under the root. @default 'clusters' */
  readonly outDir?: string;
  /** Compare only; write nothing. @default false */
  readonly check?: boolean;
  /** Turn warnings into errors. @default false */
  readonly strict?: boolean;
  /** Test hooks for the write. @default {} */
  readonly hooks?: WriteHooks;
  /**
   * Data-holding objects this run may remove, `Kind/namespace/name` (or `cluster:Kind/namespace/name`),
   * in addition to each cluster's `allowDataLoss` (the CLI's `--allow-data-loss=`). @default []
   */
  readonly allowDataLoss?: readonly string[];
  /** Contributors and checks run after rendering (main.ts passes the standard one). @default STANDARD_PIPELINE */
  readonly pipeline?: SynthPipeline;
}

export interface SynthResult {
  readonly trees: ClusterTree[];
  readonly files: Map<string, string>;
  readonly diff: TreeDiff;
  readonly warnings: readonly Warning[];
  /** Per-cluster capacity and placement (requests vs allocatable per node group). */
  readonly capacity: readonly CapacityReport[];
  /** Milliseconds spent rendering, validating and writing. */
  readonly timings: { render: number; validate: number; write: number };
}

/**
 * Renders and validates the whole estate in memory, then (unless `check`) writes it atomically.
 * Throws a SynthError listing every problem before anything is written.
 */
export function synthesize(estate: Estate, options: SynthOptions): SynthResult {
  const outDir = options.outDir ?? 'clusters';
  // The whole run holds the tree's lock: what synth reads (the committed tree, SOPS files) cannot
  // be swapped by a concurrent synth before it writes; a second synth waits for the first.
  // --check only reads: on a read-only checkout, where no lock can be taken, it runs without one.
  return withTreeLock(options.root, outDir, () => synthesizeLocked(estate, options, outDir), options.hooks?.lockWaitMs, options.check === true);
}

function synthesizeLocked(estate: Estate, options: SynthOptions, outDir: string): SynthResult {
  const diagnostics = Diagnostics.of(estate);
  const pipeline = options.pipeline ?? STANDARD_PIPELINE;
  const readExisting = (path: string): string | undefined => {
    const full = join(options.root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
  let t = performance.now();
  for (const cluster of estate.clusters) cluster.prepare();
  // An object outside every component has no folder to be written to: rendering would fail deep
  // inside cdk8s, so this stops here with the problems found so far.
  if (runConstructValidations(estate, diagnostics)) diagnostics.throwIfAny();
  const trees = renderEstate(estate, readExisting);
  for (const tree of trees) {
    // Contributors (docs, Talos configs, runbooks) may assume a valid model; a cluster that already
    // has problems fails synth anyway, so they are not run on it (no cascade, no stack trace).
    if (diagnostics.problems.some((p) => p.cluster === tree.cluster.name)) continue;
    for (const contribute of pipeline.contributors) for (const f of contribute(tree)) tree.files.set(f.path, f.content);
  }
  const render = performance.now() - t;
  t = performance.now();
  const context: CheckContext = { estate, root: options.root, outDir, allowDataLoss: options.allowDataLoss ?? [], capacity: [], dataLoss: [] };
  for (const check of pipeline.checks) check(trees, context);
  const warnings = diagnostics.warnings.map((w) => {
    const accepted = acceptedReason(estate.clusters.find((c) => c.name === w.cluster), w.code);
    return accepted === undefined ? w : { ...w, accepted };
  });
  if (options.strict) {
    for (const w of warnings.filter((x) => x.accepted === undefined)) {
      diagnostics.problems.push({ cluster: w.cluster, path: w.path, field: w.code, message: w.message, fix: 'address the warning, or synth without --strict' });
    }
  }
  diagnostics.throwIfAny();
  const validate = performance.now() - t;
  const files = new Map<string, string>();
  for (const tree of trees) for (const [p, c] of tree.files) files.set(p, c);
  t = performance.now();
  const diff = diffTree(options.root, outDir, files);
  const changes = diff.added.length + diff.changed.length + diff.removed.length;
  if (!options.check && changes > 0) writeTreeAtomically(options.root, outDir, files, options.hooks, diff);
  const write = performance.now() - t;
  return { trees, files, diff, warnings, capacity: context.capacity, timings: { render, validate, write } };
}

/**
 * Runs the validations constructs register with `node.addValidation` (cdk8s-plus uses them), and
 * reports every ApiObject with no Component above it, in one walk of the tree. True when such an
 * orphan was found.
 */
function runConstructValidations(estate: Estate, diagnostics: Diagnostics): boolean {
  // Component answers instanceof by its prototype chain, so a plain cdk8s Chart is no Component
  // (its objects are orphans: test/lib/synth/unexpected.spec.ts).
  let orphans = false;
  for (const c of estate.node.findAll()) {
    for (const message of c.node.validate()) diagnostics.error(c, '(construct)', message, 'see the message; it comes from the construct at this path');
    if (!(c instanceof ApiObject) || c.node.scopes.some((s) => s instanceof Component)) continue;
    orphans = true;
    diagnostics.error(c, 'scope', `${c.kind} '${c.metadata.name ?? c.node.id}' was created outside any component, so it has no folder, namespace or Flux Kustomization to be written with`, `create it inside a Component: new ApiObject(component, '${c.node.id}', {…}) (or new Component(cluster, { name, namespace }) to hold it)`);
  }
  return orphans;
}
