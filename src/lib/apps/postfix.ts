import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { EnvValue, SecretInput } from './env.js';
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
 * Postfix (seed 002) as the SMTP relay of the other apps, on 587 inside the cluster only. It accepts
 * mail from the pod network (`mynetworks` derived from the cluster's pod CIDR) for the cluster's
 * domain and relays it to the provider; the NetworkPolicy admits only apps that declared it as
 * their relay (pass `postfix.relay` as their `smtp`).
 *
 * Postfix's master process runs as root and drops to the `postfix` user per service: the explicit
 * relaxations are root and the capabilities that takes (namespace `baseline`). The root filesystem
 * stays read-only: the image's documented writable paths (/etc/postfix, /etc/opendkim, /etc/rspamd,
 * /var/lib/rspamd, /var/lib/postfix, /var/run) are emptyDirs, the spool a claim.
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
    const scratch = (mountPath: string) => ({ type: 'emptyDir' as const, mountPath });
    super(cluster, id, withOptions({
      namespace: 'mail',
      image: POSTFIX_IMAGE,
      ports: [{ name: 'smtp', port: 587 }],
      env,
      persistence: {
        spool: configVolume('/var/spool/postfix', '1Gi', props.spool),
        'etc-postfix': scratch('/etc/postfix'),
        'etc-opendkim': scratch('/etc/opendkim'),
        'etc-rspamd': scratch('/etc/rspamd'),
        'lib-rspamd': scratch('/var/lib/rspamd'),
        'lib-postfix': scratch('/var/lib/postfix'),
        run: scratch('/var/run'),
      },
      expose: 'none',
      resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
      security: {
        runAsRoot: { reason: "Postfix's master process starts as root and drops each service to the postfix user" },
        addCapabilities: {
          capabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETGID', 'SETUID', 'SYS_CHROOT'],
          reason: 'the master fixes queue ownership (CHOWN/FOWNER/FSETID/DAC_OVERRIDE), switches users (SETUID/SETGID), chroots services (SYS_CHROOT), binds 587 and signals its children',
        },
      },
      network: { egress: [internet(props.relay ? relayPort : 25)] },
    }, props));
    this.relay = { host: this.serviceHost, port: this.servicePort('smtp'), fromDomain: domains[0], app: this, portName: 'smtp' };
  }
}
