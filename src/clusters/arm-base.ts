import { Construct } from 'constructs';
import { HomelabCluster } from '../lib/estate/cluster.js';
import { NodeSpec, Taint } from '../lib/estate/node.js';
import { ARM_AGE_RECIPIENTS, ARM_BRANCHES, ARM_DOMAIN, GIT_URL } from './settings.js';

/**
 * Seed 001 (`001-nixos-k3s-arm.md`): k3s on ARM, one base definition promoted review → staging →
 * prod. This file is the base: everything all three environments share. Each environment file
 * (`arm-review.ts`, `arm-staging.ts`, `arm-prod.ts`) only states its {@link ArmDelta}. A change
 * here shows up in all three generated trees; a change in an environment file in that one only.
 */

/** The three environments of the promotion pipeline, in promotion order. */
export const ARM_ENVIRONMENTS = ['review', 'staging', 'prod'] as const;
export type ArmEnvironment = (typeof ARM_ENVIRONMENTS)[number];

/** The seed's segmented VLANs. `vlan` labels carry the zone, `vlan-id` its 802.1Q id. */
export const VLANS = {
  infra: { id: 10, zone: 'infra' },
  pro: { id: 20, zone: 'pro' },
  perso: { id: 30, zone: 'perso' },
  iot: { id: 40, zone: 'iot' },
} as const;
export type VlanZone = keyof typeof VLANS;

/** Label keys the estate uses on nodes and namespaces. */
export const LABELS = {
  vlan: 'homelab.arpa/vlan',
  vlanId: 'homelab.arpa/vlan-id',
  link: 'homelab.arpa/link',
} as const;

/** Node and namespace labels placing something in a VLAN zone. */
export function vlanLabels(zone: VlanZone): Record<string, string> {
  return { [LABELS.vlan]: VLANS[zone].zone, [LABELS.vlanId]: String(VLANS[zone].id) };
}

/** The taint every Android phone worker carries: only workloads tolerating it land there. */
export const PHONE_TAINT: Taint = { key: 'homelab.arpa/phone', value: 'true', effect: 'NoSchedule' };

/** What differs between environments. Everything else is the base. */
export interface ArmDelta {
  readonly env: ArmEnvironment;
  /** Hostname prefix under {@link ARM_DOMAIN} (`review.` → `app.review.arm.example.net`); '' for prod. */
  readonly hostPrefix: string;
  /** Replicas of the replicated apps (the cluster has two ordinary workers). */
  readonly replicas: number;
  /** Resource size of the apps. */
  readonly size: 'small' | 'medium';
  /** Which of the base's apps run in this environment. */
  readonly apps: readonly ArmApp[];
  /** Reconcile interval: review follows main closely, prod reconciles less often. */
  readonly interval: string;
}

/** Apps the base knows how to run; an environment picks a subset. */
export type ArmApp = 'whoami' | 'vaultwarden' | 'n8n';

/** The shared definition: nodes, VLANs, distribution, secrets chain, platform. */
export interface ArmBase {
  readonly nodes: readonly NodeSpec[];
  /** Reconcile timeout of every component. */
  readonly timeout: string;
}

/**
 * The seed's machines: rpi4-1 is the router and k3s server (master), rpi4-2 a worker on Ethernet,
 * rpi3a-ctl a worker on Wi-Fi, and Android phones join as tainted workers. All arm64: every image
 * the estate runs here must exist for arm64.
 */
export const ARM_BASE: ArmBase = {
  nodes: [
    { name: 'rpi4-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64', labels: { ...vlanLabels('infra'), [LABELS.link]: 'ethernet', 'homelab.arpa/router': 'true' } },
    { name: 'rpi4-2', role: 'worker', cpu: 4, memory: '8Gi', arch: 'arm64', labels: { ...vlanLabels('infra'), [LABELS.link]: 'ethernet' } },
    { name: 'rpi3a-ctl', role: 'worker', cpu: 4, memory: '512Mi', arch: 'arm64', labels: { ...vlanLabels('infra'), [LABELS.link]: 'wifi' } },
    { name: 'phone-1', role: 'worker', cpu: 8, memory: '4Gi', arch: 'arm64', labels: { ...vlanLabels('iot'), [LABELS.link]: 'wifi' }, taints: [PHONE_TAINT] },
    { name: 'phone-2', role: 'worker', cpu: 8, memory: '4Gi', arch: 'arm64', labels: { ...vlanLabels('iot'), [LABELS.link]: 'wifi' }, taints: [PHONE_TAINT] },
  ],
  timeout: '10m',
};

/** Builds one ARM environment from the base and the environment's delta. */
export function armCluster(scope: Construct, delta: ArmDelta, base: ArmBase = ARM_BASE): HomelabCluster {
  const name = `arm-${delta.env}`;
  const cluster = new HomelabCluster(scope, {
    name,
    distribution: 'k3s',
    description: `Seed 001 ${delta.env} environment: k3s on Raspberry Pis and Android phones, SOPS → OpenBao → External Secrets`,
    seed: '001-nixos-k3s-arm.md',
    domain: `${delta.hostPrefix}${ARM_DOMAIN}`,
    git: { url: GIT_URL, branch: ARM_BRANCHES[delta.env] },
    flux: { bootstrap: 'operator', layout: 'components', interval: delta.interval },
    sops: { ageRecipients: ARM_AGE_RECIPIENTS },
    defaultDenyNetworkPolicies: true,
    nodes: base.nodes,
  });
  return cluster;
}
