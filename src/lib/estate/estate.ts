import { App } from 'cdk8s';
import { HomelabCluster } from './cluster.js';
import { Diagnostics } from './diagnostics.js';

export interface EstateProps {
  /** Directory `cdk8s synth` writes flat manifests to when run through the cdk8s CLI. @default - $CDK8S_OUTDIR, else 'dist' */
  readonly outdir?: string;
}

/**
 * The root of everything: a set of clusters. Synth turns each into `clusters/<name>/`.
 * It is a cdk8s `App`, so `cdk8s synth` through the CLI also works on it.
 */
export class Estate extends App {
  constructor(props: EstateProps = {}) {
    super({ outdir: props.outdir, recordConstructMetadata: false });
  }

  /** Clusters in declaration order. */
  public get clusters(): HomelabCluster[] {
    return this.node.children.filter((c): c is HomelabCluster => c instanceof HomelabCluster);
  }

  public get diagnostics(): Diagnostics {
    return Diagnostics.of(this);
  }
}
