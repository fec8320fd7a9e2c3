import { Problem, SynthError } from '../../../../src/lib/estate/problems.js';
import { Estate } from '../../../../src/lib/estate/estate.js';
import { synthesize } from '../../../../src/lib/synth/synth.js';
import { tempRoot } from '../../../helpers.js';

type Manifest = Record<string, any>;

/** A synthesized estate's manifests, with lookups by kind and name. */
export interface Synthesized {
  readonly manifests: { readonly file: string; readonly object: Manifest }[];
  /** The one object of `kind` named `name` (optionally in `namespace`); throws if absent. */
  get(kind: string, name: string, namespace?: string): Manifest;
  /** Every object of `kind`. */
  all(kind: string): Manifest[];
  /** The file holding the object. */
  fileOf(kind: string, name: string): string;
}

/** Synthesizes into a temporary root (a schema check of every object) and indexes the result. */
export function synth(estate: Estate): Synthesized {
  const result = synthesize(estate, { root: tempRoot() });
  const manifests = result.trees.flatMap((t) => t.manifests.map((m) => ({ file: m.file, object: m.object })));
  const find = (kind: string, name: string, namespace?: string) => manifests.find((m) => m.object.kind === kind && m.object.metadata?.name === name && (namespace === undefined || m.object.metadata?.namespace === namespace));
  return {
    manifests,
    get: (kind, name, namespace) => {
      const m = find(kind, name, namespace);
      if (!m) throw new Error(`no ${kind} '${name}' in ${manifests.map((x) => `${x.object.kind}/${x.object.metadata?.name}`).join(', ')}`);
      return m.object;
    },
    all: (kind) => manifests.filter((m) => m.object.kind === kind).map((m) => m.object),
    fileOf: (kind, name) => find(kind, name)!.file,
  };
}

/** The problems synth reports for an estate (empty when it synthesizes). */
export function problems(estate: Estate): readonly Problem[] {
  try {
    synthesize(estate, { root: tempRoot() });
    return [];
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
}
