import { App } from '../../../src/lib/apps/app.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { Problem, SynthError } from '../../../src/lib/estate/problems.js';
import { Cilium } from '../../../src/lib/platform/network/cilium.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { rawComponent, tempRoot } from '../../helpers.js';
import { deployment, ingress, lab, service } from './fixtures.js';

/** The problems synth reports for an estate (none: an empty list). */
function problems(estate: Estate): readonly Problem[] {
  try {
    synthesize(estate, { root: tempRoot(), check: true });
    return [];
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
}

const about = (ps: readonly Problem[], text: string): Problem[] => ps.filter((p) => p.message.includes(text));
const lbService = (name: string, ip: string) => service(name, { type: 'LoadBalancer', loadBalancerIP: ip });

/** A finding is reported once: by the construct that checks it, or once by the checks of the tree. */
describe('each finding is reported once', () => {
  test("an App's unpinned image: by the App only", () => {
    const ps = problems(lab({ extra: (c) => new App(c, 'blog', { image: { repository: 'ghost', tag: 'latest' }, ports: [{ name: 'http', port: 8080 }] }) }));
    expect(about(ps, "'ghost:latest'").map((p) => [p.path, p.field])).toEqual([['lab/blog', 'image.tag']]);
  });

  test('one unpinned image in two raw Deployments: at its first use', () => {
    const ps = problems(lab({ extra: (c) => { rawComponent(c, { name: 'extra', namespace: 'extra' }, [deployment('a', { image: 'ghost:latest' }), deployment('b', { image: 'ghost:latest' })]); } }));
    expect(about(ps, "image 'ghost:latest'")).toHaveLength(1);
  });

  test('a hostname outside the domain on two paths: once', () => {
    const ps = problems(lab({ extra: (c) => { rawComponent(c, { name: 'extra', namespace: 'extra' }, [service('blog'), ingress('blog', 'blog.other.org', '/a'), ingress('blog2', 'blog.other.org', '/b')]); } }));
    expect(about(ps, "'blog.other.org'").map((p) => p.message)).toEqual([expect.stringContaining("is outside the cluster's domain")]);
  });

  test('a LoadBalancer address outside the Cilium pools: by Cilium only', () => {
    const ps = problems(lab({ extra: (c) => {
      new Cilium(c, 'cilium', { loadBalancerPools: [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.120'] }] } as any);
      rawComponent(c, { name: 'extra', namespace: 'extra' }, [lbService('gw', '10.0.60.5')]);
    } }));
    expect(about(ps, '10.0.60.5').map((p) => p.message)).toEqual([expect.stringContaining('outside every Cilium LoadBalancer pool')]);
  });

  test('one address used by three Services: the duplicate reported once', () => {
    const ps = problems(lab({ extra: (c) => { rawComponent(c, { name: 'extra', namespace: 'extra' }, [lbService('a', '10.0.50.100'), lbService('b', '10.0.50.100'), lbService('c', '10.0.50.100')]); } }));
    expect(about(ps, 'is also used by')).toHaveLength(1);
  });
});
