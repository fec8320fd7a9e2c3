import { bootstrapFiles } from '../bootstrap/files.js';
import { docsContributor } from '../docs/readme.js';
import type { Estate } from '../estate/estate.js';
import { sopsConfigContributor } from '../platform/secrets/sops-config.js';
import { checkSafety } from '../safety/index.js';
import type { CapacityReport } from '../safety/capacity.js';
import { checkDataLoss, DataLossFinding } from '../safety/data-loss.js';
import { talosFiles } from '../talos/files.js';
import type { ClusterTree, FileContributor } from '../tree/tree.js';
import { checkClusterTree } from './gate.js';

/** What a check reads besides the trees, and where it leaves what it found besides diagnostics. */
export interface CheckContext {
  readonly estate: Estate;
  /** Repository root. */
  readonly root: string;
  /** Output folder under the root. */
  readonly outDir: string;
  /** `--allow-data-loss=` acknowledgements, for every cluster. */
  readonly allowDataLoss: readonly string[];
  /** Capacity reports, one per cluster in estate order (filled by the capacity check). */
  readonly capacity: CapacityReport[];
  /** Unacknowledged data loss (filled by the data-loss guard). */
  readonly dataLoss: DataLossFinding[];
}

/** A check of the rendered trees: reports into the estate's diagnostics (and may fill the context). */
export type TreeCheck = (trees: readonly ClusterTree[], context: CheckContext) => void;

/**
 * The steps synth runs after rendering, in order: contributors add files to each valid cluster's
 * tree, then every check runs once on all trees. main.ts assembles it; synth owns no list.
 */
export interface SynthPipeline {
  readonly contributors: readonly FileContributor[];
  readonly checks: readonly TreeCheck[];
}

/** The validation gate: schemas, names and references of every rendered manifest. */
const gate: TreeCheck = (trees) => trees.forEach(checkClusterTree);

/** The safety checks of each cluster (bad input, policy, secrets, first reconcile, pod security, capacity). */
const safety: TreeCheck = (trees, ctx) => {
  for (const tree of trees) ctx.capacity.push(checkSafety(tree, ctx.root));
};

/** The data-loss guard, across clusters: it compares the whole tree on disk with the new one. */
const dataLoss: TreeCheck = (trees, ctx) => {
  ctx.dataLoss.push(...checkDataLoss(ctx.estate, trees, ctx));
};

/** The pipeline `npm run synth` runs. */
export const STANDARD_PIPELINE: SynthPipeline = {
  contributors: [
    // clusters/<c>/.sops.yaml: SOPS creation rules for the cluster's age recipients.
    sopsConfigContributor,
    // clusters/<c>/talos/: talhelper talconfig.yaml, Image Factory schematic.yaml (Talos clusters).
    talosFiles,
    // clusters/<c>/bootstrap/: helmfile.yaml and README.md runbook; clusters/<c>/k3s/<node>.yaml (k3s clusters).
    bootstrapFiles,
    // clusters/<c>/README.md (nodes, traffic and Flux graph diagrams, inventory, capacity, runbook) and
    // clusters/README.md (index). Last: it links the files the contributors above wrote.
    docsContributor,
  ],
  checks: [gate, safety, dataLoss],
};
