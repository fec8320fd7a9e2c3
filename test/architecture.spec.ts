import { join } from 'node:path';
// @ts-expect-error plain ES module without types (scripts/ is not compiled)
import { MAX_LINES, importCycles, importGraph, moduleRegistries, oversizedFiles, sourceFiles } from '../scripts/architecture.mjs';

/**
 * The architecture rules of issue #17, on the real source: no import cycle (type-only imports
 * included), no library file over MAX_LINES lines, no module-level WeakMap registry. Each rule is
 * also checked on a small fixture that breaks it, so a checker that found nothing would fail here.
 */
const files: string[] = sourceFiles('src');

describe('architecture of src/', () => {
  test('no import cycle', () => {
    expect(importCycles(importGraph(files))).toEqual([]);
  });

  test(`no file in src/lib over ${MAX_LINES} lines`, () => {
    expect(oversizedFiles(files.filter((f) => f.startsWith(join('src', 'lib'))))).toEqual([]);
  });

  test('no module-level registry (per-construct state lives on the construct or in the ledger)', () => {
    expect(moduleRegistries(files)).toEqual([]);
  });
});

describe('the architecture checker', () => {
  const fixtures = join('test', 'fixtures', 'architecture');
  const fixtureFiles: string[] = sourceFiles(fixtures);

  test('finds a cycle made of a type-only import', () => {
    expect(importCycles(importGraph(fixtureFiles))).toEqual([[join(fixtures, 'a.ts'), join(fixtures, 'b.ts')]]);
  });

  test('finds a module-level and a static WeakMap', () => {
    expect(moduleRegistries(fixtureFiles)).toEqual([`${join(fixtures, 'a.ts')}:4`, `${join(fixtures, 'b.ts')}:5`]);
  });

  test('counts lines', () => {
    expect(oversizedFiles(fixtureFiles)).toEqual([[join(fixtures, 'long.ts'), MAX_LINES + 1]]);
  });
});
