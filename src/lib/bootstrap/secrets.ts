import type { HomelabCluster } from '../estate/cluster.js';
import { AGE_SECRET_KEY, sopsSecretCommand } from './plan.js';

/**
 * A Secret in `flux-system` that exists before Flux runs: created by hand at bootstrap (the SOPS
 * key, Git credentials) or by `flux bootstrap` itself. It can never be a SOPS file in the tree:
 * Flux needs it to pull and decrypt the tree in the first place.
 */
export interface BootstrapSecret {
  readonly name: string;
  readonly namespace: 'flux-system';
  /** Sorted. */
  readonly keys: readonly string[];
  /** What reads it and why. */
  readonly reason: string;
  /** Who creates it: the person following the runbook, or the Flux CLI. */
  readonly createdBy: 'user' | 'flux bootstrap';
  /** Shell lines creating it (user-created only); the values come from files, never from the command line. */
  readonly commands: readonly string[];
}

const FLUX_NAMESPACE_COMMAND = 'kubectl create namespace flux-system --dry-run=client -o yaml | kubectl apply -f -';

/** The bootstrap Secrets of a cluster, sorted by name. */
export function bootstrapSecrets(cluster: HomelabCluster): BootstrapSecret[] {
  const out: BootstrapSecret[] = [];
  if (cluster.sops) {
    out.push({
      name: cluster.sops.secretName,
      namespace: 'flux-system',
      keys: [AGE_SECRET_KEY],
      reason: `the age private key (of ${cluster.sops.ageRecipients[0] ?? 'the first recipient'}) Flux decrypts the cluster's *.sops.yaml files with`,
      createdBy: 'user',
      commands: [sopsSecretCommand(cluster.sops.secretName)],
    });
  }
  const ssh = cluster.git.url.startsWith('ssh://');
  if (cluster.git.secretRef) {
    out.push({
      name: cluster.git.secretRef,
      namespace: 'flux-system',
      keys: ssh ? ['identity', 'known_hosts'] : ['password', 'username'],
      reason: `credentials Flux pulls ${cluster.git.url} with`,
      createdBy: 'user',
      commands: [
        FLUX_NAMESPACE_COMMAND,
        ssh
          ? `kubectl -n flux-system create secret generic ${cluster.git.secretRef} --from-file=identity=<path to the deploy key> --from-file=known_hosts=<path to known_hosts>`
          : `kubectl -n flux-system create secret generic ${cluster.git.secretRef} --from-literal=username=git --from-file=password=<path to a file holding the access token>`,
      ],
    });
  } else if (cluster.flux.bootstrap === 'classic') {
    // `flux bootstrap git` stores the credentials it was given in flux-system/flux-system, which
    // the gotk-sync GitRepository references.
    out.push({ name: 'flux-system', namespace: 'flux-system', keys: [], reason: 'credentials the classic GitRepository pulls with', createdBy: 'flux bootstrap', commands: [] });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
