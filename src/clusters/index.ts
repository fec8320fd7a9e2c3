import { Estate } from '../api/estate.js';
import { armProd } from './arm-prod.js';
import { armReview } from './arm-review.js';
import { armStaging } from './arm-staging.js';
import { cloud } from './cloud.js';
import { ha } from './ha.js';
import { home } from './home.js';
import { household } from './household.js';
import { proxN100 } from './prox-n100.js';
import { services } from './services.js';

/**
 * The reference estate's clusters, one function each, in estate order: adding a cluster is a file
 * and a line here. The generic checks (test/clusters/estate.spec.ts, `cdk8s-homelab test`) build
 * and check each on its own, so a broken cluster fails only its own checks.
 */
export const CLUSTERS = [home, cloud, armReview, armStaging, armProd, services, ha, proxN100, household] as const;

/** The reference estate: one function per cluster, each implementing one seed. */
export function buildEstate(): Estate {
  const estate = new Estate();
  for (const cluster of CLUSTERS) cluster(estate);
  return estate;
}
