import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordRun, unchangedSinceLastRun } from '../../../src/lib/synth/last-run.js';
import { tempRoot } from '../../helpers.js';

/** The no-op synth shortcut: replay only when nothing synth reads has moved. */
describe('last synth run', () => {
  const repo = (): string => {
    const root = tempRoot('last-run-');
    for (const dir of ['src', 'build/src', 'imports', 'clusters/lab']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'package-lock.json'), '{}');
    writeFileSync(join(root, 'src/main.ts'), 'x');
    writeFileSync(join(root, 'build/src/main.js'), 'x');
    writeFileSync(join(root, 'imports/charts.ts'), 'x');
    writeFileSync(join(root, 'clusters/lab/ks.yaml'), 'x');
    return root;
  };
  const env = { PATH: '/bin' };

  test('replays the recorded output while nothing changed', () => {
    const root = repo();
    expect(unchangedSinceLastRun(root, [], env)).toBeUndefined();
    recordRun(root, [], ['lab: 1 objects'], env);
    expect(unchangedSinceLastRun(root, [], env)).toEqual(['lab: 1 objects']);
  });

  test.each([
    ['a cluster file edited', (root: string) => { const later = new Date(Date.now() + 5000); utimesSync(join(root, 'src/main.ts'), later, later); }],
    ['a file of the tree changed by hand', (root: string) => writeFileSync(join(root, 'clusters/lab/ks.yaml'), 'changed')],
    ['a file added to the tree by hand', (root: string) => writeFileSync(join(root, 'clusters/lab/extra.yaml'), 'new')],
    ['a file of the tree removed by hand', (root: string) => rmSync(join(root, 'clusters/lab/ks.yaml'))],
    ['the compiled code rebuilt', (root: string) => writeFileSync(join(root, 'build/src/main.js'), 'rebuilt')],
    ['a schema regenerated', (root: string) => writeFileSync(join(root, 'imports/charts.ts'), 'bumped')],
    ['the lockfile changed', (root: string) => writeFileSync(join(root, 'package-lock.json'), '{"v":2}')],
  ])('synthesizes again after %s', (_what, change) => {
    const root = repo();
    recordRun(root, [], ['out'], env);
    change(root);
    expect(unchangedSinceLastRun(root, [], env)).toBeUndefined();
  });

  test('other arguments, another HOMELAB_ variable, HOMELAB_FORCE_SYNTH or the cdk8s CLI synthesize again', () => {
    const root = repo();
    recordRun(root, [], ['out'], env);
    expect(unchangedSinceLastRun(root, ['--strict'], env)).toBeUndefined();
    expect(unchangedSinceLastRun(root, [], { ...env, HOMELAB_CHART_MIRROR: '/m' })).toBeUndefined();
    expect(unchangedSinceLastRun(root, [], { ...env, HOMELAB_FORCE_SYNTH: '1' })).toBeUndefined();
    expect(unchangedSinceLastRun(root, [], { ...env, CDK8S_OUTDIR: 'dist' })).toBeUndefined();
    expect(unchangedSinceLastRun(root, [], env)).toEqual(['out']);
  });
});
