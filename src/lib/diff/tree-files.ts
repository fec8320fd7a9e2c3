import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../output/writer.js';
import { isGenerated } from '../output/yaml.js';

/** A tree as files: repository-relative path (`clusters/<name>/…`) → content. */
export type TreeFiles = ReadonlyMap<string, string>;

/** Thrown for an input the diff cannot read (unknown ref, missing folder): a usage problem. */
export class TreeSourceError extends Error {}

/**
 * The files of `dir` (default `clusters`) as committed at `ref`, read with one `git cat-file
 * --batch` (no checkout, and one process however many files: the tree has hundreds).
 */
export function gitTreeFiles(repo: string, ref: string, dir = 'clusters'): Map<string, string> {
  const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8' });
  if (commit.status !== 0) throw new TreeSourceError(`'${ref}' is not a commit of the repository at ${repo}`);
  const listing = execFileSync('git', ['ls-tree', '-r', '-z', '--full-tree', ref, '--', dir], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const blobs: { path: string; sha: string }[] = [];
  for (const entry of listing.split('\0').filter(Boolean)) {
    // `<mode> blob <sha>\t<path>`; submodules (commit) and symlinks are not manifests.
    const [meta, path] = entry.split('\t');
    const [mode, type, sha] = meta.split(' ');
    if (type === 'blob' && mode !== '120000') blobs.push({ path, sha });
  }
  return new Map(readBlobs(repo, blobs).map((content, i) => [blobs[i].path, content]));
}

/** Contents of the blobs, in order, from one `git cat-file --batch`. */
function readBlobs(repo: string, blobs: readonly { sha: string }[]): string[] {
  if (blobs.length === 0) return [];
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd: repo, input: blobs.map((b) => b.sha).join('\n') + '\n', maxBuffer: 1024 * 1024 * 1024 });
  const contents: string[] = [];
  let at = 0;
  for (let i = 0; i < blobs.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new TreeSourceError(`git cat-file could not read ${blobs[i].sha}: ${header}`);
    contents.push(out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return contents;
}

/**
 * The files of a tree folder on disk, keyed as `clusters/…` whatever the folder is called: `dir`
 * is either a repository root holding `clusters/` or the clusters folder itself.
 */
export function folderTreeFiles(dir: string): Map<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TreeSourceError(`${dir} is not a folder`);
  const base = existsSync(join(dir, 'clusters')) ? join(dir, 'clusters') : dir;
  return new Map(listFiles(base, base).map((p) => [`clusters/${p}`, readFileSync(join(base, p), 'utf8')]));
}

/**
 * What `clusters/` holds after synth writes `files`: its files plus the user's own files on disk
 * (SOPS-encrypted Secrets, gotk-components.yaml), which synth keeps but does not produce.
 */
export function synthTreeFiles(root: string, files: ReadonlyMap<string, string>, dir = 'clusters'): Map<string, string> {
  const out = new Map([...files].filter(([p]) => p.startsWith(`${dir}/`)));
  for (const p of listFiles(root, join(root, dir))) {
    if (out.has(p)) continue;
    const content = readFileSync(join(root, p), 'utf8');
    if (!isGenerated(content)) out.set(p, content);
  }
  return out;
}
