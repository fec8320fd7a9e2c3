import { BootstrapPlan } from './plan.js';

/** Schema editors use for helmfile.yaml. */
export const HELMFILE_SCHEMA_URL = 'https://json.schemastore.org/helmfile.json';

/** Seconds helmfile lets each release become ready (the HelmReleases' own timeout is 10m too). */
export const HELMFILE_TIMEOUT_SECONDS = 600;

/**
 * The helmfile document of a bootstrap plan: the https repositories, then the releases in order,
 * each with `needs` on what comes before it, its hooks and its values inline (exactly the
 * HelmRelease's `spec.values`). Every release waits until ready, so the next one starts on a
 * working cluster.
 */
export function helmfileDocument(plan: BootstrapPlan): Record<string, unknown> {
  const repositories = new Map<string, { name: string; url: string }>();
  for (const r of plan.releases) if (r.repository && !repositories.has(r.repository.name)) repositories.set(r.repository.name, { ...r.repository });
  return {
    helmDefaults: { wait: true, waitForJobs: true, timeout: HELMFILE_TIMEOUT_SECONDS, createNamespace: true },
    repositories: [...repositories.values()],
    releases: plan.releases.map((r) => ({
      name: r.name,
      namespace: r.namespace,
      chart: r.chart,
      version: r.version,
      ...(r.needs.length > 0 ? { needs: [...r.needs] } : {}),
      ...(r.hooks.length > 0 ? { hooks: r.hooks.map((h) => ({ events: [...h.events], showlogs: h.showlogs, command: h.command, args: [...h.args] })) } : {}),
      values: [r.values],
    })),
  };
}
