import { checkGitAndFlux, checkNodeMetadata, checkOneLineTexts, ValidatedCluster } from './cluster-checks.js';
import type { Diagnostics } from './diagnostics.js';
import { dnsLabelFix, isDnsLabel } from './names.js';
import { DISTRIBUTIONS } from './distribution.js';
import type { NodeSpec } from './node.js';
import { parseCpu, parseMemory } from './quantity.js';
import { formatIpv4, isCanonicalCidr, isIpv4, parseIpv4, parseSubnet, rangeContains, rangesOverlap } from './ip.js';



/** Reports every mistake in a cluster's props: name, distribution, Git, nodes, network, safety props. */
export function validateClusterProps(c: ValidatedCluster, d: Diagnostics): void {
  if (!DISTRIBUTIONS.includes(c.distribution)) {
    d.error(c, 'distribution', `'${String(c.distribution)}' is not a distribution this library knows`, `use one of ${DISTRIBUTIONS.map((x) => `'${x}'`).join(', ')}`);
  }
  if (typeof c.name !== 'string' || !isDnsLabel(c.name)) d.error(c, 'name', `cluster name '${c.name}' is not a DNS-1123 label`, dnsLabelFix(c.name));
  if (!c.git.url) d.error(c, 'git.url', 'the Git repository URL is missing', "set git.url to the repository Flux pulls, e.g. 'https://github.com/you/homelab'");
  else if (!/^(https?|ssh):\/\/\S+$/.test(c.git.url)) d.error(c, 'git.url', `'${c.git.url}' is not an https:// or ssh:// URL`, "use 'https://host/owner/repo' or 'ssh://git@host/owner/repo'");
  if (c.nodes.length === 0) d.error(c, 'nodes', 'the cluster has no nodes', 'declare at least one node');
  if (c.distribution !== 'oke' && c.controlPlaneNodes.length === 0 && c.nodes.length > 0) {
    d.error(c, 'nodes', 'no node has role control-plane', "mark at least one node role: 'control-plane'");
  }
  checkGitAndFlux(c, d, c.flux.version);
  checkOneLineTexts(c, d, { description: c.description, seed: c.seed, sourceFile: c.sourceFile });
  validateNodes(c, d);
  validateNetwork(c, d);
  validateSafetyProps(c, d);
}

/** CIDRs parse and do not overlap; the VIP and node IPs sit in the node subnet. */
function validateNetwork(c: ValidatedCluster, d: Diagnostics): void {
  const ranges: { field: string; value: string; range: NonNullable<ReturnType<typeof parseSubnet>> }[] = [];
  const cidrs: [string, string | undefined][] = [['network.podCidr', c.network.podCidr], ['network.serviceCidr', c.network.serviceCidr], ['network.nodeCidr', c.network.nodeCidr]];
  for (const [field, value] of cidrs) {
    if (value === undefined) continue;
    const range = parseSubnet(value);
    if (!range) {
      d.error(c, field, `'${value}' is not an IPv4 CIDR`, 'write it as address/prefix, e.g. 10.42.0.0/16');
      continue;
    }
    if (!isCanonicalCidr(value)) d.error(c, field, `'${value}' has host bits set past its prefix`, `write the network address: ${formatIpv4(range.first)}/${value.split('/')[1]}`);
    for (const other of ranges) {
      if (rangesOverlap(other.range, range)) {
        d.error(c, field, `${field.slice(8)} ${value} overlaps ${other.field.slice(8)} ${other.value}`, 'give pods, services and nodes disjoint ranges (k3s/Talos defaults: pods 10.42.0.0/16, services 10.43.0.0/16)');
      }
    }
    ranges.push({ field, value, range });
  }
  const nodeRange = c.network.nodeCidr ? parseSubnet(c.network.nodeCidr) : undefined;
  const vip = c.network.vip;
  if (vip !== undefined) {
    const ip = parseIpv4(vip);
    if (ip === undefined || !isIpv4(vip)) {
      d.error(c, 'network.vip', `'${vip}' is not an IPv4 address`, 'write the address as four dot-separated numbers without leading zeros, e.g. 10.0.50.50');
    } else {
      if (nodeRange && !rangeContains(nodeRange, ip)) {
        d.error(c, 'network.vip', `VIP ${vip} is not in the node subnet ${c.network.nodeCidr}`, `pick a free address inside ${c.network.nodeCidr}: the VIP floats between control-plane nodes on that network`);
      } else if (nodeRange && nodeRange.last - nodeRange.first >= 3 && (ip === nodeRange.first || ip === nodeRange.last)) {
        d.error(c, 'network.vip', `VIP ${vip} is the ${ip === nodeRange.first ? 'network' : 'broadcast'} address of ${c.network.nodeCidr}: no host answers ARP for it`, `pick a free host address between ${formatIpv4(nodeRange.first + 1)} and ${formatIpv4(nodeRange.last - 1)}`);
      }
      const clash = c.nodes.find((n) => n.ip === vip);
      if (clash) d.error(c, 'network.vip', `VIP ${vip} is also node '${clash.name}''s address`, 'pick an address no node uses');
      if (!nodeRange && c.nodes.some((n) => n.ip)) {
        const subnets = new Set(c.nodes.filter((n) => n.ip && parseIpv4(n.ip) !== undefined).map((n) => n.ip!.split('.').slice(0, 3).join('.')));
        if (!subnets.has(vip.split('.').slice(0, 3).join('.'))) {
          d.error(c, 'network.vip', `VIP ${vip} is not on the nodes' network (${[...subnets].map((s) => `${s}.0/24`).join(', ')})`, 'pick a free address on the control-plane nodes\' subnet, or declare network.nodeCidr');
        }
      }
    }
  }
  if (nodeRange) {
    c.nodes.forEach((n, i) => {
      const ip = n.ip === undefined ? undefined : parseIpv4(n.ip);
      if (ip !== undefined && !rangeContains(nodeRange, ip)) {
        d.error(c, `nodes[${i}].ip`, `node '${n.name}' address ${n.ip} is outside the node subnet ${c.network.nodeCidr}`, 'fix the address or network.nodeCidr');
      }
    });
  }
}

/** Shapes of the safety props: acknowledgements name objects, sensitive namespaces are labels. */
function validateSafetyProps(c: ValidatedCluster, d: Diagnostics): void {
  c.allowDataLoss.forEach((id, i) => {
    const parts = id.split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '') || !/^[A-Z][A-Za-z]*$/.test(parts[0])) {
      d.error(c, `allowDataLoss[${i}]`, `'${id}' does not name an object`, "write Kind/namespace/name (e.g. 'PersistentVolumeClaim/apps/jellyfin-config') or Kind/name for cluster-scoped objects");
    }
  });
  c.sensitiveNamespaces.forEach((ns, i) => {
    if (!isDnsLabel(ns)) d.error(c, `sensitiveNamespaces[${i}]`, `'${ns}' is not a namespace name`, dnsLabelFix(ns));
  });
  for (const [code, reason] of Object.entries(c.acceptedWarnings)) {
    if (!reason.trim()) d.error(c, `acceptedWarnings.${code}`, `accepting warning '${code}' needs a reason`, 'say why the warning is acceptable for this cluster');
  }
}

function validateNodes(c: ValidatedCluster, d: Diagnostics): void {
  const seenNames = new Set<string>();
  const seenIps = new Map<string, string>();
  c.nodes.forEach((n, i) => {
    const at = `nodes[${i}]`;
    if (!isDnsLabel(n.name)) d.error(c, `${at}.name`, `node name '${n.name}' is not a DNS-1123 label`, dnsLabelFix(n.name));
    if (seenNames.has(n.name)) d.error(c, `${at}.name`, `node name '${n.name}' is used twice`, 'give every node a unique hostname');
    seenNames.add(n.name);
    const cpu = parseCpu(n.cpu);
    if (cpu === undefined || cpu <= 0) d.error(c, `${at}.cpu`, `cpu ${JSON.stringify(n.cpu)} is not a positive number of cores`, 'set cpu to the number of cores, e.g. 2');
    const mem = parseMemory(n.memory);
    if (mem === undefined || mem <= 0) d.error(c, `${at}.memory`, `memory ${JSON.stringify(n.memory)} is not a positive quantity`, "set memory like '8Gi' or '4096Mi'");
    if (n.ip !== undefined) {
      if (!isIpv4(n.ip)) d.error(c, `${at}.ip`, `'${n.ip}' is not an IPv4 address`, 'write the address as four dot-separated numbers without leading zeros, e.g. 10.0.50.10');
      const other = seenIps.get(n.ip);
      if (other) d.error(c, `${at}.ip`, `IP ${n.ip} is already used by node '${other}'`, 'give every node its own address');
      seenIps.set(n.ip, n.name);
    }
    if (n.nic !== undefined) validateNic(c, d, `${at}.nic`, n);
    checkNodeMetadata(c, d, n, at);
  });
}

function validateNic(c: ValidatedCluster, d: Diagnostics, at: string, n: NodeSpec): void {
  const nic = n.nic!;
  if (nic.name === undefined && nic.mac === undefined && nic.driver === undefined) {
    d.error(c, at, `node '${n.name}' has an empty nic`, 'give its mac, driver or kernel name (talosctl get links --insecure -n <ip>), or remove nic');
  }
  // Linux link names: at most 15 bytes, no '/', ':' or whitespace.
  if (nic.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/.test(nic.name)) {
    d.error(c, `${at}.name`, `'${nic.name}' is not a Linux link name`, "write the name `ip link` shows, e.g. 'enp2s0' (at most 15 characters)");
  }
  if (nic.mac !== undefined && !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(nic.mac)) {
    d.error(c, `${at}.mac`, `'${nic.mac}' is not a MAC address`, "write six colon-separated hex pairs, e.g. 'aa:bb:cc:dd:ee:ff'");
  }
  if (nic.driver !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(nic.driver)) {
    d.error(c, `${at}.driver`, `'${nic.driver}' is not a kernel driver name`, "write the driver `talosctl get links` shows, e.g. 'virtio_net'");
  }
  if (nic.mac !== undefined && nic.driver !== undefined) {
    d.error(c, at, `node '${n.name}' names its port both by mac and by driver`, 'keep mac (the more precise) and drop driver');
  }
}
