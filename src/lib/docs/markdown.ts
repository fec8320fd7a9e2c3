/** Markdown helpers for generated docs: escaped table cells, stable tables, code spans. */

/** A table cell: pipes escaped, line breaks flattened, empty shown as a dash. */
export function cell(value: unknown): string {
  const s = value === undefined || value === null ? '' : String(value);
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
  return text === '' ? '–' : text;
}

/** A code span that survives backticks inside the text. */
export function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** A Markdown table; cells are escaped with {@link cell} unless `raw` (already formatted). */
export function table(header: readonly string[], rows: readonly (readonly unknown[])[], raw = false): string[] {
  const fmt = (row: readonly unknown[]): string => `| ${row.map((v) => (raw ? String(v) : cell(v))).join(' | ')} |`;
  return [fmt(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(fmt)];
}

/** `a, b and c` */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 component`, `2 components`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
