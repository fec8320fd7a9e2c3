/** How capacity reports print: the table synth logs, the Markdown the READMEs embed, finding locations. */
import type { HomelabCluster } from '../../estate/cluster.js';
import { formatCpu, formatMemory } from '../../estate/quantity.js';
import { sitePath } from '../report.js';
import type { CapacityFinding, CapacityReport } from './model.js';

const pct = (used: number, of: number): string => (of > 0 ? `${Math.round((used / of) * 100)}%` : '-');

/** The per-cluster capacity table synth prints (and the generated docs embed). */
export function formatCapacityTable(r: CapacityReport): string[] {
  const header = ['nodes', 'role', 'arch', 'allocatable', 'requests CPU', 'requests memory', 'limits CPU', 'limits memory'];
  const rows = r.groups.map((g) => [
    g.nodes.length > 1 ? `${g.nodes.join(', ')} (×${g.nodes.length})` : g.nodes[0],
    g.schedulable ? g.role : `${g.role} (tainted)`,
    g.arch,
    `${formatCpu(g.allocatable.cpu)} CPU / ${formatMemory(g.allocatable.memory)}`,
    `${formatCpu(g.requests.cpu)} (${pct(g.requests.cpu, g.allocatable.cpu)})`,
    `${formatMemory(g.requests.memory)} (${pct(g.requests.memory, g.allocatable.memory)})`,
    `${formatCpu(g.limits.cpu)} (${pct(g.limits.cpu, g.allocatable.cpu)})`,
    `${formatMemory(g.limits.memory)} (${pct(g.limits.memory, g.allocatable.memory)})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`capacity ${r.cluster} (${r.distribution}; allocatable = capacity − system reserve, see docs/safety.md):`, line(header), ...rows.map(line)];
  if (r.heavy.workloads.length > 0) {
    const freed = `${formatCpu(r.heavy.requests.cpu)} CPU / ${formatMemory(r.heavy.requests.memory)} of requests`;
    out.push(r.scaleDown.active
      ? `  ${r.scaleDown.name}: ${r.heavy.workloads.length} heavy workload(s) stopped (${r.heavy.workloads.join(', ')}), freeing ${freed}`
      : `  heavy workloads (${r.heavy.workloads.join(', ')}) hold ${freed}; ${r.scaleDown.name} would free them`);
  } else if (r.scaleDown.active) {
    out.push(`  ${r.scaleDown.name}: no heavy workload to stop, nothing freed`);
  }
  return out;
}

/** Same table as Markdown, for generated READMEs. */
export function capacityMarkdown(r: CapacityReport): string {
  const rows = r.groups.map((g) => `| ${g.nodes.join(', ')} | ${g.role}${g.schedulable ? '' : ' (tainted)'} | ${g.arch} | ${formatCpu(g.allocatable.cpu)} CPU / ${formatMemory(g.allocatable.memory)} | ${formatCpu(g.requests.cpu)} (${pct(g.requests.cpu, g.allocatable.cpu)}) / ${formatMemory(g.requests.memory)} (${pct(g.requests.memory, g.allocatable.memory)}) | ${formatCpu(g.limits.cpu)} / ${formatMemory(g.limits.memory)} |`);
  return ['| Nodes | Role | Arch | Allocatable | Requests (CPU / memory) | Limits (CPU / memory) |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** Location string for a finding without a workload (cluster-level). */
export function findingPath(f: CapacityFinding, cluster: HomelabCluster): string {
  return f.site ? sitePath(f.site) : cluster.node.path;
}
