import { fluxAppliedFolders } from '../kustomize.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const c = s.cluster('prox-n100');

/** Seed 004's tables, row by row. */
const VMS = [
  // name, role, vCPU, RAM
  ['talos-cp-1', 'control-plane', 2, '8Gi'],
  ['talos-w-1', 'worker', 2, '4Gi'],
  ['talos-w-2', 'worker', 2, '4Gi'],
] as const;

const NAMESPACES = ['flux-system', 'kube-system', 'longhorn-system', 'nfs-provisioner', 'ingress-nginx', 'cloudflared', 'monitoring', 'apps'];

const KUSTOMIZATIONS = [
  // name, path, dependsOn
  ['flux-system', './clusters/prox-n100/flux', []],
  ['platform', './clusters/prox-n100/platform', ['flux-system']],
  ['apps', './clusters/prox-n100/apps', ['platform']],
] as const;

const HOSTNAMES = ['grafana.funoffshore.com', 'vault.funoffshore.com', 'whoami.funoffshore.com', 'www.funoffshore.com'];

describe('prox-n100 (seed 004)', () => {
  test('implements seed 004, from its own source file', () => {
    expect(s.cluster('prox-n100').model.seed).toBe('004-prox-n100-master-memo.md');
    expect(s.cluster('prox-n100').model.sourceFile).toBe('src/clusters/prox-n100.ts');
  });

  test('the layered layout: Flux applies exactly flux/, platform/ and apps/', () => {
    expect(fluxAppliedFolders(s.files).filter((f) => f.startsWith('clusters/prox-n100/'))).toEqual(['clusters/prox-n100/apps', 'clusters/prox-n100/flux', 'clusters/prox-n100/platform']);
  });
  test.each(VMS)('VM %s: %s, %d vCPU, %s RAM, Talos', (name, role, cpu, memory) => {
    const node = c.model.nodes.find((n) => n.name === name)!;
    expect(node).toMatchObject({ role, cpu, memory });
    expect(c.model.distribution).toBe('talos');
  });

  test('the cluster is named prox-n100, one control plane and two workers, domain funoffshore.com', () => {
    expect(c.model.nodes.map((n) => n.name)).toEqual(VMS.map((v) => v[0]));
    expect(c.model.controlPlaneNodes).toHaveLength(1);
    expect(c.model.workerNodes).toHaveLength(2);
    expect(c.model.domain).toBe('funoffshore.com');
  });

  test("the memo's namespaces exist and nothing else: flux/kube-system built in, the other six created by the tree", () => {
    expect(c.namespaces).toEqual(NAMESPACES.filter((n) => !['flux-system', 'kube-system'].includes(n)).sort());
    for (const ns of c.namespaces) expect(c.namespaceLabels(ns)['pod-security.kubernetes.io/enforce']).toMatch(/^(restricted|baseline|privileged)$/);
    // every namespaced object lives in one of the memo's namespaces
    const used = new Set(c.objectsAll().map((o) => o.metadata?.namespace).filter(Boolean));
    for (const ns of used) expect(NAMESPACES).toContain(ns);
  });

  test.each(KUSTOMIZATIONS)('Flux Kustomization %s: path %s, dependsOn %j, every 5 minutes, pruning, health-checked', (name, path, deps) => {
    const ks = c.kustomizations.get(name)!;
    expect(ks.spec.path).toBe(path);
    expect(c.dependsOn(name)).toEqual(deps);
    expect(ks.spec.interval).toBe('5m');
    expect(ks.spec.prune).toBe(true);
    expect(ks.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system' });
    if (name !== 'flux-system') expect(ks.spec.wait).toBe(true);
  });

  test('exactly three Flux Kustomizations: the layers, nothing per component', () => {
    expect([...c.kustomizations.keys()].sort()).toEqual(['apps', 'flux-system', 'platform']);
    expect(c.file('flux/kustomization.yaml').resources).toEqual(['gotk-sync.yaml', 'platform.yaml', 'apps.yaml']);
  });

  test('classic bootstrap: synth writes the sync objects, not gotk-components.yaml', () => {
    const [repo] = c.docs('flux/gotk-sync.yaml');
    expect(repo).toMatchObject({ kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { ref: { branch: 'main' } } });
    expect(c.paths).not.toContain('flux/gotk-components.yaml');
    expect(c.objects('FluxInstance')).toEqual([]);
  });

  test("the memo's folders: platform/{storage,ingress,monitoring}, apps/", () => {
    const platform: string[] = c.file('platform/kustomization.yaml').resources;
    expect(platform).toEqual(expect.arrayContaining(['ingress/cloudflared', 'ingress/ingress-nginx', 'monitoring/kube-prometheus-stack', 'storage/longhorn', 'storage/nfs']));
    for (const r of platform) expect(r).toMatch(/^(storage|ingress|monitoring)\//);
    expect(c.file('apps/kustomization.yaml').resources).toEqual(expect.arrayContaining(['core/blog', 'core/vaultwarden', 'core/whoami']));
  });

  test('NFS: csi-driver-nfs in nfs-provisioner, nfs-storage is the default StorageClass with Retain on the Synology', () => {
    const sc = c.storageClasses.get('nfs-storage')!;
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(sc).toMatchObject({ provisioner: 'nfs.csi.k8s.io', reclaimPolicy: 'Retain', parameters: { server: 'synology.funoffshore.com', share: '/volume1/kubernetes' } });
    const hr = c.helmReleases.get('nfs-provisioner/nfs')!;
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'csi-driver-nfs', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(c.namespaceLabels('nfs-provisioner')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    // exactly one default StorageClass
    expect([...c.storageClasses.values()].filter((x) => x.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')).toHaveLength(1);
  });

  test('Longhorn: StorageClass longhorn with 2 replicas and Delete, not default; scheduled snapshots and backups to NFS', () => {
    const values = c.helmReleases.get('longhorn-system/longhorn')!.spec.values;
    expect(values.persistence).toMatchObject({ createStorageClass: true, defaultClass: false, defaultClassReplicaCount: 2, reclaimPolicy: 'Delete' });
    expect(values.defaultBackupStore.backupTarget).toBe('nfs://synology.funoffshore.com:/volume1/longhorn-backups');
    const jobs = Object.fromEntries(c.objects('RecurringJob').map((j) => [j.spec.task, j.spec]));
    expect(Object.keys(jobs).sort()).toEqual(['backup', 'snapshot']);
    expect(jobs.backup).toMatchObject({ cron: expect.any(String), retain: expect.any(Number), groups: ['default'] });
    expect(c.namespaceLabels('longhorn-system')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(c.get('Namespace', 'longhorn-system').metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
  });

  test('ingress-nginx + cloudflared for funoffshore.com: every public hostname goes through the tunnel to ingress-nginx, then 404', () => {
    expect(c.helmReleases.get('ingress-nginx/ingress-nginx')!.spec.chart.spec.chart).toBe('ingress-nginx');
    const tunnel = c.helmReleases.get('cloudflared/cloudflared')!.spec.values.ingress;
    expect(tunnel.at(-1)).toEqual({ service: 'http_status:404' });
    const publicHosts = tunnel.slice(0, -1).map((r: any) => r.hostname);
    expect(publicHosts).toEqual(['vault.funoffshore.com', 'whoami.funoffshore.com', 'www.funoffshore.com']);
    for (const r of tunnel.slice(0, -1)) expect(r.service).toMatch(/^https?:\/\/ingress-nginx-controller\.ingress-nginx\.svc\.cluster\.local:\d+$/);
    expect(c.hostnames).toEqual(HOSTNAMES);
    for (const i of c.objects('Ingress')) expect(i.spec.ingressClassName).toBe('nginx');
  });

  test('DNS managed by Cloudflare, subdomains pointing to the tunnel: external-dns next to cloudflared', () => {
    const v = c.helmReleases.get('cloudflared/external-dns')!.spec.values;
    expect(v).toMatchObject({ provider: { name: 'cloudflare' }, sources: ['ingress'], domainFilters: ['funoffshore.com'] });
    for (const i of c.objects('Ingress').filter((x) => x.metadata.labels?.['homelab/exposure'] === 'public')) {
      expect(i.metadata.annotations['external-dns.alpha.kubernetes.io/target']).toBe('00000000-0000-4000-8000-000000000004.cfargotunnel.com');
    }
  });

  test("kube-prometheus-stack in monitoring with the memo's dashboards, TSDB on Longhorn", () => {
    const values = c.helmReleases.get('monitoring/kube-prometheus-stack')!.spec.values;
    expect(Object.keys(values.grafana.dashboards.homelab).sort()).toEqual(expect.arrayContaining(['flux-reconciliation', 'kubernetes-cluster-overview', 'longhorn-health', 'node-overview']));
    expect(JSON.stringify(values.prometheus.prometheusSpec.storageSpec)).toContain('"storageClassName":"longhorn"');
    expect(values.alertmanager.enabled ?? true).toBe(true);
  });

  test('default-deny NetworkPolicy in apps; apps allow only what they declare', () => {
    const deny = c.objects('NetworkPolicy').filter((p) => p.metadata.namespace === 'apps' && p.spec.podSelector && Object.keys(p.spec.podSelector).length === 0);
    expect(deny).toHaveLength(1);
    expect(deny[0].spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    const perApp = c.objects('NetworkPolicy').filter((p) => p.metadata.namespace === 'apps' && p.spec.podSelector?.matchLabels);
    expect(perApp.map((p) => p.metadata.name).sort()).toEqual(['blog', 'vaultwarden', 'whoami']);
  });

  test('minimal service-account RBAC: no cluster-admin binding, app pods mount no token', () => {
    for (const b of [...c.objects('ClusterRoleBinding'), ...c.objects('RoleBinding')]) expect(b.roleRef.name).not.toBe('cluster-admin');
    const apps = c.objects('Deployment').filter((d) => d.metadata.namespace === 'apps');
    expect(apps.map((d) => d.metadata.name).sort()).toEqual(['blog', 'vaultwarden', 'whoami']);
    for (const w of apps) {
      expect(w.spec.template.spec.automountServiceAccountToken).toBe(false);
      for (const ctr of w.spec.template.spec.containers) expect(ctr.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
  });

  test('stateful apps on Longhorn, shared data on NFS', () => {
    expect(c.get('PersistentVolumeClaim', 'vaultwarden-data', 'apps').spec.storageClassName).toBe('longhorn');
  });
});
