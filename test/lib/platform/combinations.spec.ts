import { parseAllDocuments } from 'yaml';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { formatProblem, SynthError } from '../../../src/lib/estate/problems.js';
import { CloudNativePg, PostgresCluster } from '../../../src/lib/platform/databases/index.js';
import { CertManager, Gateways, IngressNginx, Traefik } from '../../../src/lib/platform/ingress/index.js';
import { Cilium } from '../../../src/lib/platform/network/cilium.js';
import { KubePrometheusStack } from '../../../src/lib/platform/observability/index.js';
import { ExternalSecrets, OpenBao } from '../../../src/lib/platform/secrets/index.js';
import { Longhorn } from '../../../src/lib/platform/storage/longhorn.js';
import { synthesize, SynthResult } from '../../../src/lib/synth/synth.js';
import { readTree, tempRoot, testCluster } from '../../helpers.js';
import { fluxAppliedFolders, kustomizeBuildAll } from '../../kustomize.js';
import { tinyApp } from './ingress/support.js';

/**
 * Issue #13: any default combination of the platform constructs synthesizes without a cycle.
 * Every combination of ingress × cert-manager × kube-prometheus-stack × CloudNativePG × External
 * Secrets, each real construct on its defaults (plus only what it strictly needs: Cilium for the
 * Gateways' CRDs and class, a self-signed issuer, a Postgres cluster using the operator, OpenBao
 * behind the default store), with default storage and one exposed app.
 */

type Ingress = 'traefik' | 'ingress-nginx' | 'gateways';

interface Combination {
  readonly ingress: Ingress;
  readonly certManager: boolean;
  readonly monitoring: boolean;
  readonly postgres: boolean;
  readonly externalSecrets: boolean;
}

const INGRESSES: readonly Ingress[] = ['traefik', 'ingress-nginx', 'gateways'];
const BOTH = [false, true] as const;

const COMBINATIONS: Combination[] = INGRESSES.flatMap((ingress) =>
  BOTH.flatMap((certManager) =>
    BOTH.flatMap((monitoring) =>
      BOTH.flatMap((postgres) => BOTH.map((externalSecrets) => ({ ingress, certManager, monitoring, postgres, externalSecrets }))))));

const label = (c: Combination): string =>
  [c.ingress, c.certManager && 'cert-manager', c.monitoring && 'kube-prometheus-stack', c.postgres && 'cnpg', c.externalSecrets && 'external-secrets'].filter(Boolean).join(' + ');

/** The estate of one combination. */
function build(c: Combination): { estate: Estate; cluster: HomelabCluster } {
  const { estate, cluster } = testCluster();
  new Longhorn(cluster, 'longhorn', { default: true });
  switch (c.ingress) {
    case 'traefik':
      new Traefik(cluster, 'traefik');
      break;
    case 'ingress-nginx':
      new IngressNginx(cluster, 'ingress-nginx');
      break;
    case 'gateways':
      // The real Cilium: it brings the Gateway API CRDs (GatewayApiCrds), GatewayClass 'cilium' and,
      // with a pool, the LoadBalancer addresses the Gateways' Services need.
      new Cilium(cluster, 'cilium', { gatewayApi: true, loadBalancerPools: [{ name: 'lan', blocks: ['10.0.50.100-10.0.50.110'] }] });
      new Gateways(cluster, 'gateways');
      break;
  }
  if (c.certManager) new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'self-signed' }] });
  if (c.monitoring) new KubePrometheusStack(cluster, 'kube-prometheus-stack');
  if (c.postgres) {
    new CloudNativePg(cluster, 'cnpg');
    new PostgresCluster(cluster, 'postgres');
  }
  if (c.externalSecrets) {
    // The default store reads OpenBao: without it the store is a synth error by design.
    new OpenBao(cluster, 'openbao');
    new ExternalSecrets(cluster, 'external-secrets');
  }
  tinyApp(cluster, 'echo');
  return { estate, cluster };
}

/** Synthesizes, turning a SynthError into a readable failure listing its problems. */
function synth(estate: Estate, root: string): SynthResult {
  try {
    return synthesize(estate, { root });
  } catch (e) {
    if (e instanceof SynthError) throw new Error(`synth failed:\n${e.problems.map(formatProblem).join('\n')}`);
    throw e;
  }
}

/** Flux Kustomization name → names it dependsOn, read from the tree's ks.yaml files. */
function dependsOnGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, content] of files) {
    if (!file.endsWith('/ks.yaml')) continue;
    for (const doc of parseAllDocuments(content)) {
      const o = doc.toJSON();
      if (o?.kind !== 'Kustomization' || o.apiVersion !== 'kustomize.toolkit.fluxcd.io/v1') continue;
      const key = `${o.metadata.namespace ?? 'flux-system'}/${o.metadata.name}`;
      const deps = (o.spec.dependsOn ?? []).map((d: { name: string; namespace?: string }) => `${d.namespace ?? o.metadata.namespace ?? 'flux-system'}/${d.name}`);
      graph.set(key, [...(graph.get(key) ?? []), ...deps]);
    }
  }
  return graph;
}

/** A cycle of the graph (its nodes, first repeated last), or undefined. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...graph.keys()].sort()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * kubectl kustomize runs on the largest combination of each ingress (every construct present,
 * ~0.8 s each) and the smallest (the ingress alone: what absent constructs change); all 48 would
 * take ~30 s.
 */
const KUSTOMIZE_BUILT = new Set(COMBINATIONS.filter((c) => [c.certManager, c.monitoring, c.postgres, c.externalSecrets].every((v) => v === c.certManager)).map(label));

describe('every default combination of platform constructs', () => {
  test('48 combinations; the cycle check finds a cycle', () => {
    expect(COMBINATIONS).toHaveLength(48);
    expect(new Set(COMBINATIONS.map(label)).size).toBe(48);
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeUndefined();
  });

  test.each(COMBINATIONS.map((c) => [label(c), c] as const))('%s: synthesizes, no first-reconcile warning, acyclic dependsOn', async (name, c) => {
    const { estate } = build(c);
    const root = tempRoot('combinations-');
    const result = synth(estate, root);
    expect(result.warnings.filter((w) => w.code.startsWith('first-reconcile')).map((w) => `${w.path} ${w.code}: ${w.message}`)).toEqual([]);

    const files = readTree(root);
    const graph = dependsOnGraph(files);
    expect(graph.size).toBeGreaterThan(3);
    // Every dependency names a Kustomization of the tree.
    expect([...graph.values()].flat().filter((d) => !graph.has(d))).toEqual([]);
    expect(findCycle(graph)).toBeUndefined();

    if (KUSTOMIZE_BUILT.has(name)) {
      const folders = fluxAppliedFolders(files);
      expect(folders).toContain('clusters/test/echo/echo/app');
      await kustomizeBuildAll(root, folders);
    }
  });
});
