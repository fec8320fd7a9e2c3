import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';

/** Name and namespace of the GitRepository every cluster syncs from (created by the bootstrap). */
export const SYNC_SOURCE = { kind: 'GitRepository' as const, name: 'flux-system', namespace: 'flux-system' };

export interface FluxKustomizationProps {
  readonly name: string;
  /** Path in the repository, `./clusters/<cluster>/…`. */
  readonly path: string;
  readonly interval: string;
  /** @default true */
  readonly prune?: boolean;
  /** @default true */
  readonly wait?: boolean;
  /** @default '5m' */
  readonly timeout?: string;
  /** @default '1m' */
  readonly retryInterval?: string;
  /** Names of Kustomizations (in flux-system) applied first. @default [] */
  readonly dependsOn?: readonly string[];
  /** SOPS age key Secret in flux-system, when the path holds encrypted files. @default - no decryption */
  readonly decryptionSecret?: string;
  /** @default false */
  readonly suspend?: boolean;
  /** Explicit health checks (in addition to `wait`). @default [] */
  readonly healthChecks?: readonly { apiVersion: string; kind: string; name: string; namespace?: string }[];
}

/** A Flux `Kustomization` (kustomize.toolkit.fluxcd.io/v1) with every default spelt out in the manifest. */
export function fluxKustomization(props: FluxKustomizationProps): Record<string, unknown> {
  const ks = new Kustomization({
    metadata: { name: props.name, namespace: 'flux-system' },
    spec: {
      interval: props.interval,
      retryInterval: props.retryInterval ?? '1m',
      timeout: props.timeout ?? '5m',
      path: props.path,
      prune: props.prune ?? true,
      wait: props.wait ?? true,
      sourceRef: { kind: SYNC_SOURCE.kind, name: SYNC_SOURCE.name },
    },
  });
  const spec = ks.spec!;
  if (props.suspend) spec.suspend = true;
  if (props.dependsOn && props.dependsOn.length > 0) spec.dependsOn = props.dependsOn.map((name) => ({ name }));
  if (props.healthChecks && props.healthChecks.length > 0) spec.healthChecks = props.healthChecks.map((h) => ({ ...h }));
  if (props.decryptionSecret) spec.decryption = { provider: 'sops', secretRef: { name: props.decryptionSecret } };
  return ks.toJSON() as unknown as Record<string, unknown>;
}
