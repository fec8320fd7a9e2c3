import { k8s } from 'cdk8s-plus-28';
import type { HomelabCluster } from '../estate/cluster.js';

/** A port a peer is reached on (or connects from). */
export interface PeerPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** What another app of the same cluster exposes to peers; `App` implements it. */
export interface PeerApp {
  readonly cluster: HomelabCluster;
  readonly name: string;
  readonly namespace: string;
  /** Labels selecting the app's pods. */
  readonly selectorLabels: Record<string, string>;
  /** The app's ports by name. */
  readonly portMap: ReadonlyMap<string, PeerPort>;
  /** Names of the ports published on the app's Service: what peers connect to unless they name ports. */
  readonly publishedPorts: readonly string[];
}

/** Another app of the cluster; both policies are derived (egress here, ingress there). */
export interface AppPeer {
  readonly app: PeerApp;
  /** Names of the peer's ports the connection uses. @default - the ports published on the peer's Service */
  readonly ports?: readonly string[];
}

/** Pods selected by namespace (and labels), e.g. a LAN-facing proxy or a metrics scraper. */
export interface PodPeer {
  readonly namespace: string;
  /** @default {} (every pod of the namespace) */
  readonly podLabels?: Record<string, string>;
  /** @default - every port */
  readonly ports?: readonly PeerPort[];
}

/** An address range outside the cluster (the internet, the NAS, a LAN subnet). */
export interface CidrPeer {
  readonly cidr: string;
  /** @default [] */
  readonly except?: readonly string[];
  /** @default - every port */
  readonly ports?: readonly PeerPort[];
}

/** A peer an app is allowed to talk to (egress) or be reached from (ingress). */
export type NetworkPeer = AppPeer | PodPeer | CidrPeer;

/** Private, shared (CGNAT) and link-local ranges: the LAN, the cluster networks and cloud metadata endpoints. */
export const NON_PUBLIC_RANGES: readonly string[] = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

/** The public internet (every IPv4 address except private, CGNAT and link-local ranges), on the given ports. */
export function internet(...ports: (number | PeerPort)[]): CidrPeer {
  return { cidr: '0.0.0.0/0', except: NON_PUBLIC_RANGES, ports: ports.length > 0 ? ports.map((p) => (typeof p === 'number' ? { port: p } : p)) : undefined };
}

/** The HTTPS/HTTP internet: what apps fetching metadata, indexers or updates need. */
export function web(): CidrPeer {
  return internet(443, 80);
}

/** Label every namespace carries with its own name (Kubernetes ≥ 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One allow rule: who, on which ports. */
export interface PolicyRule {
  readonly peers: k8s.NetworkPolicyPeer[];
  /** Empty means every port. */
  readonly ports: k8s.NetworkPolicyPort[];
  /** Why the rule exists, for the test suite and the docs. */
  readonly reason: string;
}

/** Selector for pods of `namespace` with `labels`. */
export function podsIn(namespace: string, labels: Record<string, string> = {}): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } };
}

/** Policy ports for peer ports. */
export function policyPorts(ports: readonly PeerPort[] | undefined): k8s.NetworkPolicyPort[] {
  return (ports ?? []).map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
}

/** The cluster DNS: CoreDNS pods in kube-system on port 53. Every app may resolve names. */
export function dnsRule(): PolicyRule {
  return {
    peers: [podsIn('kube-system', { 'k8s-app': 'kube-dns' })],
    ports: policyPorts([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]),
    reason: 'DNS',
  };
}

/** Rule for a pod or CIDR peer. */
export function peerRule(peer: PodPeer | CidrPeer, reason: string): PolicyRule {
  if ('cidr' in peer) {
    return { peers: [{ ipBlock: { cidr: peer.cidr, except: peer.except && peer.except.length > 0 ? [...peer.except] : undefined } }], ports: policyPorts(peer.ports), reason };
  }
  return { peers: [podsIn(peer.namespace, peer.podLabels)], ports: policyPorts(peer.ports), reason };
}

/** The namespace-wide policy that denies everything not explicitly allowed. */
export function defaultDenyPolicy(scope: import('constructs').Construct, namespace: string): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, 'default-deny', {
    metadata: { name: 'default-deny', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
}

/** Renders rules into NetworkPolicy rule lists. */
export function ingressRules(rules: readonly PolicyRule[]): k8s.NetworkPolicyIngressRule[] {
  return rules.map((r) => ({ from: r.peers, ports: r.ports.length > 0 ? r.ports : undefined }));
}

export function egressRules(rules: readonly PolicyRule[]): k8s.NetworkPolicyEgressRule[] {
  return rules.map((r) => ({ to: r.peers, ports: r.ports.length > 0 ? r.ports : undefined }));
}
