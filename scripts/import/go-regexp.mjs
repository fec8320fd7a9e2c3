/**
 * Upstream schemas are written for Kubernetes, whose patterns are Go RE2 regexps. The few
 * RE2 constructs JavaScript lacks are rewritten to equivalent JavaScript so every pattern
 * can be compiled: the inline case-insensitive flag `(?i)` (which applies to the rest of
 * its group), `(?P<name>…)` groups and the `\A` / `\z` anchors.
 */
import { walkSchema } from './util.mjs';

const isLetter = (ch) => /[A-Za-z]/.test(ch);
const bothCases = (ch) => `[${ch.toLowerCase()}${ch.toUpperCase()}]`;

/** Adds the other case of every unescaped letter (and letter range) of a class body. */
function caseFoldClass(body) {
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') { i++; continue; }
    if (!isLetter(ch)) continue;
    const swap = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
    if (body[i + 1] === '-' && isLetter(body[i + 2] ?? '')) {
      const hi = body[i + 2];
      extra += `${swap}-${hi === hi.toLowerCase() ? hi.toUpperCase() : hi.toLowerCase()}`;
      i += 2;
    } else {
      extra += swap;
    }
  }
  return body + extra;
}

/** Rewrites one Go regexp into a JavaScript one with the same meaning. */
export function goToJsRegexp(pattern) {
  let out = '';
  const ci = [false]; // case-insensitivity per open group
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const fold = ci[ci.length - 1];
    if (pattern.startsWith('(?i)', i)) { ci[ci.length - 1] = true; i += 3; continue; }
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === 'A') out += '^';
      else if (next === 'z') out += '$';
      else out += ch + next;
      i++;
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      const head = pattern[i + 1] === '^' ? '^' : '';
      const body = pattern.slice(i + 1 + head.length, j);
      out += `[${head}${fold ? caseFoldClass(body) : body}]`;
      i = j;
      continue;
    }
    if (ch === '(') {
      ci.push(fold);
      if (pattern.startsWith('(?P<', i)) { out += '(?<'; i += 3; continue; }
      out += ch;
      continue;
    }
    if (ch === ')') { ci.pop(); out += ch; continue; }
    out += fold && isLetter(ch) ? bothCases(ch) : ch;
  }
  return out;
}

/** True when JavaScript (without the u flag, as Ajv is configured) compiles the pattern. */
function compiles(pattern) {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rewrites, in place, every `pattern` and `patternProperties` key JavaScript cannot compile.
 * Returns the patterns that still do not compile (their keyword is then removed).
 */
export function fixGoPatterns(schema) {
  const dropped = [];
  const fix = (p) => (compiles(p) ? p : goToJsRegexp(p));
  walkSchema(schema, (s) => {
    if (typeof s.pattern === 'string') {
      const p = fix(s.pattern);
      if (compiles(p)) s.pattern = p;
      else { dropped.push(s.pattern); delete s.pattern; }
    }
    if (s.patternProperties && typeof s.patternProperties === 'object') {
      const next = {};
      for (const [k, v] of Object.entries(s.patternProperties)) {
        const p = fix(k);
        if (compiles(p)) next[p] = v;
        else dropped.push(k);
      }
      s.patternProperties = next;
    }
  });
  return dropped;
}
