import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../src/lib/synth/cli.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { writeTreeAtomically, TreeLockedError } from '../../../src/lib/output/writer.js';
import { configMap, rawComponent, readTree, tempRoot } from '../../helpers.js';
import { cli, lab } from './fixtures.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// The child runs as plain JavaScript from build/ (what `npm run synth` runs), transpiled once per
// run: through ts-node each child transpiled src/ again, about 2 s of CPU apiece.
const CHILD = join(REPO, 'build/test/lib/safety/fixtures/synth-child.js');
let transpiled = false;
function transpileChild(): void {
  if (transpiled) return;
  const r = spawnSync(process.execPath, ['scripts/transpile.mjs', 'src', 'imports', 'test'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) throw new Error(`transpiling the child synth failed: ${r.stderr}`);
  transpiled = true;
}

/** Runs the child synth in its own Node process. */
function child(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  transpileChild();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--no-warnings', CHILD, ...args], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

const grown = () => lab({ extra: (c) => { for (let i = 0; i < 20; i++) rawComponent(c, { name: `app-${i}`, namespace: `app-${i}` }, [configMap(`settings-${i}`)]); } });

/** The trees the two variants produce, written into roots of their own. */
function references(): { base: Map<string, string>; grown: Map<string, string> } {
  const a = tempRoot('ref-base-');
  const b = tempRoot('ref-grown-');
  synthesize(lab(), { root: a });
  synthesize(grown(), { root: b });
  return { base: readTree(a), grown: readTree(b) };
}

const leftovers = (root: string) => readdirSync(root).filter((f) => f.startsWith('.clusters-'));

describe('the write survives failures', () => {
  const ref = references();

  test('an error between two files leaves the old tree, whole; the next synth writes the new one', () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    expect(() => synthesize(grown(), { root, hooks: { afterFile: (n) => { if (n === 7) throw new Error('disk full'); } } })).toThrow('disk full');
    expect([...readTree(root)]).toEqual([...ref.base]);
    expect(leftovers(root)).toEqual([]);
    synthesize(grown(), { root });
    expect([...readTree(root)]).toEqual([...ref.grown]);
  });

  test('an error between the two renames puts the old tree back at once', () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    expect(() => synthesize(grown(), { root, hooks: { betweenRenames: () => { throw new Error('power cut'); } } })).toThrow('power cut');
    expect([...readTree(root)]).toEqual([...ref.base]);
    expect(leftovers(root)).toEqual([]);
  });

  test('a synth killed (SIGKILL) between files leaves the old tree; its lock and staging are cleaned by the next run', async () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    const killed = await child([root, 'grown', 'kill-after-file:10']);
    expect(killed.signal).toBe('SIGKILL');
    expect([...readTree(root)]).toEqual([...ref.base]);
    expect(leftovers(root).sort()).toEqual(['.clusters-lock', expect.stringMatching(/^\.clusters-staging-\d+$/)]);
    // The dead synth's lock does not block the next one, which writes the new tree and cleans up.
    expect(cli(['--quiet'], grown, root).code).toBe(0);
    expect([...readTree(root)]).toEqual([...ref.grown]);
    expect(leftovers(root)).toEqual([]);
  }, 120_000);

  test('a synth killed between its two renames: the next synth (even --check) restores the old tree first', async () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    const killed = await child([root, 'grown', 'kill-between-renames']);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(root, 'clusters'))).toBe(false);
    expect(leftovers(root)).toEqual(expect.arrayContaining([expect.stringMatching(/^\.clusters-old-\d+$/)]));
    const check = cli(['--check', '--quiet'], lab, root);
    expect(check.out).toContain('up to date');
    expect([...readTree(root)]).toEqual([...ref.base]);
    expect(leftovers(root)).toEqual([]);
  }, 120_000);
});

describe('concurrent synths', () => {
  const ref = references();

  test('two processes synthesizing different trees into one root take turns and never leave a mix', async () => {
    const root = tempRoot('concurrent-');
    synthesize(lab(), { root });
    const [a, b] = await Promise.all([child([root, 'base', 'cli', '3']), child([root, 'grown', 'cli', '3'])]);
    // Each synth holds the lock for its whole run, so the other waits: every run succeeds.
    for (const r of [a, b]) expect(r).toEqual({ code: 0, signal: null, out: '' });
    const tree = readTree(root);
    expect([[...ref.base], [...ref.grown]]).toContainEqual([...tree]);
    expect(leftovers(root)).toEqual([]);
  }, 120_000);

  test('a second writer waits for the lock; one that cannot get it fails with a clear message, writing nothing', () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    const before = readTree(root);
    mkdirSync(join(root, '.clusters-lock'));
    writeFileSync(join(root, '.clusters-lock', 'pid'), String(process.pid)); // held by a live process
    const files = new Map([['clusters/lab/x.yaml', '# Generated by cdk8s-homelab from x\n']]);
    let error: unknown;
    const t0 = Date.now();
    try {
      writeTreeAtomically(root, 'clusters', files, { lockWaitMs: 300 });
    } catch (e) {
      error = e;
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(error).toBeInstanceOf(TreeLockedError);
    expect((error as Error).message).toMatch(new RegExp(`another synth \\(pid ${process.pid}\\) is writing clusters/ \\(lock .*\\.clusters-lock\\) and did not finish within 0 s; wait for it, or remove the folder if no synth is running`));
    expect([...readTree(root)]).toEqual([...before]);
  });

  test('a write whose tree changed on disk since it was read is refused (the writer compares under the lock)', () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    const planned = synthesize(lab(), { root, check: true });
    synthesize(grown(), { root }); // another synth got there first
    expect(() => writeTreeAtomically(root, 'clusters', planned.files, {}, planned.diff)).toThrow(/clusters\/ changed on disk while this synth ran/);
    expect([...readTree(root)]).toEqual([...ref.grown]);
  });

  test('the CLI reports a lock it cannot get as a problem, without a stack trace', () => {
    const root = tempRoot();
    synthesize(lab(), { root });
    mkdirSync(join(root, '.clusters-lock'));
    writeFileSync(join(root, '.clusters-lock', 'pid'), String(process.pid));
    const lines: string[] = [];
    const code = runCli(['--quiet'], lab, root, (s) => lines.push(s), { lockWaitMs: 100 });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/^synth failed: another synth \(pid \d+\) is writing clusters\/ .*; nothing was written\.$/);
  });
});
