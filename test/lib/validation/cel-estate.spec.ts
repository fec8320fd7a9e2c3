import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { celNotEvaluated } from '../../../src/lib/validation/cel-validator.js';
import { celRulesFor } from '../../../src/lib/validation/cel-rules.js';
import { findRepoRoot } from '../../../src/lib/validation/repo-files.js';
import { validateManifest } from '../../../src/lib/validation/schema-validator.js';

/** Every YAML document of the committed reference tree. */
function committedObjects(dir: string): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...committedObjects(p));
    else if (/\.ya?ml$/.test(e.name)) for (const d of parseAllDocuments(fs.readFileSync(p, 'utf8'))) out.push(d.toJS());
  }
  return out.filter((o) => o && typeof o === 'object' && typeof o.kind === 'string');
}

test('the committed reference tree passes every CEL rule, and every rule it meets could be evaluated', () => {
  const withRules = committedObjects(path.join(findRepoRoot(), 'clusters')).filter((o) => celRulesFor(o.apiVersion, o.kind).length > 0);
  // Gateways, HTTPRoutes, Flux and CNPG objects, ClusterIssuers…: the check has something to bite on.
  expect(withRules.length).toBeGreaterThan(100);
  expect(withRules.some((o) => o.kind === 'HTTPRoute') && withRules.some((o) => o.kind === 'Gateway')).toBe(true);
  const before = celNotEvaluated().length;
  const issues = withRules.flatMap((o) => validateManifest(o).map((i) => `${o.kind} ${o.metadata?.name} ${i.field}: ${i.message}`));
  expect(issues).toEqual([]);
  expect(celNotEvaluated().slice(before)).toEqual([]);
});
