import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { declareSecretInput, EnvValue, SecretInput } from './env.js';
import { POSTFIX_RUNTIME } from './image-facts.js';
import { ImageRef } from './image.js';
import { internet } from './network.js';
import { AppOptions, ConfigStorage, configVolume, withOptions } from './options.js';
import { SmtpRelay } from './smtp.js';

/** boky/postfix: Postfix as an SMTP relay (amd64, arm64, armv7 and more). */
// renovate: datasource=docker depName=boky/postfix
export const POSTFIX_IMAGE: ImageRef = { repository: 'boky/postfix', tag: 'v5.1.0', archs: ['amd64', 'arm64', 'arm'] };

/** The mail provider Postfix hands everything to. */
export interface RelayHost {
  /** e.g. `smtp.fastmail.com`. */
  readonly host: string;
  /** @default 587 */
  readonly port?: number;
  /** @default - no authentication */
  readonly username?: string;
  /** Required with `username`. */
  readonly password?: SecretInput;
}

export interface PostfixProps extends AppOptions {
  /** Smarthost all mail is relayed to. @default - direct delivery to recipients' MX on port 25 (often blocked by ISPs) */
  readonly relay?: RelayHost;
  /** Sender domains accepted. @default - [the cluster domain] */
  readonly senderDomains?: readonly string[];
  /** `/var/spool/postfix`: the queue, kept across restarts. @default 1Gi claim */
  readonly spool?: ConfigStorage;
}

/**
 * Postfix as the SMTP relay of the other apps, on 587 inside the cluster only. It accepts
 * mail from the pod network (`mynetworks` derived from the cluster's pod CIDR) for the cluster's
 * domain and relays it to the provider; the NetworkPolicy admits only apps that declared it as
 * their relay (pass `postfix.relay` as their `smtp`).
 *
 * The image cannot run hardened (boky/postfix v5.1.0, `scripts/run.sh` under `set -e`): it starts as
 * root (the master drops each service to the `postfix` user), needs a writable root filesystem (it
 * chmods /scripts, links /etc/localtime, edits /etc/rsyslog.conf and /etc/opendkim/opendkim.conf in
 * place — a read-only root or a volume over them stops it at start) and the capabilities the queue
 * ownership, port binding and user switches take. Those three relaxations, with the reasons of the
 * image's runtime facts (`POSTFIX_RUNTIME`), put the namespace at `baseline`. Only the
 * queue (`/var/spool/postfix`) is a claim; everything else the entrypoint regenerates at each start.
 */
export class Postfix extends App {
  /** What apps are given as their `smtp` relay. */
  public readonly relay: SmtpRelay;

  constructor(cluster: HomelabCluster, id: string, props: PostfixProps = {}) {
    const domains = props.senderDomains ?? [cluster.domain];
    const relayPort = props.relay?.port ?? 587;
    const env: Record<string, EnvValue> = {
      ALLOWED_SENDER_DOMAINS: domains.join(' '),
      POSTFIX_myhostname: `${id}.${cluster.domain}`,
      POSTFIX_mynetworks: `127.0.0.0/8,${cluster.network.podCidr}`,
      POSTFIX_message_size_limit: '26214400',
    };
    if (props.relay) {
      env.RELAYHOST = `[${props.relay.host}]:${relayPort}`;
      if (props.relay.username) env.RELAYHOST_USERNAME = props.relay.username;
      if (props.relay.password) env.RELAYHOST_PASSWORD = props.relay.password;
    }
    super(cluster, id, withOptions({
      namespace: 'mail',
      image: POSTFIX_IMAGE,
      ports: [{ name: 'smtp', port: 587 }],
      env,
      // Only the queue persists; no emptyDir over /etc/opendkim, which would hide the opendkim.conf run.sh edits.
      persistence: { spool: configVolume('/var/spool/postfix', '1Gi', props.spool) },
      expose: 'none',
      resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
      security: {
        runAsRoot: { reason: POSTFIX_RUNTIME.startsAsRoot.reason },
        writableRootFilesystem: { reason: POSTFIX_RUNTIME.changesImageFiles.reason },
        addCapabilities: { capabilities: POSTFIX_RUNTIME.capabilities.names, reason: POSTFIX_RUNTIME.capabilities.reason },
      },
      network: { egress: [internet(props.relay ? relayPort : 25)] },
    }, props));
    this.relay = { host: this.serviceHost, port: this.servicePort('smtp'), fromDomain: domains[0], app: this, portName: 'smtp' };
    if (props.relay) declareSecretInput(this, props.relay.password, `password of the SMTP relay ${props.relay.host}${props.relay.username ? ` for ${props.relay.username}` : ''}`);
  }
}
