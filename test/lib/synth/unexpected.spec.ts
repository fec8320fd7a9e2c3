import { ApiObject, Chart } from 'cdk8s';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { ChartRelease } from '../../../src/lib/flux/helm-release.js';
import { runCli } from '../../../src/lib/synth/cli.js';
import { clusterProps, configMap, rawComponent, readTree, tempRoot, testCluster } from '../../helpers.js';

/** Runs the CLI in-process; a thrown error fails the test (the CLI must never throw). */
function run(argv: string[], build: () => Estate, root: string, lockWaitMs?: number) {
  const lines: string[] = [];
  const code = runCli(argv, build, root, (s) => lines.push(s), lockWaitMs === undefined ? undefined : { lockWaitMs });
  return { code, out: lines.join('\n') };
}

const good = (): Estate => {
  const { estate, cluster } = testCluster();
  rawComponent(cluster, { name: 'a', namespace: 'a' }, [configMap('x')]);
  return estate;
};

/** Each case: a build that used to end in a stack trace, and what the message must say. */
const MODEL_CASES: [string, (e: Estate) => void, RegExp][] = [
  ['an empty cluster name', (e) => new HomelabCluster(e, clusterProps({ name: '' })), /› name: cluster name '' is not a DNS-1123 label/],
  ['a distribution typo behind `as any`', (e) => new HomelabCluster(e, clusterProps({ distribution: 'talso' as any })), /› distribution: 'talso' is not a distribution this library knows\n\s+fix: use one of 'talos', 'oke', 'k3s'/],
  ['cluster props undefined', (e) => new HomelabCluster(e, undefined as any), /› props: new HomelabCluster\(scope, props\) was given undefined/],
  ['a component scoped to the estate', (e) => new Component(e as any, { name: 'x', namespace: 'x' }), /› scope: a component \(x\) was created in '\(estate\)', which is not a cluster/],
  ['component props undefined', (e) => new Component(new HomelabCluster(e, clusterProps()), undefined as any), /› props: a component was created in cluster 'test' without name and namespace/],
  ['an ApiObject outside any component', (e) => new ApiObject(new HomelabCluster(e, clusterProps()), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), /object \(ApiObject\) was created outside any component at test\/lib\/synth\/unexpected\.spec\.ts:\d+\n/],
  ['objects in a plain cdk8s Chart inside a cluster', (e) => new ApiObject(new Chart(new HomelabCluster(e, clusterProps()), 'plain'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), /\[test\] test\/plain\/o › scope: ConfigMap 'x' was created outside any component/],
  ['an unknown chart', (e) => new ChartRelease(new Component(new HomelabCluster(e, clusterProps()), { name: 'x', namespace: 'x' }), 'r', { chart: 'nope' as any }), /› chart: no chart named 'nope'/],
  ['values nested 5,000 levels', (e) => {
    let values: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) values = { a: values };
    new ChartRelease(new Component(new HomelabCluster(e, clusterProps()), { name: 'x', namespace: 'x' }), 'r', { chart: 'cilium', values });
  }, /› values: the Helm values nest deeper than 64 levels/],
];

describe('inputs no check anticipated end in a message, never a stack trace', () => {
  test.each(MODEL_CASES)('%s', (_name, build, expected) => {
    const root = tempRoot();
    const { code, out } = run([], () => {
      const e = new Estate();
      build(e);
      return e;
    }, root);
    expect(code).toBe(1);
    expect(out).toMatch(/synth failed/);
    expect(out).toMatch(expected);
    expect(out).not.toMatch(/\n\s+at /);
    expect(readTree(root).size).toBe(0);
  });

  test('clusters/ being a file: a message naming it, the file untouched', () => {
    const root = tempRoot();
    writeFileSync(join(root, 'clusters'), 'not a folder');
    const { code, out } = run([], good, root);
    expect(code).toBe(1);
    expect(out).toMatch(/cannot write 'clusters' \(ENOTDIR\)/);
    expect(readFileSync(join(root, 'clusters'), 'utf8')).toBe('not a folder');
  });

  test('a generated file replaced by a directory holding a user file: a message, the tree as it was', () => {
    const root = tempRoot();
    expect(run([], good, root).code).toBe(0);
    const before = readTree(root);
    const victim = [...before.keys()].find((p) => p.endsWith('/ks.yaml'))!;
    rmSync(join(root, victim));
    mkdirSync(join(root, victim));
    writeFileSync(join(root, victim, 'mine.txt'), 'user data');
    const { code, out } = run([], good, root);
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`cannot write '${victim.replace(/[.]/g, '\\.')}' \\(EISDIR\\)`));
    expect(readFileSync(join(root, victim, 'mine.txt'), 'utf8')).toBe('user data');
    expect(existsSync(join(root, `.clusters-staging-${process.pid}`))).toBe(false);
  });

  test('a lock held by a live synth (the real start time recorded) is waited for, then reported', () => {
    const root = tempRoot();
    expect(run([], good, root).code).toBe(0);
    const lock = join(root, '.clusters-lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.ppid));
    writeFileSync(join(lock, 'started'), readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1].split(' ')[19]);
    expect(run([], good, root, 100)).toMatchObject({ code: 1, out: expect.stringContaining(`another synth (pid ${process.ppid})`) });
  });

  // Root ignores permissions, so a read-only checkout can only be made for other users.
  const asRoot = process.getuid?.() === 0;
  (asRoot ? test.skip : test)('--check runs on a read-only checkout (no lock needed); a write there fails with a message, the tree untouched', () => {
    const root = tempRoot();
    expect(run([], good, root).code).toBe(0);
    const before = readTree(root);
    chmodSync(root, 0o555);
    try {
      expect(run(['--check'], good, root)).toMatchObject({ code: 0, out: expect.stringContaining('up to date') });
      const grown = () => {
        const e = good();
        rawComponent(e.clusters[0], { name: 'b', namespace: 'b' }, [configMap('y')]);
        return e;
      };
      expect(run([], grown, root)).toMatchObject({ code: 1, out: expect.stringMatching(/not writable/) });
      expect(readTree(root)).toEqual(before);
    } finally {
      chmodSync(root, 0o755);
    }
  });

  test('a stale lock whose pid now belongs to another live process (pid 1 after a restart) is taken over at once', () => {
    const root = tempRoot();
    const lock = join(root, '.clusters-lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '1');
    writeFileSync(join(lock, 'started'), '-1');
    const { code } = run([], good, root, 100);
    expect(code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});
