import { HomelabCluster } from '../estate/cluster.js';
import { NodeSpec } from '../estate/node.js';
import { HOST_PACKAGE_NAMES, nodeRequirementsFor } from '../estate/node-requirements.js';
import { K3sDisabledComponent, k3sDisabledComponents } from '../platform/network/k3s.js';
import { CLUSTER_DNS_DOMAIN } from '../talos/versions.js';

/**
 * Where every k3s node reads the cluster's join token from. Put the token there out of band
 * (sops-nix, agenix, or by hand with mode 0600); no generated file ever holds the token itself.
 */
export const K3S_TOKEN_FILE = '/run/secrets/k3s-token';

/** The k3s supervisor / Kubernetes API port. */
export const K3S_API_PORT = 6443;

/** Taint keeping ordinary workloads off a control plane the model does not schedule on. */
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane:NoSchedule';

/** One node's k3s configuration (`/etc/rancher/k3s/config.yaml`, or NixOS `services.k3s.configPath`). */
export interface K3sNodeConfig {
  readonly node: NodeSpec;
  /** `server` runs the control plane; `agent` joins it. */
  readonly role: 'server' | 'agent';
  /** The first server initialises the cluster; the others join it. */
  readonly first: boolean;
  /** Repository-relative path of the generated file. */
  readonly file: string;
  /** The config.yaml content (k3s flags without their leading dashes). */
  readonly config: Record<string, unknown>;
  /** Built-ins the server disables, with the reason. */
  readonly disabled: readonly K3sDisabledComponent[];
  /** Host packages (NixOS attribute names) and services the node's OS must provide. */
  readonly nixPackages: readonly string[];
  readonly hostServices: readonly string[];
}

/**
 * The k3s config of every node of a k3s cluster, derived from the model:
 * - servers: pod/service CIDRs from `cluster.network`, the VIP as an extra TLS SAN, the built-ins
 *   the estate replaces disabled (`k3sDisabledComponents`: Traefik when another ingress is
 *   deployed, ServiceLB when a component assigns LoadBalancer IPs, local-storage when another
 *   default StorageClass exists, flannel/network policy/kube-proxy when Cilium replaces them);
 *   with several servers the first initialises embedded etcd (`cluster-init`) and the others join it;
 * - agents: the server URL (VIP, else the first server's address);
 * - every node: the join token by file reference only, its node labels (the model's, e.g. VLAN,
 *   plus `kubernetes.io/arch`) and taints (phone workers), and the control-plane taint on servers
 *   the model keeps workloads off.
 */
export function k3sNodeConfigs(cluster: HomelabCluster): K3sNodeConfig[] {
  if (cluster.distribution !== 'k3s') return [];
  const servers = cluster.controlPlaneNodes;
  const first = servers[0];
  const disabled = k3sDisabledComponents(cluster);
  const schedulable = new Set(cluster.schedulableNodes);
  const serverUrl = `https://${cluster.network.vip ?? (first ? first.ip ?? first.name : cluster.name)}:${K3S_API_PORT}`;
  return cluster.nodes.map((node) => {
    const role = node.role === 'control-plane' ? 'server' : 'agent';
    const isFirst = node === first;
    const config: Record<string, unknown> = {};
    if (!isFirst) config.server = serverUrl;
    config['token-file'] = K3S_TOKEN_FILE;
    config['node-name'] = node.name;
    if (node.ip) config['node-ip'] = node.ip;
    if (role === 'server') {
      if (isFirst && servers.length > 1) config['cluster-init'] = true;
      if (cluster.network.vip) config['tls-san'] = [cluster.network.vip];
      config['cluster-cidr'] = cluster.network.podCidr;
      config['service-cidr'] = cluster.network.serviceCidr;
      config['cluster-domain'] = CLUSTER_DNS_DOMAIN;
      config['write-kubeconfig-mode'] = '0600';
      const off = disabled.filter((x) => x.name === 'traefik' || x.name === 'servicelb' || x.name === 'local-storage').map((x) => x.name);
      config.disable = off;
      config['flannel-backend'] = disabled.some((x) => x.name === 'flannel') ? 'none' : 'vxlan';
      config['disable-network-policy'] = disabled.some((x) => x.name === 'network-policy');
      config['disable-kube-proxy'] = disabled.some((x) => x.name === 'kube-proxy');
    }
    config['node-label'] = nodeLabels(node);
    config['node-taint'] = nodeTaints(node, role === 'server' && !schedulable.has(node));
    const req = nodeRequirementsFor(cluster, node);
    return {
      node,
      role,
      first: isFirst,
      file: `clusters/${cluster.name}/k3s/${node.name}.yaml`,
      config,
      disabled: role === 'server' ? disabled : [],
      nixPackages: req.hostPackages.map((p) => HOST_PACKAGE_NAMES[p].nixos),
      hostServices: req.hostServices,
    };
  });
}

function nodeLabels(node: NodeSpec): string[] {
  const labels: Record<string, string> = { ...node.labels, 'kubernetes.io/arch': node.arch ?? 'amd64' };
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
}

function nodeTaints(node: NodeSpec, controlPlaneOnly: boolean): string[] {
  const taints = (node.taints ?? []).map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`);
  return controlPlaneOnly ? [CONTROL_PLANE_TAINT, ...taints] : taints;
}
