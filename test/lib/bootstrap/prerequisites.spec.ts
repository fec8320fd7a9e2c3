import { buildEstate } from '../../../src/clusters/index.js';
import { bootstrapSecrets } from '../../../src/lib/bootstrap/secrets.js';
import { ClusterProps, HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { addNodeRequirements } from '../../../src/lib/estate/node-requirements.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { rawComponent, tempRoot, testCluster } from '../../helpers.js';
import { SynthesizedEstate } from '../../clusters/support.js';
import { withOwnerDeclarations } from '../docs/owner-declarations.js';

const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } };

function runbookOf(build: (cluster: HomelabCluster) => void, props: Partial<ClusterProps> = {}): string {
  const { estate, cluster } = testCluster({ distribution: 'k3s', sops: { ageRecipients: [AGE] }, ...props });
  build(cluster);
  return synthesize(estate, { root: tempRoot('runbook-') }).files.get('clusters/test/bootstrap/README.md')!;
}

const steps = (runbook: string): string[] => runbook.split('\n').filter((l) => /^## \d+\. /.test(l)).map((l) => l.replace(/^## \d+\. /, ''));

describe('bootstrap runbook prerequisites', () => {
  test('the Secrets nothing creates come after the SOPS key and before the step starting Flux, with their commands', () => {
    const runbook = runbookOf((c) => {
      rawComponent(c, { name: 'app', namespace: 'apps' }, [configMap]).declareUserSecret({ name: 'app-token', keys: ['token'], reason: 'API token' });
    });
    const s = steps(runbook);
    expect(s.indexOf('Secrets the tree reads')).toBe(s.indexOf('SOPS key') + 1);
    expect(s[s.indexOf('Secrets the tree reads') + 1]).toBe('Install the CNI, flux-operator and Flux');
    expect(runbook).toContain('### `apps/app-token`');
    expect(runbook).toContain('kubectl create secret generic app-token -n apps --from-file=token=<file holding token> --dry-run=client -o yaml | sops --config clusters/test/.sops.yaml --encrypt --filename-override clusters/test/apps/app/app/app-token.sops.yaml /dev/stdin > clusters/test/apps/app/app/app-token.sops.yaml');
  });

  test('classic bootstrap: before `flux bootstrap`', () => {
    const runbook = runbookOf((c) => {
      rawComponent(c, { name: 'app', namespace: 'apps' }, [configMap]).declareUserSecret({ name: 'app-token', keys: ['token'], reason: 'API token' });
    }, { flux: { bootstrap: 'classic' } });
    const s = steps(runbook);
    expect(s[s.indexOf('Secrets the tree reads') + 1]).toBe('Install Flux');
  });

  test('manual node steps get their own step after the nodes, before Flux', () => {
    const runbook = runbookOf((c) => {
      addNodeRequirements(rawComponent(c, { name: 'zfs', namespace: 'zfs' }, [configMap]), { prerequisites: [{ name: 'zfs-pool tank', reason: 'volumes come from it', howTo: 'zpool create tank /dev/sdb' }] });
    });
    const s = steps(runbook);
    expect(s.indexOf('Prerequisites on the nodes')).toBe(s.indexOf('Kubeconfig') + 1);
    expect(runbook).toContain('- **zfs-pool tank** (`zfs`): volumes come from it\n\n  ```sh\n  zpool create tank /dev/sdb\n  ```');
  });

  test('nothing to create: no such steps', () => {
    const s = steps(runbookOf((c) => { rawComponent(c, { name: 'app', namespace: 'apps' }, [configMap]); }));
    expect(s).not.toContain('Secrets the tree reads');
    expect(s).not.toContain('Prerequisites on the nodes');
  });

  test('Git credentials keep their own step, with the commands the README lists', () => {
    const { cluster } = testCluster({ distribution: 'k3s', git: { url: 'ssh://git@github.com/example/homelab.git', secretRef: 'git-deploy-key' } });
    const [git] = bootstrapSecrets(cluster);
    expect(git).toMatchObject({ name: 'git-deploy-key', namespace: 'flux-system', keys: ['identity', 'known_hosts'], createdBy: 'user' });
    const runbook = runbookOf(() => undefined, { git: { url: 'ssh://git@github.com/example/homelab.git', secretRef: 'git-deploy-key' } });
    expect(runbook).toContain(['```sh', ...git.commands, '```'].join('\n'));
  });

  test('classic bootstrap without a Git secret: flux-system/flux-system comes from flux bootstrap, not from the user', () => {
    const { cluster } = testCluster({ flux: { bootstrap: 'classic' } });
    expect(bootstrapSecrets(cluster)).toEqual([expect.objectContaining({ name: 'flux-system', createdBy: 'flux bootstrap', commands: [] })]);
  });
});

describe('bootstrap runbooks of the reference estate', () => {
  const estate = new SynthesizedEstate(withOwnerDeclarations(buildEstate()));

  test('each lists the same Secrets to create as its cluster README', () => {
    for (const c of estate.estate.clusters) {
      const runbook = estate.files.get(`clusters/${c.name}/bootstrap/README.md`)!;
      const readme = estate.files.get(`clusters/${c.name}/README.md`)!;
      const inRunbook = [...runbook.matchAll(/^### `([^`]+)`$/gm)].map((m) => m[1]);
      const inReadme = [...readme.matchAll(/^#### `([^`]+)`$/gm)].map((m) => m[1]);
      expect(inRunbook).toEqual(inReadme);
    }
  });
});
