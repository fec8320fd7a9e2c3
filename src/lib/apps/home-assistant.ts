import { HomelabCluster } from '../estate/cluster.js';
import { App, AppDevice } from './app.js';
import { ImageRef } from './image.js';
import { web } from './network.js';
import { AppOptions, ConfigStorage, configVolume, withOptions } from './options.js';
import { AppSecurity } from './security.js';

/** Home Assistant from home-operations/containers (rootless, one process, amd64/arm64). */
// renovate: datasource=docker depName=ghcr.io/home-operations/home-assistant
export const HOME_ASSISTANT_IMAGE: ImageRef = { repository: 'ghcr.io/home-operations/home-assistant', tag: '2026.8.3', archs: ['amd64', 'arm64'] };

/** The image's user (nobody:nogroup). */
const NOBODY = 65534;

/** Where the seed configuration is mounted for the init container (the ConfigMap of `files`). */
const SEED = '/seed/configuration.yaml';

export interface HomeAssistantProps extends AppOptions {
  /** `/config`: configuration, `.storage`, the recorder database, the Python venv. @default 5Gi claim */
  readonly config?: ConfigStorage;
  /**
   * Run on the node's network, so mDNS, SSDP and other LAN discovery reach it (a relaxation: the
   * namespace becomes `privileged` and NetworkPolicies no longer apply to the pod). @default true
   */
  readonly hostNetwork?: boolean;
  /** Radio sticks (Zigbee, Z-Wave, Thread): each pins the pod to its node and makes it privileged (see `App` devices). @default [] */
  readonly devices?: readonly AppDevice[];
  /**
   * Proxies Home Assistant trusts for X-Forwarded-For, written into the seeded configuration.yaml
   * (without them it answers 400 to every request coming through the ingress).
   * @default - the cluster's pod CIDR (the ingress proxy's pods)
   */
  readonly trustedProxies?: readonly string[];
}

/**
 * Home Assistant on 8123 as the image's nobody (65534) with a read-only root filesystem: `/config`
 * on a claim (the venv the entrypoint creates lives there too) and `/tmp`. On the host network by
 * default (a relaxation with its reason; `dnsPolicy: ClusterFirstWithHostNet` so cluster names
 * still resolve). An init container seeds `/config/configuration.yaml` once, when it is missing:
 * Home Assistant's defaults plus an `http:` block trusting the ingress proxy, then it is yours to
 * edit (the seed never overwrites it). Health `/` (the frontend answers 200 before onboarding).
 */
export class HomeAssistant extends App {
  constructor(cluster: HomelabCluster, id: string, props: HomeAssistantProps = {}) {
    const security: AppSecurity = {
      runAsUser: NOBODY,
      runAsGroup: NOBODY,
      fsGroup: NOBODY,
      ...((props.hostNetwork ?? true) ? { hostNetwork: { reason: 'mDNS, SSDP and broadcast discovery of devices on the LAN' } } : {}),
    };
    super(cluster, id, {
      ...withOptions({
        namespace: 'home',
        image: HOME_ASSISTANT_IMAGE,
        ports: [{ name: 'http', port: 8123 }],
        persistence: { config: configVolume('/config', '5Gi', props.config) },
        files: [{ path: SEED, content: seedConfiguration(props.trustedProxies ?? [cluster.network.podCidr]) }],
        initContainers: [{
          name: 'seed-config',
          command: ['/bin/sh', '-c', SEED_SCRIPT],
          inheritEnv: false,
          volumes: ['config', 'config-files'],
        }],
        expose: 'internal',
        healthCheck: { path: '/' },
        probes: { startup: { failureThreshold: 60 } },
        terminationGracePeriodSeconds: 60,
        resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
        security,
        network: { egress: [web()] },
      }, props),
      devices: props.devices,
    });
  }
}

/** Copies the seed when there is no configuration yet, and creates the files it includes. */
const SEED_SCRIPT = [
  'set -e',
  'cd /config',
  `[ -e configuration.yaml ] || cp ${SEED} configuration.yaml`,
  "[ -e automations.yaml ] || echo '[]' > automations.yaml",
  '[ -e scripts.yaml ] || : > scripts.yaml',
  '[ -e scenes.yaml ] || : > scenes.yaml',
].join('\n');

/** Home Assistant's own first-start configuration, with the reverse-proxy settings the ingress needs. */
function seedConfiguration(trustedProxies: readonly string[]): string {
  return [
    '# Seeded once by cdk8s-homelab when /config had no configuration.yaml; edit freely.',
    'default_config:',
    '',
    'frontend:',
    '  themes: !include_dir_merge_named themes',
    '',
    'automation: !include automations.yaml',
    'script: !include scripts.yaml',
    'scene: !include scenes.yaml',
    '',
    '# Requests arrive through the ingress proxy, which sets X-Forwarded-For.',
    'http:',
    '  use_x_forwarded_for: true',
    '  trusted_proxies:',
    ...trustedProxies.map((p) => `    - ${p}`),
    '',
  ].join('\n');
}
