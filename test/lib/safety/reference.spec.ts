import { buildEstate } from '../../../src/clusters/index.js';
import { capacityReport, CapacityReport, formatCapacityTable } from '../../../src/lib/safety/capacity.js';
import { runCli } from '../../../src/lib/synth/cli.js';
import { renderCluster } from '../../../src/lib/synth/render.js';
import { tempRoot } from '../../helpers.js';

/** Capacity of the reference estate: every cluster rendered in memory, then its report. */
describe('capacity of the reference estate', () => {
  const estate = buildEstate();
  const reports = new Map<string, CapacityReport>(estate.clusters.map((c) => [c.name, capacityReport(c, renderCluster(c, () => undefined))]));
  const table = (cluster: string): string => formatCapacityTable(reports.get(cluster)!).join('\n');

  test('every reference cluster has a capacity table, and no workload that cannot be placed', () => {
    expect(reports.size).toBeGreaterThanOrEqual(8);
    for (const [name, r] of reports) {
      expect(table(name)).toMatch(new RegExp(`^capacity ${name} \\(${r.distribution};`));
      expect(r.groups.length).toBeGreaterThan(0);
      expect({ name, errors: r.errors.map((e) => e.message) }).toEqual({ name, errors: [] });
    }
  });

  test("seed 004's 4 GB workers and seed 001's 512 MB rpi3a are sized by their distribution's reserve", () => {
    expect(table('prox-n100')).toMatch(/talos-w-1, talos-w-2 \(×2\)\s+worker\s+amd64\s+3.9 CPU \/ 7.4Gi/);
    for (const env of ['arm-review', 'arm-staging', 'arm-prod']) expect(table(env)).toMatch(/rpi3a-ctl\s+worker\s+arm64\s+3.9 CPU \/ 284Mi/);
  });

  test("seed 000's home cluster says what gaming mode frees", () => {
    // One line or the other, as the model says: a regex accepting both would pass in either mode.
    const home = estate.clusters.find((c) => c.name === 'home')!;
    const last = table('home').split('\n').at(-1);
    if (home.scaledDown) expect(last).toMatch(/^ {2}gaming mode: \d+ heavy workload\(s\) stopped \(.*jellyfin.*\), freeing .+$/);
    else expect(last).toMatch(/^ {2}heavy workloads \(.*jellyfin.*\) hold .+; gaming mode would free them$/);
  });

  test('synth prints the table of every cluster', () => {
    const lines: string[] = [];
    const code = runCli([], buildEstate, tempRoot('reference-'), (s) => lines.push(s));
    if (code !== 0) throw new Error(`the reference estate does not synth:\n${lines.filter((l) => !l.startsWith('warning')).join('\n')}`);
    for (const name of reports.keys()) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^capacity ${name} \\(`)));
  });
});
