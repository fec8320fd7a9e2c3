import { internet, NetworkPeer, PeerApp } from './network.js';

/**
 * An SMTP relay apps send mail through: the in-cluster Postfix (which then relays to the provider),
 * or an external smarthost. Apps given one get its host/port in their own mail settings and an
 * egress rule to it (and the relay an ingress rule from them).
 */
export interface SmtpRelay {
  readonly host: string;
  readonly port: number;
  /** Domain apps send from (`<app>@<domain>`). */
  readonly fromDomain: string;
  /** The relay app when it runs in the cluster. @default - an external relay reached over the internet */
  readonly app?: PeerApp;
  /** Name of the relay's SMTP port on `app`. @default 'smtp' */
  readonly portName?: string;
}

/** The address an app sends from: `<app>@<fromDomain>`. */
export function smtpSender(relay: SmtpRelay, app: string): string {
  return `${app}@${relay.fromDomain}`;
}

/** The egress peers an app needs for its relay: none without one. */
export function smtpPeers(relay: SmtpRelay | undefined): NetworkPeer[] {
  return relay ? [smtpPeer(relay)] : [];
}

/** The egress peer an app needs to reach a relay. */
export function smtpPeer(relay: SmtpRelay): NetworkPeer {
  return relay.app ? { app: relay.app, ports: [relay.portName ?? 'smtp'] } : internet(relay.port);
}
