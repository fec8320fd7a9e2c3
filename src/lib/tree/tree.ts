/**
 * The rendered tree of one cluster: what synth produced in memory before anything is written. It
 * is the neutral meeting point of the pipeline: synth/render.ts builds it, the checks
 * (synth/gate.ts, safety/) and the file contributors (docs, Talos, bootstrap, SOPS rules) read it.
 * It depends on the model only (estate), never on the code that builds or reads it.
 */
import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import type { DependencyEdge } from '../estate/dependencies.js';
import type { Manifest } from './manifests.js';

/** A manifest in the generated tree, with where it came from for error messages. */
export interface RenderedManifest {
  readonly cluster: string;
  /** Repository-relative file path. */
  readonly file: string;
  /** Construct path (or a synthetic one for tree-level objects). */
  readonly path: string;
  readonly object: Manifest;
}

/** Everything synth produces for one cluster. */
export interface ClusterTree {
  readonly cluster: HomelabCluster;
  /** Repository-relative path → file content. */
  readonly files: Map<string, string>;
  readonly manifests: RenderedManifest[];
  readonly dependencies: Map<Component, DependencyEdge[]>;
  /** Files kept although synth does not write them (SOPS files, gotk-components.yaml). */
  readonly preserved: Set<string>;
}

/** Reads a file of the current tree, repository-relative; `undefined` if absent. */
export type ExistingReader = (path: string) => string | undefined;

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
