import { checkL2LocalTrafficPolicy } from './l2-traffic-policy.js';
import { CILIUM } from '../../../../imports/charts.js';
import { CiliumL2AnnouncementPolicy, CiliumLoadBalancerIpPool, CiliumLoadBalancerIpPoolSpecAllowFirstLastIPs } from '../../../../imports/cilium.io.js';
import { crdGroup, LOAD_BALANCER, NETWORK_POLICY_ENFORCEMENT, service } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { addNodeRequirements } from '../../estate/node-requirements.js';
import { ChartRelease } from '../../flux/helm-release.js';
import { GatewayApiCrds } from './gateway-api-crds.js';
import { IpRange, formatRange, parseBlock, parseCidr, parseIpv4Trimmed as parseIpv4, rangeContains, rangeWithin, rangesOverlap } from '../../estate/ip.js';
import { LB_IPS_ANNOTATIONS, LOAD_BALANCER_IPAM, LoadBalancerIpRequest, collectLoadBalancerIpRequests } from './lb-ips.js';
import { NodeSpec } from '../../estate/node.js';
import { recordSelfCheck } from '../../estate/self-checks.js';
import { talosSettings } from '../../talos/settings.js';

/** A pool of addresses Cilium LB IPAM hands to LoadBalancer Services and Gateways. */
export interface LoadBalancerPool {
  /** Pool name (the CiliumLoadBalancerIPPool). A DNS-1123 subdomain. */
  readonly name: string;
  /** Address blocks: a CIDR (`10.0.50.96/28`), a range (`10.0.50.100-10.0.50.120`) or one address. */
  readonly blocks: readonly string[];
  /** Only Services with these labels get addresses from this pool. @default {} (any Service) */
  readonly serviceSelector?: Readonly<Record<string, string>>;
}

/** Hubble (flow observability). */
export interface HubbleProps {
  /** @default true */
  readonly enabled?: boolean;
  /** Hubble Relay (cluster-wide flow API for the CLI and UI). @default true */
  readonly relay?: boolean;
  /** Hubble UI (needs the relay). @default false (expose it yourself if you want it) */
  readonly ui?: boolean;
}

/** Props of {@link Cilium}; group and layer default to {@link Cilium.placement} (the namespace is always `kube-system`). */
export interface CiliumProps extends Omit<HelmComponentProps, 'namespace' | 'values'> {
  /** LoadBalancer address pools. Every requested LB IP must lie in one. @default [] */
  readonly loadBalancerPools?: readonly LoadBalancerPool[];
  /**
   * Announce LoadBalancer IPs on the node network with ARP (L2 announcements).
   * @default - true when pools are declared
   */
  readonly l2Announcements?: boolean;
  /**
   * Interfaces (regular expressions over kernel link names) announcements go out of.
   * @default - the kernel names of the nodes' ports when every node's `nic.name` is known
   * (e.g. ['^enp2s0$']); else no list, which Cilium reads as every interface (a guessed name would
   * announce nothing)
   */
  readonly l2Interfaces?: readonly string[];
  /** Replace kube-proxy with Cilium's eBPF service handling. @default true */
  readonly kubeProxyReplacement?: boolean;
  /**
   * Where the agents reach the Kubernetes API (needed without kube-proxy).
   * @default - Talos: KubePrism `localhost:7445` (a local, HA load balancer on every node, enabled
   * through a Talos patch); k3s: the cluster VIP, else the first control-plane IP, port 6443
   */
  readonly apiServer?: { readonly host: string; readonly port: number };
  /** `native`: pods routed on the node network; `tunnel`: VXLAN overlay. @default 'native' (seed 003) */
  readonly routingMode?: 'native' | 'tunnel';
  /** `kubernetes`: node pod CIDRs from the Kubernetes controller manager; `cluster-pool`: Cilium's operator splits the pod CIDR. @default 'kubernetes' */
  readonly ipam?: 'kubernetes' | 'cluster-pool';
  /** Cilium's Gateway API controller (and its GatewayClass `cilium`). @default true */
  readonly gatewayApi?: boolean;
  /** @default { enabled: true, relay: true, ui: false } */
  readonly hubble?: HubbleProps;
  /** Cilium operator replicas. @default - 1 on a single-node cluster, else 2 */
  readonly operatorReplicas?: number;
  /** Extra Helm values, deep-merged over the derived ones and validated against the chart's schema. @default {} */
  readonly values?: Record<string, unknown>;
}

/** Requests set in values and declared for the capacity check. */
const REQUESTS = {
  agent: { cpu: '100m', memory: '192Mi' },
  envoy: { cpu: '25m', memory: '64Mi' },
  operator: { cpu: '25m', memory: '64Mi' },
  relay: { cpu: '25m', memory: '64Mi' },
  uiContainer: { cpu: '10m', memory: '32Mi' },
};

/** Talos's KubePrism: an API-server load balancer on every node (Talos docs' recommended endpoint for Cilium). */
export const KUBEPRISM = { host: 'localhost', port: 7445 } as const;

/** Capabilities the Cilium agent needs on Talos: the chart's defaults without SYS_MODULE (Talos forbids loading modules from pods). */
const TALOS_AGENT_CAPABILITIES = ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'];
const TALOS_CLEAN_STATE_CAPABILITIES = ['NET_ADMIN', 'SYS_ADMIN', 'SYS_RESOURCE'];

/** A pool with its parsed blocks. */
interface ParsedPool {
  readonly pool: LoadBalancerPool;
  readonly ranges: readonly IpRange[];
}

/**
 * Cilium as the cluster's CNI (seed 003): native routing on the pod CIDR of the cluster model,
 * kube-proxy replacement with the API endpoint derived from the distribution, Gateway API, Hubble,
 * LB IPAM pools and L2 announcements, in `kube-system` (privileged by nature).
 *
 * - The pools and the L2 policy are cilium.io custom resources whose CRDs Cilium's operator
 *   registers at start: the renderer applies them after the chart (`config/`, Kustomization
 *   `<id>-config`; the apps layer in the layered layout).
 * - With Gateway API on, the Gateway API CRDs must exist before Cilium starts: the component
 *   providing them (a {@link GatewayApiCrds}, added if the cluster has none) is a dependency.
 * - In the `finalize` phase every LoadBalancer address any component asks for (Service
 *   `spec.loadBalancerIP`, LB-IPAM annotations, Gateway `spec.addresses`, `loadBalancerIP` keys in
 *   HelmRelease values) is checked: outside every pool, or used twice without a shared
 *   `lbipam.cilium.io/sharing-key`, is a problem.
 * - What the OS must do (no default CNI, kube-proxy off, KubePrism on Talos) is declared as node
 *   requirements; on k3s the same facts disable flannel and kube-proxy (`k3sDisabledComponents`).
 * - Bootstrap: Flux itself needs a CNI, so Cilium is installed once by hand (or inline in the Talos
 *   config) with {@link helmValues}; Flux then adopts the release of the same name.
 */
export class Cilium extends HelmComponent {
  /** Namespace 'kube-system' (Pod Security 'privileged'), group 'network', layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'kube-system', podSecurity: 'privileged' }, group: 'network' };

  /** The cluster's Cilium component, if it has one. */
  public static inCluster(cluster: HomelabCluster): Cilium | undefined {
    return cluster.components.find((c): c is Cilium => c instanceof Cilium);
  }

  /** GatewayClass Cilium creates when Gateway API is on. */
  public readonly gatewayClassName = 'cilium';
  public readonly release: ChartRelease;
  /** The parsed pools (for checks by other constructs). */
  public readonly pools: readonly { readonly name: string; readonly ranges: readonly IpRange[] }[];
  public readonly apiServer: { readonly host: string; readonly port: number };

  constructor(cluster: HomelabCluster, id: string, props: CiliumProps = {}) {
    super(cluster, id, props, Cilium.placement);
    const d = Diagnostics.of(this);
    if (cluster.distribution === 'oke') {
      d.error(this, 'distribution', "OKE runs its own CNI (flannel or OCI VCN-native pod networking); this construct installs Cilium as the cluster's CNI", 'remove Cilium from the OKE cluster');
    }
    const kpr = props.kubeProxyReplacement ?? true;
    const gatewayApi = props.gatewayApi ?? true;
    const routingMode = props.routingMode ?? 'native';
    const ipam = props.ipam ?? 'kubernetes';
    const hubble = { enabled: props.hubble?.enabled ?? true, relay: props.hubble?.relay ?? true, ui: props.hubble?.ui ?? false };
    const operatorReplicas = props.operatorReplicas ?? (cluster.nodes.length <= 1 ? 1 : 2);
    const parsed = this.parsePools(props.loadBalancerPools ?? []);
    this.pools = parsed.map((p) => ({ name: p.pool.name, ranges: p.ranges }));
    const l2 = props.l2Announcements ?? parsed.length > 0;
    this.apiServer = props.apiServer ?? this.deriveApiServer();

    if (gatewayApi && !kpr) d.error(this, 'gatewayApi', "Cilium's Gateway API needs its kube-proxy replacement", 'set kubeProxyReplacement: true, or gatewayApi: false');
    if (l2 && !kpr) d.error(this, 'l2Announcements', 'L2 announcements need the kube-proxy replacement', 'set kubeProxyReplacement: true, or l2Announcements: false');
    if (hubble.ui && !hubble.relay) d.error(this, 'hubble.ui', 'Hubble UI reads flows from Hubble Relay', 'set hubble.relay: true');
    if (operatorReplicas > cluster.nodes.length) {
      d.error(this, 'operatorReplicas', `${operatorReplicas} operator replicas cannot spread over ${cluster.nodes.length} node(s) (they use host ports)`, `set operatorReplicas to at most ${cluster.nodes.length}`);
    }
    this.checkPools(parsed, l2);

    const talos = cluster.distribution === 'talos';
    const derived: Record<string, unknown> = {
      routingMode,
      ...(routingMode === 'native' ? { autoDirectNodeRoutes: true, ipv4NativeRoutingCIDR: cluster.network.podCidr } : {}),
      ipam: { mode: ipam, ...(ipam === 'cluster-pool' ? { operator: { clusterPoolIPv4PodCIDRList: [cluster.network.podCidr] } } : {}) },
      kubeProxyReplacement: kpr,
      k8sServiceHost: this.apiServer.host,
      k8sServicePort: this.apiServer.port,
      enableIPv4Masquerade: true,
      // Talos (1.8+) forwards CoreDNS to its host DNS cache on 127.0.0.53, which Cilium's eBPF host
      // routing bypasses: pods then resolve nothing outside the cluster (Talos host-DNS and Cilium
      // install guides; siderolabs/talos#10002). Legacy host routing keeps that path through the host stack.
      bpf: { masquerade: kpr, ...(talos && kpr ? { hostLegacyRouting: true } : {}) },
      l2announcements: { enabled: l2 },
      // L2 announcements hold one Lease per Service: the agents talk to the API more often.
      k8sClientRateLimit: l2 ? { qps: 20, burst: 40 } : { qps: 10, burst: 20 },
      gatewayAPI: { enabled: gatewayApi, ...(gatewayApi ? { gatewayClass: { create: 'true' } } : {}) },
      hubble: {
        enabled: hubble.enabled,
        relay: { enabled: hubble.enabled && hubble.relay, ...(hubble.relay ? { resources: { requests: { ...REQUESTS.relay } } } : {}) },
        ui: {
          enabled: hubble.enabled && hubble.ui,
          ...(hubble.ui ? { frontend: { resources: { requests: { ...REQUESTS.uiContainer } } }, backend: { resources: { requests: { ...REQUESTS.uiContainer } } } } : {}),
        },
      },
      operator: { replicas: operatorReplicas, resources: { requests: { ...REQUESTS.operator } } },
      resources: { requests: { ...REQUESTS.agent } },
      envoy: { enabled: true, resources: { requests: { ...REQUESTS.envoy } } },
      ...(talos
        ? {
          securityContext: { capabilities: { ciliumAgent: TALOS_AGENT_CAPABILITIES, cleanCiliumState: TALOS_CLEAN_STATE_CAPABILITIES } },
          // Talos mounts cgroup2 itself; the agent must not try to.
          cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
        }
        : {}),
    };
    this.release = this.renderChart('cilium', derived, props.values, { releaseName: 'cilium' });
    // Talos settings may be configured after this construct: read them once the model is complete.
    if (talos) cluster.onPhase('wire', () => this.checkTalosHostDns(this.release.values));

    this.declareWorkloads(operatorReplicas, hubble);
    addNodeRequirements(this, {
      cni: 'none',
      disableKubeProxy: kpr,
      ...(talos && this.apiServer.host === KUBEPRISM.host && this.apiServer.port === KUBEPRISM.port
        ? { talosPatches: [{ machine: { features: { kubePrism: { enabled: true, port: KUBEPRISM.port } } } }] }
        : {}),
    });
    this.provide(crdGroup('cilium.io'));
    this.provide(NETWORK_POLICY_ENFORCEMENT);
    if (gatewayApi) this.provide(service('gateway-class', this.gatewayClassName));
    if (parsed.length > 0) {
      this.provide(LOAD_BALANCER_IPAM);
      this.provide(LOAD_BALANCER);
    }
    this.renderPools(parsed, l2, props);
    if (gatewayApi) {
      cluster.onPhase('wire', () => {
        GatewayApiCrds.ensure(cluster);
        this.require(crdGroup('gateway.networking.k8s.io'), "Cilium's operator starts its Gateway API controller only if the CRDs exist when it starts");
      });
    }
    // In the check phase every provider has rendered, so objects added while finalizing (tunnel configs…) are seen too.
    cluster.onPhase('check', () => this.checkLoadBalancerIps(parsed));
    if (l2) cluster.onPhase('check', () => checkL2LocalTrafficPolicy(cluster, CILIUM.version));
    recordSelfCheck({ kind: 'load-balancer-addresses', component: this, annotations: LB_IPS_ANNOTATIONS });
  }

  /** The Helm values Flux applies; install Cilium with the same values when bootstrapping. */
  public get helmValues(): Record<string, unknown> {
    return this.release.values;
  }

  /** Values overriding the Talos DNS fix would bring the no-DNS failure back: say so before it ships. */
  private checkTalosHostDns(values: Record<string, any>): void {
    const bpf = values.bpf ?? {};
    if (bpf.masquerade === true && bpf.hostLegacyRouting !== true && !talosKubeDnsForwardingDisabled(this.cluster)) {
      Diagnostics.of(this).error(this, 'values.bpf.hostLegacyRouting', "on Talos, Cilium's eBPF host routing (bpf.masquerade without bpf.hostLegacyRouting) breaks CoreDNS forwarding to the host DNS cache: pods cannot resolve external names and Flux cannot fetch its sources", 'drop the bpf.hostLegacyRouting override, or turn Talos\'s forwarding off with configureTalos patches: [{ machine: { features: { hostDNS: { forwardKubeDNSToHost: false } } } }]');
    }
  }

  private deriveApiServer(): { host: string; port: number } {
    const cluster = this.cluster;
    if (cluster.distribution === 'talos') return { ...KUBEPRISM };
    const host = cluster.network.vip ?? cluster.controlPlaneNodes.find((n) => n.ip)?.ip;
    if (!host) {
      Diagnostics.of(this).error(this, 'apiServer', `cannot derive the Kubernetes API address of cluster '${cluster.name}': it has no network.vip and no control-plane node ip`, "set network.vip or a control-plane node's ip in the cluster model, or pass apiServer: { host, port: 6443 }");
      return { host: 'localhost', port: 6443 };
    }
    return { host, port: 6443 };
  }

  private parsePools(pools: readonly LoadBalancerPool[]): ParsedPool[] {
    const d = Diagnostics.of(this);
    return pools.map((pool, i) => {
      const ranges: IpRange[] = [];
      pool.blocks.forEach((b, j) => {
        const r = parseBlock(b);
        if (r) ranges.push(r);
        else d.error(this, `loadBalancerPools[${i}].blocks[${j}]`, `'${b}' is not an IPv4 CIDR, range or address`, "write '10.0.50.96/28', '10.0.50.100-10.0.50.120' or '10.0.50.100'");
      });
      if (pool.blocks.length === 0) d.error(this, `loadBalancerPools[${i}].blocks`, `pool '${pool.name}' has no address block`, 'add at least one block');
      return { pool, ranges };
    });
  }

  /** Pools must not overlap each other, the cluster's own addresses or CIDRs, and must sit on the node subnet for L2. */
  private checkPools(parsed: readonly ParsedPool[], l2: boolean): void {
    const d = Diagnostics.of(this);
    const cluster = this.cluster;
    const names = new Set<string>();
    const nodeCidr = cluster.network.nodeCidr ? parseCidr(cluster.network.nodeCidr) : undefined;
    const fixed: { label: string; range?: IpRange }[] = [
      ...cluster.nodes.filter((n) => n.ip).map((n) => ({ label: `node '${n.name}' (${n.ip})`, range: single(n.ip!) })),
      ...(cluster.network.vip ? [{ label: `the control-plane VIP (${cluster.network.vip})`, range: single(cluster.network.vip) }] : []),
      { label: `the pod CIDR ${cluster.network.podCidr}`, range: parseCidr(cluster.network.podCidr) },
      { label: `the service CIDR ${cluster.network.serviceCidr}`, range: parseCidr(cluster.network.serviceCidr) },
    ];
    parsed.forEach(({ pool, ranges }, i) => {
      const at = `loadBalancerPools[${i}]`;
      if (names.has(pool.name)) d.error(this, `${at}.name`, `two pools are named '${pool.name}'`, 'give every pool its own name');
      names.add(pool.name);
      for (const r of ranges) {
        for (const f of fixed) {
          if (f.range && rangesOverlap(r, f.range)) d.error(this, `${at}.blocks`, `pool '${pool.name}' block ${formatRange(r)} overlaps ${f.label}`, 'take LoadBalancer addresses from an unused part of the node subnet');
        }
        if (l2 && nodeCidr && !rangeWithin(r, nodeCidr)) {
          d.error(this, `${at}.blocks`, `pool '${pool.name}' block ${formatRange(r)} is outside the node subnet ${cluster.network.nodeCidr}: L2 announcements only answer ARP on the nodes' own subnet`, `pick addresses inside ${cluster.network.nodeCidr}, or turn l2Announcements off and announce them another way (BGP)`);
        }
        parsed.slice(i + 1).forEach((other) => {
          for (const o of other.ranges) {
            if (rangesOverlap(r, o)) d.error(this, `${at}.blocks`, `pool '${pool.name}' block ${formatRange(r)} overlaps pool '${other.pool.name}' block ${formatRange(o)}`, 'make the pools disjoint');
          }
        });
      }
    });
  }

  private renderPools(parsed: readonly ParsedPool[], l2: boolean, props: CiliumProps): void {
    const cluster = this.cluster;
    for (const [i, { pool }] of parsed.entries()) {
      new CiliumLoadBalancerIpPool(this, `pool-${i}`, {
        metadata: { name: pool.name },
        spec: {
          blocks: pool.blocks.map(toCiliumBlock),
          allowFirstLastIPs: CiliumLoadBalancerIpPoolSpecAllowFirstLastIPs.YES,
          disabled: false,
          ...(pool.serviceSelector && Object.keys(pool.serviceSelector).length > 0 ? { serviceSelector: { matchLabels: { ...pool.serviceSelector } } } : {}),
        },
      });
    }
    if (l2) {
      const interfaces = props.l2Interfaces ?? l2InterfacesOf(cluster.nodes);
      new CiliumL2AnnouncementPolicy(this, 'l2-policy', {
        metadata: { name: 'l2-announcements' },
        // No list (nil) means every interface, per the CRD; an empty list is not documented as such.
        spec: { loadBalancerIPs: true, externalIPs: false, ...(interfaces.length > 0 ? { interfaces: [...interfaces] } : {}) },
      });
    }
  }

  /** Every requested LB address must be in a pool and used once (unless shared by key). */
  private checkLoadBalancerIps(parsed: readonly ParsedPool[]): void {
    const d = Diagnostics.of(this);
    const requests = collectLoadBalancerIpRequests(this.cluster);
    const byIp = new Map<number, LoadBalancerIpRequest[]>();
    const poolList = parsed.map((p) => `${p.pool.name} (${p.ranges.map(formatRange).join(', ')})`).join('; ') || 'none declared';
    for (const r of requests) {
      const ip = parseIpv4(r.ip);
      if (ip === undefined) {
        d.error(r.scope, r.field, `${r.what} asks for LoadBalancer IP '${r.ip}', which is not an IPv4 address`, 'write a dotted-quad address from one of the LoadBalancer pools');
        continue;
      }
      if (!parsed.some((p) => p.ranges.some((range) => rangeContains(range, ip)))) {
        d.error(r.scope, r.field, `${r.what} asks for LoadBalancer IP ${r.ip}, outside every Cilium LoadBalancer pool (${poolList})`, `use an address from a pool, or add one covering ${r.ip} to the '${this.name}' component's loadBalancerPools`);
      }
      byIp.set(ip, [...(byIp.get(ip) ?? []), r]);
    }
    for (const list of byIp.values()) {
      if (list.length < 2) continue;
      const key = list[0].sharingKey;
      if (key !== undefined && list.every((r) => r.sharingKey === key)) continue;
      for (const r of list.slice(1)) {
        d.error(r.scope, r.field, `${r.what} asks for LoadBalancer IP ${r.ip}, already requested by ${list[0].what} (component '${list[0].component.name}')`, "give each LoadBalancer its own address, or let both Services share it with the same 'lbipam.cilium.io/sharing-key' annotation");
      }
    }
  }

  private declareWorkloads(operatorReplicas: number, hubble: { enabled: boolean; relay: boolean; ui: boolean }): void {
    // DaemonSets tolerate every taint: each node needs networking.
    const tolerates = [...new Set(this.cluster.nodes.flatMap((n) => (n.taints ?? []).map((t) => t.key)))].sort().map((key) => ({ key }));
    this.addWorkload({ name: 'cilium', perNode: true, cpuRequest: REQUESTS.agent.cpu, memoryRequest: REQUESTS.agent.memory, tolerates });
    this.addWorkload({ name: 'cilium-envoy', perNode: true, cpuRequest: REQUESTS.envoy.cpu, memoryRequest: REQUESTS.envoy.memory, tolerates });
    this.addWorkload({ name: 'cilium-operator', replicas: operatorReplicas, cpuRequest: REQUESTS.operator.cpu, memoryRequest: REQUESTS.operator.memory });
    if (hubble.enabled && hubble.relay) this.addWorkload({ name: 'hubble-relay', cpuRequest: REQUESTS.relay.cpu, memoryRequest: REQUESTS.relay.memory });
    if (hubble.enabled && hubble.ui) this.addWorkload({ name: 'hubble-ui', cpuRequest: '20m', memoryRequest: '64Mi' });
  }
}

/** Anchored regexes of the nodes' kernel link names, or [] (all) when any node's name is unknown. */
function l2InterfacesOf(nodes: readonly NodeSpec[]): string[] {
  const names = nodes.map((n) => n.nic?.name);
  if (names.some((n) => n === undefined)) return [];
  return [...new Set(names as string[])].sort().map((i) => `^${i.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Whether the cluster's Talos settings turn CoreDNS-to-host forwarding off. */
function talosKubeDnsForwardingDisabled(cluster: HomelabCluster): boolean {
  return talosSettings(cluster).patches.some((p: any) => p?.machine?.features?.hostDNS?.forwardKubeDNSToHost === false);
}

function single(ip: string): IpRange | undefined {
  const n = parseIpv4(ip);
  return n === undefined ? undefined : { start: n, stop: n };
}

/** A pool block as Cilium writes it: `{ cidr }` or `{ start, stop }`. */
function toCiliumBlock(block: string): { cidr?: string; start?: string; stop?: string } {
  if (block.includes('/')) return { cidr: block };
  const [start, stop] = block.split('-');
  return { start: start.trim(), stop: (stop ?? start).trim() };
}
