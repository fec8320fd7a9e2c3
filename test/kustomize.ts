import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const execFileAsync = promisify(execFile);

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

/**
 * Builds many folders with `kubectl kustomize`, several at once (one process each, as many as the
 * machine has cores): the estate has ~100 Flux folders, and one after the other they took ~10 s.
 * Resolves to each folder's output, or rejects with the first folder that failed and kustomize's message.
 */
export async function kustomizeBuildAll(root: string, folders: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...folders];
  const worker = async (): Promise<void> => {
    for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
      const dir = join(root, folder);
      if (!existsSync(dir)) throw new Error(`${folder} does not exist`);
      try {
        const { stdout } = await execFileAsync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        out.set(folder, stdout);
      } catch (e) {
        throw new Error(`kubectl kustomize ${folder} failed: ${(e as { stderr?: string }).stderr || (e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), folders.length)) }, worker));
  return out;
}
