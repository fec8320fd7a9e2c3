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
