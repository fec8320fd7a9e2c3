import { parse } from 'yaml';
import { SynthesizedEstate } from './support.js';

/**
 * Facts of the reference estate that decide whether a cluster comes up on real hardware, beyond
 * schema validity (issue #13): each assertion failed on the tree before the fix it guards.
 */
const s = SynthesizedEstate.reference();
const clusters = s.estate.clusters.map((c) => s.cluster(c.name));
const talosCilium = clusters.filter((c) => c.model.distribution === 'talos' && c.has('HelmRelease', 'cilium', 'kube-system'));

describe('the reference estate converges', () => {
  test('Talos clusters running Cilium exist (the checks below are not vacuous)', () => {
    expect(talosCilium.map((c) => c.model.name).sort()).toEqual(['ha', 'home', 'household', 'services']);
  });

  test.each(talosCilium.map((c) => [c.model.name, c] as const))('%s: Cilium keeps legacy host routing, so CoreDNS forwarding to the Talos host DNS works', (_name, c) => {
    const values = c.get('HelmRelease', 'cilium', 'kube-system').spec.values;
    expect(values.kubeProxyReplacement).toBe(true);
    expect(values.bpf).toEqual({ masquerade: true, hostLegacyRouting: true });
  });

  test('no generated file names the eth0 interface (Talos and systemd name ports after the hardware)', () => {
    const offenders = [...s.files].filter(([, content]) => /\beth0\b/.test(content)).map(([p]) => p);
    expect(offenders).toEqual([]);
  });

  test('ha: the VIP sits on the control planes\' port found by MAC (aliased lan0), never on a guessed name', () => {
    const ha = s.cluster('ha');
    const talconfig = ha.file('talos/talconfig.yaml');
    for (const name of ['control0', 'control1']) {
      const node = talconfig.nodes.find((n: any) => n.hostname === name);
      const docs = (node.patches as string[]).map((p) => parse(p));
      const alias = docs.find((d) => d.kind === 'LinkAliasConfig');
      const vip = docs.find((d) => d.kind === 'Layer2VIPConfig');
      expect(alias.selector.match).toMatch(/^mac\(link\.permanent_addr\) == "([0-9a-f]{2}:){5}[0-9a-f]{2}"$/);
      expect(vip).toEqual({ apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: '10.0.50.50', link: alias.name });
    }
    // The kernel names are unknown: the L2 policy lists no interface, which Cilium reads as all.
    expect(ha.get('CiliumL2AnnouncementPolicy', 'l2-announcements').spec.interfaces).toBeUndefined();
  });

  test('Talos clusters on flannel enforce NetworkPolicies (kube-network-policies on)', () => {
    const flannel = clusters.filter((c) => c.model.distribution === 'talos' && !c.has('HelmRelease', 'cilium', 'kube-system'));
    expect(flannel.map((c) => c.model.name)).toEqual(['prox-n100']);
    for (const c of flannel) expect(c.file('talos/talconfig.yaml').cniConfig).toEqual({ name: 'flannel', flannel: { kubeNetworkPoliciesEnabled: true } });
  });
});
