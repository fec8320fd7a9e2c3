import { ApiObject } from 'cdk8s';
import { mkdtempSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HomelabCluster, ClusterProps } from '../src/lib/estate/cluster.js';
import { Component, ComponentProps } from '../src/lib/estate/component.js';
import { Estate } from '../src/lib/estate/estate.js';
import { listFiles } from '../src/lib/output/writer.js';

/** A fresh temporary repository root. */
export function tempRoot(prefix = 'homelab-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under `root/clusters`, path → content. */
export function readTree(root: string, dir = 'clusters'): Map<string, string> {
  return new Map(listFiles(root, join(root, dir)).map((p) => [p, readFileSync(join(root, p), 'utf8')]));
}

/** Copies a repository root (to compare before/after). */
export function copyRoot(root: string): string {
  const dest = tempRoot('homelab-copy-');
  cpSync(root, dest, { recursive: true });
  return dest;
}

/** Minimal valid cluster props for tests. */
export function clusterProps(overrides: Partial<ClusterProps> = {}): ClusterProps {
  return {
    name: 'test',
    distribution: 'talos',
    domain: 'example.com',
    git: { url: 'https://github.com/example/homelab' },
    nodes: [
      { name: 'cp', role: 'control-plane', cpu: 4, memory: '8Gi' },
      { name: 'w1', role: 'worker', cpu: 4, memory: '8Gi' },
      { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi' },
    ],
    ...overrides,
  };
}

/** An estate with one test cluster. */
export function testCluster(overrides: Partial<ClusterProps> = {}): { estate: Estate; cluster: HomelabCluster } {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, clusterProps(overrides));
  return { estate, cluster };
}

/** A component rendering the given raw objects (namespace filled in). */
export function rawComponent(cluster: HomelabCluster, props: ComponentProps, objects: Record<string, any>[] = []): Component {
  const c = new Component(cluster, props);
  objects.forEach((o, i) => new ApiObject(c, `o${i}`, { ...o, metadata: { namespace: c.namespace, ...o.metadata } } as any));
  return c;
}

/** A ConfigMap manifest for tests. */
export function configMap(name: string, data: Record<string, string> = { key: 'value' }): Record<string, any> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}
