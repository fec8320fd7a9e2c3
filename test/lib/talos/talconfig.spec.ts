import { parse } from 'yaml';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { addNodeRequirements } from '../../../src/lib/estate/node-requirements.js';
import { isGenerated } from '../../../src/lib/output/yaml.js';
import { Longhorn } from '../../../src/lib/platform/storage/longhorn.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { configureTalos } from '../../../src/lib/talos/settings.js';
import { readFileSync } from 'node:fs';
import { KUBERNETES_VERSION, TALOS_VERSION } from '../../../src/lib/talos/versions.js';

const MACHINE_CONFIG_SCHEMA_ID: string = JSON.parse(readFileSync(new URL('../../../imports/schemas/talos/machine-config.json', import.meta.url), 'utf8')).$id;
import { validateMachinePatch } from '../../../src/lib/talos/schema.js';
import { clusterProps, tempRoot } from '../../helpers.js';
import { fakeCni, filler, schematicErrors, synthProblems, synthTree, talconfigErrors, yamlOf } from './support.js';

/** Seed 000's shape: one Talos node running everything, Longhorn for storage. */
function singleNode(extra?: (c: HomelabCluster) => void) {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, clusterProps({
    name: 'snc',
    nodes: [{ name: 'node-main', role: 'control-plane', cpu: 10, memory: '56Gi', ip: '192.168.1.20', installDisk: '/dev/nvme0n1' }],
    network: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
  }));
  new Longhorn(cluster, 'longhorn', { default: true });
  extra?.(cluster);
  return { estate, cluster };
}

/** Seed 003's shape: two control planes behind a VIP, three workers, a CNI replacing flannel and kube-proxy. */
function ha(extra?: (c: HomelabCluster) => void) {
  const estate = new Estate();
  const cluster = new HomelabCluster(estate, clusterProps({
    name: 'ha',
    network: { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' },
    nodes: [
      { name: 'control0', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { name: 'enp1s0' } },
      { name: 'control1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2', nic: { mac: 'AA:BB:CC:00:50:02' } },
      { name: 'worker0', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.10', labels: { 'homelab.arpa/disk': 'ssd' } },
      { name: 'worker1', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.11', labels: { 'homelab.arpa/disk': 'ssd' } },
      { name: 'worker2', role: 'worker', cpu: 4, memory: '16Gi', ip: '10.0.50.12', arch: 'arm64', taints: [{ key: 'homelab.arpa/edge', value: 'true', effect: 'NoSchedule' }] },
    ],
  }));
  fakeCni(cluster);
  extra?.(cluster);
  return { estate, cluster };
}

describe('Talos machine configuration (talconfig.yaml)', () => {
  test('single node: validates against talhelper\'s schema, endpoint is the node, workloads allowed on the control plane', () => {
    const tree = synthTree(singleNode().estate);
    const doc = yamlOf(tree, 'clusters/snc/talos/talconfig.yaml');
    expect(talconfigErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({
      clusterName: 'snc',
      talosVersion: TALOS_VERSION,
      kubernetesVersion: KUBERNETES_VERSION,
      endpoint: 'https://192.168.1.20:6443',
      domain: 'cluster.local',
      allowSchedulingOnControlPlanes: true,
      clusterPodNets: ['10.244.0.0/16'],
      clusterSvcNets: ['10.96.0.0/16'],
      cniConfig: { name: 'flannel', flannel: { kubeNetworkPoliciesEnabled: true } },
    });
    expect(doc.additionalApiServerCertSans).toBeUndefined();
    expect(doc.nodes).toEqual([expect.objectContaining({
      hostname: 'node-main', ipAddress: '192.168.1.20', controlPlane: true, installDisk: '/dev/nvme0n1', machineSpec: { mode: 'metal', arch: 'amd64' },
    })]);
    expect(doc.nodes[0].networkInterfaces).toBeUndefined();
    // Exact releases, and Talos on the minor the imported machine-config schema describes (a minor
    // bump by Renovate must come with `npm run import`, or patches would be checked against the wrong schema).
    expect(TALOS_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(KUBERNETES_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(MACHINE_CONFIG_SCHEMA_ID).toContain(`/${TALOS_VERSION.split('.').slice(0, 2).join('.')}/`);
  });

  test('Longhorn: system extensions in the node schematic and schematic.yaml, kubelet extra mount as a patch', () => {
    const tree = synthTree(singleNode().estate);
    const doc = yamlOf(tree, 'clusters/snc/talos/talconfig.yaml');
    const extensions = ['siderolabs/iscsi-tools', 'siderolabs/util-linux-tools'];
    expect(doc.nodes[0].schematic).toEqual({ customization: { systemExtensions: { officialExtensions: extensions } } });
    const patches = (doc.patches as string[]).map((p) => parse(p));
    expect(patches).toContainEqual({ machine: { kubelet: { extraMounts: [{ destination: '/var/lib/longhorn', type: 'bind', source: '/var/lib/longhorn', options: ['bind', 'rshared', 'rw'] }] } } });
    expect((doc.patches as string[]).find((p) => p.includes('extraMounts'))).toMatch(/^# kubelet mounts for 'longhorn'\n/);
    expect(patches.some((p) => p.cluster?.proxy)).toBe(false);
    const schematic = yamlOf(tree, 'clusters/snc/talos/schematic.yaml');
    expect(schematic).toEqual({ customization: { systemExtensions: { officialExtensions: extensions } } });
    expect(schematicErrors(schematic)).toEqual([]);
    for (const p of patches) expect(validateMachinePatch(p)).toEqual([]);
  });

  test('HA: VIP endpoint and cert SAN, VIP on the control planes\' interface only, no default CNI, kube-proxy off, component patches', () => {
    const tree = synthTree(ha().estate);
    const doc = yamlOf(tree, 'clusters/ha/talos/talconfig.yaml');
    expect(talconfigErrors(doc)).toEqual([]);
    expect(doc.endpoint).toBe('https://10.0.50.50:6443');
    expect(doc.additionalApiServerCertSans).toEqual(['10.0.50.50']);
    expect(doc.allowSchedulingOnControlPlanes).toBe(false);
    expect(doc.cniConfig).toEqual({ name: 'none' });
    expect(doc.patches).toEqual([
      "# kube-proxy off: 'cilium' replaces it\ncluster:\n  proxy:\n    disabled: true",
      "# requested by 'cilium'\nmachine:\n  features:\n    kubePrism:\n      enabled: true\n      port: 7445",
    ]);
    const byName = Object.fromEntries(doc.nodes.map((n: any) => [n.hostname, n]));
    // control0 names its port by kernel name, control1 by MAC (aliased lan0, lowercased for the CEL match).
    const vip = "# control-plane VIP 10.0.50.50 on enp1s0\napiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 10.0.50.50\nlink: enp1s0";
    const alias = '# LAN port named lan0 (the port with MAC aa:bb:cc:00:50:02), whatever the kernel calls it\napiVersion: v1alpha1\nkind: LinkAliasConfig\nname: lan0\nselector:\n  match: mac(link.permanent_addr) == "aa:bb:cc:00:50:02"';
    const vipOnAlias = '# control-plane VIP 10.0.50.50 on lan0 (the port with MAC aa:bb:cc:00:50:02)\napiVersion: v1alpha1\nkind: Layer2VIPConfig\nname: 10.0.50.50\nlink: lan0';
    expect(byName.control0.patches).toEqual([vip]);
    expect(byName.control1.patches).toEqual([alias, vipOnAlias]);
    for (const w of ['worker0', 'worker1', 'worker2']) expect(byName[w].patches).toBeUndefined();
    for (const p of [...doc.patches, vip, alias, vipOnAlias]) expect(validateMachinePatch(parse(p))).toEqual([]);
    expect(doc.nodes.map((n: any) => [n.hostname, n.ipAddress, n.controlPlane])).toEqual([
      ['control0', '10.0.50.1', true], ['control1', '10.0.50.2', true], ['worker0', '10.0.50.10', false], ['worker1', '10.0.50.11', false], ['worker2', '10.0.50.12', false],
    ]);
    expect(byName.worker0.nodeLabels).toEqual({ 'homelab.arpa/disk': 'ssd' });
    expect(byName.worker2.nodeTaints).toEqual({ 'homelab.arpa/edge': 'true:NoSchedule' });
    expect(byName.worker2.machineSpec).toEqual({ mode: 'metal', arch: 'arm64' });
    expect(yamlOf(tree, 'clusters/ha/talos/schematic.yaml')).toEqual({ customization: { systemExtensions: { officialExtensions: [] } } });
  });

  test('node selectors: extensions, kernel modules and mounts only on the nodes that need them; schematic.yaml is their union', () => {
    const { estate } = ha((c) => {
      new Longhorn(c, 'longhorn', { nodeSelector: { 'homelab.arpa/disk': 'ssd' }, replicas: 2 });
      const zfs = filler(c, 'zfs');
      addNodeRequirements(zfs, { talosExtensions: ['siderolabs/zfs'], kernelModules: ['zfs'], nodeSelector: { 'kubernetes.io/hostname': 'none' } });
      addNodeRequirements(zfs, { kernelModules: ['nvme_tcp'], nodeSelector: { 'homelab.arpa/disk': 'ssd' } });
    });
    const tree = synthTree(estate);
    const doc = yamlOf(tree, 'clusters/ha/talos/talconfig.yaml');
    expect(talconfigErrors(doc)).toEqual([]);
    const byName = Object.fromEntries(doc.nodes.map((n: any) => [n.hostname, n]));
    for (const n of ['worker0', 'worker1']) {
      expect(byName[n].schematic.customization.systemExtensions.officialExtensions).toEqual(['siderolabs/iscsi-tools', 'siderolabs/util-linux-tools']);
      expect(byName[n].kernelModules).toEqual([{ name: 'nvme_tcp' }]);
      expect(byName[n].patches).toHaveLength(1);
      expect(parse(byName[n].patches[0]).machine.kubelet.extraMounts[0].destination).toBe('/var/lib/longhorn');
    }
    for (const n of ['control0', 'control1', 'worker2']) {
      expect(byName[n].schematic).toBeUndefined();
      expect(byName[n].kernelModules).toBeUndefined();
      expect((byName[n].patches ?? []).some((p: string) => p.includes('extraMounts'))).toBe(false);
    }
    // The mount is node-specific, so it is not in the global patches.
    expect((doc.patches as string[]).some((p) => p.includes('extraMounts'))).toBe(false);
    expect(yamlOf(tree, 'clusters/ha/talos/schematic.yaml').customization.systemExtensions.officialExtensions).toEqual(['siderolabs/iscsi-tools', 'siderolabs/util-linux-tools']);
  });

  test('configureTalos: versions and extra extensions and patches flow in; the patch is validated', () => {
    const { estate } = singleNode((c) => configureTalos(c, {
      talosVersion: 'v1.13.2',
      kubernetesVersion: 'v1.35.4',
      extensions: ['siderolabs/qemu-guest-agent'],
      patches: [{ machine: { sysctls: { 'vm.nr_hugepages': '1024' } } }, { apiVersion: 'v1alpha1', kind: 'TimeSyncConfig', ntp: { servers: ['time.cloudflare.com'] } }],
    }));
    const tree = synthTree(estate);
    const doc = yamlOf(tree, 'clusters/snc/talos/talconfig.yaml');
    expect(talconfigErrors(doc)).toEqual([]);
    expect([doc.talosVersion, doc.kubernetesVersion]).toEqual(['v1.13.2', 'v1.35.4']);
    expect(doc.nodes[0].schematic.customization.systemExtensions.officialExtensions).toEqual(['siderolabs/iscsi-tools', 'siderolabs/qemu-guest-agent', 'siderolabs/util-linux-tools']);
    expect(doc.patches).toContain('# cluster setting (configureTalos)\nmachine:\n  sysctls:\n    vm.nr_hugepages: "1024"');
    expect(doc.patches).toContain('# cluster setting (configureTalos)\napiVersion: v1alpha1\nkind: TimeSyncConfig\nntp:\n  servers:\n    - time.cloudflare.com');
    expect(tree.get('clusters/snc/talos/talconfig.yaml')).toContain('# talhelper input for cluster \'snc\' (Talos v1.13.2, Kubernetes v1.35.4).');
  });

  test('a node without an address: reached by hostname, with a warning', () => {
    const estate = new Estate();
    const cluster = new HomelabCluster(estate, clusterProps({ name: 'dhcp', nodes: [{ name: 'node-main', role: 'control-plane', cpu: 4, memory: '8Gi' }] }));
    filler(cluster);
    const result = synthesize(estate, { root: tempRoot() });
    const doc = parse(result.files.get('clusters/dhcp/talos/talconfig.yaml')!);
    expect(doc.endpoint).toBe('https://node-main:6443');
    expect(doc.nodes[0]).toMatchObject({ hostname: 'node-main', ipAddress: 'node-main', installDisk: '/dev/sda' });
    const w = result.warnings.filter((x) => x.code === 'talos-node-address');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain("'node-main'");
  });

  test('files: generated header, schema line, .gitignore keeps talhelper output out of Git, none for other distributions', () => {
    const estate = new Estate();
    const talos = new HomelabCluster(estate, clusterProps({ name: 'tal', nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi', ip: '10.0.0.2' }] }));
    filler(talos);
    const k3s = new HomelabCluster(estate, clusterProps({ name: 'k', distribution: 'k3s', nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi' }] }));
    filler(k3s);
    const tree = synthTree(estate);
    const files = [...tree.keys()].filter((p) => p.includes('/talos/'));
    expect(files).toEqual(['clusters/tal/talos/.gitignore', 'clusters/tal/talos/schematic.yaml', 'clusters/tal/talos/talconfig.yaml']);
    for (const f of files) expect(isGenerated(tree.get(f)!)).toBe(true);
    expect(tree.get('clusters/tal/talos/talconfig.yaml')!.split('\n')[1]).toBe('# yaml-language-server: $schema=https://raw.githubusercontent.com/budimanjojo/talhelper/master/pkg/config/schemas/talconfig.json');
    expect(tree.get('clusters/tal/talos/.gitignore')!.split('\n')).toContain('clusterconfig/');
  });
});

describe('Talos problems', () => {
  test('a component patch that is not valid Talos machine config names the component and the field', () => {
    const { estate } = singleNode((c) => {
      const bad = new Component(c, { name: 'tuner', namespace: 'tuner' });
      addNodeRequirements(bad, { talosPatches: [{ machine: { kubelett: { extraArgs: {} } } }] });
    });
    const problems = synthProblems(estate);
    const p = problems.find((x) => x.field.startsWith('nodeRequirements.talosPatches[0]'));
    expect(p).toMatchObject({ cluster: 'snc', path: 'snc/tuner', field: 'nodeRequirements.talosPatches[0].machine.kubelett' });
    expect(p!.message).toMatch(/Talos machine-config schema: unknown field 'machine.kubelett'/);
  });

  test('configureTalos mistakes: non-Talos cluster, loose version, extension with a registry, invalid patch', () => {
    const estate = new Estate();
    const k3s = new HomelabCluster(estate, clusterProps({ name: 'k', distribution: 'k3s' }));
    filler(k3s);
    configureTalos(k3s, {});
    const t = new HomelabCluster(estate, clusterProps({ name: 't', nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi', ip: '10.0.0.2' }] }));
    filler(t);
    configureTalos(t, { talosVersion: '1.13', extensions: ['ghcr.io/siderolabs/zfs:2.3'] });
    // Patches are checked when the Talos files are derived (clusters without other problems).
    const t2 = new HomelabCluster(estate, clusterProps({ name: 't2', nodes: [{ name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi', ip: '10.0.0.2' }] }));
    filler(t2);
    configureTalos(t2, { patches: [{ cluster: { proxy: { disabled: 'yes' } } }, { machine: { network: { hostname: 'x' } } }, { apiVersion: 'v1alpha1', kind: 'TimeSyncConfig', ntp: { server: 'x' } }] });
    const problems = synthProblems(estate);
    const fields = problems.map((p) => `${p.cluster}:${p.field}`);
    expect(fields).toEqual(expect.arrayContaining(['k:talos', 't:talos.talosVersion', 't:talos.extensions[0]', 't2:talos.patches[0].cluster.proxy.disabled', 't2:talos.patches[1].machine.network', 't2:talos.patches[2].ntp.server']));
    // Talos 1.13 moved machine.network into its own documents: the schema knows.
    expect(problems.find((p) => p.field === 'talos.patches[1].machine.network')!.message).toContain("unknown field 'machine.network'");
    expect(problems.find((p) => p.field === 'talos')!.message).toContain("runs k3s, not Talos");
    expect(problems.find((p) => p.field === 'talos.talosVersion')!.message).toContain("'1.13' is not an exact release");
    expect(problems.find((p) => p.field === 'talos.patches[0].cluster.proxy.disabled')!.message).toContain('must be a boolean');
  });

  test('32-bit arm nodes and two taints with one key cannot be expressed', () => {
    const estate = new Estate();
    const cluster = new HomelabCluster(estate, clusterProps({
      name: 'odd',
      nodes: [
        { name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi', ip: '10.0.0.2' },
        { name: 'pi', role: 'worker', cpu: 4, memory: '1Gi', ip: '10.0.0.3', arch: 'arm', taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoExecute' }] },
      ],
    }));
    filler(cluster);
    const problems = synthProblems(estate);
    expect(problems.find((p) => p.field === 'nodes[1].arch')!.message).toContain('Talos runs on amd64 and arm64 only');
    expect(problems.find((p) => p.field === 'nodes[1].taints')!.message).toContain("two taints with key 'k'");
  });

  test('a control plane holding the VIP with no known network port is an error, never a guessed eth0', () => {
    const estate = new Estate();
    const cluster = new HomelabCluster(estate, clusterProps({
      name: 'vip',
      network: { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidr: '10.0.50.0/24', vip: '10.0.50.50' },
      nodes: [
        { name: 'cp0', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1' },
        { name: 'cp1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2', nic: { driver: 'virtio_net' } },
        { name: 'w0', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.10' },
      ],
    }));
    filler(cluster);
    const problems = synthProblems(estate);
    expect(problems.map((p) => p.field)).toEqual(['nodes[0].nic']);
    expect(problems[0].message).toContain("'cp0' must hold the VIP 10.0.50.50");
    expect(problems[0].fix).toContain('talosctl get links --insecure -n 10.0.50.1');
  });

  test('NIC mistakes: empty, bad MAC, bad kernel name, bad driver, MAC and driver together', () => {
    const estate = new Estate();
    const cluster = new HomelabCluster(estate, clusterProps({
      name: 'nics',
      nodes: [
        { name: 'a', role: 'control-plane', cpu: 2, memory: '4Gi', ip: '10.0.0.2', nic: {} },
        { name: 'b', role: 'worker', cpu: 2, memory: '4Gi', ip: '10.0.0.3', nic: { mac: 'aa:bb:cc:dd:ee' } },
        { name: 'c', role: 'worker', cpu: 2, memory: '4Gi', ip: '10.0.0.4', nic: { name: 'a-very-long-link-name0' } },
        { name: 'd', role: 'worker', cpu: 2, memory: '4Gi', ip: '10.0.0.5', nic: { driver: 'Virtio Net' } },
        { name: 'e', role: 'worker', cpu: 2, memory: '4Gi', ip: '10.0.0.6', nic: { mac: 'aa:bb:cc:dd:ee:ff', driver: 'igc' } },
      ],
    }));
    filler(cluster);
    expect(synthProblems(estate).map((p) => p.field).sort()).toEqual(['nodes[0].nic', 'nodes[1].nic.mac', 'nodes[2].nic.name', 'nodes[3].nic.driver', 'nodes[4].nic']);
  });

  test('a driver-selected port is aliased on every node that names it; the alias document is valid Talos config', () => {
    const estate = new Estate();
    const cluster = new HomelabCluster(estate, clusterProps({
      name: 'vm',
      nodes: [
        { name: 'cp', role: 'control-plane', cpu: 2, memory: '4Gi', ip: '10.0.0.2', nic: { driver: 'virtio_net' } },
        { name: 'w', role: 'worker', cpu: 2, memory: '4Gi', ip: '10.0.0.3', nic: { driver: 'virtio_net' } },
      ],
    }));
    filler(cluster);
    const doc = yamlOf(synthTree(estate), 'clusters/vm/talos/talconfig.yaml');
    const alias = (doc.patches as string[]).map((p) => parse(p)).find((p) => p.kind === 'LinkAliasConfig');
    expect(alias).toEqual({ apiVersion: 'v1alpha1', kind: 'LinkAliasConfig', name: 'lan0', selector: { match: 'link.driver == "virtio_net"' } });
    expect(validateMachinePatch(alias)).toEqual([]);
  });
});
