import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * renovate.json covers every pin the project keeps: its regex managers are run here, as Renovate
 * runs them (each match string over each file its file pattern selects), and compared with what an
 * independent reading of the source finds:
 * - every `// renovate:` marker in src/ and the import manifest (import.config.mjs) is matched once, at the marker, with the
 *   marker's datasource, depName and registryUrl and the pin on the next line as current value;
 * - every version-looking pin (a `version:`/`tag:` value, an exported version or commit constant,
 *   an image reference) has such a marker above it, unless it is one of the listed exceptions.
 */

const ROOT = process.cwd();

interface Manager {
  readonly customType: string;
  readonly fileMatch?: string[];
  readonly managerFilePatterns?: string[];
  readonly matchStrings: string[];
  readonly currentValueTemplate?: string;
  readonly datasourceTemplate?: string;
  readonly depNameTemplate?: string;
}

interface Config {
  readonly ignorePaths?: string[];
  readonly customManagers: Manager[];
  readonly customDatasources?: Record<string, unknown>;
}

/** One dependency a manager extracts, located at the offset its match starts. */
interface Extracted {
  readonly file: string;
  readonly offset: number;
  readonly manager: number;
  readonly datasource?: string;
  readonly depName?: string;
  readonly registryUrl?: string;
  readonly currentValue?: string;
  readonly currentDigest?: string;
}

interface Marker {
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly fields: Record<string, string>;
  /** The pin on the next line, read without the config's regexes; undefined when there is none. */
  readonly pin?: string;
}

const config: Config = JSON.parse(readFileSync(join(ROOT, 'renovate.json'), 'utf8'));

/** File patterns of a manager as regexes (`fileMatch`, or newer Renovate's `/regex/` managerFilePatterns). */
function filePatterns(m: Manager): RegExp[] {
  const patterns = m.managerFilePatterns ?? m.fileMatch ?? [];
  return patterns.map((p) => (p.startsWith('/') && p.lastIndexOf('/') > 0 ? new RegExp(p.slice(1, p.lastIndexOf('/')), p.slice(p.lastIndexOf('/') + 1)) : new RegExp(p)));
}

/** What the regex managers extract from the given files (path → content), as Renovate's `any` strategy does. */
function extract(cfg: Config, files: ReadonlyMap<string, string>): Extracted[] {
  const out: Extracted[] = [];
  cfg.customManagers.forEach((m, i) => {
    if (m.customType !== 'regex') return;
    const patterns = filePatterns(m);
    for (const [file, content] of files) {
      if (!patterns.some((p) => p.test(file))) continue;
      for (const s of m.matchStrings) {
        for (const match of content.matchAll(new RegExp(s, 'g'))) {
          const g = match.groups ?? {};
          out.push({
            file,
            offset: match.index!,
            manager: i,
            datasource: g.datasource ?? m.datasourceTemplate,
            depName: g.depName ?? m.depNameTemplate,
            registryUrl: g.registryUrl,
            currentValue: m.currentValueTemplate ?? g.currentValue,
            currentDigest: g.currentDigest,
          });
        }
      }
    }
  });
  return out;
}

const MARKER = /^[ \t]*\/\/ renovate: (.*)$/;

/**
 * The pin a marker annotates, read from the line after it: `version: '…'` / `tag: '…'`,
 * `export const X = '…'`, a one-line object's `tag: '…'`, or a dashboard's `revision: N`.
 */
function pinOf(next: string | undefined): string | undefined {
  if (next === undefined) return undefined;
  const patterns = [
    /^\s*(?:version|tag): '([^']+)'/,
    /^\s*export const \w+(?:: [\w.]+)? = '([^']+)'/,
    /^\s*export const \w+(?:: [\w.]+)? = \{.*\btag: '([^']+)'/,
    /\brevision: (\d+)/,
  ];
  for (const p of patterns) {
    const m = p.exec(next);
    if (m) return m[1];
  }
  return undefined;
}

function markersOf(file: string, content: string): Marker[] {
  const lines = content.split('\n');
  const out: Marker[] = [];
  let offset = 0;
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) {
      const fields = Object.fromEntries(m[1].trim().split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      out.push({ file, line: i + 1, offset: offset + line.indexOf('//'), fields, pin: pinOf(lines[i + 1]) });
    }
    offset += line.length + 1;
  });
  return out;
}

/** A version-looking pin found in the source, by line. */
interface Pin {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly value: string;
}

const VERSION = /^v?\d+(?:\.\d+)+(?:[-+.][\w.-]+)?$/;
const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Version-looking pins: a `version`/`tag` (or `…Version`/`…Tag`) property, an exported constant
 * holding a version or a commit, and image references `registry/name:tag`. Comments and chart
 * metadata (`appVersion`, the `images:` a chart version ships) are not pins.
 */
function pinsOf(file: string, content: string): Pin[] {
  const out: Pin[] = [];
  let inImages = false;
  content.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
    const imagesStart = /\bimages: \[/.test(line);
    const inImageList = inImages || imagesStart;
    if (imagesStart && !line.includes(']')) inImages = true;
    else if (inImages && trimmed.startsWith(']')) inImages = false;
    const found = new Set<string>();
    for (const m of line.matchAll(/\b(version|tag|\w+Version|\w+Tag)\s*:\s*'([^']+)'/g)) {
      if (['appVersion', 'apiVersion', 'kubeVersion'].includes(m[1])) continue;
      // A version has a dot: API versions (`version: 'v1'`, ESO's `engineVersion: 'v2'`) are not pins.
      if (VERSION.test(m[2])) found.add(m[2]);
    }
    const constant = /export const \w+(?:: [\w.]+)? = '([^']+)'/.exec(line);
    if (constant && (VERSION.test(constant[1]) || COMMIT.test(constant[1]))) found.add(constant[1]);
    if (!inImageList) {
      for (const m of line.matchAll(/'((?:[\w.-]+\/)+[\w.-]+:(v?\d[\w.-]*))'/g)) found.add(m[1]);
    }
    for (const value of found) out.push({ file, line: i + 1, text: trimmed, value });
  });
  return out;
}

/** Pins that are not dependencies Renovate can bump, each with the reason; every entry must still exist. */
const NOT_RENOVATE_PINS: readonly { file: string; value: string; why: string }[] = [
  { file: 'src/lib/output/yaml.ts', value: '1.1', why: 'the YAML spec version the writer emits (`yaml` library option), not a dependency' },
  {
    file: 'src/lib/validation/schema-urls.ts',
    value: 'v1.32.0',
    why: 'folder of yannh/kubernetes-json-schema that editors load for core kinds: that repository publishes no releases or tags to follow; it moves with the kubernetes-models schemas the gate validates with',
  },
  { file: 'src/lib/apps/image.ts', value: '1.2.3', why: 'the example in an error message telling the user to pin a version' },
  { file: 'src/lib/apps/app-input.ts', value: '0.0.0', why: 'the placeholder image of an App whose image was given with the wrong shape: synth has already failed, it is never written' },
];

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) files.set(relative(ROOT, p).split(sep).join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'src'));
  // imports/ is generated from import.config.mjs (its chart pins are copies) and in ignorePaths.
  files.set('import.config.mjs', readFileSync(join(ROOT, 'import.config.mjs'), 'utf8'));
  return files;
}

/** Every coverage problem: unmatched or mismatched markers, markers without a pin, pins without a marker. */
function coverageProblems(cfg: Config, files: ReadonlyMap<string, string>, exceptions = NOT_RENOVATE_PINS): string[] {
  const problems: string[] = [];
  const extracted = extract(cfg, files);
  const markers = [...files].flatMap(([f, c]) => markersOf(f, c));
  const markerLines = new Set(markers.map((m) => `${m.file}:${m.line}`));
  for (const m of markers) {
    const where = `${m.file}:${m.line}`;
    if (m.pin === undefined) {
      problems.push(`${where}: renovate marker is not followed by a pin (version:, tag:, export const X = '…', revision:)`);
      continue;
    }
    const hits = extracted.filter((e) => e.file === m.file && e.offset === m.offset);
    if (hits.length !== 1) {
      problems.push(`${where}: matched by ${hits.length} manager match string(s), expected exactly 1 (pin ${m.pin})`);
      continue;
    }
    const [hit] = hits;
    const value = hit.currentDigest ?? hit.currentValue;
    const pinned = hit.currentDigest ?? (m.fields.datasource === 'git-refs' ? undefined : value);
    if (pinned !== m.pin) problems.push(`${where}: extracted ${JSON.stringify(pinned)}, but the pin is ${JSON.stringify(m.pin)}`);
    for (const key of ['datasource', 'depName', 'registryUrl'] as const) {
      if (hit[key] !== m.fields[key]) problems.push(`${where}: extracted ${key} ${JSON.stringify(hit[key])}, the marker says ${JSON.stringify(m.fields[key])}`);
    }
    if (hit.currentValue === undefined) problems.push(`${where}: no currentValue (Renovate would skip it)`);
  }
  for (const e of extracted) {
    if (!markers.some((m) => m.file === e.file && m.offset === e.offset)) problems.push(`${e.file}@${e.offset}: a match string matched where no marker is`);
  }
  const used = new Set<string>();
  for (const [file, content] of files) {
    for (const pin of pinsOf(file, content)) {
      if (markerLines.has(`${file}:${pin.line - 1}`)) continue;
      const exception = exceptions.find((x) => x.file === file && x.value === pin.value);
      if (exception) {
        used.add(`${exception.file}:${exception.value}`);
        continue;
      }
      problems.push(`${file}:${pin.line}: version-looking pin '${pin.value}' has no renovate marker above it: ${pin.text}`);
    }
  }
  for (const x of exceptions) {
    if (files.has(x.file) && !used.has(`${x.file}:${x.value}`)) problems.push(`${x.file}: the exception for '${x.value}' no longer matches anything; remove it`);
  }
  return problems;
}

describe('renovate.json', () => {
  const files = sourceFiles();

  test('every renovate marker in src/ and import.config.mjs is matched with its pin, and every pin has a marker', () => {
    expect(coverageProblems(config, files)).toEqual([]);
  });

  test('covers the kinds of pins the project keeps: charts, images, Talos/Kubernetes/Flux versions, commits, dashboards', () => {
    const byDatasource = new Map<string, number>();
    for (const e of extract(config, files)) byDatasource.set(e.datasource!, (byDatasource.get(e.datasource!) ?? 0) + 1);
    const markers = [...files].flatMap(([f, c]) => markersOf(f, c));
    expect(markers.length).toBeGreaterThanOrEqual(40);
    expect(extract(config, files)).toHaveLength(markers.length);
    expect(byDatasource.get('helm')).toBeGreaterThan(5);
    expect(byDatasource.get('docker')).toBeGreaterThan(10);
    const deps = new Map(extract(config, files).map((e) => [e.depName, e]));
    expect(deps.get('ghcr.io/siderolabs/installer')?.currentValue).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(deps.get('ghcr.io/siderolabs/kubelet')?.currentValue).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(deps.get('fluxcd/flux2')?.currentValue).toMatch(/^\d+\.\d+\.\d+$/);
    expect(deps.get('cilium')).toMatchObject({ datasource: 'helm', registryUrl: 'https://helm.cilium.io/' });
    const commit = [...deps.values()].find((e) => e.datasource === 'git-refs');
    expect(commit).toMatchObject({ currentValue: 'main', currentDigest: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const dashboard = [...deps.values()].find((e) => e.datasource === 'custom.grafana-dashboards');
    expect(dashboard?.currentValue).toMatch(/^\d+$/);
    expect(Object.keys(config.customDatasources ?? {})).toContain('grafana-dashboards');
  });

  test('leaves the generated clusters/ and imports/ trees alone: bumps happen in src/ and import.config.mjs, synth and import regenerate the trees', () => {
    expect(config.ignorePaths).toContain('clusters/**');
    expect(config.ignorePaths).toContain('imports/**');
    for (const m of config.customManagers) {
      for (const p of filePatterns(m)) {
        expect(p.test('clusters/home/storage/longhorn/app/helmrelease.yaml')).toBe(false);
        expect(p.test('test/renovate.spec.ts')).toBe(false);
        expect(p.test('imports/charts.ts')).toBe(false);
      }
    }
  });

  describe('the coverage check can fail', () => {
    const cases: [string, string, RegExp][] = [
      ['an unmarked image tag', "export const X = { repository: 'a/b', tag: '1.2.3' };\n", /version-looking pin '1.2.3' has no renovate marker/],
      ['an unmarked exported version', "export const TOOL_VERSION = 'v0.4.1';\n", /version-looking pin 'v0.4.1'/],
      ['an unmarked image reference', "const image = 'ghcr.io/acme/tool:2.0.1';\n", /pin 'ghcr.io\/acme\/tool:2.0.1'/],
      ['an unmarked commit', "export const COMMIT = '0123456789abcdef0123456789abcdef01234567';\n", /pin '0123456789abcdef/],
      ['a marker over a pin no manager reads', "// renovate: datasource=docker depName=a/b\nexport let X = '1.0.0';\n", /not followed by a pin/],
      ['a marker whose pin the managers miss', "// renovate: datasource=docker depName=a/b\n  version: \"1.0.0\",\n", /not followed by a pin/],
      ['a datasource no manager accepts', "// renovate: datasource=bitbucket-tags depName=a/b\nexport const X = '1.0.0';\n", /matched by 0 manager match string/],
      ['a marker with extra spaces before the pin', "// renovate: datasource=docker depName=a/b\n\nexport const X = '1.0.0';\n", /not followed by a pin/],
    ];
    test.each(cases)('%s', (_name, source, expected) => {
      const problems = coverageProblems(config, new Map([['src/example.ts', source]]), []);
      expect(problems.join('\n')).toMatch(expected);
    });

    test('a config whose regex extracts the wrong value is caught', () => {
      const broken: Config = { ...config, customManagers: config.customManagers.map((m) => ({ ...m, matchStrings: m.matchStrings.map((s) => s.replace("'(?<currentValue>[^'\\s]+)'", "'(?<currentValue>[^'\\s.]+)")) })) };
      const problems = coverageProblems(broken, new Map([['src/example.ts', "// renovate: datasource=docker depName=a/b\nexport const X = '1.0.0';\n"]]), []);
      expect(problems).toEqual(['src/example.ts:1: extracted "1", but the pin is "1.0.0"']);
    });

    test('an exception that no longer matches is reported', () => {
      const problems = coverageProblems(config, new Map([['src/lib/output/yaml.ts', 'export const nothing = 1;\n']]), NOT_RENOVATE_PINS);
      expect(problems).toEqual(["src/lib/output/yaml.ts: the exception for '1.1' no longer matches anything; remove it"]);
    });
  });
});
