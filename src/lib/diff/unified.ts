/** Most cells the line matcher fills before it gives up and shows a block replaced whole. */
const MAX_CELLS = 4_000_000;

/**
 * A unified diff (`@@ -a,b +c,d @@` hunks, `context` lines around changes) of two texts. The
 * common head and tail are cut first, so a one-line change in a 10 000-line CRD costs little; the
 * rest is matched by longest common subsequence, or replaced whole when that is too large.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = lineOps(a, b);
  if (!ops.some((o) => o.op !== ' ')) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const h of hunks(ops, context)) out.push(...h);
  return out.join('\n') + '\n';
}

interface Op {
  readonly op: ' ' | '-' | '+';
  readonly line: string;
  readonly ai: number;
  readonly bi: number;
}

function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function lineOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ op: ' ', line: a[i], ai: i, bi: i });
  ops.push(...middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head, head));
  for (let i = tail; i > 0; i--) ops.push({ op: ' ', line: a[a.length - i], ai: a.length - i, bi: b.length - i });
  return ops;
}

function middleOps(a: string[], b: string[], ao: number, bo: number): Op[] {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((line, i) => ({ op: '-' as const, line, ai: ao + i, bi: bo })), ...b.map((line, j) => ({ op: '+' as const, line, ai: ao + n, bi: bo + j }))];
  }
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: ' ', line: a[i], ai: ao + i++, bi: bo + j++ });
    // Removals before additions, as diff(1) writes a replaced line.
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ op: '-', line: a[i], ai: ao + i++, bi: bo + j });
    else ops.push({ op: '+', line: b[j], ai: ao + i, bi: bo + j++ });
  }
  return ops;
}

/** Groups the operations into hunks with `context` unchanged lines around each change. */
function hunks(ops: Op[], context: number): string[][] {
  const out: string[][] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].op === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2×context unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end].op !== ' ') end++;
      let k = end;
      while (k < ops.length && ops[k].op === ' ' && k - end < 2 * context) k++;
      if (k < ops.length && ops[k].op !== ' ' ) end = k;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const aStart = slice[0].ai;
    const bStart = slice[0].bi;
    const aLen = slice.filter((o) => o.op !== '+').length;
    const bLen = slice.filter((o) => o.op !== '-').length;
    out.push([`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`, ...slice.map((o) => `${o.op}${o.line}`)]);
    i = stop;
  }
  return out;
}
