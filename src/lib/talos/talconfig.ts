import { DerivedKind } from '../model/ledger.js';
import { HomelabCluster } from '../estate/cluster.js';
import { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { NodeSpec } from '../estate/node.js';
import { NodeRequirements, nodeRequirements, nodeRequirementsFor } from '../estate/node-requirements.js';
import { toYaml } from '../output/yaml.js';
import { validateMachinePatch, validateTalconfig } from './schema.js';
import { talosLanLink } from './links.js';
import { talosSettings } from './settings.js';
import { CLUSTER_DNS_DOMAIN } from './versions.js';

/** The Kubernetes API port Talos control planes listen on. */
export const KUBE_API_PORT = 6443;

/** Disk Talos installs to when the node model names none. */
export const DEFAULT_INSTALL_DISK = '/dev/sda';

/** A machine-config patch with the reason it exists (written as a comment above it). */
export interface TalosPatch {
  readonly reason: string;
  readonly body: Record<string, unknown>;
}

/** What the runbook needs to know about one Talos node. */
export interface TalosNodeInfo {
  readonly hostname: string;
  /** Where talosctl reaches the node: its IP, else its hostname (reported as a warning). */
  readonly address: string;
  readonly controlPlane: boolean;
  readonly arch: string;
  readonly installDisk: string;
  /** Official system extensions the node's installer image carries. */
  readonly extensions: readonly string[];
  /** The machine config `talhelper genconfig` writes for it, relative to the talos/ folder. */
  readonly configFile: string;
}

/** The Talos side of a cluster, derived from the model. */
export interface TalosConfig {
  /** talhelper's `talconfig.yaml` document. */
  readonly talconfig: Record<string, unknown>;
  /** Image Factory schematic: every extension any node needs. */
  readonly schematic: Record<string, unknown>;
  /** `https://<VIP or first control plane>:6443`. */
  readonly endpoint: string;
  readonly talosVersion: string;
  readonly kubernetesVersion: string;
  readonly nodes: readonly TalosNodeInfo[];
}

/**
 * Derives talhelper's `talconfig.yaml` and the Image Factory schematic of a Talos cluster from the
 * cluster model and what its components need from the OS (`node-requirements`):
 * - endpoint: the VIP when the cluster has one, else the first control-plane node;
 * - nodes: hostname, address, role, install disk, architecture, labels, taints, kernel modules,
 *   and a per-node schematic with the node's extensions;
 * - the node's LAN port aliased `lan0` when the model finds it by MAC or driver (`LinkAliasConfig`),
 *   and the VIP on each control plane's port (a `Layer2VIPConfig` document patch);
 * - `clusterPodNets`/`clusterSvcNets` from `cluster.network`;
 * - no default CNI (`cniConfig: none`) and kube-proxy off when a component replaces them (Cilium);
 *   otherwise flannel with kube-network-policies, so NetworkPolicies are enforced;
 * - kubelet extra mounts (Longhorn) and components' own Talos patches, each with its reason;
 * - `allowSchedulingOnControlPlanes` when the model schedules workloads on a control plane
 *   (single-node clusters).
 * Patches are validated against the Talos machine-config schema and the document against
 * talhelper's schema; every problem goes to the diagnostics.
 */
export function talosConfig(cluster: HomelabCluster): TalosConfig {
  return cluster.ledger.derive(TALOS_CONFIG, () => deriveTalosConfig(cluster));
}

/** Derived once per cluster (the Talos files and the bootstrap runbook both read it; problems are reported once). */
const TALOS_CONFIG = new DerivedKind<TalosConfig>('Talos config');

function deriveTalosConfig(cluster: HomelabCluster): TalosConfig {
  const d = Diagnostics.of(cluster);
  const settings = talosSettings(cluster);
  const cp = cluster.controlPlaneNodes;
  const schedulable = new Set(cluster.schedulableNodes);
  const clusterReq = nodeRequirements(cluster);
  checkComponentPatches(cluster);
  settings.patches.forEach((p, i) => reportPatchIssues(cluster, `talos.patches[${i}]`, p, 'correct the patch given to configureTalos'));

  const addressOf = (n: NodeSpec): string => n.ip ?? n.name;
  const unaddressed = cluster.nodes.filter((n) => !n.ip).map((n) => `'${n.name}'`);
  if (unaddressed.length > 0) {
    d.warn(cluster, 'talos-node-address', `node(s) ${unaddressed.join(', ')} have no ip in the cluster model: talconfig.yaml reaches them (and the API endpoint, without a VIP) by hostname, which must then resolve on your network; set each node's ip (a static DHCP lease) to be independent of DNS`);
  }
  const endpointHost = cluster.network.vip ?? (cp[0] ? addressOf(cp[0]) : cluster.name);
  const endpoint = `https://${endpointHost}:${KUBE_API_PORT}`;

  const clusterPatches: TalosPatch[] = [];
  if (clusterReq.disableKubeProxy) {
    const by = clusterReq.sources.filter((s) => s.requirements.disableKubeProxy).map((s) => `'${s.component}'`).join(', ');
    clusterPatches.push({ reason: `kube-proxy off: ${by} replaces it`, body: { cluster: { proxy: { disabled: true } } } });
  }
  settings.patches.forEach((body) => clusterPatches.push({ reason: 'cluster setting (configureTalos)', body }));

  const perNode = cluster.nodes.map((n) => nodePatches(cluster, n).map(renderPatch));
  const common = perNode.length === 0 ? [] : perNode[0].filter((p) => perNode.every((list) => list.includes(p)));

  const nodes: TalosNodeInfo[] = [];
  const nodeDocs = cluster.nodes.map((n, i) => {
    const req = nodeRequirementsFor(cluster, n);
    const extensions = [...new Set([...req.talosExtensions, ...settings.extensions])].sort();
    const arch = n.arch ?? 'amd64';
    if (arch === 'arm') d.error(cluster, `nodes[${i}].arch`, `node '${n.name}' is 32-bit arm: Talos runs on amd64 and arm64 only`, "set arch: 'arm64' if the board runs a 64-bit OS, or run this node under k3s");
    const controlPlane = n.role === 'control-plane';
    const address = addressOf(n);
    const installDisk = n.installDisk ?? DEFAULT_INSTALL_DISK;
    nodes.push({ hostname: n.name, address, controlPlane, arch, installDisk, extensions, configFile: `clusterconfig/${cluster.name}-${n.name}.yaml` });
    const doc: Record<string, unknown> = {
      hostname: n.name,
      ipAddress: address,
      controlPlane,
      installDisk,
      machineSpec: { mode: 'metal', arch },
    };
    if (n.labels && Object.keys(n.labels).length > 0) doc.nodeLabels = sortedRecord(n.labels);
    const taints = nodeTaints(cluster, n, i);
    if (Object.keys(taints).length > 0) doc.nodeTaints = taints;
    if (req.kernelModules.length > 0) doc.kernelModules = req.kernelModules.map((name) => ({ name }));
    if (extensions.length > 0) doc.schematic = { customization: { systemExtensions: { officialExtensions: extensions } } };
    const own = perNode[i].filter((p) => !common.includes(p));
    if (own.length > 0) doc.patches = own;
    return doc;
  });

  const talconfig: Record<string, unknown> = {
    clusterName: cluster.name,
    talosVersion: settings.talosVersion,
    kubernetesVersion: settings.kubernetesVersion,
    endpoint,
    domain: CLUSTER_DNS_DOMAIN,
    allowSchedulingOnControlPlanes: cp.some((n) => schedulable.has(n)),
    ...(cluster.network.vip ? { additionalApiServerCertSans: [cluster.network.vip] } : {}),
    clusterPodNets: [cluster.network.podCidr],
    clusterSvcNets: [cluster.network.serviceCidr],
    // Talos's flannel enforces no NetworkPolicy unless it also deploys kube-network-policies: without
    // it every default-deny the components render would be silently ignored.
    cniConfig: clusterReq.cni === 'none' ? { name: 'none' } : { name: 'flannel', flannel: { kubeNetworkPoliciesEnabled: true } },
  };
  const globalPatches = [...clusterPatches.map(renderPatch), ...common];
  if (globalPatches.length > 0) talconfig.patches = globalPatches;
  talconfig.nodes = nodeDocs;

  for (const issue of validateTalconfig(talconfig)) {
    d.error(cluster, `talconfig.${issue.field}`, `the generated talconfig.yaml does not match talhelper's schema: ${issue.message}`, 'correct the node or cluster value behind this field in the cluster model');
  }
  const allExtensions = [...new Set(nodes.flatMap((n) => n.extensions))].sort();
  return {
    talconfig,
    schematic: { customization: { systemExtensions: { officialExtensions: allExtensions } } },
    endpoint,
    talosVersion: settings.talosVersion,
    kubernetesVersion: settings.kubernetesVersion,
    nodes,
  };
}

/** The patches one node needs from the components whose node selector matches it. */
function nodePatches(cluster: HomelabCluster, node: NodeSpec): TalosPatch[] {
  const req = nodeRequirementsFor(cluster, node);
  const applying = req.sources.filter((s) => appliesTo(s.requirements, node));
  const out: TalosPatch[] = [];
  const vip = cluster.network.vip;
  const lan = talosLanLink(node);
  if (lan?.aliasDocument) out.push({ reason: `LAN port named ${lan.description}, whatever the kernel calls it`, body: lan.aliasDocument });
  if (vip && node.role === 'control-plane') {
    if (lan) {
      // Talos 1.13 configures a shared layer-2 VIP with its own document (machine.network is gone);
      // its link must match exactly one link, so it is never guessed.
      out.push({ reason: `control-plane VIP ${vip} on ${lan.description}`, body: { apiVersion: 'v1alpha1', kind: 'Layer2VIPConfig', name: vip, link: lan.link } });
    } else {
      const i = cluster.nodes.indexOf(node);
      Diagnostics.of(cluster).error(cluster, `nodes[${i}].nic`, `control-plane node '${node.name}' must hold the VIP ${vip}, but the model does not say which network port it is: Talos names ports after the hardware (eno1, enp2s0, ens18), so a guessed name leaves the VIP down`, `set nic: { mac: '…' } (talosctl get links --insecure -n ${node.ip ?? '<node-ip>'} lists the ports), or nic: { driver: 'virtio_net' } on a VM with one NIC, or nic: { name: 'enp2s0' }`);
    }
  }
  if (req.kubeletExtraMounts.length > 0) {
    const by = [...new Set(applying.filter((s) => (s.requirements.kubeletExtraMounts ?? []).length > 0).map((s) => `'${s.component}'`))].join(', ');
    out.push({
      reason: `kubelet mounts for ${by}`,
      body: { machine: { kubelet: { extraMounts: req.kubeletExtraMounts.map((m) => ({ destination: m.destination, type: m.type, source: m.source, options: [...m.options] })) } } },
    });
  }
  for (const s of applying) for (const body of s.requirements.talosPatches ?? []) out.push({ reason: `requested by '${s.component}'`, body });
  return out;
}

function appliesTo(r: NodeRequirements, node: NodeSpec): boolean {
  return Object.entries(r.nodeSelector ?? {}).every(([k, v]) => node.labels?.[k] === v);
}

/** A patch as talhelper takes it: YAML text, its reason as a leading comment. */
function renderPatch(p: TalosPatch): string {
  return `# ${p.reason}\n${toYaml(p.body).trimEnd()}`;
}

/** Talos writes taints as `key: value:Effect`; two taints with one key cannot be written that way. */
function nodeTaints(cluster: HomelabCluster, n: NodeSpec, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of n.taints ?? []) {
    if (t.key in out) {
      Diagnostics.of(cluster).error(cluster, `nodes[${i}].taints`, `node '${n.name}' has two taints with key '${t.key}', which Talos's nodeTaints map cannot hold`, 'keep one taint per key on Talos nodes');
      continue;
    }
    out[t.key] = `${t.value ?? ''}:${t.effect}`;
  }
  return out;
}

/** Components' Talos patches must be valid machine-config fragments. */
function checkComponentPatches(cluster: HomelabCluster): void {
  for (const { component, requirements } of nodeRequirements(cluster).sources) {
    const c = cluster.component(component);
    (requirements.talosPatches ?? []).forEach((p, i) => {
      if (c) reportPatchIssues(c, `nodeRequirements.talosPatches[${i}]`, p, `correct the patch '${component}' declares with addNodeRequirements`);
    });
  }
}

function reportPatchIssues(scope: Component | HomelabCluster, field: string, patch: unknown, fix: string): void {
  for (const issue of validateMachinePatch(patch)) {
    Diagnostics.of(scope).error(scope, issue.field ? `${field}.${issue.field}` : field, `Talos patch does not match the Talos machine-config schema: ${issue.message}`, fix);
  }
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}
