import { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { Diagnostics } from '../estate/diagnostics.js';
import { formatCpu, parseCpu, parseMemory } from '../estate/quantity.js';
import type { Resources } from './app-props.js';

/**
 * CPU and memory of an App's containers: the defaults, their checks, the pod spec's
 * `resources` and the pod's total (what the capacity check counts).
 */

/** The main container's resources when the app gives none. */
export const DEFAULT_RESOURCES: Resources = { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' };
/** A sidecar's or init container's resources when it gives none. */
export const SIDECAR_RESOURCES: Resources = { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '128Mi' };

/**
 * A container's resources with the defaults filled in. A memory limit given without a request
 * lowers the default request to it, so `{ memoryLimit: '64Mi' }` means 64Mi requested and limited
 * (what the API server would make of a limit alone), not a request above the limit.
 */
export function withDefaults(r: Resources | undefined, dflt: Resources): Resources {
  // Fields set to undefined (props built by spreading) keep their default.
  const full: Resources = { ...dflt, ...Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== undefined)) };
  if (r?.memoryRequest === undefined && r?.memoryLimit !== undefined) {
    const limit = parseMemory(r.memoryLimit);
    const request = parseMemory(dflt.memoryRequest!);
    if (limit !== undefined && request !== undefined && limit < request) return { ...full, memoryRequest: r.memoryLimit };
  }
  return full;
}

/** Reports quantities that do not parse and a memory limit below the request, under `field`. */
export function checkResources(scope: IConstruct, field: string, r: Resources | undefined, dflt: Resources): void {
  const d = Diagnostics.of(scope);
  const cpu = (q: string | undefined, f: string) => { if (q !== undefined && parseCpu(q) === undefined) d.error(scope, `${field}.${f}`, `'${q}' is not a CPU quantity`, "write it like '100m' or '1'"); };
  const mem = (q: string | undefined, f: string) => { if (q !== undefined && parseMemory(q) === undefined) d.error(scope, `${field}.${f}`, `'${q}' is not a memory quantity`, "write it like '256Mi'"); };
  cpu(r?.cpuRequest, 'cpuRequest');
  cpu(r?.cpuLimit, 'cpuLimit');
  mem(r?.memoryRequest, 'memoryRequest');
  mem(r?.memoryLimit, 'memoryLimit');
  const full = withDefaults(r, dflt);
  const req = parseMemory(full.memoryRequest!);
  const lim = parseMemory(full.memoryLimit!);
  if (req !== undefined && lim !== undefined && lim < req) d.error(scope, `${field}.memoryLimit`, `memory limit ${full.memoryLimit} is below the request ${full.memoryRequest}`, 'raise the limit to at least the request');
  for (const [name, q] of Object.entries(r?.extended ?? {})) checkExtended(scope, `${field}.extended.${name}`, name, q);
}

// A device plugin's resource: `<domain>/<name>`, outside the kubernetes.io domains (kubernetes.io/docs: "Extended resources").
const EXTENDED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Extended resources are named by a domain and counted in whole units (Kubernetes neither splits nor overcommits them). */
function checkExtended(scope: IConstruct, field: string, name: string, q: string): void {
  const d = Diagnostics.of(scope);
  if (!EXTENDED_NAME.test(name) || /(^|\.)kubernetes\.io\//.test(name)) {
    d.error(scope, field, `'${name}' is not an extended resource name (a device plugin's '<domain>/<name>' outside kubernetes.io)`, "use the name the device plugin advertises, e.g. 'gpu.intel.com/i915' or 'nvidia.com/gpu'");
  }
  if (!/^[1-9][0-9]*$/.test(String(q))) d.error(scope, field, `${name}: '${q}' is not a whole number of devices (extended resources cannot be split or overcommitted)`, "ask for whole devices, e.g. '1'");
}

/** The container's `resources`: requests and limits (no CPU limit unless given), extended resources in both. */
export function renderResources(given: Resources | undefined, dflt: Resources): k8s.ResourceRequirements {
  const q = (s: string) => k8s.Quantity.fromString(s);
  const r = withDefaults(given, dflt);
  const ext = Object.fromEntries(Object.entries(r.extended ?? {}).map(([k, v]) => [k, q(v)]));
  const requests: Record<string, k8s.Quantity> = { cpu: q(r.cpuRequest!), memory: q(r.memoryRequest!), ...ext };
  const limits: Record<string, k8s.Quantity> = { memory: q(r.memoryLimit!), ...ext };
  const cpuLimit = r.cpuLimit;
  if (cpuLimit) limits.cpu = q(cpuLimit);
  return { requests, limits };
}

/** What one pod asks of its node, summed over its containers, as quantities. */
export interface PodTotals {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  /** Undefined when some container has no CPU limit. */
  readonly cpuLimit?: string;
  /** Undefined when some container has no memory limit. */
  readonly memoryLimit?: string;
}

/** The totals of a pod whose containers have `containers` (defaults filled in). */
export function podTotals(containers: readonly Resources[]): PodTotals {
  const total = (pick: (r: Resources) => string | undefined, parse: (q: string) => number | undefined): number | undefined =>
    containers.every((r) => pick(r) !== undefined) ? containers.reduce((sum, r) => sum + (parse(pick(r)!) ?? 0), 0) : undefined;
  const mi = (bytes: number) => (bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30}Gi` : `${Math.ceil(bytes / 2 ** 20)}Mi`);
  const cpuLimit = total((r) => r.cpuLimit, parseCpu);
  const memoryLimit = total((r) => r.memoryLimit, parseMemory);
  return {
    cpuRequest: `${total((r) => r.cpuRequest, parseCpu) ?? 0}m`,
    memoryRequest: mi(total((r) => r.memoryRequest, parseMemory) ?? 0),
    cpuLimit: cpuLimit === undefined ? undefined : formatCpu(cpuLimit),
    memoryLimit: memoryLimit === undefined ? undefined : mi(memoryLimit),
  };
}
