import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../src/lib/estate/cluster.js';
import { Component } from '../src/lib/estate/component.js';
import { Estate } from '../src/lib/estate/estate.js';
import { NfsCsi } from '../src/lib/platform/storage/nfs-csi.js';

/**
 * A synthetic estate for the benchmark: one cluster with NFS storage and `apps` small apps, each
 * a component with a Deployment, a Service and a claim on the default StorageClass, spread over
 * ten namespaces so dependsOn and namespace ownership are exercised at scale.
 */
export function syntheticEstate(apps: number): Estate {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, {
    name: 'synthetic',
    distribution: 'talos',
    domain: 'example.com',
    git: { url: 'https://github.com/example/homelab' },
    nodes: [
      { name: 'cp', role: 'control-plane', cpu: 4, memory: '16Gi' },
      ...Array.from({ length: 3 }, (_, i) => ({ name: `w${i}`, role: 'worker' as const, cpu: 16, memory: '64Gi' })),
    ],
  });
  new NfsCsi(cluster, 'nfs', { server: '10.0.0.2', share: '/k8s', default: true });
  for (let i = 0; i < apps; i++) syntheticApp(cluster, i);
  return estate;
}

function syntheticApp(cluster: HomelabCluster, i: number): void {
  const name = `app-${String(i).padStart(4, '0')}`;
  const c = new Component(cluster, { name, namespace: `team-${i % 10}`, layer: 'apps' });
  const labels = { 'app.kubernetes.io/name': name };
  const meta = { name, namespace: c.namespace, labels };
  new ApiObject(c, 'pvc', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  new ApiObject(c, 'deploy', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app', image: 'ghcr.io/example/app:1.0.0', ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: name } }],
        },
      },
    },
  });
}
