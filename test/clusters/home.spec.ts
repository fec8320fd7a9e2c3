import { Estate } from '../../src/lib/estate/estate.js';
import { runCli } from '../../src/lib/synth/cli.js';
import { home } from '../../src/clusters/home.js';
import { SOVEREIGN_S3 } from '../../src/clusters/settings.js';
import { tempRoot } from '../helpers.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const c = s.cluster('home');

/** The seed's workloads: component → namespace/name of its Deployment or StatefulSet. */
const APPS = [
  // component, workload, heavy (stopped in gaming mode)
  ['jellyfin', 'media/jellyfin', true],
  ['sonarr', 'media/sonarr', false],
  ['radarr', 'media/radarr', false],
  ['prowlarr', 'media/prowlarr', false],
  ['qbittorrent', 'media/qbittorrent', true],
  ['jellyseerr', 'media/jellyseerr', false],
  ['n8n', 'automation/n8n', true],
  ['nextcloud', 'nextcloud/nextcloud', true],
] as const;

const PLATFORM = ['cilium', 'longhorn', 'cert-manager', 'traefik', 'external-secrets', 'cnpg', 'barman-cloud', 'postgres', 'postgres-restore', 'redis'];

const HOSTS = ['jellyfin', 'jellyseerr', 'n8n', 'nextcloud', 'prowlarr', 'qbittorrent', 'radarr', 'sonarr'].map((h) => `${h}.home.sovereign.example.net`);

describe('home (seed 000, local side)', () => {
  test('implements seed 000, from its own source file', () => {
    expect(s.cluster('home').model.seed).toBe('000-talos-snc-plus-oke.md');
    expect(s.cluster('home').model.sourceFile).toBe('src/clusters/home.ts');
  });
  test('one Talos node, node-main: control plane and worker, 56 GB / 10 CPU', () => {
    expect(c.model.distribution).toBe('talos');
    expect(c.model.nodes).toEqual([expect.objectContaining({ name: 'node-main', role: 'control-plane', cpu: 10, memory: '56Gi' })]);
    expect(c.model.singleNode).toBe(true);
    expect(c.model.schedulableNodes.map((n) => n.name)).toEqual(['node-main']);
    // Talos lets workloads onto the control plane of a single-node cluster
    expect(c.file('talos/talconfig.yaml').allowSchedulingOnControlPlanes).toBe(true);
  });

  test('GitOps by Flux (operator) syncing clusters/home', () => {
    const fi = c.get('FluxInstance', 'flux', 'flux-system');
    expect(fi.spec.sync).toMatchObject({ path: 'clusters/home', kind: 'GitRepository' });
  });

  test.each(PLATFORM)('platform component %s has its own Flux Kustomization', (name) => {
    expect(c.kustomizations.has(name)).toBe(true);
  });

  test.each(APPS)('app %s runs as %s (heavy: %s) with one replica', (component, workload, heavy) => {
    expect(c.kustomizations.has(component)).toBe(true);
    const w = c.workloads.get(workload)!;
    expect(w).toBeDefined();
    expect(w.spec.replicas).toBe(1);
    const app = c.model.component(component)!;
    expect(app.workloads.some((f) => f.heavy === heavy)).toBe(true);
  });

  test('apps are reached on the LAN only, under home.<domain>, through Traefik on its LAN address', () => {
    expect(c.hostnames).toEqual(HOSTS);
    expect(c.objects('Ingress')).toEqual([]);
    for (const r of c.objects('IngressRoute')) expect(r.spec.entryPoints).toEqual(['websecure']);
    expect(c.helmReleases.get('traefik/traefik')!.spec.values.service.spec.loadBalancerIP).toBe('192.168.10.200');
    expect(c.objects('CiliumLoadBalancerIPPool').map((p) => p.spec.blocks)).toEqual([[{ start: '192.168.10.200', stop: '192.168.10.209' }]]);
    expect(s.cluster('home').objects('HelmRelease').some((h) => h.metadata.name === 'cloudflared')).toBe(false);
  });

  test('storage: Longhorn is the only default StorageClass (Retain), one replica on one node; the media library is NFS', () => {
    const values = c.helmReleases.get('longhorn-system/longhorn')!.spec.values;
    expect(values.persistence).toMatchObject({ defaultClass: true, reclaimPolicy: 'Retain', defaultClassReplicaCount: 1 });
    const media = c.objects('PersistentVolume').filter((pv) => pv.spec.nfs);
    expect(media.map((pv) => pv.spec.nfs)).toEqual(expect.arrayContaining([expect.objectContaining({ server: 'nas.sovereign.example.net', path: '/export/media' })]));
  });

  test('databases: one CloudNativePG cluster with a database each for n8n and Nextcloud; Redis for Nextcloud', () => {
    const pg = c.get('Cluster', 'postgres', 'databases');
    expect(pg.spec.instances).toBe(1);
    expect(c.objects('Database').map((d) => d.spec.name).sort()).toEqual(['n8n', 'nextcloud']);
    expect(s.result.trees.find((t) => t.cluster.name === 'home')!.dependencies.get(c.model.component('nextcloud')!)!.map((e) => e.to.name)).toEqual(expect.arrayContaining(['postgres', 'redis']));
    expect(c.objects('StatefulSet').some((w) => w.metadata.name === 'redis')).toBe(true);
  });

  test('CNPG backs up continuously to S3: WAL archiving through the Barman Cloud plugin + a daily base backup; restore drill suspended', () => {
    const pg = c.get('Cluster', 'postgres', 'databases');
    expect(pg.spec.plugins).toEqual([expect.objectContaining({ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true })]);
    expect(pg.spec.backup).toBeUndefined();
    const store = c.get('ObjectStore', 'postgres-backup', 'databases');
    expect(store.spec.configuration).toMatchObject({ destinationPath: `s3://${SOVEREIGN_S3.bucket}/home`, endpointURL: SOVEREIGN_S3.endpoint });
    expect(JSON.stringify(store.spec.configuration.s3Credentials)).toContain(SOVEREIGN_S3.credentialsSecret);
    expect(c.objects('ScheduledBackup')).toEqual([expect.objectContaining({ spec: expect.objectContaining({ method: 'plugin' }) })]);
    expect(c.kustomizations.get('postgres-restore')!.spec.suspend).toBe(true);
  });

  test('dependsOn is derived: apps wait for the database, ingress and storage they use', () => {
    expect(c.dependsOn('n8n')).toEqual(expect.arrayContaining(['postgres', 'traefik']));
    expect(c.dependsOn('postgres')).toEqual(expect.arrayContaining(['barman-cloud', 'cnpg', 'external-secrets']));
    expect(c.dependsOn('barman-cloud')).toEqual(expect.arrayContaining(['cnpg']));
    expect(c.dependsOn('cilium')).toEqual([]);
  });

  test('gaming mode is off in the committed estate: CNPG awake, heavy apps running', () => {
    expect(c.model.scaleDown).toEqual({ name: 'gaming mode', active: false });
    expect(c.get('Cluster', 'postgres', 'databases').metadata.annotations['cnpg.io/hibernation']).toBe('off');
  });
});

describe('gaming mode on home (one line: HOME_GAMING_MODE)', () => {
  const build = (gamingMode: boolean) => () => {
    const estate = new Estate();
    home(estate, { gamingMode });
    return estate;
  };
  const gaming = new SynthesizedEstate(build(true)());
  const g = gaming.cluster('home');

  test.each(APPS)('%s (%s): heavy=%s → replicas 0 when heavy, untouched otherwise', (_component, workload, heavy) => {
    expect(g.workloads.get(workload)!.spec.replicas).toBe(heavy ? 0 : 1);
  });

  test('every heavy Deployment/StatefulSet of the cluster is scaled to zero', () => {
    const heavy = g.model.components.flatMap((comp) => comp.workloads.filter((w) => w.heavy).map((w) => `${comp.namespace}/${w.name}`));
    expect(heavy.length).toBeGreaterThanOrEqual(4);
    const rendered = heavy.filter((key) => g.workloads.has(key));
    // the apps' Deployments (CNPG instances are not Deployments: they hibernate instead)
    expect(rendered.length).toBeGreaterThanOrEqual(4);
    for (const key of rendered) expect(g.workloads.get(key)!.spec.replicas).toBe(0);
  });

  test('CNPG hibernates cleanly (declarative annotation); backups pause; nothing else about the data changes', () => {
    expect(g.get('Cluster', 'postgres', 'databases').metadata.annotations['cnpg.io/hibernation']).toBe('on');
    const backups = g.objects('ScheduledBackup');
    expect(backups).toHaveLength(1);
    expect(backups[0].spec.suspend).toBe(true);
    expect(c.objects('ScheduledBackup')[0].spec.suspend ?? false).toBe(false);
    // PVCs and the Cluster spec's storage stay: hibernation keeps the volumes
    expect(g.get('Cluster', 'postgres', 'databases').spec.storage).toEqual(c.get('Cluster', 'postgres', 'databases').spec.storage);
    expect(g.objects('PersistentVolumeClaim').map((p) => p.metadata.name).sort()).toEqual(c.objects('PersistentVolumeClaim').map((p) => p.metadata.name).sort());
  });

  test('the switch changes only replicas, hibernation, backup suspension and waits — no object appears or disappears', () => {
    const before = new Set([...s.files.keys()].filter((p) => p.startsWith('clusters/home/')));
    const after = new Set([...gaming.files.keys()].filter((p) => p.startsWith('clusters/home/')));
    expect([...after].filter((p) => !before.has(p))).toEqual([]);
    expect([...before].filter((p) => !after.has(p))).toEqual([]);
  });

  test('synth prints the CPU and memory gaming mode frees, matching the heavy workloads\' requests', () => {
    const report = gaming.result.capacity.find((r) => r.cluster === 'home')!;
    expect(report.scaleDown).toEqual({ name: 'gaming mode', active: true });
    expect(report.heavy.workloads).toEqual(expect.arrayContaining(['jellyfin/jellyfin', 'qbittorrent/qbittorrent', 'n8n/n8n', 'nextcloud/nextcloud']));
    expect(report.heavy.workloads.some((w) => w.startsWith('postgres/'))).toBe(true);
    expect(report.heavy.requests.cpu).toBeGreaterThan(0);
    expect(report.heavy.requests.memory).toBeGreaterThan(0);
    const lines: string[] = [];
    expect(runCli([], build(true), tempRoot('gaming-cli-'), (l) => lines.push(l))).toBe(0);
    const freed = lines.find((l) => l.includes('gaming mode:'))!;
    expect(freed).toMatch(/gaming mode: \d+ heavy workload\(s\) stopped \(.*jellyfin.*\), freeing [\d.]+ CPU \/ [\d.]+\w+ of requests/);
  });

  test('the freed amount is what the heavy workloads request (computed independently from the footprints)', () => {
    const report = gaming.result.capacity.find((r) => r.cluster === 'home')!;
    // the report counts CPU in millicores and memory in bytes
    const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
    const mem = (q: string) => Number(q.replace(/[A-Za-z]+$/, '')) * ({ Mi: 2 ** 20, Gi: 2 ** 30, Ki: 2 ** 10 } as Record<string, number>)[q.replace(/^[\d.]+/, '')];
    const declared = g.model.components.flatMap((comp) => comp.workloads.filter((w) => w.heavy));
    const sumCpu = declared.reduce((a, w) => a + cpu(w.cpuRequest) * (w.replicas ?? 1), 0);
    const sumMem = declared.reduce((a, w) => a + mem(w.memoryRequest) * (w.replicas ?? 1), 0);
    expect(report.heavy.requests.cpu).toBeCloseTo(sumCpu, 3);
    expect(report.heavy.requests.memory).toBeCloseTo(sumMem, -3);
  });
});
