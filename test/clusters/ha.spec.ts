import { ha } from '../../src/clusters/ha.js';
import { Estate } from '../../src/lib/estate/estate.js';
import { SynthError } from '../../src/lib/estate/problems.js';
import { synthesize } from '../../src/lib/synth/synth.js';
import { tempRoot } from '../helpers.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const c = s.cluster('ha');

const NODES = [
  ['control0', 'control-plane', '10.0.50.1'],
  ['control1', 'control-plane', '10.0.50.2'],
  ['worker0', 'worker', '10.0.50.10'],
  ['worker1', 'worker', '10.0.50.11'],
  ['worker2', 'worker', '10.0.50.12'],
] as const;

/** Load-balancer addresses of the seed, and who holds each. */
const LB_IPS = [
  ['10.0.50.100', 'k8s-gateway'],
  ['10.0.50.101', 'internal gateway'],
  ['10.0.50.102', 'external gateway'],
] as const;

/** Apps: name, namespace, replicas, gateway, hostname. */
const APPS = [
  ['echo', 'echo', 3, 'external', 'echo.tosih.org'],
  ['blog', 'blog', 3, 'external', 'www.tosih.org'],
  ['vaultwarden', 'vaultwarden', 1, 'internal', 'vault.tosih.org'],
] as const;

/** The seed's two Flux layers: cluster-meta (sources, CRDs, operators, network) before cluster-apps. */
const META = ['cilium', 'gateway-api-crds', 'zfs-localpv', 'cert-manager', 'external-secrets', 'cnpg', 'gateways', 'k8s-gateway', 'cloudflared', 'external-dns'];
const APP_LAYER = ['echo', 'blog', 'vaultwarden'];

describe('ha (seed 003): Talos HA, Cilium, Gateway API', () => {
  test('implements seed 003, from its own source file', () => {
    expect(s.cluster('ha').model.seed).toBe('003-talos-ha-cilium-gateway.md');
    expect(s.cluster('ha').model.sourceFile).toBe('src/clusters/ha.ts');
  });
  test.each(NODES)('node %s: %s at %s', (name, role, ip) => {
    expect(c.model.nodes.find((n) => n.name === name)).toMatchObject({ role, ip });
    const talos = c.file('talos/talconfig.yaml').nodes.find((n: any) => n.hostname === name);
    expect(talos).toMatchObject({ ipAddress: ip, controlPlane: role === 'control-plane' });
  });

  test('control plane behind the VIP 10.0.50.50: the API endpoint and a Layer-2 VIP on both control planes', () => {
    const tc = c.file('talos/talconfig.yaml');
    expect(c.model.network.vip).toBe('10.0.50.50');
    expect(tc.endpoint).toBe('https://10.0.50.50:6443');
    const withVip = tc.nodes.filter((n: any) => (n.patches ?? []).some((p: string) => p.includes('10.0.50.50')));
    expect(withVip.map((n: any) => n.hostname)).toEqual(['control0', 'control1']);
  });

  test('Cilium native routing on pods 10.42.0.0/16, services 10.43.0.0/16, kube-proxy replaced, Gateway API on, Hubble', () => {
    const v = c.helmReleases.get('kube-system/cilium')!.spec.values;
    expect(v).toMatchObject({ routingMode: 'native', ipv4NativeRoutingCIDR: '10.42.0.0/16', kubeProxyReplacement: true, gatewayAPI: { enabled: true } });
    expect(v.hubble.enabled).toBe(true);
    const tc = c.file('talos/talconfig.yaml');
    expect(tc).toMatchObject({ clusterPodNets: ['10.42.0.0/16'], clusterSvcNets: ['10.43.0.0/16'], cniConfig: { name: 'none' } });
    expect(tc.patches.join('\n')).toMatch(/proxy:\s*\n\s*disabled: true/);
  });

  test.each(LB_IPS)('LoadBalancer address %s (%s) is requested once and inside the Cilium pool announced on L2', (ip) => {
    const pool = c.objects('CiliumLoadBalancerIPPool')[0];
    expect(pool.spec.blocks).toEqual([{ start: '10.0.50.100', stop: '10.0.50.102' }]);
    expect(c.objects('CiliumL2AnnouncementPolicy')).toHaveLength(1);
    const requests = JSON.stringify(c.objectsAll().filter((o) => o.kind !== 'CiliumLoadBalancerIPPool')).split(`"${ip}"`).length - 1;
    expect(requests).toBe(1);
  });

  test('Gateway API: internal on .101 and external on .102, listening for *.tosih.org with class cilium', () => {
    for (const [name, ip] of [['internal', '10.0.50.101'], ['external', '10.0.50.102']]) {
      const gw = c.get('Gateway', name, 'network');
      expect(gw.spec.gatewayClassName).toBe('cilium');
      expect(gw.spec.addresses).toEqual([{ type: 'IPAddress', value: ip }]);
      expect(gw.spec.listeners.map((l: any) => l.hostname)).toContain('*.tosih.org');
      expect(gw.spec.listeners.some((l: any) => l.protocol === 'HTTPS')).toBe(true);
    }
  });

  test('k8s-gateway answers for tosih.org on 10.0.50.100 (split DNS), watching HTTPRoutes', () => {
    const v = c.helmReleases.get('network/k8s-gateway')!.spec.values;
    expect(v.domain).toBe('tosih.org');
    expect(v.service).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '10.0.50.100' });
    expect(JSON.stringify(v.watchedResources)).toContain('HTTPRoute');
  });

  test('Cloudflare Tunnel sends every public hostname to the external gateway, then 404', () => {
    const rules = c.helmReleases.get('cloudflared/cloudflared')!.spec.values.ingress;
    expect(rules.map((r: any) => r.hostname ?? null)).toEqual(['echo.tosih.org', 'www.tosih.org', null]);
    for (const r of rules.slice(0, -1)) expect(r.service).toBe('http://cilium-gateway-external.network.svc.cluster.local:80');
    expect(rules.at(-1)).toEqual({ service: 'http_status:404' });
  });

  test('public DNS: external-dns publishes only the external gateway\'s routes, as CNAMEs to the tunnel', () => {
    const v = c.helmReleases.get('external-dns/external-dns')!.spec.values;
    expect(v).toMatchObject({ sources: ['gateway-httproute'], domainFilters: ['tosih.org'], labelFilter: 'homelab/exposure=public' });
    const publicRoutes = c.objects('HTTPRoute').filter((r) => r.metadata.labels?.['homelab/exposure'] === 'public');
    expect(publicRoutes.map((r) => r.spec.hostnames[0]).sort()).toEqual(['echo.tosih.org', 'www.tosih.org']);
    for (const r of publicRoutes) expect(r.metadata.annotations['external-dns.alpha.kubernetes.io/target']).toBe('00000000-0000-4000-8000-000000000003.cfargotunnel.com');
  });

  test.each(APPS)('app %s in %s: %d replica(s), HTTPRoute on the %s gateway for %s', (name, ns, replicas, gateway, host) => {
    const d = c.get('Deployment', name, ns);
    expect(d.spec.replicas).toBe(replicas);
    const route = c.objects('HTTPRoute').find((r) => r.metadata.namespace === ns)!;
    expect(route.spec.hostnames).toEqual([host]);
    expect(route.spec.parentRefs[0]).toMatchObject({ kind: 'Gateway', name: gateway, namespace: 'network' });
    if (replicas > 1) {
      const anti = d.spec.template.spec.affinity?.podAntiAffinity;
      expect(JSON.stringify(anti)).toContain('kubernetes.io/hostname');
      const pdb = c.objects('PodDisruptionBudget').find((p) => p.metadata.namespace === ns)!;
      expect(pdb.spec.maxUnavailable ?? pdb.spec.minAvailable).toBeDefined();
    }
  });

  test('storage: ZFS local PVs (OpenEBS) are the default StorageClass; PostgreSQL runs three instances on them', () => {
    const zfs = c.storageClasses.get('zfs')!;
    expect(zfs).toMatchObject({ provisioner: 'zfs.csi.openebs.io', parameters: expect.objectContaining({ poolname: 'zfspv-pool' }) });
    expect(zfs.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(c.get('Cluster', 'postgres', 'databases').spec.instances).toBe(3);
    expect(c.file('talos/talconfig.yaml').nodes.find((n: any) => n.hostname === 'worker0').schematic.customization.systemExtensions.officialExtensions).toContain('siderolabs/zfs');
  });

  test('SOPS/age: the cluster has recipients and a .sops.yaml creation rule for its folder', () => {
    expect(c.model.sops?.ageRecipients.length).toBe(1);
    const rule = c.file('.sops.yaml').creation_rules[0];
    expect(rule).toMatchObject({ encrypted_regex: '^(data|stringData)$' });
    expect(rule.age).toContain(c.model.sops!.ageRecipients[0]);
  });

  test('Flux polls every hour; cluster-meta (repositories, CRDs, operators, network) is applied before cluster-apps', () => {
    const ks = c.kustomizations;
    for (const k of ks.values()) expect(k.spec.interval).toBe('1h');
    expect(c.get('FluxInstance', 'flux', 'flux-system').spec.sync.interval).toBe('1h');
    // no meta Kustomization waits for an app
    for (const name of META) for (const dep of c.dependsOn(name)) expect(APP_LAYER).not.toContain(dep);
    // every app waits for the meta components it uses: the Gateway API CRDs and its gateway
    for (const app of APP_LAYER) expect(c.dependsOn(app)).toEqual(expect.arrayContaining(['gateway-api-crds', 'gateways']));
    // the repository/CRD layer has no dependency of its own
    expect(c.dependsOn('gateway-api-crds')).toEqual([]);
    expect(c.model.components.filter((x) => x.layer === 'apps').map((x) => x.name).sort()).toEqual([...APP_LAYER].sort());
  });

  test('synth warns that two control planes give etcd no fault tolerance (quorum 2 of 2) and suggests 1 or 3', () => {
    const w = s.result.warnings.filter((x) => x.cluster === 'ha' && x.code === 'etcd-even-control-planes');
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(/2 of 2/);
    expect(w[0].message).toMatch(/use 1 or 3/);
    // accepted with the seed's reason: printed on every synth, not fatal under --strict
    expect(w[0].accepted).toMatch(/seed 003 runs two control planes/);
  });

  test('without the acceptance, --strict fails on the etcd warning and names the cluster', () => {
    const estate = new Estate();
    ha(estate, { acceptedWarnings: {} });
    let error: unknown;
    try {
      synthesize(estate, { root: tempRoot('ha-strict-'), strict: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).problems).toEqual(expect.arrayContaining([expect.objectContaining({ cluster: 'ha', field: 'etcd-even-control-planes' })]));
  });
});
