/**
 * What a construct checked itself, recorded in the ledger so the checks of the rendered tree
 * (safety/inputs.ts) leave those findings to it and each one is reported once, where the user
 * wrote the value. The constructs record these facts; the checks read them and never import the
 * constructs, so dependencies point toward the model.
 */
import { FactKind } from '../model/ledger.js';
import type { Component } from './component.js';

/**
 * One thing a construct checked itself:
 *
 * - `images`: every image `component` renders was checked for a pin (an App checks its image and
 *   its containers');
 * - `replica-count`: `component` checked replica count `count` against the storage nodes (Longhorn);
 * - `load-balancer-addresses`: the CNI checks every LoadBalancer address of the cluster against its
 *   pools and the other requests, except those asked through annotations it does not read
 *   (`annotations` lists the ones it reads);
 * - `address-reported`: a problem about LoadBalancer address `address` was already reported
 *   (a Gateways component whose two Gateways ask for the same address);
 * - `secret-reported`: a problem about Secret `name` (its name, or where it comes from: no store,
 *   two sources) was already reported on `component`, so its readers are not told again that
 *   nothing provides it.
 */
export type SelfCheck =
  | { readonly kind: 'images'; readonly component: Component }
  | { readonly kind: 'replica-count'; readonly component: Component; readonly count: number }
  | { readonly kind: 'load-balancer-addresses'; readonly component: Component; readonly annotations: readonly string[] }
  | { readonly kind: 'address-reported'; readonly component: Component; readonly address: string }
  | { readonly kind: 'secret-reported'; readonly component: Component; readonly name: string };

/** Facts of what constructs checked themselves; each is owned by the component that checked. */
export const SELF_CHECKED = new FactKind<SelfCheck>('self-checked');

/** Records that `check.component` checked `check` itself. */
export function recordSelfCheck(check: SelfCheck): void {
  check.component.cluster.ledger.record(SELF_CHECKED, check, check.component);
}
