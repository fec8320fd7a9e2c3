import { bootstrapFiles } from '../bootstrap/files.js';
import { docsContributor } from '../docs/readme.js';
import { sopsConfigContributor } from '../platform/secrets/sops-config.js';
import { talosFiles } from '../talos/files.js';
import { ClusterTree } from './render.js';

/** A generated file outside the Flux manifests (docs, Talos config, bootstrap), repository-relative. */
export interface ContributedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Produces extra files for a cluster from its rendered tree. Contributors run after rendering
 * and before the validation gate; their files must start with the generated header so synth owns them.
 */
export type FileContributor = (tree: ClusterTree) => readonly ContributedFile[];

/** Contributors run by synth, in order. Add new ones here. */
export const CONTRIBUTORS: FileContributor[] = [
  // clusters/<c>/.sops.yaml: SOPS creation rules for the cluster's age recipients.
  sopsConfigContributor,
  // clusters/<c>/talos/: talhelper talconfig.yaml, Image Factory schematic.yaml (Talos clusters).
  talosFiles,
  // clusters/<c>/bootstrap/: helmfile.yaml and README.md runbook; clusters/<c>/k3s/<node>.yaml (k3s clusters).
  bootstrapFiles,
  // clusters/<c>/README.md (nodes, traffic and Flux graph diagrams, inventory, capacity, runbook) and
  // clusters/README.md (index). Last: it links the files the contributors above wrote.
  docsContributor,
];
