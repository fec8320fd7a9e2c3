import { ApiObject } from 'cdk8s';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdGroup, DEFAULT_STORAGE_CLASS, gateway, ingressClass, LOAD_BALANCER, service, storageClass } from '../../../src/lib/estate/capabilities.js';
import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component, ComponentProps } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { INGRESS, IngressProvider, RouteSpec, TUNNEL, TunnelProvider } from '../../../src/lib/estate/services.js';
import { exposeService } from '../../../src/lib/platform/ingress/exposure.js';
import { synthesize, SynthResult } from '../../../src/lib/synth/synth.js';
import { tempRoot, testCluster } from '../../helpers.js';

/**
 * Small, stable stand-ins for the platform (an ingress controller, a Gateway pair, a tunnel, a
 * storage provider) and apps made of plain objects, so the docs tests assert exact facts without
 * depending on the platform constructs' details. The reference estate is covered separately.
 */

const EXPOSURE = 'homelab/exposure';

/** An ingress controller rendering networking.k8s.io Ingresses of class `nginx`. */
export class TestIngress extends Component implements IngressProvider {
  public readonly implementation = 'test-nginx';
  public readonly component: Component = this;
  public readonly proxyPeer = { namespace: 'ingress', podLabels: { 'app.kubernetes.io/name': 'proxy' } };
  /** `tunnelOrigin: false`: an ingress a tunnel cannot forward to (no `originFor`). */
  constructor(cluster: HomelabCluster, tunnelOrigin = true) {
    super(cluster, { name: 'ingress-nginx', namespace: 'ingress', group: 'network' });
    this.provide(ingressClass('nginx'));
    cluster.registerService(INGRESS, this, this);
    if (!tunnelOrigin) (this as { originFor?: unknown }).originFor = undefined;
  }
  public addRoute(route: RouteSpec): void {
    new ApiObject(route.component, `route-${route.name}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: route.name, namespace: route.component.namespace, labels: { [EXPOSURE]: route.exposure } },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: route.hostname, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: route.serviceName, port: { number: route.servicePort } } } }] } }],
      },
    });
  }
  public originFor(): { url: string } {
    return { url: 'http://ingress-nginx.ingress.svc.cluster.local:80' };
  }
}

/** Gateway API: an internal and an external Gateway with LAN addresses; routes become HTTPRoutes. */
export class TestGateways extends Component implements IngressProvider {
  public readonly implementation = 'gateway-api';
  public readonly component: Component = this;
  public readonly proxyPeer = { namespace: 'gateways', podLabels: { 'app.kubernetes.io/name': 'envoy' } };
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'gateways', namespace: 'gateways', group: 'network' });
    // The CRDs come from the cluster's CNI component (see TestCni); the Gateways are this component's.
    this.provide(gateway('gateways', 'internal'));
    this.provide(gateway('gateways', 'external'));
    cluster.registerService(INGRESS, this, this);
    for (const [name, address] of [['internal', '10.0.0.101'], ['external', '10.0.0.102']]) {
      new ApiObject(this, `gw-${name}`, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name, namespace: 'gateways' },
        spec: { gatewayClassName: 'cilium', addresses: [{ type: 'IPAddress', value: address }], listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
      });
    }
  }
  public addRoute(route: RouteSpec): void {
    new ApiObject(route.component, `route-${route.name}`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: route.name, namespace: route.component.namespace, labels: { [EXPOSURE]: route.exposure } },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: route.exposure === 'public' ? 'external' : 'internal', namespace: 'gateways' }],
        hostnames: [route.hostname],
        rules: [{ backendRefs: [{ group: '', kind: 'Service', name: route.serviceName, port: route.servicePort, weight: 1 }] }],
      },
    });
  }
  public originFor(): { url: string } {
    return { url: 'http://10.0.0.102:80' };
  }
}

/** The component installing the Gateway API CRDs. */
export function testCni(cluster: HomelabCluster): Component {
  const c = new Component(cluster, { name: 'cni', namespace: 'kube-system', group: 'network' });
  c.provide(crdGroup('gateway.networking.k8s.io'));
  c.provide(service('gateway-class', 'cilium'));
  c.provide(LOAD_BALANCER);
  return c;
}

/** A Cloudflare-like tunnel. */
export class TestTunnel extends Component implements TunnelProvider {
  public readonly component: Component = this;
  public readonly proxyPeer = { namespace: 'cloudflared', podLabels: { 'app.kubernetes.io/name': 'cloudflared' } };
  public readonly hostnames: string[] = [];
  constructor(cluster: HomelabCluster) {
    super(cluster, { name: 'cloudflared', namespace: 'cloudflared', group: 'network' });
    cluster.registerService(TUNNEL, this, this);
  }
  public addPublicHostname(route: RouteSpec): void {
    this.hostnames.push(route.hostname);
  }
}

/** Storage: a component providing the default StorageClass `fast` (created by "its chart"). */
export function testStorage(cluster: HomelabCluster): Component {
  const c = new Component(cluster, { name: 'storage', namespace: { name: 'storage-system', podSecurity: 'privileged', pruneProtected: true }, group: 'storage' });
  c.provide(storageClass('fast'));
  c.provide(DEFAULT_STORAGE_CLASS);
  return c;
}

/** An operator installing the `example.com` CRDs from a Helm chart (HelmRepository + HelmRelease). */
export function testOperator(cluster: HomelabCluster): Component {
  const c = new Component(cluster, { name: 'operator', namespace: 'operator-system', group: 'operators' });
  c.provide(crdGroup('example.com'));
  new ApiObject(c, 'repo', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'operator', namespace: 'operator-system' }, spec: { interval: '1h', url: 'https://charts.example.com' } });
  new ApiObject(c, 'release', {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'operator', namespace: 'operator-system' },
    spec: { interval: '30m', chart: { spec: { chart: 'example-operator', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'operator', namespace: 'operator-system' } } } },
  });
  return c;
}

/** An app: Deployment + Service (+ a claim on the default class), exposed as asked. */
export function testApp(cluster: HomelabCluster, props: ComponentProps & { expose?: 'internal' | 'public'; subdomain?: string; image?: string; claim?: boolean; heavy?: boolean }): Component {
  const c = new Component(cluster, { layer: 'apps', ...props });
  const labels = { 'app.kubernetes.io/name': props.name };
  const image = props.image ?? `registry.example.com/${props.name}:1.0.0`;
  new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: props.name, namespace: c.namespace }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  if (props.claim) {
    new ApiObject(c, 'pvc', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: props.name, namespace: c.namespace }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  }
  new ApiObject(c, 'deploy', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: props.name, namespace: c.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app', image, ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            ...(props.claim ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}),
          }],
          ...(props.claim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: props.name } }] } : {}),
        },
      },
    },
  });
  if (props.heavy) c.addWorkload({ name: props.name, cpuRequest: '100m', memoryRequest: '128Mi', heavy: true });
  if (props.expose) exposeService(c, { expose: props.expose, subdomain: props.subdomain, serviceName: props.name, port: 80 });
  return c;
}

/** Builds a test cluster, lets `build` add components, synthesizes into a temp root. */
export function synthDocs(build: (cluster: HomelabCluster, estate: Estate) => void, overrides: Partial<ClusterProps> = {}): { result: SynthResult; cluster: HomelabCluster; readme: string; root: string } {
  const { estate, cluster } = testCluster(overrides);
  build(cluster, estate);
  const root = tempRoot('docs-');
  const result = synthesize(estate, { root });
  const readme = result.files.get(`clusters/${cluster.name}/README.md`);
  if (readme === undefined) throw new Error('no README generated');
  return { result, cluster, readme, root };
}

/** The fenced mermaid blocks of a Markdown file. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

/** The lines of a `## title` section (up to the next `## `). */
export function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section ${title}`);
  const rest = markdown.slice(start + 1);
  const end = rest.indexOf('\n## ', 4);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The parser process and the answers it still owes, in order. */
let parser: { child: ChildProcessWithoutNullStreams; waiting: { resolve: (type: string) => void; reject: (e: Error) => void }[] } | undefined;

/**
 * mermaid's own parser (test/lib/docs/mermaid-parser.mjs, one process per test file, started on
 * first use). Resolves to the diagram type; rejects with mermaid's parse error (line and
 * expectation) for a broken diagram. Call {@link closeMermaid} in `afterAll`.
 */
export function parseMermaid(text: string): Promise<string> {
  if (!parser) {
    const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'mermaid-parser.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const state = { child, waiting: [] as { resolve: (type: string) => void; reject: (e: Error) => void }[] };
    let buffer = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const answer = JSON.parse(buffer.slice(0, i)) as { type?: string; error?: string };
        buffer = buffer.slice(i + 1);
        const next = state.waiting.shift();
        if (answer.type) next?.resolve(answer.type);
        else next?.reject(new Error(answer.error));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => {
      for (const w of state.waiting.splice(0)) w.reject(new Error(`mermaid parser exited (${code}): ${stderr}`));
      if (parser === state) parser = undefined;
    });
    parser = state;
  }
  const p = parser;
  return new Promise<string>((resolve, reject) => {
    p.waiting.push({ resolve, reject });
    p.child.stdin.write(`${JSON.stringify(text)}\n`);
  });
}

/** Stops the parser process. */
export async function closeMermaid(): Promise<void> {
  const p = parser;
  parser = undefined;
  if (!p) return;
  await new Promise<void>((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.stdin.end();
  });
}
