import type { HomelabCluster } from '../../estate/cluster.js';
import { generatedHeader, toYaml } from '../../output/yaml.js';
import type { ContributedFile, FileContributor } from '../../synth/contributors.js';

/** What SOPS encrypts in a Kubernetes Secret: only the values, so names and kinds stay reviewable. */
export const SOPS_ENCRYPTED_REGEX = '^(data|stringData)$';

/** One `.sops.yaml` creation rule. */
export interface SopsCreationRule {
  readonly path_regex: string;
  readonly encrypted_regex: string;
  /** Comma-separated age recipients. */
  readonly age: string;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The creation rules of `clusters/<cluster>/.sops.yaml`, for files under that folder, encrypted to
 * the cluster's age recipients. Two rules with the same keys because sops matches `path_regex`
 * against the path as given (from the repository root: `clusters/<cluster>/…`) or, in recent
 * versions, relative to the folder of the `.sops.yaml` it uses (`platform/…/secret.sops.yaml`).
 * `undefined` when the cluster has no SOPS settings.
 */
export function sopsCreationRules(cluster: HomelabCluster): SopsCreationRule[] | undefined {
  if (!cluster.sops) return undefined;
  const age = cluster.sops.ageRecipients.join(',');
  return [
    { path_regex: `(^|/)clusters/${escapeRegex(cluster.name)}/.+\\.sops\\.yaml$`, encrypted_regex: SOPS_ENCRYPTED_REGEX, age },
    { path_regex: '^[^/].*\\.sops\\.yaml$', encrypted_regex: SOPS_ENCRYPTED_REGEX, age },
  ];
}

/** The content of `clusters/<cluster>/.sops.yaml`, or `undefined` without SOPS settings. */
export function sopsConfigFile(cluster: HomelabCluster): string | undefined {
  const rules = sopsCreationRules(cluster);
  if (!rules) return undefined;
  return [
    generatedHeader(cluster.sourceFile),
    `# sops uses the nearest .sops.yaml above the current directory: run it from clusters/${cluster.name}/`,
    `# (or pass --config clusters/${cluster.name}/.sops.yaml), e.g. sops encrypt --in-place platform/x/secret.sops.yaml.`,
    `# Flux decrypts with the private key of the first recipient, kept in flux-system/${cluster.sops!.secretName}.`,
    toYaml({ creation_rules: rules }).trimEnd(),
    '',
  ].join('\n');
}

/** File contributor: writes `clusters/<cluster>/.sops.yaml` for every cluster with SOPS settings. */
export const sopsConfigContributor: FileContributor = (tree): readonly ContributedFile[] => {
  const content = sopsConfigFile(tree.cluster);
  return content === undefined ? [] : [{ path: `clusters/${tree.cluster.name}/.sops.yaml`, content }];
};
