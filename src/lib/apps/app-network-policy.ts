import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { Diagnostics } from '../estate/diagnostics.js';
import { FactKind } from '../model/ledger.js';
import type { AppNetwork } from './app-props.js';
import {
  AppPeer, defaultDenyPolicy, dnsRule, egressRules, ingressRules, peerRule, PeerApp, PeerPort, podsIn, policyPorts, PolicyRule,
} from './network.js';

/**
 * The NetworkPolicy graph of the cluster's apps: each app's allow rules (kept on the app), the
 * connections between apps and the owner of each namespace's default-deny policy (both facts on
 * the cluster's ledger), and the policy an app renders from them once every app is wired.
 */

/** A connection one app opens to another: egress on the `from` side, ingress on the `to` side. */
export interface NetworkFlow {
  readonly from: PeerApp;
  readonly to: PeerApp;
  readonly ports: readonly PeerPort[];
}

/** Connections between apps, recorded under the app they reach (its ingress rules are read from them). */
export const NETWORK_FLOW = new FactKind<NetworkFlow>('network-flow');

/** The app rendering a namespace's default-deny NetworkPolicy: the first app declared in it. */
export interface DefaultDenyOwner {
  readonly namespace: string;
  readonly owner: PeerApp;
}

/** Default-deny owners, one per namespace. */
export const DEFAULT_DENY_OWNER = new FactKind<DefaultDenyOwner>('default-deny-owner');

/** Brand every App carries (cdk8s charts answer `instanceof` for any chart, so a brand is checked). */
export const APP_BRAND = Symbol.for('cdk8s-homelab.app');

/** An app whose own NetworkPolicy this module writes: it takes egress rules from connections it opens. */
export interface PolicyApp extends PeerApp {
  addEgress(rule: PolicyRule): void;
}

/** Whether `x` carries the App brand. */
export function hasAppBrand(x: unknown): x is PolicyApp {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[APP_BRAND] === true;
}

/** One app's allow rules, in the order they were derived (DNS is added when rendering). */
export class AppPolicyRules {
  public readonly ingress: PolicyRule[] = [];
  public readonly egress: PolicyRule[] = [];
}

/** Allows `from` to open connections to `to` on `ports`: egress on one side now, ingress on the other when it renders. */
export function connect(from: PeerApp, to: PeerApp, ports: PeerPort[]): void {
  if (hasAppBrand(from)) from.addEgress({ peers: [podsIn(to.namespace, to.selectorLabels)], ports: policyPorts(ports), reason: `to app ${to.name}` });
  to.cluster.ledger.record(NETWORK_FLOW, { from, to, ports }, to);
}

/**
 * Turns the app's declared peers into rules and connections. An app peer of another cluster, or a
 * port it does not have, is reported on the field that names it.
 */
export function connectPeers(app: PeerApp & Construct, network: AppNetwork | undefined, rules: AppPolicyRules): void {
  (network?.egress ?? []).forEach((peer, i) => {
    const field = `network.egress[${i}]`;
    if ('app' in peer) {
      const ports = resolvePeerPorts(app, peer, field);
      if (ports) connect(app, peer.app, ports);
    } else {
      rules.egress.push(peerRule(peer, 'cidr' in peer ? `to ${peer.cidr}` : `to pods in ${peer.namespace}`));
    }
  });
  (network?.ingress ?? []).forEach((peer, i) => {
    const field = `network.ingress[${i}]`;
    if ('app' in peer) {
      // Here `ports` names this app's ports the peer may connect to.
      if (peer.app.cluster !== app.cluster) {
        Diagnostics.of(app).error(app, field, `app '${peer.app.name}' belongs to cluster '${peer.app.cluster.name}'`, `allow only apps of cluster '${app.cluster.name}'`);
        return;
      }
      const ports = resolvePeerPorts(app, { app, ports: peer.ports }, field);
      if (ports) connect(peer.app, app, ports);
    } else {
      rules.ingress.push(peerRule(peer, 'cidr' in peer ? `from ${peer.cidr}` : `from pods in ${peer.namespace}`));
    }
  });
}

/** The ports of `peer.app` that `peer` names (its published ports when it names none). */
function resolvePeerPorts(app: PeerApp & Construct, peer: AppPeer, field: string): PeerPort[] | undefined {
  const d = Diagnostics.of(app);
  if (peer.app.cluster !== app.cluster) {
    d.error(app, field, `app '${peer.app.name}' belongs to cluster '${peer.app.cluster.name}'`, `connect only to apps of cluster '${app.cluster.name}' (reach other clusters through their public hostname)`);
    return undefined;
  }
  const names = peer.ports ?? peer.app.publishedPorts;
  const ports: PeerPort[] = [];
  for (const n of names) {
    const port = peer.app.portMap.get(n);
    if (port) ports.push(port);
    else d.error(app, field, `app '${peer.app.name}' has no port '${n}'`, `use one of: ${[...peer.app.portMap.keys()].join(', ')}`);
  }
  return ports;
}

/** Renders the namespace's default-deny policy under `app` unless another app of the namespace already did. */
export function claimDefaultDeny(app: PeerApp & Construct): void {
  const ledger = app.cluster.ledger;
  if (ledger.all(DEFAULT_DENY_OWNER).some((o) => o.namespace === app.namespace)) return;
  ledger.record(DEFAULT_DENY_OWNER, { namespace: app.namespace, owner: app });
  defaultDenyPolicy(app, app.namespace);
}

/** Whether `app` renders its namespace's default-deny policy. */
function ownsDefaultDeny(app: PeerApp): boolean {
  return app.cluster.ledger.all(DEFAULT_DENY_OWNER).find((o) => o.namespace === app.namespace)?.owner === app;
}

/**
 * The app's own NetworkPolicy, rendered once every connection is known (finalize phase): the
 * connections into it become ingress rules, DNS is always allowed out. The default-deny owner warns
 * when components other than apps share its namespace (the deny applies to them too).
 */
export function renderAppNetworkPolicy(app: PeerApp & Construct, rules: AppPolicyRules): void {
  for (const c of app.cluster.ledger.of(NETWORK_FLOW, app)) {
    rules.ingress.push({ peers: [podsIn(c.from.namespace, c.from.selectorLabels)], ports: policyPorts(c.ports), reason: `from app ${c.from.name}` });
  }
  const others = app.cluster.components.filter((c) => c.namespace === app.namespace && !hasAppBrand(c));
  if (others.length > 0 && ownsDefaultDeny(app)) {
    Diagnostics.of(app).warn(app, 'default-deny-shared-namespace', `namespace '${app.namespace}' gets a default-deny NetworkPolicy, which also applies to ${others.map((o) => o.name).join(', ')}; give apps their own namespace or allow that traffic explicitly`);
  }
  new k8s.KubeNetworkPolicy(app, 'network-policy', {
    metadata: { name: app.name, namespace: app.namespace },
    spec: {
      podSelector: { matchLabels: { ...app.selectorLabels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressRules(rules.ingress),
      egress: egressRules([dnsRule(), ...rules.egress]),
    },
  });
}
