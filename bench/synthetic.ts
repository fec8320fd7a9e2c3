import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../src/lib/estate/cluster.js';
import { Component } from '../src/lib/estate/component.js';
import { Estate } from '../src/lib/estate/estate.js';
import { exposeService } from '../src/lib/platform/ingress/exposure.js';
import { Cloudflared, Traefik } from '../src/lib/platform/ingress/index.js';
import { NfsCsi } from '../src/lib/platform/storage/nfs-csi.js';

/** Shape of the synthetic estate. */
export interface SyntheticOptions {
  /** Expose every app through Traefik (every tenth one publicly through a Cloudflare Tunnel). @default true */
  readonly exposed?: boolean;
  /** Namespaces the apps are spread over. @default 10 */
  readonly namespaces?: number;
}

/**
 * A synthetic estate for the benchmark: one Talos cluster with NFS storage, Traefik and a Cloudflare
 * Tunnel, and `apps` small apps, each a component with a Deployment, a Service, a claim on the
 * default StorageClass and a route (internal, every tenth public), spread over ten namespaces. It
 * exercises what grows with the number of apps: construct, derived dependsOn, namespace ownership,
 * route aggregation in the tunnel, validation, capacity, the docs and the writer.
 */
export function syntheticEstate(apps: number, options: SyntheticOptions = {}): Estate {
  const exposed = options.exposed ?? true;
  const namespaces = options.namespaces ?? 10;
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, {
    name: 'synthetic',
    distribution: 'talos',
    description: `Benchmark estate: ${apps} apps`,
    domain: 'example.com',
    git: { url: 'https://github.com/example/homelab' },
    nodes: [
      { name: 'cp', role: 'control-plane', cpu: 4, memory: '16Gi', ip: '10.0.0.10' },
      // Room for every app's requests (10m / 32Mi each) at any size the benchmark uses.
      ...Array.from({ length: 3 }, (_, i) => ({ name: `w${i}`, role: 'worker' as const, cpu: 16 + Math.ceil(apps / 250) * 4, memory: `${64 + Math.ceil(apps / 250) * 16}Gi`, ip: `10.0.0.${20 + i}` })),
    ],
  });
  new NfsCsi(cluster, 'nfs', { server: '10.0.0.2', share: '/k8s', default: true });
  if (exposed) {
    new Traefik(cluster, 'traefik', { serviceType: 'ClusterIP' });
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef', credentials: { name: 'cloudflared-credentials' } } });
  }
  for (let i = 0; i < apps; i++) syntheticApp(cluster, i, namespaces, exposed);
  return estate;
}

function syntheticApp(cluster: HomelabCluster, i: number, namespaces: number, exposed: boolean): void {
  const name = `app-${String(i).padStart(4, '0')}`;
  const c = new Component(cluster, { name, namespace: `team-${i % namespaces}`, layer: 'apps' });
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
          automountServiceAccountToken: false,
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
  if (exposed) exposeService(c, { expose: i % 10 === 0 ? 'public' : 'internal', serviceName: name, port: 80 });
}
