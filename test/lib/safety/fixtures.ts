import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { runCli } from '../../../src/lib/synth/cli.js';
import { NfsCsi } from '../../../src/lib/platform/storage/nfs-csi.js';
import { clusterProps, rawComponent } from '../../helpers.js';

type Manifest = Record<string, any>;

/** A hardened Deployment with requests, as a construct would render it. */
export function deployment(name: string, overrides: { replicas?: number; image?: string; resources?: Manifest; pod?: Manifest; container?: Manifest; annotations?: Record<string, string> } = {}): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(overrides.annotations ? { annotations: overrides.annotations } : {}) },
    spec: {
      replicas: overrides.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name,
            image: overrides.image ?? 'ghcr.io/example/web:1.2.3',
            ports: [{ containerPort: 8080, name: 'http' }],
            resources: overrides.resources ?? { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            ...overrides.container,
          }],
          ...overrides.pod,
        },
      },
    },
  };
}

export function service(name: string, spec: Manifest = {}, annotations?: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(annotations ? { annotations } : {}) }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } };
}

export function pvc(name: string, spec: Manifest = {}): Manifest {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, ...spec } };
}

export function ingress(name: string, host: string, path = '/'): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name },
    spec: { rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }] },
  };
}

export function networkPolicy(name = 'default-deny'): Manifest {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
}

/** A CloudNativePG Cluster manifest. */
export function cnpgCluster(name: string, extra: Manifest = {}): Manifest {
  return { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name }, spec: { instances: 2, storage: { size: '10Gi' }, ...extra } };
}

/** The lab cluster's props: three Talos nodes on 10.0.50.0/24 behind a VIP. */
export function labProps(overrides: Partial<ClusterProps> = {}): ClusterProps {
  return clusterProps({
    name: 'lab',
    domain: 'lab.example.com',
    network: { nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' },
    nodes: [
      { name: 'cp', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { name: 'enp1s0' } },
      { name: 'w1', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.10' },
      { name: 'w2', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.11' },
    ],
    ...overrides,
  });
}

export interface LabOptions {
  readonly cluster?: Partial<ClusterProps>;
  /** Adds components (or mistakes) to the cluster. */
  readonly extra?: (cluster: HomelabCluster, parts: LabParts) => void;
  /** Leave out the web app's PersistentVolumeClaim. @default false */
  readonly withoutClaim?: boolean;
}

export interface LabParts {
  readonly nfs: NfsCsi;
  readonly web: Component;
}

/**
 * A small, valid estate: cluster `lab` with NFS storage (default class, Retain) and a hardened
 * web app (Deployment, Service, claim, Ingress, default-deny NetworkPolicy) in namespace `web`.
 */
export function lab(options: LabOptions = {}): Estate {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, labProps(options.cluster));
  const nfs = new NfsCsi(cluster, 'nfs', { server: 'nas.lab.example.com', share: '/volume1/k8s', default: true });
  const web = rawComponent(cluster, { name: 'web', namespace: 'web', layer: 'apps' }, [
    deployment('web'),
    service('web'),
    ingress('web', 'web.lab.example.com'),
    networkPolicy(),
    ...(options.withoutClaim ? [] : [pvc('web-data')]),
  ]);
  options.extra?.(cluster, { nfs, web });
  return estate;
}

/** Runs the CLI, capturing its output. */
export function cli(argv: string[], build: () => Estate, root: string): { code: number; out: string } {
  const lines: string[] = [];
  const code = runCli(argv, build, root, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}
