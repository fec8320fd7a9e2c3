import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDiffArgs, runDiffCli } from '../../../src/lib/diff/cli.js';
import { capText, formatSummary, SUMMARY_CAP } from '../../../src/lib/diff/summary.js';
import { runCli } from '../../../src/lib/synth/cli.js';
import { configMap, rawComponent, tempRoot, testCluster } from '../../helpers.js';
import { helm } from '../render/support.js';
import { lab } from '../safety/fixtures.js';
import { deployment, diffPlain, pvc, tree } from './support.js';

const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** A temporary git repository whose commits are the given trees (file → content), in order. */
function repoWith(trees: Map<string, string>[]): { root: string; commits: string[] } {
  const root = tempRoot('diff-repo-');
  git(root, 'init', '-q');
  git(root, 'config', 'user.email', 'test@example.com');
  git(root, 'config', 'user.name', 'test');
  const commits: string[] = [];
  for (const t of trees) {
    rmSync(join(root, 'clusters'), { recursive: true, force: true });
    for (const [p, content] of t) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), content);
    }
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '--allow-empty', '-m', `tree ${commits.length}`);
    commits.push(git(root, 'rev-parse', 'HEAD'));
  }
  return { root, commits };
}

async function run(argv: string[], root: string, build = (): never => { throw new Error('no model needed'); }) {
  const lines: string[] = [];
  const code = await runDiffCli(argv, build as any, root, (s) => lines.push(s), helm);
  return { code, out: lines.join('\n') };
}

describe('npm run diff', () => {
  test('arguments: both --name value and --name=value; unknown ones are usage errors (exit 2)', async () => {
    expect(parseDiffArgs(['--from', 'main', '--to=HEAD', '--cluster', 'a', '--cluster=b', '--no-render'], {})).toMatchObject({ from: 'main', to: 'HEAD', clusters: ['a', 'b'], render: false, out: join('dist', 'diff') });
    expect(parseDiffArgs([], { HOMELAB_CHART_MIRROR: '/m' })).toMatchObject({ from: 'HEAD', to: undefined, mirror: '/m', render: true, pull: false });
    expect(parseDiffArgs(['--pull'], {})).toMatchObject({ pull: true });
    expect(parseDiffArgs(['--fast'])).toMatch(/^unknown argument: --fast\nusage: npm run diff/);
    expect(parseDiffArgs(['--from'])).toMatch(/^--from needs a value/);
    expect((await run(['--bogus'], tempRoot())).code).toBe(2);
  });

  test('ref against ref in a git repository: reads both trees with git (no checkout) and writes summary.md and full.diff', async () => {
    const v1 = tree({ 'apps/web/app/d.yaml': [deployment('web')], 'apps/web/app/p.yaml': [pvc('data')] });
    const v2 = tree({ 'apps/web/app/d.yaml': [deployment('web', 'ghcr.io/example/app:2.0.0')] });
    const { root, commits } = repoWith([v1, v2]);
    writeFileSync(join(root, 'clusters/lab/apps/web/app/d.yaml'), 'not what either commit holds');
    const out = join(root, 'out');
    const r = await run(['--from', commits[0], '--to', commits[1], '--no-render', '--out', out], root);
    expect(r.code).toBe(0);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(r.out).toContain(summary.trimEnd());
    expect(summary).toContain('**1 changed, 0 added, 1 removed** object(s), 0 unchanged, in 1 of 1 cluster(s)');
    expect(summary).toMatch(/\*\*Data loss \(1\)\*\*\n\n- `lab` `apps\/web` - PersistentVolumeClaim demo\/data: PersistentVolumeClaim removed/);
    expect(summary).toContain('**Image major bumps (1)**');
    expect(summary.indexOf('### Risks')).toBeLessThan(summary.indexOf('### Changes'));
    expect(readFileSync(join(out, 'full.diff'), 'utf8')).toContain('-          image: ghcr.io/example/app:1.2.3\n+          image: ghcr.io/example/app:2.0.0');
    expect(r.out).toMatch(/^diff: 1 changed, 0 added, 1 removed, 2 risky, 0 not rendered in \d+ ms/m);
    // A folder works as a side too; an unknown ref and an unknown cluster are usage errors.
    const folder = await run(['--from', commits[1], '--to', 'clusters', '--no-render', '--out', out], root);
    expect(folder.out).toContain('**0 changed, 0 added, 1 removed**');
    expect((await run(['--from', 'no-such-ref', '--to', commits[1], '--no-render', '--out', out], root)).out).toMatch(/^diff failed: 'no-such-ref' is not a commit/);
    expect(await run(['--from', commits[0], '--to', commits[1], '--no-render', '--cluster', 'nope', '--out', out], root)).toEqual({ code: 2, out: 'diff failed: no cluster named nope (clusters: lab)' });
  });

  test('HEAD against synth: the model now, with the user files synth keeps, compared with the commit', async () => {
    const model = (extra: boolean) => () => {
      const { estate, cluster } = testCluster();
      rawComponent(cluster, { name: 'a', namespace: 'a' }, [configMap('x')]);
      if (extra) rawComponent(cluster, { name: 'b', namespace: 'b' }, [configMap('y')]);
      return estate;
    };
    const { root } = repoWith([]);
    expect(runCli([], model(false), root, () => undefined)).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'synth');
    const same = await run(['--out', 'o', '--no-render'], root, model(false) as any);
    expect(same.out).toContain('**0 changed, 0 added, 0 removed**');
    const grown = await run(['--out', 'o', '--no-render'], root, model(true) as any);
    expect(grown.out).toContain('## Flux diff: `HEAD` → `synth (working tree)`');
    expect(grown.out).toContain('- + `b/b` ConfigMap b/y\n- + `b/b` Namespace b\n- + `b/b` Kustomization (kustomize.toolkit.fluxcd.io) flux-system/b');
    expect(existsSync(join(root, 'o', 'full.diff'))).toBe(true);
    expect(git(root, 'status', '--porcelain', 'clusters')).toBe('');
  });

  test('the summary stays under its cap, risks first, with a truncation note', async () => {
    const many = (image: string) => tree(Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`apps/a${i}/app/d.yaml`, [deployment(`app-${i}`, image)]])));
    const r = await diffPlain(many('ghcr.io/example/app:1.0.0'), many('ghcr.io/example/app:1.0.1'));
    const summary = formatSummary(r);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_CAP);
    expect(summary).toMatch(/\n… summary truncated at 60 KB: \d+ more line\(s\); the full diff is in full\.diff\.\n$/);
    expect(capText(['a', 'b'], 100)).toBe('a\nb\n');
    const tiny = capText(Array.from({ length: 100 }, () => 'x'.repeat(10)), 300);
    expect(Buffer.byteLength(tiny)).toBeLessThanOrEqual(300);
  });
});

describe('synth --check', () => {
  test('after the stale files, prints the object counts and risk classes (no helm involved)', () => {
    const root = tempRoot();
    const first: string[] = [];
    expect([runCli(['--quiet'], () => lab(), root, (s) => first.push(s)), first.filter((l) => !l.startsWith('synth:'))]).toEqual([0, []]);
    const lines: string[] = [];
    expect(runCli(['--check', '--quiet', '--allow-data-loss=PersistentVolumeClaim/web/web-data'], () => lab({ withoutClaim: true }), root, (s) => lines.push(s))).toBe(1);
    const out = lines.join('\n');
    expect(out).toMatch(/check: clusters\/ differs from what synth writes \(\d+ file\(s\)\)[^]*  removed: clusters\/lab\/\S*persistentvolumeclaim\.yaml/);
    expect(out).toMatch(/check: objects \d+ changed, 0 added, 1 removed \(charts not rendered; `npm run diff` shows fields and rendered charts\)\ncheck: risks: data loss 1, immutable fields 0, crd changes 0, image major bumps 0\n  data loss: \[lab\] \S+ - PersistentVolumeClaim web\/web-data: PersistentVolumeClaim removed/);
  });
});
