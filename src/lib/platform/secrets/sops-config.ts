import type { HomelabCluster } from '../../estate/cluster.js';
import type { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { generatedHeader, toYaml } from '../../output/yaml.js';
import type { ContributedFile, FileContributor } from '../../tree/tree.js';
import { componentManifestDir } from '../../tree/components.js';

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

/** An age X25519 public key: `age1` and 58 bech32 characters. */
export const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/** Reports SOPS settings sops could not use: no recipient, or one that is not an age public key. */
export function checkSopsSettings(cluster: HomelabCluster): void {
  if (!cluster.sops) return;
  const d = Diagnostics.of(cluster);
  if (cluster.sops.ageRecipients.length === 0) {
    d.error(cluster, 'sops.ageRecipients', 'no age recipient is given, so nothing could be encrypted for this cluster', "list the cluster's age public key first (age-keygen -y key.txt prints it), then any backup keys");
  }
  cluster.sops.ageRecipients.forEach((r, i) => {
    if (/^AGE-SECRET-KEY-/i.test(r)) {
      // Never echo it: the message would copy the private key into logs.
      d.error(cluster, `sops.ageRecipients[${i}]`, 'is an age PRIVATE key (AGE-SECRET-KEY-…): it must never be in the source or in Git', 'remove it, rotate the key if it was committed, and list the public key printed by age-keygen -y instead');
    } else if (!AGE_RECIPIENT.test(r)) {
      d.error(cluster, `sops.ageRecipients[${i}]`, `'${r}' is not an age public key`, 'use the public key (age1…, 62 characters) printed by age-keygen -y');
    }
  });
}

/** File contributor: writes `clusters/<cluster>/.sops.yaml` for every cluster with SOPS settings. */
export const sopsConfigContributor: FileContributor = (tree): readonly ContributedFile[] => {
  checkSopsSettings(tree.cluster);
  const content = sopsConfigFile(tree.cluster);
  return content === undefined ? [] : [{ path: `clusters/${tree.cluster.name}/.sops.yaml`, content }];
};

export { componentManifestDir } from '../../tree/components.js';

/** How to commit a user-provided Secret as a SOPS file of a component. */
export interface SopsSecretRecipe {
  /** File name, relative to the component's folder (what `addSopsFile` / a `sopsFile` option takes). */
  readonly file: string;
  /** Repository-relative path of the encrypted file. */
  readonly path: string;
  /**
   * One shell line, run from the repository root: `kubectl create secret generic … --dry-run=client
   * -o yaml | sops --encrypt …` writing the encrypted file (nothing in plaintext on disk but the
   * value files you point it at). `undefined` when the cluster has no SOPS settings.
   */
  readonly command?: string;
}

/**
 * The SOPS file a user-provided Secret goes in: `<name>.sops.yaml` in the folder of the component
 * reading it, encrypted with the cluster's `.sops.yaml` (whose first rule matches that path). The
 * values are read from files (`--from-file`), so they never appear in the shell history.
 */
export function sopsSecretRecipe(component: Component, secret: { readonly name: string; readonly namespace: string; readonly keys: readonly string[] }): SopsSecretRecipe {
  const file = `${secret.name}.sops.yaml`;
  const path = `${componentManifestDir(component)}/${file}`;
  if (!component.cluster.sops) return { file, path };
  const values = secret.keys.map((k) => `--from-file=${k}=<file holding ${k}>`).join(' ');
  const config = `clusters/${component.cluster.name}/.sops.yaml`;
  // sops ≥ 3.9: --filename-override picks the creation rule (and YAML) for data read from stdin.
  const command = `kubectl create secret generic ${secret.name} -n ${secret.namespace} ${values} --dry-run=client -o yaml | sops --config ${config} --encrypt --filename-override ${path} /dev/stdin > ${path}`;
  return { file, path, command };
}
