import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit, scaffold, TEMPLATES } from '../../src/cli/init.js';
import { main } from '../../src/cli/main.js';
import { unmarkedPins } from '../../src/testing/tree-checks.js';
import { tempRoot } from '../helpers.js';

/** `cdk8s-homelab init` without npm: what it writes and what it refuses. */
describe('cdk8s-homelab init', () => {
  test.each(TEMPLATES.map((t) => [t]))('%s: every file the scaffold needs, the library as a dependency', (template) => {
    const files = scaffold({ template, name: 'lab', library: 'file:/x/cdk8s-homelab-0.1.0.tgz' });
    expect([...files.keys()]).toEqual(['.ci/run', '.github/workflows/ci.yaml', '.gitignore', 'README.md', 'cdk8s.yaml', 'package.json', 'renovate.json', 'src/clusters/lab.ts', 'src/main.ts', 'src/settings.ts', 'test/estate.test.ts', 'tsconfig.json']);
    for (const [path, content] of files) expect(`${path}: ${content}`).not.toMatch(/\{\{\w+\}\}/);
    const pkg = JSON.parse(files.get('package.json')!);
    expect(pkg.dependencies['cdk8s-homelab']).toBe('file:/x/cdk8s-homelab-0.1.0.tgz');
    expect(pkg.scripts.test).toContain('build/test/estate.test.js');
    expect(files.get('src/clusters/lab.ts')).toContain("name: 'lab'");
    expect(files.get('src/main.ts')).toContain("import { lab } from './clusters/lab.js'");
    // the scaffold's source pins nothing Renovate cannot see
    expect(unmarkedPins(files.get('src/clusters/lab.ts')!)).toEqual([]);
  });

  test('the library version is the default dependency; a name with a digit first still gives a function name', () => {
    const own = JSON.parse(readFileSync('package.json', 'utf8'));
    const files = scaffold({ template: 'k3s', name: '2nd-lab' });
    expect(JSON.parse(files.get('package.json')!).dependencies['cdk8s-homelab']).toBe(`^${own.version}`);
    expect(files.get('src/main.ts')).toContain('cluster2ndLab');
  });

  test('refuses a non-empty directory, an unknown template, a missing template', () => {
    const root = tempRoot('init-');
    mkdirSync(join(root, 'taken'));
    writeFileSync(join(root, 'taken', 'x'), '');
    const log: string[] = [];
    expect(runInit(['taken', '--template', 'k3s'], root, (l) => log.push(l))).toBe(1);
    expect(log.join('\n')).toMatch(/not empty .*nothing was written/);
    expect(readdirSync(join(root, 'taken'))).toEqual(['x']);
    expect(runInit(['new', '--template', 'minikube'], root, (l) => log.push(l))).toBe(2);
    expect(runInit(['new'], root, (l) => log.push(l))).toBe(2);
    expect(log.join('\n')).toContain('--template is required');
  });

  test('writes into a new directory (and an empty one)', () => {
    const root = tempRoot('init-');
    mkdirSync(join(root, 'empty'));
    expect(runInit(['empty', '--template', 'oke', '--name', 'cloud'], root, () => undefined)).toBe(0);
    expect(readFileSync(join(root, 'empty', 'src/clusters/cloud.ts'), 'utf8')).toContain("distribution: 'oke'");
    expect(runInit(['a/b', '--template', 'talos-ha'], root, () => undefined)).toBe(0);
    expect(readdirSync(join(root, 'a', 'b', 'src', 'clusters'))).toEqual(['b.ts']);
  });
});

test("the scaffold's renovate.json covers the library and reads each marked pin's value", () => {
  const renovate = JSON.parse(scaffold({ template: 'k3s', name: 'lab' }).get('renovate.json')!);
  expect(renovate.packageRules.flatMap((r: { matchPackageNames?: string[] }) => r.matchPackageNames ?? [])).toContain('cdk8s-homelab');
  const source = [
    '  // renovate: datasource=docker depName=ghcr.io/me/app',
    "  image: { repository: 'ghcr.io/me/app', tag: '1.2.3' },",
    '  // renovate: datasource=helm depName=thing registryUrl=https://charts.example.org',
    "  version: '4.5.6',",
    '  // renovate: datasource=docker depName=nginx',
    "  image: 'nginx:1.27.0',",
  ].join('\n');
  const found = renovate.customManagers.flatMap((m: { matchStrings: string[] }) => m.matchStrings.flatMap((re) => [...source.matchAll(new RegExp(re, 'g'))].map((x) => `${x.groups!.depName}=${x.groups!.currentValue}`)));
  expect(found.sort()).toEqual(['ghcr.io/me/app=1.2.3', 'nginx=1.27.0', 'thing=4.5.6']);
  // and what the generic check asks a marker for, it finds one for here
  expect(unmarkedPins(source)).toEqual([]);
  expect(unmarkedPins("  image: 'nginx:1.27.0',").map((p) => p.line)).toEqual([1]);
});

describe('cdk8s-homelab', () => {
  test('help, unknown commands, and a repository without a compiled estate', async () => {
    const log: string[] = [];
    expect(await main(['help'], undefined, '.', (l) => log.push(l))).toBe(0);
    expect(log.join('\n')).toContain('init <dir> --template');
    expect(await main(['frobnicate'], undefined, '.', (l) => log.push(l))).toBe(2);
    const empty = tempRoot('cli-');
    expect(await main(['synth'], undefined, empty, (l) => log.push(l))).toBe(1);
    expect(log.at(-1)).toMatch(/no estate module at .*build\/src\/main\.js: compile the sources first/);
  });
});
