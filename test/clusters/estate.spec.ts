import { CLUSTERS } from '../../src/clusters/index.js';
import { defineEstateTests } from '../../src/testing/estate-checks.js';
import { SynthesizedEstate } from './support.js';

/**
 * The reference estate through the same generic checks a user's repository runs (the library's
 * `cdk8s-homelab/testing`, `cdk8s-homelab test`), over whatever clusters src/clusters/index.ts
 * lists: a cluster added there is checked with no edit here, and each cluster is built and
 * synthesized on its own, so a broken one fails its own group only. Facts of one cluster (its seed,
 * its components, its layout) live in that cluster's spec.
 */
defineEstateTests({ describe, test, after: afterAll }, { clusters: CLUSTERS, root: process.cwd() });

/** Conventions of the reference estate, over every cluster it has. */
describe('reference estate', () => {
  const s = SynthesizedEstate.reference();

/** Clusters showing a feature request in use (issue 16's household) rather than implementing a seed. */
const ISSUE_EXAMPLES = ['household'];

  test('every cluster of CLUSTERS is in the estate, with its own folder', () => {
    expect(s.estate.clusters.length).toBe(CLUSTERS.length);
    const top = new Set([...s.files.keys()].map((p) => p.split('/')[1]));
    for (const c of s.estate.clusters) expect(top).toContain(c.name);
  });

  test('every cluster names the seed it implements (NNN-name.md) and a description; the issue examples implement none', () => {
    for (const c of s.estate.clusters) {
      const seed = ISSUE_EXAMPLES.includes(c.name) ? undefined : expect.stringMatching(/^\d{3}-[a-z0-9-]+\.md$/);
      expect({ cluster: c.name, seed: c.seed }).toEqual({ cluster: c.name, seed });
      expect(c.description).toBeTruthy();
    }
  });

  test('synth writes exactly the files it reports', () => {
    expect([...s.files.keys()]).toEqual([...s.result.files.keys()].sort());
  });

  test('every operator-bootstrapped cluster lets Flux manage flux-operator itself (prune-protected); a classic one does not', () => {
    for (const c of s.estate.clusters) {
      const view = s.cluster(c.name);
      const hr = view.helmReleases.get('flux-system/flux-operator');
      if (c.flux.bootstrap === 'operator') {
        expect({ cluster: c.name, prune: hr?.metadata.annotations['kustomize.toolkit.fluxcd.io/prune'] }).toEqual({ cluster: c.name, prune: 'disabled' });
        expect(view.has('FluxInstance', 'flux', 'flux-system')).toBe(true);
      } else {
        expect({ cluster: c.name, hr }).toEqual({ cluster: c.name, hr: undefined });
      }
    }
  });
});
