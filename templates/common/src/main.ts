import { main } from 'cdk8s-homelab/cli';
import { Estate } from 'cdk8s-homelab/estate';
import { {{fn}} } from './clusters/{{name}}.js';

/**
 * The estate: every cluster of this repository, one function each. Add a cluster: a file in
 * src/clusters/ and its function here; `npm test` checks each cluster on its own.
 */
export const clusters = [{{fn}}];

/** The whole estate (what `cdk8s-homelab synth` writes to clusters/). */
export function buildEstate(): Estate {
  const estate = new Estate();
  for (const cluster of clusters) cluster(estate);
  return estate;
}

// `node build/src/main.js <command>` works too (the cdk8s CLI's `app` in cdk8s.yaml).
if (import.meta.url === new URL(`file://${process.argv[1]}`).href) process.exitCode = await main(process.argv.slice(2), { clusters });
