import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareSides, DiffResult } from './compare.js';
import { describeObject, mark, objectOf } from './describe.js';
import { objectsOfTree } from './objects.js';
import { RISK_CLASSES, RISK_TITLES } from './risk.js';
import { counts } from './summary.js';
import { folderTreeFiles, synthTreeFiles } from './tree-files.js';

/** Risk lines `synth --check` prints at most; `npm run diff` has them all. */
const MAX_RISK_LINES = 20;

/**
 * The object-level diff between the tree on disk and what synth would write, without rendering
 * charts (the check stays fast and offline): synchronous, from files only.
 */
export function diffAgainstDisk(root: string, files: ReadonlyMap<string, string>, outDir = 'clusters'): DiffResult {
  const onDisk = existsSync(join(root, outDir)) ? folderTreeFiles(join(root, outDir)) : new Map<string, string>();
  const from = { label: `${outDir}/ on disk`, clusters: objectsOfTree(onDisk) };
  const to = { label: 'synth', clusters: objectsOfTree(synthTreeFiles(root, files, outDir)) };
  return compareSides(from, to);
}

/** The lines `synth --check` adds after its file list: object counts, then the risk classes. */
export function checkSummaryLines(r: DiffResult): string[] {
  const c = counts(r);
  const byClass = RISK_CLASSES.map((cls) => ({ cls, items: r.entries.flatMap((e) => e.risks.filter((x) => x.class === cls).map((x) => ({ e, x }))) }));
  const lines = [
    `check: objects ${c.changed} changed, ${c.added} added, ${c.removed} removed (charts not rendered; \`npm run diff\` shows fields and rendered charts)`,
    `check: risks: ${byClass.map(({ cls, items }) => `${RISK_TITLES[cls].toLowerCase()} ${items.length}`).join(', ')}`,
  ];
  const risky = byClass.flatMap(({ cls, items }) => items.map(({ e, x }) => `  ${RISK_TITLES[cls].toLowerCase()}: [${objectOf(e).cluster}] ${objectOf(e).component} ${mark(e)} ${describeObject(objectOf(e))}: ${x.message}`));
  lines.push(...risky.slice(0, MAX_RISK_LINES));
  if (risky.length > MAX_RISK_LINES) lines.push(`  … ${risky.length - MAX_RISK_LINES} more (npm run diff lists them all)`);
  return lines;
}
