import { Construct } from 'constructs';
import { Blog, Resources, Vaultwarden, Whoami } from '../api/apps.js';
import { HomelabCluster, NodeSpec, Taint } from '../api/estate.js';
import { FluxOperator } from '../api/bootstrap.js';
import { CertManager, ExternalSecrets, OpenBao, Traefik } from '../api/platform.js';
import { ARM_ACME_EMAIL, ARM_AGE_RECIPIENTS, ARM_BRANCHES, ARM_DOMAIN, ARM_OPENBAO_BOOTSTRAP_SOPS_FILE } from './settings.js';
import { cloudflareAcme, gitOps } from './shared.js';

/**
 * Seed 001 (`001-nixos-k3s-arm.md`): k3s on ARM, one base definition promoted review → staging →
 * prod. This file is the base: everything the three environments share. Each environment file
 * (`arm-review.ts`, `arm-staging.ts`, `arm-prod.ts`) only states its {@link ArmDelta}. A change
 * here shows up in all three generated trees; a change in an environment file in that one only.
 * Promotion itself is Git: each environment's Flux follows its own branch (`ARM_BRANCHES`).
 * {@link armCluster} calls `new HomelabCluster`, so the generated headers of all three name this file.
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

/** Apps the base knows how to run; an environment picks a subset. */
export type ArmApp = 'whoami' | 'vaultwarden' | 'blog';

/** What differs between environments. Everything else is the base. */
export interface ArmDelta {
  readonly env: ArmEnvironment;
  /** Hostname prefix under {@link ARM_DOMAIN} (`review.` → `vault.review.arm.example.net`); '' for prod. */
  readonly hostPrefix: string;
  /** Replicas of the stateless apps (blog, whoami). */
  readonly replicas: number;
  /** Resource size of the apps. */
  readonly size: keyof typeof SIZES;
  /** Which of the base's apps run in this environment. */
  readonly apps: readonly ArmApp[];
  /** Reconcile interval: review follows `main` closely, prod reconciles less often. */
  readonly interval: string;
}

/** Resource sizes an environment picks from. */
export const SIZES = {
  small: { cpuRequest: '25m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  medium: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
} as const satisfies Record<string, Resources>;

/** The shared definition: nodes and the zone each app lives in. */
export interface ArmBase {
  readonly nodes: readonly NodeSpec[];
  /** VLAN zone of each app's namespace. */
  readonly zones: Readonly<Record<ArmApp, VlanZone>>;
  /** SOPS file (in OpenBao's folder) with OpenBao's bootstrap token. @default ARM_OPENBAO_BOOTSTRAP_SOPS_FILE */
  readonly openbaoBootstrapSopsFile?: string;
}

/**
 * The seed's machines: rpi4-1 is the router and k3s server (master), rpi4-2 a worker on Ethernet,
 * rpi3a-ctl a worker on Wi-Fi, and Android phones join as tainted workers in the IoT VLAN. All
 * arm64: every image the estate runs here must exist for arm64 (synth checks each app's image).
 * Sizes are the boards' (Pi 4: 4 cores / 8 GB, Pi 3 A+: 4 cores / 512 MB); the seed gives none.
 */
export const ARM_BASE: ArmBase = {
  nodes: [
    { name: 'rpi4-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64', labels: { ...vlanLabels('infra'), [LABELS.link]: 'ethernet', 'homelab.arpa/router': 'true' } },
    { name: 'rpi4-2', role: 'worker', cpu: 4, memory: '8Gi', arch: 'arm64', labels: { ...vlanLabels('infra'), [LABELS.link]: 'ethernet' } },
    { name: 'rpi3a-ctl', role: 'worker', cpu: 4, memory: '512Mi', arch: 'arm64', labels: { ...vlanLabels('infra'), [LABELS.link]: 'wifi' } },
    { name: 'phone-1', role: 'worker', cpu: 8, memory: '4Gi', arch: 'arm64', labels: { ...vlanLabels('iot'), [LABELS.link]: 'wifi' }, taints: [PHONE_TAINT] },
    { name: 'phone-2', role: 'worker', cpu: 8, memory: '4Gi', arch: 'arm64', labels: { ...vlanLabels('iot'), [LABELS.link]: 'wifi' }, taints: [PHONE_TAINT] },
  ],
  zones: { vaultwarden: 'perso', blog: 'pro', whoami: 'iot' },
};

/** Builds one ARM environment from the base and the environment's delta. */
export function armCluster(scope: Construct, delta: ArmDelta, base: ArmBase = ARM_BASE): HomelabCluster {
  const cluster = new HomelabCluster(scope, {
    name: `arm-${delta.env}`,
    distribution: 'k3s',
    description: `Seed 001 ${delta.env} environment: k3s on Raspberry Pis and Android phones, SOPS → OpenBao → External Secrets`,
    seed: '001-nixos-k3s-arm.md',
    domain: `${delta.hostPrefix}${ARM_DOMAIN}`,
    ...gitOps({ interval: delta.interval, ageRecipients: ARM_AGE_RECIPIENTS, branch: ARM_BRANCHES[delta.env] }),
    defaultDenyNetworkPolicies: true,
    nodes: base.nodes,
  });

  // Flux manages its own operator after the bootstrap installed it (Renovate bumps go through Git).
  new FluxOperator(cluster, 'flux-operator');
  // Secrets chain: SOPS (age, in Git) → OpenBao (runtime vault) → External Secrets → app Secrets.
  const bootstrapToken = base.openbaoBootstrapSopsFile ?? ARM_OPENBAO_BOOTSTRAP_SOPS_FILE;
  new OpenBao(cluster, 'openbao', bootstrapToken ? { bootstrapToken: { sopsFile: bootstrapToken } } : {});
  new ExternalSecrets(cluster, 'external-secrets');

  // Ingress (k3s's bundled Traefik is disabled because the estate brings its own) and certificates,
  // the Cloudflare token read from OpenBao.
  new CertManager(cluster, 'cert-manager', cloudflareAcme(ARM_ACME_EMAIL, { fromStore: { key: 'infra/cloudflare', property: 'api-token' } }));
  new Traefik(cluster, 'traefik');

  const resources = SIZES[delta.size];
  const namespace = (app: ArmApp) => ({ name: app, labels: vlanLabels(base.zones[app]) });
  if (delta.apps.includes('vaultwarden')) {
    new Vaultwarden(cluster, 'vaultwarden', {
      namespace: namespace('vaultwarden'),
      subdomain: 'vault',
      resources,
      adminToken: { fromStore: { key: 'apps/vaultwarden', property: 'admin-token' } },
    });
  }
  if (delta.apps.includes('blog')) {
    new Blog(cluster, 'blog', { namespace: namespace('blog'), expose: 'internal', replicas: delta.replicas, resources });
  }
  if (delta.apps.includes('whoami')) {
    // The test app may land on the phones: it tolerates their taint.
    new Whoami(cluster, 'whoami', {
      namespace: namespace('whoami'),
      replicas: delta.replicas,
      resources,
      tolerations: [{ key: PHONE_TAINT.key, operator: 'Equal', value: PHONE_TAINT.value, effect: PHONE_TAINT.effect }],
    });
  }
  return cluster;
}

/** One environment's cluster definition: the base with its delta (tests pass another base or delta). */
export type ArmEnvironmentCluster = (scope: Construct, base?: ArmBase, delta?: ArmDelta) => HomelabCluster;
