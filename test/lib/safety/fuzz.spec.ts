import fc from 'fast-check';
import { App } from '../../../src/lib/apps/app.js';
import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { IngressNginx } from '../../../src/lib/platform/ingress/ingress-nginx.js';
import { NfsCsi } from '../../../src/lib/platform/storage/nfs-csi.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { copyRoot, readTree, tempRoot } from '../../helpers.js';
import { cli, labProps } from './fixtures.js';

/**
 * The bad-input promise as a property: for random clusters (nodes, apps) with a random mistake, synth
 * exits 1 with one problem per mistake naming cluster, path, field and fix, prints no stack trace
 * and writes nothing. A random junk value (any type) in a random prop must also keep the promise,
 * or be accepted with a valid tree. Seeded and bounded, so a failure replays.
 */

type Props = Record<string, any>;

interface Spec {
  props: Props;
  apps: Props[];
}

/** A valid spec: the lab cluster with 1–3 workers and 0–3 hardened apps. */
const spec: fc.Arbitrary<Spec> = fc.record({
  workers: fc.integer({ min: 1, max: 3 }),
  apps: fc.uniqueArray(fc.constantFrom('blog', 'wiki', 'notes', 'photos', 'feeds'), { maxLength: 3 }),
  tag: fc.integer({ min: 0, max: 40 }),
}).map(({ workers, apps, tag }) => {
  const base = labProps();
  return {
    props: { ...base, nodes: [base.nodes[0], ...Array.from({ length: workers }, (_, i) => ({ name: `w${i + 1}`, role: 'worker' as const, cpu: 4, memory: '8Gi', ip: `10.0.50.${10 + i}` }))] },
    apps: apps.map((name, i) => ({ name, image: { repository: `ghcr.io/example/${name}`, tag: `1.${tag}.${i}` }, ports: [{ name: 'http', port: 8000 + i }] })),
  };
});

/** Mistakes with the field synth must name. Each edits a copy of the spec. */
const MISTAKES: readonly { name: string; field: RegExp; apply: (s: Spec) => void }[] = [
  { name: 'node IP out of range', field: /^nodes\[\d\]\.ip$/, apply: (s) => { s.props.nodes[1] = { ...s.props.nodes[1], ip: '10.0.50.300' }; } },
  { name: 'duplicate node IP', field: /^nodes\[\d\]\.ip$/, apply: (s) => { s.props.nodes[1] = { ...s.props.nodes[1], ip: s.props.nodes[0].ip }; } },
  { name: 'node name', field: /^nodes\[\d\]\.name$|^node\./, apply: (s) => { s.props.nodes[1] = { ...s.props.nodes[1], name: 'Worker_1' }; } },
  { name: 'taint effect', field: /taints\[0\]\.effect$/, apply: (s) => { s.props.nodes[1] = { ...s.props.nodes[1], taints: [{ key: 'homelab.arpa/x', effect: 'Never' }] } as any; } },
  { name: 'node label key', field: /labels/, apply: (s) => { s.props.nodes[1] = { ...s.props.nodes[1], labels: { 'node-role.kubernetes.io/db': '' } }; } },
  { name: 'VIP outside the subnet', field: /^network\.vip$/, apply: (s) => { s.props.network = { ...s.props.network, vip: '10.9.9.9' }; } },
  { name: 'Git branch', field: /^git\.branch$/, apply: (s) => { s.props.git = { ...s.props.git, branch: 'my branch' }; } },
  { name: 'moving image tag', field: /^image\.tag$/, apply: (s) => { s.apps.push(app('x', { image: { repository: 'ghcr.io/example/x', tag: 'latest' } })); } },
  { name: 'uppercase repository', field: /^image\.repository$/, apply: (s) => { s.apps.push(app('x', { image: { repository: 'ghcr.io/Example/x', tag: '1.0.0' } })); } },
  { name: 'port 0', field: /^ports\[0\]\.port$/, apply: (s) => { s.apps.push(app('x', { ports: [{ name: 'http', port: 0 }] })); } },
  { name: 'ports as a string', field: /^ports$/, apply: (s) => { s.apps.push(app('x', { ports: '80' })); } },
  { name: 'replicas -1', field: /^replicas$/, apply: (s) => { s.apps.push(app('x', { replicas: -1 })); } },
  { name: 'plaintext password', field: /^env\.DB_PASSWORD$/, apply: (s) => { s.apps.push(app('x', { env: { DB_PASSWORD: 'hunter2' } })); } },
  { name: 'URL with a password', field: /^env\.DB_URL$/, apply: (s) => { s.apps.push(app('x', { env: { DB_URL: 'mysql://root:hunter2@db/x' } })); } },
  { name: 'probe period 0', field: /periodSeconds$/, apply: (s) => { s.apps.push(app('x', { probes: { readiness: { tcp: {}, periodSeconds: 0 } } })); } },
  { name: 'grace period', field: /^terminationGracePeriodSeconds$/, apply: (s) => { s.apps.push(app('x', { terminationGracePeriodSeconds: -1 })); } },
  { name: 'toleration', field: /^tolerations\[0\]\.value$/, apply: (s) => { s.apps.push(app('x', { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] })); } },
  { name: 'NFS server with a path', field: /\.server$/, apply: (s) => { s.apps.push(app('x', { persistence: { m: { type: 'nfs', server: 'nas:/m', path: '/m', mountPath: '/m' } } })); } },
  { name: 'app in kube-system', field: /^namespace$/, apply: (s) => { s.apps.push(app('x', { namespace: 'kube-system' })); } },
  { name: 'two apps one hostname', field: /^hostname$/, apply: (s) => { s.apps.push(app('x', { expose: 'internal', subdomain: 'same' }), app('y', { expose: 'internal', subdomain: 'same' })); } },
];

function app(name: string, props: Props): Props {
  return { name, image: { repository: `ghcr.io/example/${name}`, tag: '1.0.0' }, ports: [{ name: 'http', port: 8080 }], ...props };
}

function build(s: Spec): Estate {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, s.props as ClusterProps);
  new NfsCsi(cluster, 'nfs', { server: 'nas.lab.example.com', share: '/volume1/k8s', default: true });
  if (s.apps.some((a) => a.expose)) new IngressNginx(cluster, 'ingress');
  for (const { name, ...props } of s.apps) new App(cluster, name, props as any);
  return estate;
}

const clone = (s: Spec): Spec => ({ props: { ...s.props, nodes: [...s.props.nodes] }, apps: s.apps.map((a) => ({ ...a })) });

const PROBLEM = /^\[[^\]]+\] \S.* › (\S+): \S/;

function run(s: Spec, goodRoot: string): { code: number; out: string; fields: string[]; unchanged: boolean; stack: boolean } {
  const root = copyRoot(goodRoot);
  const before = readTree(root);
  const { code, out } = cli([], () => build(s), root);
  const lines = out.split('\n');
  const fields = lines.map((l, i) => ({ m: PROBLEM.exec(l), next: lines[i + 1] ?? '' })).filter((x) => x.m && /^ {4}fix: \S/.test(x.next)).map((x) => x.m![1]);
  const after = readTree(root);
  return { code, out, fields, unchanged: JSON.stringify([...before]) === JSON.stringify([...after]), stack: /\n\s+at .*:\d+:\d+\)?$/m.test(out) };
}

describe('bad input, fuzzed: the promise holds for random clusters and random mistakes', () => {
  let goodRoot: string;
  beforeAll(() => {
    goodRoot = tempRoot('fuzz-');
    synthesize(build({ props: labProps(), apps: [] }), { root: goodRoot });
  });

  test('a random valid cluster synthesizes', () => {
    fc.assert(fc.property(spec, (s) => {
      const r = run(s, goodRoot);
      if (r.code !== 0) throw new Error(`valid spec failed:\n${r.out}`);
    }), { seed: 20261206, numRuns: 12 });
  });

  test('one random mistake: exit 1, a problem naming its field with a fix, nothing written, no stack trace', () => {
    fc.assert(fc.property(spec, fc.constantFrom(...MISTAKES), (s, mistake) => {
      const bad = clone(s);
      mistake.apply(bad);
      const r = run(bad, goodRoot);
      const ok = r.code === 1 && r.out.includes('nothing was written') && r.unchanged && !r.stack && r.fields.some((f) => mistake.field.test(f));
      if (!ok) throw new Error(`${mistake.name}: exit ${r.code}, fields ${JSON.stringify(r.fields)}:\n${r.out.slice(0, 2000)}`);
    }), { seed: 20261206, numRuns: 40 });
  });

  test('junk of any type in a random prop: a clean error or a valid synth, never a crash', () => {
    const appProps = ['image', 'ports', 'replicas', 'env', 'persistence', 'probes', 'healthCheck', 'tolerations', 'sidecars', 'security', 'resources', 'expose', 'namespace', 'podAnnotations', 'terminationGracePeriodSeconds'];
    fc.assert(fc.property(spec, fc.constantFrom(...appProps), fc.anything({ maxDepth: 2 }), (s, prop, junk) => {
      const bad = clone(s);
      bad.apps.push(app('junk', { [prop]: junk }));
      const r = run(bad, goodRoot);
      const clean = r.code === 1 ? r.out.includes('nothing was written') && r.unchanged && !r.stack && !r.out.includes('unexpected error') : r.code === 0;
      if (!clean) throw new Error(`${prop} = ${fc.stringify(junk)}: exit ${r.code}:\n${r.out.slice(0, 2000)}`);
    }), { seed: 20261206, numRuns: 60 });
  });
});
