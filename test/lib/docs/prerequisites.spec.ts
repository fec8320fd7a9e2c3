import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildEstate } from '../../../src/clusters/index.js';
import { sopsSecretCommand } from '../../../src/lib/bootstrap/plan.js';
import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { addNodeRequirements } from '../../../src/lib/estate/node-requirements.js';
import { sopsCreationRules } from '../../../src/lib/platform/secrets/sops-config.js';
import { synthesize, SynthResult } from '../../../src/lib/synth/synth.js';
import { rawComponent, tempRoot, testCluster } from '../../helpers.js';
import { SynthesizedEstate } from '../../clusters/support.js';
import { encryptedSecret } from '../platform/secrets/sops-fixtures.js';
import { section } from './fixtures.js';
import { withOwnerDeclarations } from './owner-declarations.js';

const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const reader = (name: string, key: string): Record<string, any> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'main',
        image: 'nginxinc/nginx-unprivileged:1.29.8-alpine',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        env: [{ name: 'V', valueFrom: { secretKeyRef: { name, key } } }],
      }],
    } },
  },
});

/** Synthesizes a test cluster built by `build` (user files written first) and returns its README. */
function synth(build: (cluster: HomelabCluster) => void, props: Partial<ClusterProps> = {}, userFiles: Record<string, string> = {}): { readme: string; result: SynthResult } {
  const { estate, cluster } = testCluster(props);
  build(cluster);
  const root = tempRoot('prereq-');
  for (const [p, c] of Object.entries(userFiles)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  const result = synthesize(estate, { root });
  return { readme: result.files.get('clusters/test/README.md')!, result };
}

/** The rows of the first table of a Markdown text (cells trimmed). */
function tableRows(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines.slice(start + 2, end).map((l) => l.slice(1, -1).split(' | ').map((c) => c.trim()));
}

function appWithSecret(cluster: HomelabCluster, name: string, namespace: string, key: string): Component {
  const c = rawComponent(cluster, { name, namespace }, [reader(name, key)]);
  c.declareUserSecret({ name, keys: [key], reason: `${name} token`, howTo: `the ${name} console` });
  return c;
}

describe('README prerequisites', () => {
  test('comes right after Nodes; lists the bootstrap SOPS key first, then the declared Secrets sorted by namespace and name', () => {
    const { readme } = synth((c) => {
      appWithSecret(c, 'zeta', 'zeta', 'token');
      appWithSecret(c, 'alpha', 'alpha', 'api-key');
    }, { sops: { ageRecipients: [AGE] } });
    const headings = readme.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 3)).toEqual(['## Nodes', '## Prerequisites', '## Traffic']);
    const prereq = section(readme, 'Prerequisites');
    expect(tableRows(prereq)).toEqual([
      ['`flux-system/sops-age`', '`age.agekey`', 'Flux', expect.stringContaining(AGE), 'you, at bootstrap (runbook)'],
      ['`alpha/alpha`', '`api-key`', 'alpha', 'alpha token', 'you: a SOPS file (below)'],
      ['`zeta/zeta`', '`token`', 'zeta', 'zeta token', 'you: a SOPS file (below)'],
    ]);
    // The same command the runbook and helmfile use for the age key.
    expect(prereq).toContain(sopsSecretCommand('sops-age'));
    expect(prereq.indexOf('#### `alpha/alpha`')).toBeLessThan(prereq.indexOf('#### `zeta/zeta`'));
    expect(prereq).toContain('Values: the alpha console.');
  });

  test('the SOPS command writes into the reading component\'s folder, matching the cluster\'s .sops.yaml rule, values from files only', () => {
    const { readme, result } = synth((c) => appWithSecret(c, 'app', 'apps', 'token'), { sops: { ageRecipients: [AGE] } });
    const path = 'clusters/test/apps/app/app/app.sops.yaml';
    expect(result.files.has('clusters/test/apps/app/app/kustomization.yaml')).toBe(true);
    const command = `kubectl create secret generic app -n apps --from-file=token=<file holding token> --dry-run=client -o yaml | sops --config clusters/test/.sops.yaml --encrypt --filename-override ${path} /dev/stdin > ${path}`;
    expect(section(readme, 'Prerequisites')).toContain(['```sh', command, '```'].join('\n'));
    const rules = sopsCreationRules(result.trees[0].cluster)!;
    expect(new RegExp(rules[0].path_regex).test(path)).toBe(true);
    expect(result.files.get('clusters/test/.sops.yaml')).toContain('(^|/)clusters/test/.+\\.sops\\.yaml$');
    expect(readme).not.toContain('--from-literal');
  });

  test('a cluster without SOPS settings gets the commands creating the Secret in the cluster instead', () => {
    const { readme } = synth((c) => appWithSecret(c, 'app', 'apps', 'token'));
    const prereq = section(readme, 'Prerequisites');
    expect(prereq).toContain('This cluster has no SOPS settings');
    expect(prereq).toContain(['```sh', 'kubectl create namespace apps --dry-run=client -o yaml | kubectl apply -f -', 'kubectl -n apps create secret generic app --from-file=token=<file holding token>', '```'].join('\n'));
    expect(prereq).not.toContain('sops --config');
    expect(tableRows(prereq)).toEqual([['`apps/app`', '`token`', 'app', 'app token', 'you, in the cluster (below)']]);
  });

  test('a declared Secret the tree provides after all (a Secret of another component) is not listed', () => {
    const { readme } = synth((c) => {
      const app = appWithSecret(c, 'app', 'apps', 'token');
      rawComponent(c, { name: 'maker', namespace: 'apps' }, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app' }, type: 'Opaque' }]);
      void app;
    });
    expect(section(readme, 'Prerequisites')).toContain('None: every Secret the tree reads is created in the cluster');
  });

  test('a SOPS file committed at the suggested path and listed on the component: nothing to do, and not in the runbook line', () => {
    const path = 'clusters/test/apps/app/app/app.sops.yaml';
    const { readme } = synth((c) => appWithSecret(c, 'app', 'apps', 'token').addSopsFile('app.sops.yaml'), { sops: { ageRecipients: [AGE] } }, { [path]: encryptedSecret('app', 'apps', [AGE]) });
    const prereq = section(readme, 'Prerequisites');
    expect(tableRows(prereq)[1]).toEqual(['`apps/app`', '`token`', 'app', 'app token', `SOPS file \`${path}\``]);
    expect(prereq).toContain(`Committed as the SOPS file \`${path}\`: nothing to do.`);
    expect(section(readme, 'Runbook')).not.toContain("Before Flux's first reconcile");
  });

  test('node prerequisites sorted by name with the components asking, shell lines in a block', () => {
    const { readme } = synth((c) => {
      const zfs = rawComponent(c, { name: 'zfs', namespace: 'zfs' }, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }]);
      addNodeRequirements(zfs, { prerequisites: [{ name: 'zfs-pool tank', reason: 'volumes are carved from it', howTo: 'zpool create tank /dev/sdb\nzpool status tank' }] });
      addNodeRequirements(zfs, { prerequisites: [{ name: 'nic lan0', reason: 'the VIP lives on it', howTo: 'Plug the LAN cable into the port named lan0.' }] });
    });
    const prereq = section(readme, 'Prerequisites');
    expect(prereq).toContain(['### Nodes', '', '- **nic lan0** (`zfs`): the VIP lives on it', '  Plug the LAN cable into the port named lan0.', '- **zfs-pool tank** (`zfs`): volumes are carved from it', '', '  ```sh', '  zpool create tank /dev/sdb', '  zpool status tank', '  ```'].join('\n'));
    expect(section(readme, 'Runbook')).toContain("- Before Flux's first reconcile: do 2 node steps, see [Prerequisites](#prerequisites).");
  });

  test('nothing to do: says none', () => {
    const { readme } = synth((c) => { rawComponent(c, { name: 'web', namespace: 'web' }, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }]); });
    expect(section(readme, 'Prerequisites').trim()).toBe('## Prerequisites\n\nNone: every Secret the tree reads is created in the cluster (ExternalSecrets, cert-manager, CloudNativePG, SOPS files) and no node needs a manual step.');
  });

  test('the runbook line names the Secrets to create', () => {
    const { readme } = synth((c) => appWithSecret(c, 'app', 'apps', 'token'), { sops: { ageRecipients: [AGE] } });
    expect(section(readme, 'Runbook')).toContain("- Before Flux's first reconcile: create 1 Secret (`apps/app`), see [Prerequisites](#prerequisites).");
  });
});

describe('README prerequisites of the reference estate', () => {
  const estate = new SynthesizedEstate(withOwnerDeclarations(buildEstate()));
  const readme = (name: string): string => estate.files.get(`clusters/${name}/README.md`)!;

  test('every cluster has the section, and every table row is sorted after the bootstrap Secrets', () => {
    for (const c of (estate.estate as Estate).clusters) {
      const rows = tableRows(section(readme(c.name), 'Prerequisites'));
      const ids = rows.filter((r) => r[2] !== 'Flux').map((r) => r[0]);
      expect(ids).toEqual([...ids].sort());
    }
  });

  test('cloud lists the Cloudflare tokens and the tunnel credentials; the ARM clusters only the SOPS key (the rest comes from OpenBao)', () => {
    expect(tableRows(section(readme('cloud'), 'Prerequisites')).map((r) => r[0])).toEqual([
      '`flux-system/sops-age`', '`cert-manager/cloudflare-api-token`', '`cloudflared/tunnel-credentials`', '`external-dns/cloudflare-api-token`',
    ]);
    for (const env of ['arm-review', 'arm-staging', 'arm-prod']) expect(tableRows(section(readme(env), 'Prerequisites')).map((r) => r[0])).toEqual(['`flux-system/sops-age`']);
  });
});
