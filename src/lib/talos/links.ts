import { NodeSpec } from '../estate/node.js';

/**
 * Alias Talos gives the node's LAN port when the model finds it by MAC or driver. Talos's docs ask
 * for a name that cannot clash with a kernel name (not `eth0`, `ens3`…).
 */
export const LAN_LINK_ALIAS = 'lan0';

/** The Talos link carrying a node's address, and the config document that names it, if any. */
export interface TalosLanLink {
  /** What Talos documents (Layer2VIPConfig `link`…) refer to. */
  readonly link: string;
  /** A `LinkAliasConfig` document giving the port its alias, when found by MAC or driver. */
  readonly aliasDocument?: Record<string, unknown>;
  /** How the port is found, for generated comments. */
  readonly description: string;
}

/**
 * The node's LAN link on Talos, from `NodeSpec.nic`: a MAC or a driver becomes a `LinkAliasConfig`
 * (CEL selector over the link status, `lan0`), a kernel name is used as is. Undefined when the
 * model does not know the port.
 */
export function talosLanLink(node: NodeSpec): TalosLanLink | undefined {
  const nic = node.nic;
  if (!nic) return undefined;
  const selector = nic.mac !== undefined
    ? { match: `mac(link.permanent_addr) == "${nic.mac.toLowerCase()}"`, description: `MAC ${nic.mac.toLowerCase()}` }
    : nic.driver !== undefined
      ? { match: `link.driver == "${nic.driver}"`, description: `driver ${nic.driver}` }
      : undefined;
  if (selector) {
    return {
      link: LAN_LINK_ALIAS,
      aliasDocument: { apiVersion: 'v1alpha1', kind: 'LinkAliasConfig', name: LAN_LINK_ALIAS, selector: { match: selector.match } },
      description: `${LAN_LINK_ALIAS} (the port with ${selector.description})`,
    };
  }
  return nic.name !== undefined ? { link: nic.name, description: nic.name } : undefined;
}
