import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A package-lock.json for a scaffolded repository, cut from this repository's own lockfile: tests
 * install offline (`npm install --offline`), and the npm cache `npm ci` filled holds the tarballs
 * (found by integrity) but not the registry's package documents a lockless install asks for. The
 * scaffold's dependencies and the library's are this repository's, at the same versions, so every
 * entry the scaffold needs is in this repository's lockfile; the library itself is the tarball.
 */

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  bin?: Record<string, string>;
  license?: string;
}

/** Where `dep` required from the package at `from` (a lockfile key, '' for the root) resolves to. */
function resolveFrom(packages: Record<string, LockEntry>, from: string, dep: string): string | undefined {
  let base = from;
  for (;;) {
    const key = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
    if (packages[key]) return key;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** The lockfile of a scaffold whose package.json is `pkg`, with the library installed from `tarball`. */
export function scaffoldLockfile(repoLockFile: string, pkg: Manifest, library: Manifest, tarball: string): Lockfile {
  const repo = JSON.parse(readFileSync(repoLockFile, 'utf8')) as Lockfile;
  const source = repo.packages;
  const libKey = `node_modules/${library.name}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, LockEntry> = {
    '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, devDependencies: pkg.devDependencies, engines: pkg.engines },
    [libKey]: { version: library.version, resolved: `file:${tarball}`, integrity, license: library.license, dependencies: library.dependencies, bin: library.bin, engines: library.engines },
  };
  const missing: string[] = [];
  const queue: [string, Record<string, string> | undefined][] = [
    ['', { ...pkg.dependencies, ...pkg.devDependencies }],
    [libKey, library.dependencies],
  ];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const [from, deps] = item;
    for (const dep of Object.keys(deps ?? {})) {
      if (dep === library.name) continue;
      // The library's own dependencies resolve from the root, where the repository's lockfile has them.
      const key = resolveFrom(source, from === libKey ? '' : from, dep);
      if (key === undefined) {
        missing.push(`${from || '<root>'} → ${dep}`);
        continue;
      }
      if (packages[key]) continue;
      const { dev: _dev, devOptional: _devOptional, ...entry } = source[key];
      packages[key] = entry;
      const optional = Object.fromEntries(Object.entries(entry.optionalDependencies ?? {}).filter(([d]) => resolveFrom(source, key, d) !== undefined));
      const peers = Object.fromEntries(Object.entries(entry.peerDependencies ?? {}).filter(([d]) => resolveFrom(source, key, d) !== undefined));
      queue.push([key, { ...entry.dependencies, ...optional, ...peers }]);
    }
  }
  if (missing.length > 0) throw new Error(`not in package-lock.json (so not in the npm cache npm ci filled): ${missing.join(', ')}`);
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
}
