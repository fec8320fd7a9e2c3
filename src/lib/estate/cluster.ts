import { Ledger } from '../model/ledger.js';
import { Construct } from 'constructs';
import { distributionBuiltins } from './builtins.js';
import { Capability } from './capabilities.js';
import { Component } from './component.js';
import { CLUSTER_NAME, Diagnostics, uniqueChildId } from './diagnostics.js';
import { SynthError, pathOf } from './problems.js';
import { dnsLabelFix, isDnsLabel } from './names.js';
import { checkGitAndFlux, checkNodeMetadata, checkOneLineTexts } from './cluster-checks.js';
import { Arch, NodeSpec } from './node.js';
import { parseCpu, parseMemory } from './quantity.js';
import { Phase, PHASES, ServiceKey } from './services.js';
import { formatIpv4, isCanonicalCidr, parseSubnet as parseCidr, parseIpv4, rangeContains, rangesOverlap } from './ip.js';

/** Kubernetes distribution of a cluster. */
export type Distribution = 'talos' | 'oke' | 'k3s';

/** Every {@link Distribution}, for checking input that bypassed the type checker. */
export const DISTRIBUTIONS: readonly Distribution[] = ['talos', 'oke', 'k3s'];

/** Construct id of a cluster whose name is empty (the name itself is reported). */
const UNNAMED_CLUSTER_ID = '(unnamed)';

/** Props as given, or a SynthError when there are none at all (nothing else can be checked). */
function usableProps(scope: Construct, props: ClusterProps | undefined): ClusterProps {
  if (props !== null && typeof props === 'object') return props;
  throw new SynthError([{ cluster: '(estate)', path: pathOf(scope), field: 'props', message: `new HomelabCluster(scope, props) was given ${String(props)} as props`, fix: 'pass the cluster description: { name, distribution, domain, git, nodes }' }]);
}

/** The Git repository Flux pulls the cluster's tree from. */
export interface GitSource {
  /** Clone URL (`https://…` or `ssh://git@…`). */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /** Secret in flux-system holding Git credentials. @default - none (public repository) */
  readonly secretRef?: string;
}

/** How Flux gets onto the cluster and how the tree is cut into Flux Kustomizations. */
export interface FluxSettings {
  /**
   * `operator`: flux-operator's `FluxInstance` installs and syncs Flux (synth writes it).
   * `classic`: `flux bootstrap` owns `gotk-components.yaml`; synth writes only the sync objects.
   * @default 'operator'
   */
  readonly bootstrap?: 'operator' | 'classic';
  /**
   * `components`: one Flux Kustomization per component (`<group>/<component>/ks.yaml`), dependsOn derived.
   * `layered`: exactly three Kustomizations `flux-system` → `platform` → `apps` (seed 004's memo).
   * @default 'components'
   */
  readonly layout?: 'components' | 'layered';
  /** Reconcile interval of the Kustomizations. @default '10m' */
  readonly interval?: string;
  /** Flux distribution version installed by the FluxInstance. @default FLUX_VERSION */
  readonly version?: string;
}

/** SOPS (age) settings: who can decrypt the cluster's encrypted files. */
export interface SopsSettings {
  /** age public keys (`age1…`) files are encrypted to; the first is the cluster's own key. */
  readonly ageRecipients: readonly string[];
  /** Secret in flux-system holding the age private key, created at bootstrap. @default 'sops-age' */
  readonly secretName?: string;
}

/** Cluster networking facts the platform derives from. */
export interface ClusterNetwork {
  /** @default '10.42.0.0/16' */
  readonly podCidr?: string;
  /** @default '10.43.0.0/16' */
  readonly serviceCidr?: string;
  /** The node subnet, e.g. `10.0.50.0/24`. @default - not modelled */
  readonly nodeCidr?: string;
  /** Control-plane virtual IP (Talos VIP). @default - none: the API is reached on the first control-plane node */
  readonly vip?: string;
}

export interface ClusterProps {
  /** Cluster name: the folder `clusters/<name>/`. A DNS-1123 label. */
  readonly name: string;
  readonly distribution: Distribution;
  readonly nodes: readonly NodeSpec[];
  readonly git: GitSource;
  /** @default - operator bootstrap, components layout, 10m interval */
  readonly flux?: FluxSettings;
  /** DNS domain apps get their hostnames under, e.g. `funoffshore.com`. */
  readonly domain: string;
  /** @default - k3s/Talos default CIDRs */
  readonly network?: ClusterNetwork;
  /** SOPS settings, needed as soon as a component carries encrypted files. @default - no SOPS */
  readonly sops?: SopsSettings;
  /**
   * Render a default-deny NetworkPolicy in every app namespace, with allow rules derived from what
   * each app declares. @default false
   */
  readonly defaultDenyNetworkPolicies?: boolean;
  /**
   * Gaming mode (seed 000): every `heavy` workload is scaled to zero and databases hibernate,
   * freeing the machine. @default false
   */
  readonly gamingMode?: boolean;
  /** One line saying what the cluster is, for generated docs. @default - none */
  readonly description?: string;
  /** The seed document the cluster implements. @default - none */
  readonly seed?: string;
  /** Source file describing the cluster, named in every generated header. @default 'src/clusters/<name>.ts' */
  readonly sourceFile?: string;
  /**
   * Capabilities the distribution itself provides (e.g. OKE's `oci-bv` StorageClass). Replaces the
   * derived list when given.
   * @default - derived from the distribution (see `distributionBuiltins`): OKE `oci-bv` (default
   * class), k3s `local-path` (default class, unless a component provides a default StorageClass)
   */
  readonly builtins?: readonly Capability[];
  /**
   * Objects holding data that this synth may remove or rename, each acknowledged explicitly as
   * `Kind/namespace/name` (or `Kind/name` for cluster-scoped objects), e.g.
   * `['PersistentVolumeClaim/apps/jellyfin-config']`. Without an entry, synth refuses to drop a
   * PersistentVolumeClaim, a StatefulSet's claim templates, a CNPG Cluster, a Longhorn volume or
   * backup target, a namespace holding any of them, or a StorageClass in use. Remove the entry once
   * the synth that deleted the object is committed (a leftover entry is a warning).
   * @default [] (nothing holding data may disappear)
   */
  readonly allowDataLoss?: readonly string[];
  /**
   * Namespaces whose pods must be fenced by a NetworkPolicy (policy lint `network-policy-missing`).
   * @default [] (and, when `defaultDenyNetworkPolicies` is on, every namespace of an `apps` component)
   */
  readonly sensitiveNamespaces?: readonly string[];
  /**
   * Warnings this cluster accepts, by code, each with the reason: they still print, but `--strict`
   * no longer fails on them, e.g. `{ 'etcd-even-control-planes': 'seed 003 runs two; a third is planned' }`.
   * @default {} (every warning fails a strict synth)
   */
  readonly acceptedWarnings?: Readonly<Record<string, string>>;
}

/** Flux distribution installed by the FluxInstance. */
// renovate: datasource=github-releases depName=fluxcd/flux2
export const FLUX_VERSION = '2.9.4';

/** Resolved Flux settings with every default filled in. */
export interface ResolvedFlux {
  readonly bootstrap: 'operator' | 'classic';
  readonly layout: 'components' | 'layered';
  readonly interval: string;
  readonly version: string;
}

/**
 * One Kubernetes cluster of the estate: its machines, its Git source and its components.
 * Everything the generated tree needs to know about the cluster itself is derived from here.
 */
export class HomelabCluster extends Construct {
  public readonly name: string;
  public readonly distribution: Distribution;
  public readonly nodes: readonly NodeSpec[];
  public readonly git: Required<Pick<GitSource, 'url' | 'branch'>> & GitSource;
  public readonly flux: ResolvedFlux;
  public readonly domain: string;
  public readonly network: Required<Pick<ClusterNetwork, 'podCidr' | 'serviceCidr'>> & ClusterNetwork;
  public readonly sops?: Required<SopsSettings>;
  public readonly defaultDenyNetworkPolicies: boolean;
  public readonly gamingMode: boolean;
  public readonly description?: string;
  public readonly seed?: string;
  public readonly sourceFile: string;
  private readonly explicitBuiltins?: ReadonlySet<Capability>;
  /** Data-holding objects this synth may remove (see {@link ClusterProps.allowDataLoss}). */
  public readonly allowDataLoss: readonly string[];
  /** Namespaces the policy lint requires a NetworkPolicy in (see {@link ClusterProps.sensitiveNamespaces}). */
  public readonly sensitiveNamespaces: readonly string[];
  /** Warning code → reason: accepted warnings do not fail `--strict`. */
  public readonly acceptedWarnings: Readonly<Record<string, string>>;

  /** Typed facts the cluster's constructs record while they build and wire (see {@link Ledger}). */
  public readonly ledger = new Ledger();

  private readonly componentList: Component[] = [];
  private readonly serviceProviders = new Map<ServiceKey<unknown>, { provider: unknown; by: Component }[]>();
  private readonly phaseHooks: Record<Phase, (() => void)[]> = { wire: [], finalize: [], check: [] };
  private prepared = false;

  constructor(scope: Construct, given: ClusterProps) {
    const props = usableProps(scope, given);
    super(scope, uniqueChildId(scope, props.name || UNNAMED_CLUSTER_ID, 'cluster'));
    (this as unknown as Record<symbol, string>)[CLUSTER_NAME] = props.name;
    this.name = props.name;
    this.distribution = props.distribution;
    this.nodes = Array.isArray(props.nodes) ? props.nodes : [];
    this.git = { ...props.git, branch: props.git?.branch ?? 'main' };
    this.flux = {
      bootstrap: props.flux?.bootstrap ?? 'operator',
      layout: props.flux?.layout ?? 'components',
      interval: props.flux?.interval ?? '10m',
      version: props.flux?.version ?? FLUX_VERSION,
    };
    this.domain = props.domain;
    this.network = { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', ...props.network };
    this.sops = props.sops ? { secretName: 'sops-age', ...props.sops } : undefined;
    this.defaultDenyNetworkPolicies = props.defaultDenyNetworkPolicies ?? false;
    this.gamingMode = props.gamingMode ?? false;
    this.description = props.description;
    this.seed = props.seed;
    this.sourceFile = props.sourceFile ?? `src/clusters/${props.name}.ts`;
    this.explicitBuiltins = props.builtins ? new Set(props.builtins) : undefined;
    this.allowDataLoss = props.allowDataLoss ?? [];
    this.sensitiveNamespaces = props.sensitiveNamespaces ?? [];
    this.acceptedWarnings = props.acceptedWarnings ?? {};
    this.validateProps();
  }

  /**
   * Capabilities provided by the distribution, not by any component: the `builtins` prop, else
   * derived from the distribution and the components declared so far (see `distributionBuiltins`).
   */
  public get builtins(): ReadonlySet<Capability> {
    return this.explicitBuiltins ?? new Set(distributionBuiltins(this.distribution, this.componentList));
  }

  /** Components in declaration order. */
  public get components(): readonly Component[] {
    return this.componentList;
  }

  /** Nodes ordinary workloads may run on (see {@link NodeSpec.schedulable}). */
  public get schedulableNodes(): readonly NodeSpec[] {
    const hasWorkers = this.nodes.some((n) => n.role === 'worker');
    return this.nodes.filter((n) => n.schedulable ?? (n.role === 'worker' || !hasWorkers));
  }

  public get controlPlaneNodes(): readonly NodeSpec[] {
    return this.nodes.filter((n) => n.role === 'control-plane');
  }

  public get workerNodes(): readonly NodeSpec[] {
    return this.nodes.filter((n) => n.role === 'worker');
  }

  /** Architectures of the schedulable nodes. */
  public get architectures(): ReadonlySet<Arch> {
    return new Set(this.schedulableNodes.map((n) => n.arch ?? 'amd64'));
  }

  /** True when the cluster has a single schedulable node. */
  public get singleNode(): boolean {
    return this.schedulableNodes.length <= 1;
  }

  /** Registers `provider` as this cluster's provider of a service. Two providers of one service is a problem. */
  public registerService<T>(key: ServiceKey<T>, provider: T, by: Component): void {
    const list = this.serviceProviders.get(key) ?? [];
    if (list.length > 0) {
      Diagnostics.of(by).error(by, 'service', `cluster '${this.name}' already has ${key.description}: '${list[0].by.name}'`, `keep one ${key.name} provider per cluster`);
    }
    this.serviceProviders.set(key, [...list, { provider, by }]);
  }

  /** The provider of a service, if the cluster has one. Call it from an `onPhase('wire')` hook. */
  public service<T>(key: ServiceKey<T>): T | undefined {
    return this.serviceProviders.get(key)?.[0]?.provider as T | undefined;
  }

  /** Runs `fn` in a build phase before rendering, once every component has been declared. */
  public onPhase(phase: Phase, fn: () => void): void {
    this.phaseHooks[phase].push(fn);
  }

  /** @internal runs the phases once; hooks added during a phase run in the same phase. */
  public prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    for (const phase of PHASES) {
      this.currentPhase = phase;
      for (let i = 0; i < this.phaseHooks[phase].length; i++) this.phaseHooks[phase][i]();
    }
    this.currentPhase = 'rendered';
  }

  /**
   * `declare` while components are being declared, then the phase running. Components may appear
   * up to the wire phase (platform constructs add their CRD components there); one declared in
   * finalize would miss its own wire hooks, so the Component constructor refuses it.
   */
  public currentPhase: 'declare' | Phase | 'rendered' = 'declare';

  /** Finds a component by name. */
  public component(name: string): Component | undefined {
    return this.componentList.find((c) => c.name === name);
  }

  /** @internal construct id for a new component; a duplicate name or a late declaration is reported, not thrown. */
  public componentId(name: string): string {
    if (this.currentPhase === 'finalize' || this.currentPhase === 'check' || this.currentPhase === 'rendered') {
      Diagnostics.of(this).error(this, `component.${name}`, `component '${name}' was created during the '${this.currentPhase}' phase: the wire phase is over, so its own wiring (and that of what it contains) never runs and it would be written half-wired`, "create components while building the cluster, or at the latest in an onPhase('wire') hook");
    }
    return uniqueChildId(this, name, 'component');
  }

  /** @internal called by Component. */
  public registerComponent(c: Component): void {
    this.componentList.push(c);
  }

  private validateProps(): void {
    const d = Diagnostics.of(this);
    if (!DISTRIBUTIONS.includes(this.distribution)) {
      d.error(this, 'distribution', `'${String(this.distribution)}' is not a distribution this library knows`, `use one of ${DISTRIBUTIONS.map((x) => `'${x}'`).join(', ')}`);
    }
    if (typeof this.name !== 'string' || !isDnsLabel(this.name)) d.error(this, 'name', `cluster name '${this.name}' is not a DNS-1123 label`, dnsLabelFix(this.name));
    if (!this.git.url) d.error(this, 'git.url', 'the Git repository URL is missing', "set git.url to the repository Flux pulls, e.g. 'https://github.com/you/homelab'");
    else if (!/^(https?|ssh):\/\/\S+$/.test(this.git.url)) d.error(this, 'git.url', `'${this.git.url}' is not an https:// or ssh:// URL`, "use 'https://host/owner/repo' or 'ssh://git@host/owner/repo'");
    if (this.nodes.length === 0) d.error(this, 'nodes', 'the cluster has no nodes', 'declare at least one node');
    if (this.distribution !== 'oke' && this.controlPlaneNodes.length === 0 && this.nodes.length > 0) {
      d.error(this, 'nodes', 'no node has role control-plane', "mark at least one node role: 'control-plane'");
    }
    checkGitAndFlux(this, d, this.flux.version);
    checkOneLineTexts(this, d, { description: this.description, seed: this.seed, sourceFile: this.sourceFile });
    this.validateNodes(d);
    this.validateNetwork(d);
    this.validateSafetyProps(d);
  }

  /** CIDRs parse and do not overlap; the VIP and node IPs sit in the node subnet. */
  private validateNetwork(d: Diagnostics): void {
    const ranges: { field: string; value: string; range: NonNullable<ReturnType<typeof parseCidr>> }[] = [];
    const cidrs: [string, string | undefined][] = [['network.podCidr', this.network.podCidr], ['network.serviceCidr', this.network.serviceCidr], ['network.nodeCidr', this.network.nodeCidr]];
    for (const [field, value] of cidrs) {
      if (value === undefined) continue;
      const range = parseCidr(value);
      if (!range) {
        d.error(this, field, `'${value}' is not an IPv4 CIDR`, 'write it as address/prefix, e.g. 10.42.0.0/16');
        continue;
      }
      if (!isCanonicalCidr(value)) d.error(this, field, `'${value}' has host bits set past its prefix`, `write the network address: ${formatIpv4(range.first)}/${value.split('/')[1]}`);
      for (const other of ranges) {
        if (rangesOverlap(other.range, range)) {
          d.error(this, field, `${field.slice(8)} ${value} overlaps ${other.field.slice(8)} ${other.value}`, 'give pods, services and nodes disjoint ranges (k3s/Talos defaults: pods 10.42.0.0/16, services 10.43.0.0/16)');
        }
      }
      ranges.push({ field, value, range });
    }
    const nodeRange = this.network.nodeCidr ? parseCidr(this.network.nodeCidr) : undefined;
    const vip = this.network.vip;
    if (vip !== undefined) {
      const ip = parseIpv4(vip);
      if (ip === undefined || !isIpv4(vip)) {
        d.error(this, 'network.vip', `'${vip}' is not an IPv4 address`, 'write the address as four dot-separated numbers without leading zeros, e.g. 10.0.50.50');
      } else {
        if (nodeRange && !rangeContains(nodeRange, ip)) {
          d.error(this, 'network.vip', `VIP ${vip} is not in the node subnet ${this.network.nodeCidr}`, `pick a free address inside ${this.network.nodeCidr}: the VIP floats between control-plane nodes on that network`);
        } else if (nodeRange && nodeRange.last - nodeRange.first >= 3 && (ip === nodeRange.first || ip === nodeRange.last)) {
          d.error(this, 'network.vip', `VIP ${vip} is the ${ip === nodeRange.first ? 'network' : 'broadcast'} address of ${this.network.nodeCidr}: no host answers ARP for it`, `pick a free host address between ${formatIpv4(nodeRange.first + 1)} and ${formatIpv4(nodeRange.last - 1)}`);
        }
        const clash = this.nodes.find((n) => n.ip === vip);
        if (clash) d.error(this, 'network.vip', `VIP ${vip} is also node '${clash.name}''s address`, 'pick an address no node uses');
        if (!nodeRange && this.nodes.some((n) => n.ip)) {
          const subnets = new Set(this.nodes.filter((n) => n.ip && parseIpv4(n.ip) !== undefined).map((n) => n.ip!.split('.').slice(0, 3).join('.')));
          if (!subnets.has(vip.split('.').slice(0, 3).join('.'))) {
            d.error(this, 'network.vip', `VIP ${vip} is not on the nodes' network (${[...subnets].map((s) => `${s}.0/24`).join(', ')})`, 'pick a free address on the control-plane nodes\' subnet, or declare network.nodeCidr');
          }
        }
      }
    }
    if (nodeRange) {
      this.nodes.forEach((n, i) => {
        const ip = n.ip === undefined ? undefined : parseIpv4(n.ip);
        if (ip !== undefined && !rangeContains(nodeRange, ip)) {
          d.error(this, `nodes[${i}].ip`, `node '${n.name}' address ${n.ip} is outside the node subnet ${this.network.nodeCidr}`, 'fix the address or network.nodeCidr');
        }
      });
    }
  }

  /** Shapes of the safety props: acknowledgements name objects, sensitive namespaces are labels. */
  private validateSafetyProps(d: Diagnostics): void {
    this.allowDataLoss.forEach((id, i) => {
      const parts = id.split('/');
      if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '') || !/^[A-Z][A-Za-z]*$/.test(parts[0])) {
        d.error(this, `allowDataLoss[${i}]`, `'${id}' does not name an object`, "write Kind/namespace/name (e.g. 'PersistentVolumeClaim/apps/jellyfin-config') or Kind/name for cluster-scoped objects");
      }
    });
    this.sensitiveNamespaces.forEach((ns, i) => {
      if (!isDnsLabel(ns)) d.error(this, `sensitiveNamespaces[${i}]`, `'${ns}' is not a namespace name`, dnsLabelFix(ns));
    });
    for (const [code, reason] of Object.entries(this.acceptedWarnings)) {
      if (!reason.trim()) d.error(this, `acceptedWarnings.${code}`, `accepting warning '${code}' needs a reason`, 'say why the warning is acceptable for this cluster');
    }
  }

  private validateNodes(d: Diagnostics): void {
    const seenNames = new Set<string>();
    const seenIps = new Map<string, string>();
    this.nodes.forEach((n, i) => {
      const at = `nodes[${i}]`;
      if (!isDnsLabel(n.name)) d.error(this, `${at}.name`, `node name '${n.name}' is not a DNS-1123 label`, dnsLabelFix(n.name));
      if (seenNames.has(n.name)) d.error(this, `${at}.name`, `node name '${n.name}' is used twice`, 'give every node a unique hostname');
      seenNames.add(n.name);
      const cpu = parseCpu(n.cpu);
      if (cpu === undefined || cpu <= 0) d.error(this, `${at}.cpu`, `cpu ${JSON.stringify(n.cpu)} is not a positive number of cores`, 'set cpu to the number of cores, e.g. 2');
      const mem = parseMemory(n.memory);
      if (mem === undefined || mem <= 0) d.error(this, `${at}.memory`, `memory ${JSON.stringify(n.memory)} is not a positive quantity`, "set memory like '8Gi' or '4096Mi'");
      if (n.ip !== undefined) {
        if (!isIpv4(n.ip)) d.error(this, `${at}.ip`, `'${n.ip}' is not an IPv4 address`, 'write the address as four dot-separated numbers without leading zeros, e.g. 10.0.50.10');
        const other = seenIps.get(n.ip);
        if (other) d.error(this, `${at}.ip`, `IP ${n.ip} is already used by node '${other}'`, 'give every node its own address');
        seenIps.set(n.ip, n.name);
      }
      if (n.nic !== undefined) this.validateNic(d, `${at}.nic`, n);
      checkNodeMetadata(this, d, n, at);
    });
  }

  private validateNic(d: Diagnostics, at: string, n: NodeSpec): void {
    const nic = n.nic!;
    if (nic.name === undefined && nic.mac === undefined && nic.driver === undefined) {
      d.error(this, at, `node '${n.name}' has an empty nic`, 'give its mac, driver or kernel name (talosctl get links --insecure -n <ip>), or remove nic');
    }
    // Linux link names: at most 15 bytes, no '/', ':' or whitespace.
    if (nic.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/.test(nic.name)) {
      d.error(this, `${at}.name`, `'${nic.name}' is not a Linux link name`, "write the name `ip link` shows, e.g. 'enp2s0' (at most 15 characters)");
    }
    if (nic.mac !== undefined && !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(nic.mac)) {
      d.error(this, `${at}.mac`, `'${nic.mac}' is not a MAC address`, "write six colon-separated hex pairs, e.g. 'aa:bb:cc:dd:ee:ff'");
    }
    if (nic.driver !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(nic.driver)) {
      d.error(this, `${at}.driver`, `'${nic.driver}' is not a kernel driver name`, "write the driver `talosctl get links` shows, e.g. 'virtio_net'");
    }
    if (nic.mac !== undefined && nic.driver !== undefined) {
      d.error(this, at, `node '${n.name}' names its port both by mac and by driver`, 'keep mac (the more precise) and drop driver');
    }
  }
}

/**
 * True for a dotted-quad IPv4 address without leading zeros: `10.0.50.01` is read as octal by some
 * tools and as decimal by others, and would let two spellings of one address pass as different.
 */
export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}
