import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the repository root: the nearest folder above `from` holding package.json. Works
 * from src/lib/validation (ts-jest) and from dist/src/lib/validation (after tsc) alike.
 */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

let root: string | undefined;

/** Absolute path of a file below the repository's imports/ folder. */
export function importsPath(relative: string): string {
  root ??= findRepoRoot();
  return path.join(root, 'imports', relative);
}

const jsonCache = new Map<string, unknown>();

/**
 * Reads (once) and returns a generated JSON file below imports/, or undefined if it does not
 * exist. Validation reads nothing outside the repository.
 */
export function readImportJson<T>(relative: string): T | undefined {
  if (jsonCache.has(relative)) return jsonCache.get(relative) as T | undefined;
  const file = importsPath(relative);
  const value = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
  jsonCache.set(relative, value);
  return value;
}
