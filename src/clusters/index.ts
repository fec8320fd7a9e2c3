import { Estate } from '../lib/estate/estate.js';
import { armProd } from './arm-prod.js';
import { armReview } from './arm-review.js';
import { armStaging } from './arm-staging.js';
import { cloud } from './cloud.js';
import { ha } from './ha.js';
import { home } from './home.js';
import { proxN100 } from './prox-n100.js';
import { services } from './services.js';

/** The reference estate: one function per cluster, each implementing one seed. */
export function buildEstate(): Estate {
  const estate = new Estate();
  home(estate);
  cloud(estate);
  armReview(estate);
  armStaging(estate);
  armProd(estate);
  services(estate);
  ha(estate);
  proxN100(estate);
  return estate;
}
