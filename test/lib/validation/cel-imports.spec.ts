import fs from 'node:fs';
import { compileRule } from '../../../src/lib/validation/cel-compile.js';
import { type CelRuleFile } from '../../../src/lib/validation/cel-rules.js';
import { crdIndex } from '../../../src/lib/validation/crd-schemas.js';
import { importsPath } from '../../../src/lib/validation/repo-files.js';

/** Every committed CEL rules file, keyed "group/version/Kind" (read from imports/, never ../shared). */
function ruleFiles(): Map<string, CelRuleFile> {
  const out = new Map<string, CelRuleFile>();
  for (const [key, entry] of Object.entries(crdIndex())) {
    const file = importsPath(`schemas/crds/cel/${entry.file}`);
    if (fs.existsSync(file)) out.set(key, JSON.parse(fs.readFileSync(file, 'utf8')) as CelRuleFile);
  }
  return out;
}

const readJson = (rel: string): any => JSON.parse(fs.readFileSync(importsPath(rel), 'utf8'));

describe('the committed CEL rule imports', () => {
  const files = ruleFiles();
  const rules = [...files.entries()].flatMap(([kind, f]) => f.rules.map((r) => ({ kind, ...r })));

  test('the unsupported list is what we expect: today every rule compiles', () => {
    expect(readJson('schemas/crds/cel/unsupported.json').rules).toEqual([]);
  });

  test('summary.json counts the rule files: found, evaluated, transition, unsupported', () => {
    const summary = readJson('schemas/crds/cel/summary.json');
    const transition = rules.filter((r) => r.transition).length;
    const unsupported = rules.filter((r) => r.unsupported).length;
    expect(summary).toMatchObject({ rules: rules.length, transition, unsupported, evaluated: rules.length - transition - unsupported });
    expect(summary).toMatchObject({ rules: 455, evaluated: 416, transition: 39, unsupported: 0 });
    expect(Object.keys(summary.kinds).sort()).toEqual([...files.keys()].sort());
  });

  test('the committed classification is the evaluator\'s: rerun `npm run import` if this fails', () => {
    for (const r of rules) {
      const c = compileRule(r.rule);
      const expected = c.kind === 'transition' ? 'transition' : c.kind === 'unsupported' || r.unsupported ? 'unsupported' : 'program';
      expect([r.kind, r.field, r.rule, r.transition ? 'transition' : r.unsupported ? 'unsupported' : 'program']).toEqual([r.kind, r.field, r.rule, expected]);
    }
  });

  test('every location is a pointer into the strict schema of its kind', () => {
    const index = crdIndex();
    for (const r of rules) {
      let node: any = readJson(`schemas/crds/${index[r.kind].file}`);
      for (const t of r.schemaPath.split('/').slice(1)) node = node?.[t.replace(/~1/g, '/').replace(/~0/g, '~')];
      expect([r.kind, r.schemaPath, node !== undefined]).toEqual([r.kind, r.schemaPath, true]);
    }
  });
});
