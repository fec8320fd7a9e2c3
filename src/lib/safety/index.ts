import { HomelabCluster } from '../estate/cluster.js';
import type { ClusterTree } from '../tree/tree.js';
import { CapacityReport, treeCapacity } from './capacity.js';
import { checkInputs } from './inputs.js';
import { checkFirstReconcile } from './first-reconcile.js';
import { lintCluster } from './policy.js';
import { checkPodSecurity } from './pod-security.js';
import { Reporter } from './report.js';
import { checkSecretReferences, repositoryReader } from './secret-references.js';

export { capacityReport, treeCapacity, capacityMarkdown, formatCapacityTable, systemReserve, CAPACITY_WARN_THRESHOLD } from './capacity.js';
export type { CapacityReport, NodeGroupCapacity, NodeCapacity, Resources, WorkloadModel } from './capacity.js';
export { checkDataLoss, findDataLoss, readOldTree } from './data-loss.js';
export type { DataLossFinding, DataLossOptions } from './data-loss.js';
export { POLICY_RULES } from './policy.js';
export { defaultEnforcedLevel, podSecurityViolations, levelAdmitting } from './pod-security.js';
export type { PodSecurityViolation } from './pod-security.js';
export { SECURITY_REASON_ANNOTATION } from '../tree/manifests.js';

/**
 * Everything between rendering and writing that protects the user, on one cluster: bad-input
 * checks on the rendered tree, the policy lint, secret references, the first reconcile, pod
 * security, and the capacity and placement check. Findings go to the estate's diagnostics (synth
 * refuses to write when any is an error); returns the capacity report. The data-loss guard runs
 * across clusters (checkDataLoss).
 */
export function checkSafety(tree: ClusterTree, root: string): CapacityReport {
  checkInputs(tree);
  lintCluster(tree);
  checkSecretReferences(tree, repositoryReader(root));
  checkFirstReconcile(tree, repositoryReader(root));
  checkPodSecurity(tree);
  const report = treeCapacity(tree);
  reportCapacity(tree.cluster, report);
  return report;
}

/** Turns capacity findings into problems and warnings of the cluster. */
export function reportCapacity(cluster: HomelabCluster, report: CapacityReport): void {
  const r = new Reporter(cluster);
  for (const e of report.errors) {
    // A construct that already refused the workload (an app whose image has no build for the
    // nodes' arch) said it better: placement would only repeat it.
    const component = e.site && 'object' in e.site ? e.site.path : e.site?.node.path;
    if (e.kind === 'placement' && component && r.hasProblemUnder(component)) continue;
    r.error(e.site ?? cluster, e.field, e.message, e.fix);
  }
  for (const w of report.warnings) r.warn(w.site ?? cluster, w.code ?? 'capacity', `${w.message} (${w.fix})`);
}

/** The reason a cluster accepts a warning code (`code` or its prefix before ':'), if it does. */
export function acceptedReason(cluster: HomelabCluster | undefined, code: string): string | undefined {
  if (!cluster) return undefined;
  return cluster.acceptedWarnings[code] ?? cluster.acceptedWarnings[code.split(':')[0]];
}
