import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Every folder Flux applies in a generated tree: the path of each Flux Kustomization found in it
 * (including the root sync path). Returned repository-relative, without `./`.
 */
export function fluxAppliedFolders(files: ReadonlyMap<string, string>): string[] {
  const folders = new Set<string>();
  for (const [file, content] of files) {
    if (!file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(content)) {
      const o = doc.toJSON();
      // Kustomizations of another source (upstream CRDs) apply that repository's folders, not ours.
      if (o?.kind === 'Kustomization' && o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' && (o.spec.sourceRef?.name ?? 'flux-system') === 'flux-system') folders.add(o.spec.path.replace(/^\.\//, ''));
      if (o?.kind === 'FluxInstance') folders.add(o.spec.sync.path.replace(/^\.\//, ''));
    }
  }
  return [...folders].sort();
}

/** Builds a folder with `kubectl kustomize`; returns the rendered YAML or throws with kustomize's message. */
export function kustomizeBuild(root: string, folder: string): string {
  const dir = join(root, folder);
  if (!existsSync(dir)) throw new Error(`${folder} does not exist`);
  return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
