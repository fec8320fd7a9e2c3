import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { CiliumNetworkPolicy, CiliumNetworkPolicySpecIngressFromEntities, CiliumNetworkPolicySpecIngressToPortsPortsProtocol } from '../../../imports/cilium.io.js';
import { crdGroup, NETWORK_POLICY_ENFORCEMENT } from '../estate/capabilities.js';
import type { HomelabCluster } from '../estate/cluster.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { parseCidr } from '../estate/ip.js';
import { isDnsLabel } from '../estate/names.js';
import { hasLoadBalancer, LB_IPS_ANNOTATIONS, LB_SHARING_KEY_ANNOTATION, LOAD_BALANCER_IPAM } from '../platform/network/lb-ips.js';
import { allPodPorts, AppPort, AppProps } from './app-props.js';
import type { AppPolicyRules } from './app-network-policy.js';
import { NON_PUBLIC_RANGES, policyPorts, PolicyRule } from './network.js';
import type { AppService } from './service-props.js';

export type { AppService } from './service-props.js';

/**
 * Services of an App beyond its ClusterIP Service: a LoadBalancer on the LAN for a protocol no
 * ingress carries (MQTT, DNS, a game server, Home Assistant's HomeKit bridge), a NodePort, or a
 * second ClusterIP. The NetworkPolicy lets the clients in on the ports, and on a cluster of several
 * nodes the nodes too: with `externalTrafficPolicy: Cluster` a node without a local pod forwards
 * the connection with its own address as source (kube-proxy and Cilium's replacement alike), which
 * Cilium classifies as the `remote-node` / `host` entity that no ipBlock matches (cilium/cilium#33906).
 */

/** The Service's type, defaulted. */
function typeOf(s: AppService): NonNullable<AppService['type']> {
  return s.type ?? 'LoadBalancer';
}

/** Every port of the pod, by name. */
function portsByName(p: AppProps): Map<string, AppPort> {
  return new Map(allPodPorts(p).map((x) => [x.name, x]));
}

/** The app ports `s` publishes, in its order (unknown names, reported by the checks, left out). */
function publishedPorts(ports: ReadonlyMap<string, AppPort>, s: AppService): AppPort[] {
  return s.ports.map((n) => ports.get(n)).filter((x): x is AppPort => x !== undefined);
}

/** The Service's object name. */
export function extraServiceName(app: { readonly name: string }, s: AppService): string {
  return `${app.name}-${s.name}`;
}

interface ServiceApp extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly cluster: HomelabCluster;
  readonly selectorLabels: Record<string, string>;
}

/** Checks what the props alone tell (constructor): names, ports, CIDRs, the traffic policy and annotations. */
export function checkExtraServices(app: ServiceApp, p: AppProps, runsToCompletion: boolean): void {
  const d = Diagnostics.of(app);
  const ports = portsByName(p);
  const seen = new Set<string>();
  (p.services ?? []).forEach((s, i) => {
    const at = `services[${i}]`;
    if (runsToCompletion) d.error(app, at, `a ${p.workload && typeof p.workload === 'object' ? p.workload.kind : 'Job'} runs to completion: nothing stays up behind a Service`, 'drop services, or run the app as a Deployment');
    if (!isDnsLabel(s.name) || extraServiceName(app, s).length > 63) d.error(app, `${at}.name`, `'${s.name}' does not make a Service name ('${extraServiceName(app, s)}' must be a DNS label of at most 63 characters)`, "use a short lowercase name, e.g. 'lan' or 'mqtt'");
    else if (seen.has(s.name) || s.name === 'headless') d.error(app, `${at}.name`, `service '${s.name}' is ${s.name === 'headless' ? "the name of the StatefulSet's governing Service" : 'given twice'}`, 'give each Service its own name');
    seen.add(s.name);
    if (s.ports.length === 0) d.error(app, `${at}.ports`, 'no port is published', `name one of the app's ports: ${[...ports.keys()].join(', ') || '(the app has none: add ports first)'}`);
    s.ports.forEach((name, j) => {
      if (!ports.has(name)) d.error(app, `${at}.ports[${j}]`, `the app has no port '${name}'`, `use one of: ${[...ports.keys()].join(', ') || '(none: add it to ports)'}`);
    });
    const type = typeOf(s);
    if (type === 'ClusterIP' && (s.externalTrafficPolicy || s.allowFrom || s.loadBalancerIp || s.sharingKey)) {
      d.error(app, at, 'a ClusterIP Service takes no externalTrafficPolicy, allowFrom, loadBalancerIp or sharingKey', "set type: 'LoadBalancer' (or 'NodePort'), or drop them");
    }
    if (type === 'NodePort' && (s.loadBalancerIp || s.sharingKey)) d.error(app, at, 'a NodePort Service has no LoadBalancer address', "set type: 'LoadBalancer', or drop loadBalancerIp and sharingKey");
    (s.allowFrom ?? []).forEach((c, j) => {
      if (!parseCidr(c)) d.error(app, `${at}.allowFrom[${j}]`, `'${c}' is not an IPv4 CIDR`, "write a block such as '192.168.1.0/24' (a single client: '192.168.1.20/32')");
    });
    for (const key of Object.keys(s.annotations ?? {})) {
      if ((LB_IPS_ANNOTATIONS as readonly string[]).includes(key) || key === LB_SHARING_KEY_ANNOTATION) {
        d.error(app, `${at}.annotations["${key}"]`, `'${key}' is the library's: it is written from loadBalancerIp and sharingKey`, 'set loadBalancerIp / sharingKey instead');
      }
    }
  });
}

/** Checks what needs the whole cluster (wire phase): a provider of LoadBalancer addresses. */
export function checkLoadBalancing(app: ServiceApp, p: AppProps): void {
  const cluster = app.cluster;
  const d = Diagnostics.of(app);
  const hasLb = hasLoadBalancer(cluster);
  const hasIpam = cluster.components.some((c) => c.provides.has(LOAD_BALANCER_IPAM));
  (p.services ?? []).forEach((s, i) => {
    if (typeOf(s) !== 'LoadBalancer') return;
    if (!hasLb) d.error(app, `services[${i}].type`, `cluster '${cluster.name}' has nothing that gives a LoadBalancer Service an address: it would stay <pending>`, "add LoadBalancer pools to Cilium (loadBalancerPools), or use type: 'NodePort'");
    else if (s.loadBalancerIp !== undefined && !hasIpam) d.error(app, `services[${i}].loadBalancerIp`, `cluster '${cluster.name}' hands out LoadBalancer addresses without pools (k3s ServiceLB uses the nodes' own), so ${s.loadBalancerIp} cannot be asked for`, 'drop loadBalancerIp, or give Cilium loadBalancerPools covering it');
  });
}

/** Renders each further Service (wire phase). */
export function renderExtraServices(app: ServiceApp, p: AppProps, labels: Record<string, string>): void {
  const ports = portsByName(p);
  const rendered = new Set<string>();
  for (const s of p.services ?? []) {
    // A name reported by the checks (invalid, repeated) renders nothing rather than clash.
    if (!isDnsLabel(s.name) || rendered.has(s.name) || s.name === 'headless') continue;
    rendered.add(s.name);
    const type = typeOf(s);
    const external = type !== 'ClusterIP';
    const annotations = { ...s.annotations, ...(s.loadBalancerIp ? { [LB_IPS_ANNOTATIONS[0]]: s.loadBalancerIp } : {}), ...(s.sharingKey ? { [LB_SHARING_KEY_ANNOTATION]: s.sharingKey } : {}) };
    const published = publishedPorts(ports, s);
    new k8s.KubeService(app, `service-${s.name}`, {
      metadata: { name: extraServiceName(app, s), namespace: app.namespace, labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      spec: {
        type,
        selector: { ...app.selectorLabels },
        ports: published.map((port) => ({ name: port.name, port: port.servicePort ?? port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: port.protocol ?? 'TCP', appProtocol: port.appProtocol })),
        ...(external ? { externalTrafficPolicy: s.externalTrafficPolicy ?? 'Cluster' } : {}),
        ...(type === 'LoadBalancer' ? { loadBalancerSourceRanges: [...clientsOf(s)] } : {}),
      },
    });
  }
}

function clientsOf(s: AppService): readonly string[] {
  return s.allowFrom ?? NON_PUBLIC_RANGES;
}

/** Whether connections through `s` may arrive from a node's own address (forwarded from another node). */
function forwardedByNodes(cluster: HomelabCluster, s: AppService): boolean {
  return typeOf(s) !== 'ClusterIP' && (s.externalTrafficPolicy ?? 'Cluster') === 'Cluster' && cluster.nodes.length > 1;
}

/** Whether Cilium enforces the cluster's NetworkPolicies (it classifies forwarded traffic as node entities). */
function ciliumEnforces(cluster: HomelabCluster): boolean {
  return cluster.components.some((c) => c.provides.has(NETWORK_POLICY_ENFORCEMENT) && c.provides.has(crdGroup('cilium.io')));
}

/**
 * The NetworkPolicy rules of the further Services (wire phase): the clients on the published ports
 * and, where nodes forward and the enforcer matches nodes by address, the node network. Under
 * Cilium, nodes are entities, admitted by {@link renderNodeForwardingPolicy} instead.
 */
export function extraServiceRules(app: ServiceApp, p: AppProps, rules: AppPolicyRules): void {
  const ports = portsByName(p);
  (p.services ?? []).forEach((s, i) => {
    if (typeOf(s) === 'ClusterIP') return;
    const published = publishedPorts(ports, s).map((x) => ({ port: x.port, protocol: x.protocol ?? 'TCP' as const }));
    const peers: k8s.NetworkPolicyPeer[] = clientsOf(s).map((cidr) => ({ ipBlock: { cidr } }));
    const rule: PolicyRule = { peers, ports: policyPorts(published), reason: `clients of Service ${extraServiceName(app, s)}` };
    rules.ingress.push(rule);
    if (!forwardedByNodes(app.cluster, s) || ciliumEnforces(app.cluster)) return;
    const nodeCidr = app.cluster.network.nodeCidr;
    if (!nodeCidr) {
      Diagnostics.of(app).error(app, `services[${i}].externalTrafficPolicy`, `on cluster '${app.cluster.name}' (${app.cluster.nodes.length} nodes) a node may forward connections with its own address, and the NetworkPolicy cannot admit the nodes: the cluster's node network is unknown`, "set the cluster's network.nodeCidr, or externalTrafficPolicy: 'Local'");
      return;
    }
    rules.ingress.push({ peers: [{ ipBlock: { cidr: nodeCidr } }], ports: policyPorts(published), reason: `nodes forwarding Service ${extraServiceName(app, s)}` });
  });
}

/**
 * Under Cilium, a CiliumNetworkPolicy `<app>-node-forwarding` admitting the `host` and
 * `remote-node` entities on the ports of the Services nodes forward (finalize phase, with the
 * NetworkPolicy). Nothing when no Service needs it.
 */
export function renderNodeForwardingPolicy(app: ServiceApp, p: AppProps): void {
  if (!ciliumEnforces(app.cluster)) return;
  const ports = portsByName(p);
  const forwarded = (p.services ?? []).filter((s) => forwardedByNodes(app.cluster, s)).flatMap((s) => publishedPorts(ports, s));
  const unique = [...new Map(forwarded.map((x) => [`${x.port}/${x.protocol ?? 'TCP'}`, x])).values()];
  if (unique.length === 0) return;
  new CiliumNetworkPolicy(app, 'node-forwarding', {
    metadata: { name: `${app.name}-node-forwarding`, namespace: app.namespace },
    spec: {
      endpointSelector: { matchLabels: { ...app.selectorLabels } },
      ingress: [{
        fromEntities: [CiliumNetworkPolicySpecIngressFromEntities.HOST, CiliumNetworkPolicySpecIngressFromEntities.REMOTE_HYPHEN_NODE],
        toPorts: [{ ports: unique.map((x) => ({ port: String(x.port), protocol: x.protocol === 'UDP' ? CiliumNetworkPolicySpecIngressToPortsPortsProtocol.UDP : CiliumNetworkPolicySpecIngressToPortsPortsProtocol.TCP })) }],
      }],
    },
  });
}
