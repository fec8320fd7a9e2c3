/**
 * LoadBalancer addresses in the rendered tree: the addresses objects ask for (Service
 * `loadBalancerIP` and LB-IPAM/MetalLB/kube-vip annotations, Gateway addresses, `loadBalancerIP`
 * keys of Helm values), the address pools (Cilium LB IPAM, MetalLB), and the objects that need a
 * LoadBalancer at all.
 */
import { IpRange, parseIpRange, parseSubnet } from '../estate/ip.js';
import { apiGroup, Manifest, walkValues } from './manifests.js';
import type { RenderedManifest } from './tree.js';

/** Annotations through which a Service (or a Gateway's Service) asks an LB implementation for addresses. */
export const LB_IP_ANNOTATIONS = ['lbipam.cilium.io/ips', 'io.cilium/lb-ipam-ips', 'metallb.universe.tf/loadBalancerIPs', 'metallb.io/loadBalancerIPs', 'kube-vip.io/loadbalancerIPs'];

/** One LoadBalancer address a rendered object asks for. */
export interface LbAddressUse {
  /** The address as written. */
  readonly ip: string;
  readonly m: RenderedManifest;
  readonly field: string;
  /** Services sharing one IP on purpose (Cilium sharing key / MetalLB allow-shared-ip). */
  readonly sharingKey?: string;
}

/** An address pool of the tree, by name, with the ranges it hands out. */
export interface AddressPool {
  readonly name: string;
  readonly ranges: readonly IpRange[];
}

const isGateway = (o: Manifest): boolean => o.kind === 'Gateway' && apiGroup(o) === 'gateway.networking.k8s.io';
const isLoadBalancerService = (o: Manifest): boolean => o.kind === 'Service' && o.apiVersion === 'v1' && o.spec?.type === 'LoadBalancer';
const splitIps = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

/** The addresses the annotations `ann` ask for, reported at `at.<annotation>`. */
function annotationUses(ann: Manifest, m: RenderedManifest, at: string, sharingKey?: string): LbAddressUse[] {
  return LB_IP_ANNOTATIONS.flatMap((a) => (typeof ann[a] === 'string' ? splitIps(ann[a]).map((ip) => ({ ip, m, field: `${at}.${a}`, sharingKey })) : []));
}

/** Every LoadBalancer address a rendered object asks for, in field order. */
export function loadBalancerAddressUses(m: RenderedManifest): LbAddressUse[] {
  const o = m.object;
  const out: LbAddressUse[] = [];
  if (isLoadBalancerService(o)) {
    const ann = o.metadata?.annotations ?? {};
    const sharingKey = ann['lbipam.cilium.io/sharing-key'] ?? ann['metallb.universe.tf/allow-shared-ip'] ?? ann['metallb.io/allow-shared-ip'];
    if (typeof o.spec.loadBalancerIP === 'string') out.push({ ip: o.spec.loadBalancerIP, m, field: 'spec.loadBalancerIP', sharingKey });
    out.push(...annotationUses(ann, m, 'metadata.annotations', sharingKey));
  }
  if (isGateway(o)) {
    (o.spec?.addresses ?? []).forEach((a: Manifest, i: number) => {
      if ((a.type ?? 'IPAddress') === 'IPAddress' && typeof a.value === 'string') out.push({ ip: a.value, m, field: `spec.addresses[${i}].value` });
    });
    out.push(...annotationUses(o.spec?.infrastructure?.annotations ?? {}, m, 'spec.infrastructure.annotations'));
  }
  if (o.kind === 'HelmRelease') {
    walkValues(o.spec?.values, 'spec.values', (path, value) => {
      if (/\.loadBalancerIP$/.test(path) && typeof value === 'string' && value !== '') out.push({ ip: value, m, field: path });
    });
  }
  return out;
}

/** The first address a Gateway object asks for (what the docs show as its entry address), if any. */
export function gatewayAddress(o: Manifest | undefined): string | undefined {
  return o?.spec?.addresses?.find((a: Manifest) => typeof a.value === 'string')?.value;
}

const isMetalLbPool = (o: Manifest): boolean => o.kind === 'IPAddressPool' && apiGroup(o) === 'metallb.io';

/** Whether the tree holds a MetalLB address pool (MetalLB then assigns LoadBalancer addresses). */
export function hasMetalLbPool(manifests: readonly RenderedManifest[]): boolean {
  return manifests.some((m) => isMetalLbPool(m.object));
}

/** The ranges of one pool object: Cilium `blocks`/`cidrs` (CIDR or start–stop), MetalLB `addresses` (CIDR or `a-b`). */
function poolRanges(o: Manifest): IpRange[] {
  const ranges: IpRange[] = [];
  for (const b of [...(o.spec?.blocks ?? []), ...(o.spec?.cidrs ?? [])]) {
    const r = b.cidr ? parseSubnet(b.cidr) : b.start ? parseIpRange(b.start, b.stop ?? b.start) : undefined;
    if (r) ranges.push(r);
  }
  for (const a of o.spec?.addresses ?? []) {
    const s = String(a);
    const r = s.includes('-') ? parseIpRange(s.split('-')[0].trim(), s.split('-')[1].trim()) : parseSubnet(s);
    if (r) ranges.push(r);
  }
  return ranges;
}

/** Every address pool of the tree (Cilium LB IPAM and MetalLB), in tree order; malformed blocks are left out. */
export function addressPools(manifests: readonly RenderedManifest[]): AddressPool[] {
  return manifests.filter((m) => m.object.kind === 'CiliumLoadBalancerIPPool' || isMetalLbPool(m.object))
    .map((m) => ({ name: String(m.object.metadata?.name), ranges: poolRanges(m.object) }));
}

/** Where an object asks for a LoadBalancer: a Service, a chart's `service.type`, a Gateway (its controller's Service). */
export function loadBalancerAsks(m: RenderedManifest): { field: string; what: string }[] {
  const o = m.object;
  const what = `${o.kind} '${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}'`;
  if (isLoadBalancerService(o)) return [{ field: 'spec.type', what }];
  if (isGateway(o)) return [{ field: 'spec.gatewayClassName', what: `${what} (its controller serves it through a LoadBalancer Service)` }];
  const out: { field: string; what: string }[] = [];
  if (o.kind === 'HelmRelease') {
    walkValues(o.spec?.values, 'spec.values', (path, value) => {
      if (/(^|\.)service\.(spec\.)?type$/.test(path) && value === 'LoadBalancer') out.push({ field: path, what: `the Service of ${what}` });
    });
  }
  return out;
}
