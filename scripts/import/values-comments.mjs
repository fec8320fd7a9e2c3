/**
 * Keys a values.yaml documents only as commented-out YAML (`# fullnameOverride:`), which many
 * charts without a values schema do for optional settings. A comment line `#key:` or
 * `# key:` counts as a key of the map whose keys sit at the same column (the last real key
 * before it at that column or less must be at exactly that column); comments inside block
 * scalars and lists are ignored. Prose that happens to look like `# Note: …` adds a harmless
 * extra accepted key.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

const COMMENTED_KEY = /^( *)# ?([A-Za-z_][A-Za-z0-9_-]*):(\s|$)/;

/** Line index of every character offset, by binary search over line starts. */
function lineIndex(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const lineOf = (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { starts, lineOf };
}

/**
 * Returns the paths (arrays of keys) of commented-out keys of a values.yaml text, sorted.
 */
export function commentedKeys(text) {
  const doc = parseDocument(text);
  const { starts, lineOf } = lineIndex(text);
  const keys = [];
  const scalarLines = new Set();
  const walk = (node, path) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const offset = pair.key.range[0];
        const line = lineOf(offset);
        const key = String(pair.key.value);
        keys.push({ line, col: offset - starts[line], path: path && [...path, key] });
        walk(pair.value, path && [...path, key]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, null);
    } else if (isScalar(node) && node.range && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
      for (let l = lineOf(node.range[0]); l <= lineOf(node.range[1]); l++) scalarLines.add(l);
    }
  };
  walk(doc.contents, []);
  keys.sort((a, b) => a.line - b.line);
  const found = new Map();
  const lines = text.split('\n');
  let k = 0;
  for (let l = 0; l < lines.length; l++) {
    const m = COMMENTED_KEY.exec(lines[l]);
    if (!m || scalarLines.has(l)) continue;
    const col = m[1].length;
    while (k < keys.length && keys[k].line < l) k++;
    let sibling;
    for (let i = k - 1; i >= 0; i--) {
      if (keys[i].col <= col) {
        sibling = keys[i];
        break;
      }
    }
    let parent;
    if (sibling && sibling.col === col && sibling.path) parent = sibling.path.slice(0, -1);
    else if (!sibling && col === 0) parent = [];
    if (!parent) continue;
    const path = [...parent, m[2]];
    found.set(JSON.stringify(path), path);
  }
  return [...found.keys()].sort().map((s) => found.get(s));
}
