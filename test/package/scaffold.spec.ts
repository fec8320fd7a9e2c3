import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES } from '../../src/cli/init.js';
import { tempRoot } from '../helpers.js';
import { scaffoldLockfile } from './lockfile.js';

/**
 * The package as a user gets it, offline: `npm pack` → `cdk8s-homelab init` from each template →
 * install the tarball (`npm install --offline`: every dependency from the npm cache `npm ci` filled)
 * → `npm run synth` → the scaffold's own `npm test` (the library's generic checks). Slow (a pack
 * and four installs): its own runner (test/package.test.ts) so it runs beside the others. Times
 * and the package size are printed and written to <temp>/package-report.json.
 */

const REPO = process.cwd();
const work = tempRoot('homelab-package-');
const report: Record<string, unknown> = {};

/** The environment of the npm children: the outer `npm run`'s npm_* variables would steer them. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || /^npm_config_(cache|registry)$/i.test(k)) env[k] = v;
  // Jest's ESM flag is for this process, not for the scaffold's tsc/node.
  delete env.NODE_OPTIONS;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function run(cmd: string, args: string[], cwd: string): { ms: number; out: string; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${out.split('\n').slice(-60).join('\n')}`);
  return { ms: Math.round(performance.now() - t0), out, stdout: r.stdout ?? '' };
}

let tarball: string | undefined;

describe('the npm package', () => {
  test('npm pack builds the package (prepack) and gives a tarball', () => {
    const dest = join(work, 'pack');
    mkdirSync(dest);
    const { ms, stdout } = run('npm', ['pack', '--json', '--pack-destination', dest], REPO);
    // prepack's output precedes the JSON on stdout
    const info = JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0] as { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };
    tarball = join(dest, info.filename);
    expect(existsSync(tarball)).toBe(true);
    const paths = info.files.map((f) => f.path);
    for (const p of ['package.json', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/bin.js', 'dist/src/api/estate.d.ts', 'templates/common/src/main.ts', 'imports/schemas/k8s/index.json']) expect(paths).toContain(p);
    // no test, no reference estate, no TypeScript sources of the library
    expect(paths.filter((p) => p.startsWith('test/') || p.startsWith('src/') || p.startsWith('dist/src/clusters/') || p.startsWith('dist/test/'))).toEqual([]);
    report.pack = { ms, size: info.size, unpackedSize: info.unpackedSize, files: info.entryCount };
    console.log(`npm pack: ${(info.size / 1e6).toFixed(2)} MB packed, ${(info.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${info.entryCount} files, ${ms} ms (with the prepack build)`);
  }, 300_000);

  test('init refuses a non-empty directory and writes nothing', () => {
    const dir = join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const r = spawnSync(process.execPath, [join(REPO, 'dist/src/cli/bin.js'), 'init', dir, '--template', 'k3s'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/is not empty \(keep\.txt\); nothing was written/);
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).trim()).toBe('keep.txt');
  });

  describe.each(TEMPLATES.map((t) => [t]))('a repository scaffolded from %s', (template) => {
    const dir = join(work, template);
    const times: Record<string, number> = {};

    test('init writes the scaffold', () => {
      if (!tarball) throw new Error('no tarball (npm pack failed)');
      const { ms } = run(process.execPath, [join(REPO, 'dist/src/cli/bin.js'), 'init', dir, '--template', template, '--library', `file:${tarball}`], work);
      times.init = ms;
      for (const f of ['package.json', 'tsconfig.json', 'cdk8s.yaml', `src/clusters/${template}.ts`, 'src/main.ts', 'src/settings.ts', '.ci/run', '.github/workflows/ci.yaml', 'renovate.json', 'README.md', 'test/estate.test.ts', '.gitignore']) {
        expect(existsSync(join(dir, f))).toBe(true);
      }
      expect(statSync(join(dir, '.ci/run')).mode & 0o111).not.toBe(0);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg.dependencies['cdk8s-homelab']).toBe(`file:${tarball}`);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(readme).toContain('npm ci && npm run synth');
      expect(readme).toContain('npm test');
      const renovate = JSON.parse(readFileSync(join(dir, 'renovate.json'), 'utf8'));
      expect(JSON.stringify(renovate.packageRules)).toContain('cdk8s-homelab');
      expect(renovate.customManagers.length).toBeGreaterThan(0);
    });

    test('the tarball installs offline', () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const lib = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(scaffoldLockfile(join(REPO, 'package-lock.json'), pkg, lib, tarball!), null, 2));
      times.install = run('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir).ms;
      expect(existsSync(join(dir, 'node_modules/.bin/cdk8s-homelab'))).toBe(true);
    }, 300_000);

    test('npm run synth writes clusters/ (strict: no warning either)', () => {
      const { ms, out } = run('npm', ['run', 'synth', '--', '--strict'], dir);
      times.synth = ms;
      expect(out).toMatch(new RegExp(`^${template}: \\d+ objects`, 'm'));
      expect(existsSync(join(dir, 'clusters', template, 'README.md'))).toBe(true);
      expect(run('npm', ['run', 'synth', '--', '--check', '--quiet'], dir).out).toContain('check: clusters/ is up to date.');
      const header = readFileSync(join(dir, 'clusters', template, 'kustomization.yaml'), 'utf8').split('\n')[0];
      expect(header).toContain(`from src/clusters/${template}.ts`);
    }, 300_000);

    test("the scaffold's own tests pass (the library's generic checks)", () => {
      const { ms, out } = run('npm', ['test'], dir);
      times.test = ms;
      expect(out).toMatch(/# fail 0/);
      expect(out).toMatch(/# pass [1-9]/);
      report[template] = times;
      console.log(`${template}: init ${times.init} ms, install ${times.install} ms, synth ${times.synth} ms (tsc + synth), test ${times.test} ms`);
      writeFileSync(join(work, 'package-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    }, 300_000);
  });
});
