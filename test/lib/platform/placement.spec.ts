import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The group rule of docs/architecture.md ("Folders of the generated tree"): a platform component's
 * group folder is the service it gives the cluster, from one fixed list. Every platform class
 * publishes its default placement as `static placement`; this finds them all, so a new class with
 * an invented group fails here.
 */
const PLATFORM_GROUPS = ['network', 'ingress', 'certs', 'storage', 'databases', 'secrets', 'monitoring', 'flux'];

function platformModules(dir = join('src', 'lib', 'platform')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return platformModules(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** A class's default placement: `static placement`, or an ingress controller's `static defaults.placement`. */
interface Placed { placement?: { group?: unknown }; defaults?: { placement?: { group?: unknown } } }

async function placements(): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [];
  for (const file of platformModules()) {
    const mod: Record<string, unknown> = await import(pathToFileURL(join(process.cwd(), file)).href);
    for (const [name, value] of Object.entries(mod)) {
      const placed = value as Placed;
      const group = typeof value === 'function' ? (placed.placement ?? placed.defaults?.placement)?.group : undefined;
      if (group !== undefined && !file.endsWith('index.ts')) out.push([`${relative('src', file)}: ${name}`, group]);
    }
  }
  return out;
}

describe('platform group folders', () => {
  test('every platform class places itself in one of the documented groups', async () => {
    const found = await placements();
    const names = found.map(([where]) => where.split(': ')[1]);
    expect(names).toEqual(expect.arrayContaining(['Traefik', 'IngressNginx', 'Cilium', 'Longhorn', 'CertManager', 'KubePrometheusStack']));
    expect(found.filter(([, group]) => !PLATFORM_GROUPS.includes(group as string))).toEqual([]);
  });
});
