/**
 * The capacity check's workloads: what every cluster runs anyway, the footprints components
 * declare, and the pod templates of their rendered objects, with requests, limits and placement rules.
 */
import type { HomelabCluster } from '../../estate/cluster.js';
import type { Component } from '../../estate/component.js';
import type { WorkloadFootprint } from '../../estate/footprint.js';
import { parseCpu, parseMemory } from '../../estate/quantity.js';
import { rendersChart } from '../../tree/charts.js';
import { manifestsByComponentPath } from '../../tree/components.js';
import { podWorkload } from '../../tree/workloads.js';
import type { ClusterTree, RenderedManifest } from '../../tree/tree.js';
import type { Site } from '../report.js';
import { add, CapacityFinding, Gi, Mi, Requirement, Toleration, WorkloadModel, ZERO } from './model.js';
import { CONTROL_PLANE_TAINT } from './nodes.js';

/**
 * What every cluster runs without a component declaring it: the Flux controllers (and
 * flux-operator), CoreDNS and, on Talos without Cilium, flannel. Requests are the upstream defaults.
 */
export function systemWorkloads(cluster: HomelabCluster, tree: ClusterTree): WorkloadModel[] {
  const sys = (name: string, cpu: number, memoryMi: number, extra: Partial<WorkloadModel> = {}): WorkloadModel => ({
    name, component: '(system)', site: undefined, kind: 'Deployment', replicas: 1, perNode: false, transient: false,
    requests: { cpu, memory: memoryMi * Mi }, limits: { cpu: 1000, memory: Gi }, nodeSelector: {}, affinity: [],
    tolerations: [], heavy: false, onePerNode: false, ...extra,
  });
  const controlPlaneToleration = cluster.distribution === 'oke' ? [] : [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists' as const, effect: 'NoSchedule' }];
  const list = [
    sys('source-controller', 50, 64),
    sys('kustomize-controller', 100, 64),
    sys('helm-controller', 100, 64),
    sys('notification-controller', 100, 64),
    sys('coredns', 100, 70, { replicas: cluster.distribution === 'k3s' ? 1 : 2, limits: { cpu: 0, memory: 170 * Mi }, tolerations: controlPlaneToleration }),
  ];
  if (cluster.flux.bootstrap === 'operator') list.push(sys('flux-operator', 100, 64));
  const hasCilium = rendersChart(tree.manifests, 'cilium');
  if (cluster.distribution === 'talos' && !hasCilium) {
    list.push(sys('kube-flannel', 100, 50, { kind: 'DaemonSet', perNode: true, limits: ZERO, tolerations: [{ operator: 'Exists' }] }));
  }
  return list;
}

/** Declared footprints plus workloads found in rendered objects; a footprint replaces a rendered workload of the same name. */
export function clusterWorkloads(cluster: HomelabCluster, tree: ClusterTree, errors: CapacityFinding[]): WorkloadModel[] {
  const out: WorkloadModel[] = [];
  const byComponent = manifestsByComponentPath(cluster, tree);
  for (const c of cluster.components) {
    const declared = c.workloads.map((w, i) => fromFootprint(c, w, i, errors));
    const names = new Set(c.workloads.map((w) => w.name));
    const rendered = (byComponent.get(c.node.path) ?? [])
      .filter((m) => !names.has(m.object.metadata?.name))
      .flatMap((m) => fromManifest(c, m, errors));
    out.push(...declared, ...rendered);
  }
  return out;
}

function quantity(kind: 'cpu' | 'memory', value: unknown, required: boolean, site: Site, field: string, errors: CapacityFinding[]): number {
  if (value === undefined || value === null) {
    if (required) errors.push({ site, field, message: `${kind} request is missing`, fix: kind === 'cpu' ? "set it, e.g. '100m'" : "set it, e.g. '128Mi'" });
    return 0;
  }
  const text = String(value).trim();
  const parsed = kind === 'cpu' ? parseCpu(value as string | number) : parseMemory(value as string | number);
  const example = kind === 'cpu' ? "'250m' or '0.5'" : "'256Mi' or '1Gi'";
  if (text.startsWith('-') || (parsed !== undefined && parsed < 0)) {
    errors.push({ site, field, message: `${kind} ${JSON.stringify(value)} is negative`, fix: `use a positive quantity such as ${example}` });
    return 0;
  }
  if (parsed === undefined) {
    errors.push({ site, field, message: `${kind} ${JSON.stringify(value)} is not a Kubernetes quantity`, fix: `write it like ${example}` });
    return 0;
  }
  if (parsed === 0) {
    errors.push({ site, field, message: `${kind} ${JSON.stringify(value)} is zero`, fix: `give a real ${kind} amount such as ${example}, or leave it out` });
  }
  return parsed;
}

function fromFootprint(c: Component, w: WorkloadFootprint, i: number, errors: CapacityFinding[]): WorkloadModel {
  const at = `workloads[${i}]`;
  const replicas = w.replicas ?? 1;
  if (!w.perNode && (!Number.isInteger(replicas) || replicas < 0)) {
    errors.push({ site: c, field: `${at}.replicas`, message: `workload '${w.name}' has ${replicas} replicas`, fix: 'use a whole number of replicas, 0 or more' });
  }
  return {
    name: w.name,
    component: c.name,
    site: c,
    kind: w.perNode ? 'DaemonSet' : 'Deployment',
    replicas: Math.max(0, Math.floor(replicas)),
    perNode: w.perNode ?? false,
    transient: false,
    requests: { cpu: quantity('cpu', w.cpuRequest, true, c, `${at}.cpuRequest`, errors), memory: quantity('memory', w.memoryRequest, true, c, `${at}.memoryRequest`, errors) },
    limits: { cpu: quantity('cpu', w.cpuLimit, false, c, `${at}.cpuLimit`, errors), memory: quantity('memory', w.memoryLimit, false, c, `${at}.memoryLimit`, errors) },
    nodeSelector: w.nodeSelector ?? {},
    affinity: [],
    tolerations: (w.tolerates ?? []).map((t) => (t.key === '' || t.key === '*' ? { operator: 'Exists' as const } : { key: t.key, operator: 'Exists' as const })),
    arch: w.arch,
    heavy: w.heavy ?? false,
    onePerNode: false,
  };
}

function fromManifest(c: Component, m: RenderedManifest, errors: CapacityFinding[]): WorkloadModel[] {
  const w = podWorkload(m.object);
  if (!w) return [];
  const replicas = w.perNode || w.transient || w.kind === 'Pod' ? 1 : w.replicas ?? 1;
  let requests = ZERO;
  let limits = ZERO;
  let initMax = ZERO;
  for (const { field, runsToCompletion, requests: rq, limits: lm } of w.containers) {
    const req = { cpu: quantity('cpu', rq.cpu, false, m, `${field}.requests.cpu`, errors), memory: quantity('memory', rq.memory, false, m, `${field}.requests.memory`, errors) };
    const lim = { cpu: quantity('cpu', lm.cpu, false, m, `${field}.limits.cpu`, errors), memory: quantity('memory', lm.memory, false, m, `${field}.limits.memory`, errors) };
    // Requests default to limits when only limits are set, as the API server does.
    const effective = { cpu: rq.cpu === undefined ? lim.cpu : req.cpu, memory: rq.memory === undefined ? lim.memory : req.memory };
    if (runsToCompletion) {
      initMax = { cpu: Math.max(initMax.cpu, effective.cpu), memory: Math.max(initMax.memory, effective.memory) };
    } else {
      requests = add(requests, effective);
      limits = add(limits, lim);
    }
  }
  requests = { cpu: Math.max(requests.cpu, initMax.cpu), memory: Math.max(requests.memory, initMax.memory) };
  return [{
    name: w.name,
    component: c.name,
    site: m,
    kind: w.kind,
    replicas: typeof replicas === 'number' ? Math.max(0, replicas) : 1,
    perNode: w.perNode,
    transient: w.transient,
    requests,
    limits,
    nodeSelector: w.nodeSelector,
    affinity: w.affinityTerms as Requirement[][],
    tolerations: w.tolerations as Toleration[],
    heavy: false,
    onePerNode: w.onePerNode,
  }];
}
