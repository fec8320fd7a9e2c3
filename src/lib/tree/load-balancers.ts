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

/** A field path as keys and array indexes, formatted by each reader its own way ({@link dottedField}). */
export type FieldPath = readonly (string | number)[];

/**
 * One address an object asks for, as written, with where: the single reading of LoadBalancer
 * addresses out of a manifest. The tree checks (below) and Cilium's own check (platform/network/lb-ips.ts,
 * on the objects before they are rendered) select and word what they need from it.
 */
export interface AddressAsk {
  /** The address as written (annotation lists split and trimmed). */
  readonly ip: string;
  /** `service`: a v1 Service; `gateway`: a Gateway API Gateway; `values`: a HelmRelease's values. */
  readonly from: 'service' | 'gateway' | 'values';
  /** Where: up to the annotations map for an annotation (`['metadata', 'annotations']`), else the field itself. */
  readonly at: FieldPath;
  /** The annotation naming the address, if an annotation does. */
  readonly annotation?: string;
  /** The map the sharing-key annotations of this ask sit in (the Service's annotations, the values map), if any. */
  readonly sharing?: Readonly<Record<string, unknown>>;
  /** For a Service: whether it is of type LoadBalancer. */
  readonly loadBalancerService?: boolean;
  /** For values: whether the HelmRelease is Flux's (helm.toolkit.fluxcd.io). */
  readonly fluxRelease?: boolean;
}

/** Addresses the annotations `ann` at `at` ask for, annotation by annotation in {@link LB_IP_ANNOTATIONS} order. */
function annotationAsks(ann: Manifest | undefined, at: FieldPath, base: Omit<AddressAsk, 'ip' | 'at' | 'annotation'>): AddressAsk[] {
  return LB_IP_ANNOTATIONS.flatMap((a) => (typeof ann?.[a] === 'string' ? splitIps(ann[a]).map((ip) => ({ ...base, ip, at, annotation: a })) : []));
}

/** Every LoadBalancer address object `o` asks for, in field order (see {@link AddressAsk}). */
export function addressAsks(o: Manifest): AddressAsk[] {
  if (o.kind === 'Service' && o.apiVersion === 'v1') {
    const ann = o.metadata?.annotations;
    const base = { from: 'service' as const, sharing: ann, loadBalancerService: isLoadBalancerService(o) };
    return [
      ...(typeof o.spec?.loadBalancerIP === 'string' ? [{ ...base, ip: o.spec.loadBalancerIP, at: ['spec', 'loadBalancerIP'] }] : []),
      ...annotationAsks(ann, ['metadata', 'annotations'], base),
    ];
  }
  if (isGateway(o)) {
    const infra = o.spec?.infrastructure?.annotations;
    const addresses: Manifest[] = o.spec?.addresses ?? [];
    return [
      ...addresses.flatMap((a, i) => ((a.type ?? 'IPAddress') === 'IPAddress' && typeof a.value === 'string' ? [{ from: 'gateway' as const, ip: a.value, at: ['spec', 'addresses', i, 'value'] }] : [])),
      ...annotationAsks(infra, ['spec', 'infrastructure', 'annotations'], { from: 'gateway', sharing: infra }),
    ];
  }
  if (o.kind === 'HelmRelease') return valuesAsks(o.spec?.values, ['spec', 'values'], apiGroup(o) === 'helm.toolkit.fluxcd.io');
  return [];
}

/** `loadBalancerIP` keys and address annotations at any depth of Helm values (a matched key is not looked into). */
function valuesAsks(v: unknown, at: FieldPath, fluxRelease: boolean): AddressAsk[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => valuesAsks(x, [...at, i], fluxRelease));
  if (typeof v !== 'object' || v === null) return [];
  const record = v as Record<string, unknown>;
  return Object.entries(record).flatMap(([k, child]): AddressAsk[] => {
    if (k === 'loadBalancerIP' && typeof child === 'string' && child !== '') return [{ from: 'values', ip: child, at: [...at, k], fluxRelease }];
    if (LB_IP_ANNOTATIONS.includes(k) && typeof child === 'string') return splitIps(child).map((ip) => ({ from: 'values', ip, at, annotation: k, sharing: record, fluxRelease }));
    return valuesAsks(child, [...at, k], fluxRelease);
  });
}

/** A field path as walkValues writes it: `.key` for every key, `[i]` for indexes. */
export function dottedField(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Services sharing one IP on purpose name the same key in one of these annotations (Cilium's, then MetalLB's). */
const SHARING_ANNOTATIONS = ['lbipam.cilium.io/sharing-key', 'metallb.universe.tf/allow-shared-ip', 'metallb.io/allow-shared-ip'];

/**
 * Every LoadBalancer address a rendered object asks for, in field order: a LoadBalancer Service's
 * `loadBalancerIP` and annotations (any implementation's), a Gateway's addresses and
 * infrastructure annotations, `loadBalancerIP` keys of Helm values.
 */
export function loadBalancerAddressUses(m: RenderedManifest): LbAddressUse[] {
  return addressAsks(m.object).flatMap((a): LbAddressUse[] => {
    if (a.from === 'service' && !a.loadBalancerService) return [];
    if (a.from === 'values' && a.annotation !== undefined) return [];
    const field = a.annotation ? `${dottedField(a.at)}.${a.annotation}` : dottedField(a.at);
    const sharing = a.from === 'service' ? SHARING_ANNOTATIONS.map((k) => a.sharing?.[k]).find((k) => k !== undefined && k !== null) : undefined;
    return [{ ip: a.ip, m, field, sharingKey: sharing as string | undefined }];
  });
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
