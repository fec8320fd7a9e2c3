import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

/** Reading a generated tree for the generic checks (estate-checks.ts): Flux folders, kustomize, pins. */

const execFileAsync = promisify(execFile);

type Manifest = Record<string, any>;

/** The object documents of a YAML file. */
export function yamlDocs(content: string): Manifest[] {
  return parseAllDocuments(content).map((d) => d.toJSON() as Manifest).filter((o) => o !== null && typeof o === 'object');
}

/** Folders the cluster's own Flux Kustomizations (and FluxInstance / root sync) apply, repository-relative. */
export function fluxAppliedFolders(files: ReadonlyMap<string, string>): string[] {
  const folders = new Set<string>();
  for (const [file, content] of files) {
    if (!file.endsWith('.yaml')) continue;
    for (const o of yamlDocs(content)) {
      // Kustomizations of another source (upstream CRDs) apply that repository's folders, not ours.
      if (o.kind === 'Kustomization' && o.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' && (o.spec?.sourceRef?.name ?? 'flux-system') === 'flux-system') folders.add(String(o.spec.path).replace(/^\.\//, ''));
      if (o.kind === 'FluxInstance' && o.spec?.sync?.path) folders.add(String(o.spec.sync.path).replace(/^\.\//, ''));
    }
  }
  return [...folders].sort();
}

/** Builds folders with `kubectl kustomize`, as many at once as the machine has cores; returns the failures. */
export async function kustomizeFailures(root: string, folders: readonly string[]): Promise<string[]> {
  const failures: string[] = [];
  const queue = [...folders];
  const worker = async (): Promise<void> => {
    for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
      if (!existsSync(join(root, folder))) {
        failures.push(`${folder}: does not exist in the generated tree`);
        continue;
      }
      try {
        await execFileAsync('kubectl', ['kustomize', join(root, folder)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      } catch (e) {
        const err = e as NodeJS.ErrnoException & { stderr?: string };
        if (err.code === 'ENOENT') {
          failures.push('kubectl not found on PATH: install kubectl (it bundles kustomize), or pass `kustomize: false` / `--no-kustomize`');
          queue.length = 0;
          return;
        }
        failures.push(`${folder}: ${(err.stderr || err.message).trim()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), folders.length)) }, worker));
  return failures.sort();
}

/** Every file a kustomize build of `folder` reads: its kustomization.yaml resources, recursively. */
export function kustomizedFiles(files: ReadonlyMap<string, string>, folder: string, out = new Set<string>()): Set<string> {
  const kfile = `${folder}/kustomization.yaml`;
  const k = files.get(kfile);
  if (k === undefined) return out;
  out.add(kfile);
  for (const r of ((yamlDocs(k)[0]?.resources ?? []) as string[])) {
    const path = `${folder}/${r}`.replace(/\/\.\//g, '/').replace(/\/$/, '');
    if (files.has(path)) out.add(path);
    else kustomizedFiles(files, path, out);
  }
  return out;
}

/**
 * Version-looking pins (`tag: '1.2.3'`, `version: '1.2.3'`, `image: 'repo:1.2.3'`) with no
 * `// renovate:` comment on the line above. The library's own pins are marked in the library
 * (Renovate bumps the library); these are the pins the user's source adds.
 */
export function unmarkedPins(source: string): { line: number; text: string }[] {
  const lines = source.split('\n');
  const out: { line: number; text: string }[] = [];
  lines.forEach((text, i) => {
    const pin = /\b(tag|version|image)\s*:\s*['"`][^'"`]*\d+\.\d+[^'"`]*['"`]/.test(text) && !/^\s*(\/\/|\*|\/\*)/.test(text);
    if (pin && !/\/\/\s*renovate:/.test(lines[i - 1] ?? '') && !/renovate: ?ignore/.test(text)) out.push({ line: i + 1, text });
  });
  return out;
}

