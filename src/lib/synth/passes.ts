/**
 * Passes over a cluster's rendered objects, between rendering its components and writing its
 * folders: what synth adds to the objects from what they are, not from any construct.
 */
import { isPruneProtectedData, Manifest, PRUNE_ANNOTATION } from '../tree/manifests.js';

/**
 * Pass: objects whose deletion deletes data get Flux's `prune: disabled`, so a mistaken
 * commit (or a component moved between Kustomizations) cannot delete them; so does every
 * Namespace holding one, since deleting a namespace deletes what is inside.
 */
export function protectDataObjects(objects: readonly Manifest[]): void {
  const dataNamespaces = new Set<string>();
  for (const o of objects) {
    if (!isPruneProtectedData(o)) continue;
    annotate(o);
    if (o.metadata?.namespace) dataNamespaces.add(o.metadata.namespace);
  }
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1' && dataNamespaces.has(o.metadata?.name)) annotate(o);
}

function annotate(o: Manifest): void {
  o.metadata = o.metadata ?? {};
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [PRUNE_ANNOTATION]: 'disabled' };
}
