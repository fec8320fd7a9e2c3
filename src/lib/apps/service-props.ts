/** Props of an App's further Services, apart from extra-services.ts so app-props.ts can name them without a cycle. */

/** A further Service of an App (see {@link AppProps.services}). */
export interface AppService {
  /** Its name is `<app>-<name>`: a DNS label. */
  readonly name: string;
  /** @default 'LoadBalancer' */
  readonly type?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  /** Names of the app's ports it publishes (any container of the pod, `service: false` ones included). */
  readonly ports: readonly string[];
  /**
   * A fixed address from the cluster's Cilium LoadBalancer pools (the `lbipam.cilium.io/ips`
   * annotation; checked against the pools and against every other address of the cluster).
   * @default - the next free address of the pools
   */
  readonly loadBalancerIp?: string;
  /** Services with the same key may share one address (on distinct ports). @default - none */
  readonly sharingKey?: string;
  /**
   * `Local` keeps the client's address and sends only to pods on the node that received the
   * connection; `Cluster` may forward to a pod on another node, with that node's address as source.
   * @default 'Cluster' — the Kubernetes default, written out
   */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * IPv4 CIDRs of the clients: written to `loadBalancerSourceRanges` (the load balancer drops
   * others before any forwarding) and admitted by the app's NetworkPolicy.
   * @default - the LAN: every private, CGNAT and link-local range (NON_PUBLIC_RANGES)
   */
  readonly allowFrom?: readonly string[];
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}
