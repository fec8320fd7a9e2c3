import { toYaml } from '../output/yaml.js';
import type { DiffResult } from './compare.js';
import { describeObject, objectOf } from './describe.js';
import { unifiedDiff } from './unified.js';

/**
 * The full diff: for every added, removed or changed object (sorted by key), a unified diff of
 * its YAML, headed by where it comes from; risks and unrendered releases first, as in the summary.
 */
export function formatFullDiff(r: DiffResult): string {
  const out: string[] = [`# Flux diff: ${r.from} → ${r.to}`];
  for (const e of r.entries) for (const risk of e.risks) out.push(`# risk ${risk.class}: ${objectOf(e).cluster} ${objectOf(e).component} ${describeObject(objectOf(e))}: ${risk.message}`);
  for (const n of r.notRendered) out.push(`# not rendered: ${n.cluster} ${n.component} HelmRelease ${n.id}: ${n.reasons.join('; ')}`);
  out.push('');
  for (const e of r.entries) {
    const o = objectOf(e);
    out.push(`# ${e.status} ${o.cluster} ${o.component} ${describeObject(o)} (${e.old && e.new && e.old.origin !== e.new.origin ? `${e.old.origin} → ${e.new.origin}` : o.origin})`);
    const a = e.old ? toYaml(e.old.object) : '';
    const b = e.new ? toYaml(e.new.object) : '';
    out.push(unifiedDiff(a, b, e.old ? `a/${e.key}` : '/dev/null', e.new ? `b/${e.key}` : '/dev/null').trimEnd(), '');
  }
  return out.join('\n') + '\n';
}
