import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ApiObject } from 'cdk8s';
import { App } from '../../../src/lib/apps/app.js';
import { internet } from '../../../src/lib/apps/network.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { configureTalos } from '../../../src/lib/talos/settings.js';
import { crdGroup, LOAD_BALANCER } from '../../../src/lib/estate/capabilities.js';
import { CloudNativePg, PostgresCluster, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD } from '../../../src/lib/platform/databases/index.js';
import { LOAD_BALANCER_IPAM } from '../../../src/lib/platform/network/lb-ips.js';
import { rawComponent } from '../../helpers.js';
import { Gateways, Traefik } from '../../../src/lib/platform/ingress/index.js';
import { gatewayApiCrds } from '../platform/ingress/support.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, synth, Synthesized } from './harness.js';

/**
 * docs/cookbook.md's examples, read from the document itself: every ```ts cookbook=<id> block is
 * type-checked against the library (as the body of a function of `cluster`), then run in a test
 * cluster and its rendered objects asserted on. Editing the doc is editing the test.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'cookbook.md'), 'utf8');
const BLOCKS = new Map([...DOC.matchAll(/^```ts cookbook=([a-z-]+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1], m[2]]));
/** What a recipe may use without importing it (the doc's opening paragraph says so). */
const GLOBALS = { App, internet, ApiObject, configureTalos, PostgresCluster, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD };

/** The recipes as one module, each the body of a function of `cluster`, for the type checker. */
function asModule(): string {
  const head = [
    "import type { HomelabCluster } from '../../../src/lib/estate/cluster.js';",
    "import { App } from '../../../src/lib/apps/app.js';",
    "import { internet } from '../../../src/lib/apps/network.js';",
    "import { ApiObject } from 'cdk8s';",
    "import { configureTalos } from '../../../src/lib/talos/settings.js';",
    "import { PostgresCluster, VECTORCHORD_IMAGE, VECTORCHORD_PRELOAD } from '../../../src/lib/platform/databases/index.js';",
    'void App; void internet; void ApiObject; void configureTalos; void PostgresCluster; void VECTORCHORD_IMAGE; void VECTORCHORD_PRELOAD;',
  ];
  return [...head, ...[...BLOCKS].map(([id, code], i) => `export function recipe${i}(cluster: HomelabCluster): void { // ${id}\n${code}}`)].join('\n');
}

/** Type errors of the recipes, as `line: message`. */
function typeErrors(): string[] {
  const file = join(ROOT, 'test', 'lib', 'apps', '__cookbook__.ts');
  const source = asModule();
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const options = { ...config.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The cluster the doc describes: the fake platform, a LoadBalancer provider with pools, and CloudNativePG's operator where a recipe builds PostgreSQL. */
function platform(cluster: HomelabCluster, id: string, realIngress: boolean): void {
  withPlatform(cluster, realIngress ? { ingress: false } : {});
  const lb = rawComponent(cluster, { name: 'lb', namespace: 'lb' });
  lb.provide(LOAD_BALANCER);
  lb.provide(LOAD_BALANCER_IPAM);
  if (id === 'second-postgres') {
    rawComponent(cluster, { name: 'cert-manager', namespace: 'cert-manager' }).provide(crdGroup('cert-manager.io'));
    // The fake secret store already provides external-secrets.io; CNPG's credentials need the generators too.
    rawComponent(cluster, { name: 'external-secrets', namespace: 'external-secrets' }).provide(crdGroup('generators.external-secrets.io'));
    new CloudNativePg(cluster, 'cnpg');
  }
}

/**
 * Runs a recipe in a test cluster with the fake platform (storage, ingress, databases); with
 * `ingress`, the real ingress it adds replaces the fake one and apps get default-deny policies.
 */
function run(id: string, ingress?: (cluster: HomelabCluster) => void): Synthesized {
  const code = BLOCKS.get(id);
  if (!code) throw new Error(`docs/cookbook.md has no block 'ts cookbook=${id}'`);
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const recipe = new Function('cluster', ...Object.keys(GLOBALS), js) as (cluster: HomelabCluster, ...globals: unknown[]) => void;
  return synth((c) => { platform(c, id, ingress !== undefined); ingress?.(c); recipe(c, ...Object.values(GLOBALS)); }, { network: { nodeCidr: '10.0.50.0/24' }, ...(ingress ? { defaultDenyNetworkPolicies: true } : {}) });
}

describe('docs/cookbook.md: every example compiles, synthesizes and renders what the text says', () => {
  test('the document has the recipes this test asserts on, and they type-check', () => {
    expect([...BLOCKS.keys()]).toEqual(['probes', 'home-automation', 'gpu', 'own-user', 'sidecar', 'lan-service', 'second-postgres', 'workloads', 'aliases', 'routes', 'raw-object', 'talos-extension']);
    expect(typeErrors()).toEqual([]);
  }, 120_000);

  test('probes: a startup probe with timings only, readiness on its own, a sidecar probing its port', () => {
    const d = run('probes').get('Deployment', 'immich', 'photos');
    const main = mainContainer(d);
    expect(main.startupProbe).toMatchObject({ httpGet: { path: '/api/server/ping', port: 'http' }, failureThreshold: 60 });
    expect(main.readinessProbe).toMatchObject({ successThreshold: 2 });
    expect(d.spec.template.spec.containers[1].livenessProbe.tcpSocket).toEqual({ port: 'metrics' });
  });

  test('home automation: host network, the stick on w1, privileged with reasons, the namespace privileged', () => {
    const s = run('home-automation');
    const pod = s.get('Deployment', 'home-assistant', 'home').spec.template.spec;
    expect(pod).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', nodeSelector: { 'kubernetes.io/hostname': 'w1' }, terminationGracePeriodSeconds: 60 });
    expect(pod.volumes).toContainEqual({ name: 'device-0', hostPath: { path: '/dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus-if00-port0', type: 'CharDevice' } });
    expect(pod.securityContext.supplementalGroups).toEqual([20]);
    expect(s.get('Namespace', 'home').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('gpu: the device plugin resource, no privilege', () => {
    const s = run('gpu');
    const main = mainContainer(s.get('Deployment', 'frigate', 'home'));
    expect(main.resources.limits['gpu.intel.com/i915']).toBe('1');
    expect(main.securityContext.privileged).toBe(false);
  });

  test("own user: no uid written, hostUsers false", () => {
    const pod = run('own-user').get('Deployment', 'paperless', 'documents').spec.template.spec;
    expect(pod.hostUsers).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('sidecar: a restoring init container, then a native sidecar replicating, both with the store\'s keys only', () => {
    const s = run('sidecar');
    const pod = s.get('Deployment', 'notes', 'notes').spec.template.spec;
    expect(pod.initContainers.map((c: { name: string; restartPolicy?: string }) => `${c.name}:${c.restartPolicy ?? '-'}`)).toEqual(['restore:-', 'replicate:Always']);
    const [restore, replicate] = pod.initContainers;
    expect(restore.args).toEqual(['restore', '-if-db-not-exists', '-if-replica-exists', '/data/notes.db']);
    expect(replicate.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort()).toEqual(['/data', '/etc/litestream.yml', '/tmp']);
    for (const c of [restore, replicate]) {
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(Object.keys(envOf(c)).sort()).toEqual(['LITESTREAM_ACCESS_KEY_ID', 'LITESTREAM_SECRET_ACCESS_KEY']);
      expect(envOf(c).LITESTREAM_ACCESS_KEY_ID).toMatch(/^secret:notes-env\/.+/);
    }
    expect(s.get('ExternalSecret', 'notes-env', 'notes').spec.data.map((d: { remoteRef: { key: string } }) => d.remoteRef.key)).toContain('apps/notes-backup');
  });

  test("lan service: the LoadBalancer with its pool address, its clients and the broker's listener", () => {
    const s = run('lan-service');
    const svc = s.get('Service', 'mosquitto-lan', 'home');
    expect(svc.metadata.annotations['lbipam.cilium.io/ips']).toBe('10.0.50.110');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', loadBalancerSourceRanges: ['10.0.60.0/24'], ports: [{ name: 'mqtt', port: 1883, targetPort: 'mqtt', protocol: 'TCP' }] });
    expect(s.get('ConfigMap', 'mosquitto-files', 'home').data['mosquitto.conf']).toContain('listener 1883');
  });

  test('second postgres: the extension image with its preload, the app bound to it, extensions on its Database', () => {
    const s = run('second-postgres');
    const pg = s.get('Cluster', 'photos-db');
    expect(pg.spec.imageName).toBe(`${VECTORCHORD_IMAGE.repository}:${VECTORCHORD_IMAGE.tag}`);
    expect(pg.spec.postgresql.shared_preload_libraries).toEqual([VECTORCHORD_PRELOAD]);
    expect(envOf(mainContainer(s.get('Deployment', 'photos', 'photos'))).POSTGRES_HOST).toBe('photos-db-rw.databases.svc');
    expect(s.get('Database', 'photos-db-photos').spec.extensions.map((e: { name: string }) => e.name)).toEqual(['vector', 'vchord']);
  });

  test('workloads: a StatefulSet with its config file, a DaemonSet, a CronJob', () => {
    const s = run('workloads');
    const sts = s.get('StatefulSet', 'mosquitto', 'home');
    expect(sts.spec.serviceName).toBe('mosquitto-headless');
    expect(sts.spec.template.metadata.annotations['homelab.arpa/config-hash']).toMatch(/^[0-9a-f]{16}$/);
    expect(s.get('ConfigMap', 'mosquitto-files', 'home').data['mosquitto.conf']).toContain('listener 1883');
    expect(s.get('DaemonSet', 'node-exporter', 'monitoring-extra').spec.template.spec.tolerations).toHaveLength(1);
    expect(s.get('CronJob', 'paperless-export', 'documents').spec).toMatchObject({ schedule: '30 3 * * *', concurrencyPolicy: 'Forbid' });
  });

  test('aliases: three routes to one port, the public one labelled public and handed to the tunnel', () => {
    const s = run('aliases');
    expect(s.all('Ingress').map((i) => `${i.metadata.name} ${i.spec.rules[0].host} ${i.metadata.labels['homelab/exposure']}`).sort()).toEqual([
      'photos photos.example.com internal',
      'photos-alias-1 immich.example.com internal',
      'photos-alias-2 share.example.com public',
    ]);
    expect(s.get('ConfigMap', 'tunnel', 'tunnel').data.hostnames).toBe('share.example.com');
  });

  test('routes: one IngressRoute (Traefik) or HTTPRoute (Gateway API) for both hostnames, /api to the api port, the headers filtered', () => {
    const t = run('routes', (c) => new Traefik(c, 'traefik'));
    const route = t.get('IngressRoute', 'immich-route-1', 'photos');
    const hosts = '(Host(`photos.example.com`) || Host(`immich.example.com`))';
    expect(route.spec.routes.map((r: Record<string, any>) => `${r.match} -> ${r.services[0].port} ${r.middlewares[0].name}`)).toEqual([
      `${hosts} && (Path(\`/api\`) || PathPrefix(\`/api/\`)) -> 3001 immich-route-1-headers`,
      `${hosts} -> 2283 immich-route-1-headers`,
    ]);
    expect(route.metadata.annotations).toEqual({ 'example.com/owner': 'media' });
    expect(t.get('Middleware', 'immich-route-1-headers', 'photos').spec.headers).toEqual({ customRequestHeaders: { 'X-Forwarded-Proto': 'https' }, customResponseHeaders: { 'X-Powered-By': '' } });
    const policy = t.get('NetworkPolicy', 'immich', 'photos');
    expect(policy.spec.ingress[0].ports.map((p: Record<string, any>) => p.port)).toEqual([2283, 3001]);

    const g = run('routes', (c) => { gatewayApiCrds(c); new Gateways(c, 'gateways'); });
    const http = g.get('HTTPRoute', 'immich-route-1', 'photos');
    expect(http.spec.hostnames).toEqual(['photos.example.com', 'immich.example.com']);
    expect(http.spec.rules.map((r: Record<string, any>) => `${r.matches[0].path.value} -> ${r.backendRefs[0].port}`)).toEqual(['/api -> 3001', '/ -> 2283']);
    expect(http.spec.rules[0].filters).toEqual([
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Forwarded-Proto', value: 'https' }] } },
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['X-Powered-By'] } },
    ]);
  });

  test('raw object: written into the app\'s folder, in its namespace, validated like the rest', () => {
    const s = run('raw-object');
    const cm = s.get('ConfigMap', 'mqtt-bridge-topics', 'home');
    expect(cm.file).toMatch(/^clusters\/test\/home\/mqtt-bridge\/app\//);
    expect(cm.data['topics.yaml']).toContain('zigbee2mqtt/#');
  });

  test('talos extension: in the Image Factory schematic', () => {
    const s = run('talos-extension');
    expect(s.files.get('clusters/test/talos/schematic.yaml')).toContain('siderolabs/qemu-guest-agent');
  });
});
