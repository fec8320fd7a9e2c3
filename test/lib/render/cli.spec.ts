import { parseRenderArgs, runRenderCli } from '../../../src/lib/render/cli.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { rawComponent, tempRoot } from '../../helpers.js';
import { lab, labProps } from '../safety/fixtures.js';
import { demoComponent, helm, MIRROR } from './support.js';

async function run(argv: string[], build: () => Estate): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runRenderCli(argv, build, tempRoot('render-root-'), (s) => lines.push(s), helm);
  return { code, out: lines.join('\n') };
}

const mirror = `--mirror=${MIRROR}`;
const cache = () => `--cache=${tempRoot('render-cli-')}`;

describe('npm run render', () => {
  test('arguments: unknown ones and a bad concurrency are usage errors; the mirror defaults to HOMELAB_CHART_MIRROR', () => {
    expect(parseRenderArgs(['--fast'])).toMatch(/^unknown argument\(s\): --fast\nusage: npm run render/);
    expect(parseRenderArgs(['--concurrency=0'])).toMatch(/is not a positive whole number/);
    expect(parseRenderArgs([], { HOMELAB_CHART_MIRROR: '/m' })).toMatchObject({ mirror: '/m', pull: false, strict: false });
    expect(parseRenderArgs(['--mirror=/x', '--pull', '--cluster=a', '--cluster=b'], { HOMELAB_CHART_MIRROR: '/m' })).toMatchObject({ mirror: '/x', pull: true, clusters: ['a', 'b'] });
  });

  test('a clean estate exits 0 and lists what it could not render', async () => {
    const { code, out } = await run([mirror, cache()], () => lab({ extra: (c) => demoComponent(c) }));
    expect(out).toContain("not checked (1): these releases were not rendered, so nothing is known about them\n  [lab] HelmRelease 'nfs-provisioner/nfs' (csi-driver-nfs 4.13.4)");
    expect(out).toMatch(/render: 2 HelmReleases in 1 clusters: 1 rendered \(0 from cache\), 1 not checked, 0 problem\(s\), 0 warning\(s\) in \d+ ms/);
    expect(code).toBe(0);
  });

  test('a render error exits 1 and prints the problem with cluster, path, field and fix', async () => {
    const { code, out } = await run([mirror, cache()], () => lab({ extra: (c) => demoComponent(c, { mode: 'batch' }) }));
    expect(code).toBe(1);
    expect(out).toMatch(/^\[lab\] lab\/demo \(clusters\/lab\/demo\/demo\/app\/helmrelease\.yaml\) › spec\.values: chart demo 1\.0\.0 does not render/m);
    expect(out).toMatch(/\n {4}fix: \S/);
  });

  test('warnings fail only with --strict', async () => {
    const build = () => lab({ extra: (c) => demoComponent(c, { replica: 2 }) });
    expect((await run([mirror, cache()], build)).code).toBe(0);
    expect((await run([mirror, cache(), '--strict'], build)).code).toBe(1);
  });

  test('--cluster limits the check; an unknown cluster, a missing mirror and a failing synth are one-line errors', async () => {
    const two = () => {
      const e = lab({ extra: (c) => demoComponent(c) });
      const other = new HomelabCluster(e, labProps({ name: 'other', domain: 'other.example.com' }));
      demoComponent(other, { mode: 'batch' });
      return e;
    };
    expect((await run([mirror, cache(), '--cluster=lab'], two)).code).toBe(0);
    expect((await run([mirror, cache(), '--cluster=other'], two)).code).toBe(1);
    expect((await run([mirror, '--cluster=nope'], two)).out).toBe('render failed: no cluster named nope (clusters: lab, other)');
    expect((await run(['--mirror=/nonexistent/mirror'], two)).out).toBe('render failed: the chart mirror /nonexistent/mirror does not exist (--mirror or HOMELAB_CHART_MIRROR)');
    const noHelm: string[] = [];
    expect(await runRenderCli([mirror], two, tempRoot(), (l) => noHelm.push(l), () => undefined)).toBe(1);
    expect(noHelm).toEqual([expect.stringMatching(/^render failed: no helm found\. Install helm/)]);
    const broken = await run([mirror], () => lab({ extra: (c) => rawComponent(c, { name: 'Bad_Name', namespace: 'x' }) }));
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^render failed: synth has \d+ problem\(s\); fix them first \(npm run synth\)/);
  });
});
