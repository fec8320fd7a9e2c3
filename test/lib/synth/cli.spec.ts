import { runCli } from '../../../src/lib/synth/cli.js';
import { configMap, rawComponent, readTree, tempRoot, testCluster } from '../../helpers.js';

function run(argv: string[], build: Parameters<typeof runCli>[1], root: string) {
  const lines: string[] = [];
  const code = runCli(argv, build, root, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

const good = () => {
  const { estate, cluster } = testCluster();
  rawComponent(cluster, { name: 'a', namespace: 'a' }, [configMap('x')]);
  return estate;
};

describe('synth CLI', () => {
  test('prints per-cluster counts, then --check exits 0 on an up-to-date tree and 1 on a stale one', () => {
    const root = tempRoot();
    const first = run([], good, root);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/test: \d+ objects, 1 components; files \+\d+ ~0 -0/);
    expect(run(['--check'], good, root)).toMatchObject({ code: 0, out: expect.stringContaining('up to date') });
    const grown = () => {
      const e = good();
      rawComponent(e.clusters[0], { name: 'b', namespace: 'b' }, [configMap('y')]);
      return e;
    };
    const stale = run(['--check'], grown, root);
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('added:   clusters/test/b/b/ks.yaml');
  });

  test('user mistakes print every problem without a stack trace and exit 1, writing nothing', () => {
    const root = tempRoot();
    const bad = () => {
      const { estate, cluster } = testCluster({ name: 'Bad_Name', git: { url: '' } });
      rawComponent(cluster, { name: 'a', namespace: 'a' }, [configMap('x')]);
      return estate;
    };
    const { code, out } = run([], bad, root);
    expect(code).toBe(1);
    expect(out).toContain("[Bad_Name] Bad_Name › name: cluster name 'Bad_Name' is not a DNS-1123 label");
    expect(out).toContain('git.url: the Git repository URL is missing');
    expect(out).toContain('fix: ');
    expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(readTree(root).size).toBe(0);
  });

  test('unknown flags exit 2 with usage', () => {
    expect(run(['--frobnicate'], good, tempRoot())).toMatchObject({ code: 2, out: expect.stringContaining('usage:') });
  });
});
