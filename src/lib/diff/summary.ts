import type { DiffEntry, DiffResult } from './compare.js';
import { describeObject, mark, objectOf } from './describe.js';
import { formatValue } from './field-diff.js';
import { RISK_CLASSES, RISK_TITLES } from './risk.js';

/** A PR comment's limit is 64 KiB; the summary stays under it with room for a header. */
export const SUMMARY_CAP = 60_000;
/** Field lines shown per changed object; the rest are in full.diff. */
const FIELDS_PER_OBJECT = 12;

/** Counts of the result, by status. */
export function counts(r: DiffResult): { added: number; removed: number; changed: number } {
  return {
    added: r.entries.filter((e) => e.status === 'added').length,
    removed: r.entries.filter((e) => e.status === 'removed').length,
    changed: r.entries.filter((e) => e.status === 'changed').length,
  };
}

/**
 * The Markdown summary: headline counts, then the risk classes (so they are read first and never
 * truncated away), then the releases that were not rendered, then every change by cluster with
 * its fields. Cut at `cap` bytes with a note saying how much was left out.
 */
export function formatSummary(r: DiffResult, cap = SUMMARY_CAP): string {
  const lines = [...headline(r), ...riskSection(r), ...notRenderedSection(r), ...changeSection(r)];
  return capText(lines, cap);
}

function headline(r: DiffResult): string[] {
  const c = counts(r);
  const touched = new Set(r.entries.map((e) => objectOf(e).cluster)).size;
  return [
    `## Flux diff: \`${r.from}\` → \`${r.to}\``,
    '',
    `**${c.changed} changed, ${c.added} added, ${c.removed} removed** object(s), ${r.unchanged} unchanged, in ${touched} of ${r.clusters.length} cluster(s); ${r.renderedReleases} HelmRelease(s) rendered, ${r.notRendered.length} not rendered.`,
    '',
  ];
}

function where(e: DiffEntry): string {
  const o = objectOf(e);
  return `\`${o.cluster}\` \`${o.component}\``;
}

function riskSection(r: DiffResult): string[] {
  const out = ['### Risks', ''];
  const risky = r.entries.filter((e) => e.risks.length > 0);
  if (risky.length === 0) return [...out, 'None of the risk classes (data loss, immutable fields, CRD changes, image major bumps).', ''];
  for (const cls of RISK_CLASSES) {
    const items = risky.flatMap((e) => e.risks.filter((x) => x.class === cls).map((x) => `- ${where(e)} ${mark(e)} ${describeObject(objectOf(e))}: ${x.message}`));
    if (items.length === 0) continue;
    out.push(`**${RISK_TITLES[cls]} (${items.length})**`, '', ...items, '');
  }
  return out;
}

function notRenderedSection(r: DiffResult): string[] {
  if (r.notRendered.length === 0) return [];
  const out = [`### Not rendered (${r.notRendered.length})`, '', 'What these HelmReleases render is not compared: their changes, if any, are unknown.', ''];
  for (const n of r.notRendered) {
    const version = n.old && n.new && n.old !== n.new ? `${n.old} → ${n.new}` : (n.new ?? n.old);
    out.push(`- \`${n.cluster}\` \`${n.component}\` HelmRelease ${n.id} (${version}): ${n.reasons.join('; ')}`);
  }
  return [...out, ''];
}

function changeSection(r: DiffResult): string[] {
  if (r.entries.length === 0) return ['### Changes', '', 'No object changes.'];
  const out = ['### Changes', ''];
  let cluster = '';
  for (const e of r.entries) {
    const o = objectOf(e);
    if (o.cluster !== cluster) {
      if (cluster) out.push('');
      cluster = o.cluster;
      out.push(`#### \`${cluster}\``, '');
    }
    out.push(`- ${mark(e)} \`${o.component}\` ${describeObject(o)}${o.origin.startsWith('HelmRelease') ? ` — ${o.origin}` : ''}`);
    for (const f of e.fields.slice(0, FIELDS_PER_OBJECT)) out.push(`  - ${code(f.path)}: ${code(formatValue(f.old))} → ${code(formatValue(f.new))}`);
    if (e.fields.length > FIELDS_PER_OBJECT) out.push(`  - … ${e.fields.length - FIELDS_PER_OBJECT} more field(s) in full.diff`);
  }
  return out;
}

/** A Markdown code span that survives backticks in the value (a longer fence around it). */
export function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${s}${fence}` : `${fence} ${s} ${fence}`;
}

/** The lines joined, cut at a line boundary so the text and its truncation note fit in `cap` bytes. */
export function capText(lines: readonly string[], cap: number): string {
  const text = lines.join('\n') + '\n';
  if (Buffer.byteLength(text) <= cap) return text;
  let size = 0;
  let kept = 0;
  const reserve = 200;
  while (kept < lines.length && size + Buffer.byteLength(lines[kept]) + 1 <= cap - reserve) size += Buffer.byteLength(lines[kept++]) + 1;
  const note = `\n… summary truncated at ${Math.round(cap / 1000)} KB: ${lines.length - kept} more line(s); the full diff is in full.diff.\n`;
  return lines.slice(0, kept).join('\n') + '\n' + note;
}
