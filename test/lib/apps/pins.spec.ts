import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as apps from '../../../src/lib/apps/index.js';
import { ImageRef } from '../../../src/lib/apps/image.js';

const DIR = join(process.cwd(), 'src/lib/apps');
const images = Object.entries(apps).filter(([name]) => name.endsWith('_IMAGE')) as [string, ImageRef][];

describe('image pins of the app constructs', () => {
  test('every app construct exports its pinned image', () => {
    expect(images.map(([n]) => n).sort()).toEqual([
      'GRAFANA_IMAGE', 'HOME_ASSISTANT_IMAGE', 'IMMICH_ML_IMAGE', 'IMMICH_SERVER_IMAGE', 'JELLYFIN_IMAGE', 'JELLYSEERR_IMAGE', 'KEYCLOAK_IMAGE', 'N8N_IMAGE', 'NEXTCLOUD_IMAGE', 'NGINX_UNPRIVILEGED_IMAGE',
      'OPENLDAP_IMAGE', 'PAPERLESS_IMAGE', 'POSTFIX_IMAGE', 'PROWLARR_IMAGE', 'QBITTORRENT_IMAGE', 'RADARR_IMAGE', 'SONARR_IMAGE', 'VAULTWARDEN_IMAGE', 'WHOAMI_IMAGE',
    ]);
  });

  test.each(images)('%s: fixed tag, architectures listed, Renovate marker right above with the same repository', (name, image) => {
    expect(image.tag).toMatch(/^v?\d+(\.\d+)+(-[a-z0-9.-]+)?$/);
    expect(image.archs && image.archs.length).toBeGreaterThan(0);
    const file = readdirSync(DIR).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(DIR, f), 'utf8')).find((src) => src.includes(`export const ${name}:`))!;
    const lines = file.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`export const ${name}:`));
    expect(lines[at - 1]).toBe(`// renovate: datasource=docker depName=${image.repository}`);
    expect(lines[at]).toContain(`tag: '${image.tag}'`);
  });
});
