/**
 * The capacity check's placement: which nodes may run a workload (arch, selector, affinity,
 * taints) and where its pods go, the way the scheduler would at best; what fits nowhere is a finding.
 */
import { formatCpu, formatMemory } from '../../estate/quantity.js';
import { repellingTaint, selectorMismatch, Toleration as SchedulingToleration } from '../../estate/scheduling.js';
import { podTemplateOf } from '../../tree/manifests.js';
import type { RenderedManifest } from '../../tree/tree.js';
import { add, CapacityFinding, NodeCapacity, Requirement, Resources, Toleration, WorkloadModel } from './model.js';

/** Pods a workload runs: one per eligible node for per-node workloads, none for Jobs (checked to fit, not summed). */
export function podCount(w: WorkloadModel, nodes: readonly NodeCapacity[]): number {
  if (w.transient) return 0;
  return w.perNode ? nodes.filter((n) => eligible(w, n).ok).length : w.replicas;
}

/**
 * The taint of `n` that keeps `w` off, if any: estate/scheduling.ts's rule ({@link repellingTaint})
 * over the pod's tolerations as Kubernetes reads a pod spec (operator `Equal` unless written, an
 * `Equal` without value meaning the empty value), with two readings of its own:
 *
 * - a per-node workload (DaemonSet) tolerates the node-condition taints (`node.kubernetes.io/*`):
 *   the DaemonSet controller adds those tolerations to its pods;
 * - a toleration with an empty key and `Exists` tolerates every taint (of its effect), as in Kubernetes. Scheduling
 *   compares keys as written (the App construct never writes an empty key), so it is read here; an
 *   empty key with `Equal` tolerates nothing.
 */
function repellingNodeTaint(w: WorkloadModel, n: NodeCapacity): NodeCapacity['taints'][number] | undefined {
  const everyKey = w.tolerations.filter((t) => !t.key && t.operator === 'Exists');
  const taints = n.taints.filter((taint) => !(w.perNode && taint.key.startsWith('node.kubernetes.io/'))
    && !everyKey.some((t) => !t.effect || t.effect === taint.effect));
  return repellingTaint(taints, w.tolerations.filter((t) => t.key).map(asSchedulingToleration));
}

/** A pod spec's toleration (with a key) as estate/scheduling.ts compares it: the operator and the empty value made explicit. */
function asSchedulingToleration(t: Toleration): SchedulingToleration {
  const operator = t.operator ?? 'Equal';
  return { key: t.key!, operator, value: operator === 'Exists' ? undefined : t.value ?? '', effect: t.effect as SchedulingToleration['effect'] };
}

function matches(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[req.key];
  switch (req.operator) {
    case 'In': return v !== undefined && (req.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(req.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(req.values?.[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(req.values?.[0]);
    default: return true;
  }
}

/**
 * Whether a workload may run on a node, and if not, why: `why` is a sentence about `{nodes}`, so
 * nodes refused for the same reason are listed together.
 */
function eligible(w: WorkloadModel, n: NodeCapacity): { ok: boolean; why?: string } {
  if (w.arch && !w.arch.includes(n.arch)) return { ok: false, why: `its image exists for ${w.arch.join('/')} only, and {nodes} {is} ${n.arch}` };
  const mismatch = selectorMismatch(w.nodeSelector, n.labels);
  if (mismatch) return { ok: false, why: `its nodeSelector ${mismatch[0]}=${mismatch[1]} does not match {nodes}` };
  if (w.affinity.length > 0 && !w.affinity.some((term) => term.every((r) => matches(r, n.labels)))) return { ok: false, why: 'its required node affinity excludes {nodes}' };
  const taint = repellingNodeTaint(w, n);
  if (taint) return { ok: false, why: `{nodes} {has} taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}, which it does not tolerate` };
  return { ok: true };
}

/** Why no node accepts a workload, one sentence per reason. */
function refusals(w: WorkloadModel, nodes: readonly NodeCapacity[]): string {
  const byReason = new Map<string, string[]>();
  for (const n of nodes) {
    const why = eligible(w, n).why;
    if (why) byReason.set(why, [...(byReason.get(why) ?? []), n.name]);
  }
  return [...byReason].map(([why, names]) => why
    .replace('{nodes}', `${names.length > 1 ? 'nodes' : 'node'} ${names.map((x) => `'${x}'`).join(', ')}`)
    .replace('{is}', names.length > 1 ? 'are' : 'is')
    .replace('{has}', names.length > 1 ? 'have' : 'has')).join('; ');
}

function describe(r: Resources): string {
  return `${formatCpu(r.cpu)} CPU / ${formatMemory(r.memory)}`;
}

function free(n: NodeCapacity): Resources {
  return { cpu: n.allocatable.cpu - n.requests.cpu, memory: n.allocatable.memory - n.requests.memory };
}

function fits(r: Resources, n: NodeCapacity): boolean {
  const f = free(n);
  return r.cpu <= f.cpu && r.memory <= f.memory;
}

function put(w: WorkloadModel, n: NodeCapacity): void {
  n.requests = add(n.requests, w.requests);
  n.limits = add(n.limits, w.limits);
  n.pods.push(`${w.component}/${w.name}`);
}

/**
 * Places every pod the way the scheduler would at best: per-node pods first, then the largest
 * pods on the eligible node with the most free memory. A pod that fits nowhere is an error.
 */
export function place(workloads: readonly WorkloadModel[], nodes: NodeCapacity[], errors: CapacityFinding[]): void {
  const where = (w: WorkloadModel): string => (w.component === '(system)' ? `system workload '${w.name}'` : `${w.kind} '${w.name}'`);
  const noNode = (w: WorkloadModel): void => {
    errors.push({
      site: w.site,
      kind: 'placement',
      field: fieldOf(w, 'placement'),
      message: `${where(w)} can run on no node of the cluster: ${refusals(w, nodes)}`,
      fix: w.arch ? `use an image built for ${[...new Set(nodes.map((n) => n.arch))].join('/')}, or add a node of a matching architecture` : 'fix its nodeSelector/affinity or tolerations, or add a matching node',
    });
  };
  for (const w of workloads.filter((x) => x.perNode && !x.transient)) {
    const targets = nodes.filter((n) => eligible(w, n).ok);
    if (targets.length === 0) noNode(w);
    for (const n of targets) {
      if (!fits(w.requests, n)) {
        errors.push({
          site: w.site,
          field: fieldOf(w, 'requests'),
          message: `${where(w)} runs one pod per node, and on '${n.name}' it needs ${describe(w.requests)} but only ${describe(free(n))} of ${describe(n.allocatable)} allocatable is left`,
          fix: `lower its requests, keep it off '${n.name}' (nodeSelector/taint), or give '${n.name}' more resources`,
        });
      }
      put(w, n);
    }
  }
  const pods = workloads.filter((w) => !w.perNode && !w.transient).flatMap((w) => Array.from({ length: w.replicas }, (_, i) => ({ w, i })));
  pods.sort((a, b) => b.w.requests.memory - a.w.requests.memory || b.w.requests.cpu - a.w.requests.cpu);
  const failed = new Set<WorkloadModel>();
  const placedOn = new Map<WorkloadModel, Set<string>>();
  for (const { w } of pods) {
    if (failed.has(w)) continue;
    const targets = nodes.filter((n) => eligible(w, n).ok);
    if (targets.length === 0) {
      noNode(w);
      failed.add(w);
      continue;
    }
    const used = placedOn.get(w) ?? new Set<string>();
    const candidates = targets.filter((n) => !(w.onePerNode && used.has(n.name)) && fits(w.requests, n));
    if (candidates.length === 0) {
      failed.add(w);
      errors.push(unplaceable(w, targets, used, where(w)));
      continue;
    }
    const best = candidates.reduce((a, b) => (freeShare(b) > freeShare(a) ? b : a));
    put(w, best);
    placedOn.set(w, new Set([...used, best.name]));
  }
  for (const w of workloads.filter((x) => x.transient)) {
    const targets = nodes.filter((n) => eligible(w, n).ok);
    if (targets.length === 0) noNode(w);
    else if (!targets.some((n) => w.requests.cpu <= n.allocatable.cpu && w.requests.memory <= n.allocatable.memory)) {
      errors.push({ site: w.site, field: fieldOf(w, 'requests'), message: `${where(w)} requests ${describe(w.requests)} per pod, more than any node it may run on allocates`, fix: 'lower its requests or add a bigger node' });
    }
  }
}

function freeShare(n: NodeCapacity): number {
  const f = free(n);
  return Math.min(n.allocatable.cpu > 0 ? f.cpu / n.allocatable.cpu : 0, n.allocatable.memory > 0 ? f.memory / n.allocatable.memory : 0);
}

function unplaceable(w: WorkloadModel, targets: NodeCapacity[], used: Set<string>, where: string): CapacityFinding {
  const largest = targets.reduce((a, b) => (b.allocatable.memory > a.allocatable.memory ? b : a));
  if (w.requests.memory > largest.allocatable.memory || !targets.some((n) => w.requests.cpu <= n.allocatable.cpu)) {
    return {
      site: w.site,
      field: fieldOf(w, 'requests'),
      message: `${where} requests ${describe(w.requests)} per pod, more than any node it may run on can ever give (largest: '${largest.name}' with ${describe(largest.allocatable)} allocatable)`,
      fix: 'lower its requests, or run it on a bigger node',
    };
  }
  if (w.onePerNode && used.size >= targets.length) {
    return {
      site: w.site,
      field: fieldOf(w, 'replicas'),
      message: `${where} wants ${w.replicas} replicas on distinct nodes (required anti-affinity) but only ${targets.length} node(s) may run it: ${targets.map((n) => n.name).join(', ')}`,
      fix: `lower replicas to ${targets.length} or fewer (derive it from the schedulable nodes), or relax the anti-affinity to preferred`,
    };
  }
  const left = targets.map((n) => `${n.name} ${describe(free(n))}`).join(', ');
  return {
    site: w.site,
    field: fieldOf(w, 'requests'),
    message: `${where} cannot be scheduled: its ${w.replicas} pod(s) of ${describe(w.requests)} exceed what is left on the nodes it may run on (${left})`,
    fix: 'lower requests or replicas of this or other workloads, stop heavy workloads (the cluster scale-down profile), or add capacity',
  };
}

function fieldOf(w: WorkloadModel, what: 'placement' | 'requests' | 'replicas'): string {
  if (w.component === '(system)') return 'nodes';
  if (w.site && 'object' in (w.site as object)) {
    return what === 'replicas' ? 'spec.replicas' : what === 'requests' ? `${podTemplateOf((w.site as RenderedManifest).object)?.at ?? 'spec'}.containers[*].resources.requests` : 'spec.template.spec (nodeSelector, affinity, tolerations)';
  }
  return `workloads.${w.name}.${what === 'placement' ? 'arch/nodeSelector/tolerates' : what === 'replicas' ? 'replicas' : 'cpuRequest/memoryRequest'}`;
}
