import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';

/** Name and namespace of the GitRepository every cluster syncs from (created by the bootstrap). */
export const SYNC_SOURCE = { kind: 'GitRepository' as const, name: 'flux-system', namespace: 'flux-system' };

/** helm-controller's timeout for a HelmRelease that sets none (Flux's own default). */
export const FLUX_DEFAULT_HELM_TIMEOUT = '5m';

/**
 * What a waiting Kustomization allows beyond the longest HelmRelease timeout it waits on: the
 * chart has to be fetched and the release queued before Helm's own timeout starts.
 */
export const KUSTOMIZATION_TIMEOUT_MARGIN = '5m';

/** Shortest Kustomization timeout: room to build, apply and health-check plain objects. */
export const MIN_KUSTOMIZATION_TIMEOUT = '5m';

/**
 * Timeout of a waiting Kustomization whose caller does not say what it waits on: enough for
 * HelmReleases at ChartRelease's default timeout (HELM_RELEASE_TIMEOUT, 10m) plus the margin.
 * Kept as a literal so this module does not import helm-release.ts; a test keeps them in step.
 */
export const DEFAULT_WAIT_TIMEOUT = '15m';

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds of a Go duration (`5m`, `1h30m`, `10m0s`, `90s`); `undefined` when it is not one. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) return undefined;
  let total = 0;
  for (const [, n, , unit] of value.matchAll(/(\d+(\.\d+)?)(h|ms|m|s)/g)) total += Number(n) * DURATION_UNITS[unit];
  return total;
}

/** A duration in seconds as Flux writes it: whole minutes as `15m`, else seconds. */
export function formatDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${Math.ceil(seconds)}s`;
}

/**
 * The timeout a Kustomization needs to wait on HelmReleases with these timeouts (`undefined`: the
 * release sets none, so Flux's 5m): the longest plus {@link KUSTOMIZATION_TIMEOUT_MARGIN}, and at
 * least {@link MIN_KUSTOMIZATION_TIMEOUT}. A shorter one fails the Kustomization while Helm is still
 * installing, and every Kustomization depending on it waits a retry longer.
 */
export function kustomizationTimeout(waitsFor: readonly (string | undefined)[]): string {
  const longest = Math.max(0, ...waitsFor.map((t) => parseDuration(t ?? FLUX_DEFAULT_HELM_TIMEOUT) ?? 0));
  const min = parseDuration(MIN_KUSTOMIZATION_TIMEOUT)!;
  return formatDuration(longest === 0 ? min : Math.max(min, longest + parseDuration(KUSTOMIZATION_TIMEOUT_MARGIN)!));
}

export interface FluxKustomizationProps {
  readonly name: string;
  /** Path in the repository, `./clusters/<cluster>/…`. */
  readonly path: string;
  readonly interval: string;
  /** @default true */
  readonly prune?: boolean;
  /** @default true */
  readonly wait?: boolean;
  /**
   * @default - derived from `waitsFor` (see kustomizationTimeout); without it, {@link DEFAULT_WAIT_TIMEOUT}
   * for a Kustomization that waits (wait or health checks), {@link MIN_KUSTOMIZATION_TIMEOUT} otherwise
   */
  readonly timeout?: string;
  /** Timeouts of the HelmReleases the Kustomization waits on (`undefined`: Flux's default). @default - not known */
  readonly waitsFor?: readonly (string | undefined)[];
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
  const waits = (props.wait ?? true) || (props.healthChecks ?? []).length > 0;
  const timeout = props.timeout ?? (props.waitsFor ? kustomizationTimeout(props.waitsFor) : waits ? DEFAULT_WAIT_TIMEOUT : MIN_KUSTOMIZATION_TIMEOUT);
  const ks = new Kustomization({
    metadata: { name: props.name, namespace: 'flux-system' },
    spec: {
      interval: props.interval,
      retryInterval: props.retryInterval ?? '1m',
      timeout,
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
