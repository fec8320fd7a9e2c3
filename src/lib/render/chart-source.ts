import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { ReleaseTarget } from './releases.js';

const run = promisify(execFile);

/** A chart folder on disk, and the digest that keys every render of it. */
export interface LocalChart {
  readonly dir: string;
  /** sha256 over every file's path and content: a changed chart never hits an old render. */
  readonly digest: string;
  /** `mirror`, `cache` or `pulled`. */
  readonly origin: 'mirror' | 'cache' | 'pulled';
}

export interface ChartLookup {
  /**
   * Folder holding `<chart>-<version>/` chart sources (unpacked, with their subcharts): the
   * offline chart mirror. @default - $HOMELAB_CHART_MIRROR, else none
   */
  readonly mirror?: string;
  /** Folder where pulled charts are kept, `<chart>-<version>/`. */
  readonly cacheDir: string;
  /** Pull a chart that is in neither the mirror nor the cache (needs the network). @default false */
  readonly pull?: boolean;
  /** helm, for `helm pull`. */
  readonly helm?: string;
}

/** Why a release cannot be rendered. */
export interface ChartMissing {
  readonly missing: string;
}

const digests = new Map<string, string>();

/**
 * Finds the chart of a release: in the mirror, in the cache, or (with `pull`) pulled from the
 * source the tree declares into the cache. Charts are keyed by name and version only: the mirror
 * and the cache are trusted to hold what the chart repository serves under that version.
 */
export async function findChart(t: ReleaseTarget, lookup: ChartLookup): Promise<LocalChart | ChartMissing> {
  const folder = `${t.chart}-${t.version}`;
  if (lookup.mirror && existsSync(join(lookup.mirror, folder, 'Chart.yaml'))) return local(join(lookup.mirror, folder), 'mirror');
  const cached = join(lookup.cacheDir, folder);
  if (existsSync(join(cached, 'Chart.yaml'))) return local(cached, 'cache');
  if (!t.source) return { missing: 'its chart source is not in the tree' };
  if (!lookup.pull || !lookup.helm) {
    return { missing: `chart ${folder} is in no mirror${lookup.mirror ? ` (${lookup.mirror})` : ''} and not cached; set HOMELAB_CHART_MIRROR, or render with --pull to fetch it from ${t.source.url}` };
  }
  try {
    await pull(t, lookup.helm, lookup.cacheDir, folder);
  } catch (e) {
    return { missing: `helm pull of ${folder} from ${t.source.url} failed: ${firstLine(e)}` };
  }
  return local(cached, 'pulled');
}

async function pull(t: ReleaseTarget, helm: string, cacheDir: string, folder: string): Promise<void> {
  const tmp = join(cacheDir, `.${folder}.${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const args = t.source!.kind === 'oci'
    ? ['pull', t.source!.url, '--version', t.version, '--untar', '--untardir', tmp]
    : ['pull', t.chart, '--repo', t.source!.url, '--version', t.version, '--untar', '--untardir', tmp];
  await run(helm, args, { timeout: 120_000 });
  // helm untars into <tmp>/<chart>; move it into place in one rename.
  renameSync(join(tmp, t.chart), join(cacheDir, folder));
  rmSync(tmp, { recursive: true, force: true });
}

function local(dir: string, origin: LocalChart['origin']): LocalChart {
  let digest = digests.get(dir);
  if (!digest) {
    digest = digestOf(dir);
    digests.set(dir, digest);
  }
  return { dir, digest, origin };
}

/** sha256 over the sorted relative paths and contents of every file under `dir`. */
export function digestOf(dir: string): string {
  const h = createHash('sha256');
  for (const file of filesUnder(dir)) {
    h.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex');
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return String(err.stderr || err.message || e).trim().split('\n')[0];
}
