import { IConstruct } from 'constructs';
import { HomelabCluster } from '../estate/cluster.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { pathOf } from '../estate/problems.js';
import type { RenderedManifest } from '../tree/tree.js';

/** Where a finding is: a construct, or a rendered manifest (construct path + file). */
export type Site = IConstruct | RenderedManifest;

function isManifest(s: Site): s is RenderedManifest {
  return (s as RenderedManifest).file !== undefined && (s as RenderedManifest).object !== undefined;
}

/** Construct path of a site as problems print it (`cluster/component/object (clusters/…/file.yaml)`). */
export function sitePath(s: Site): string {
  return isManifest(s) ? `${s.path} (${s.file})` : pathOf(s);
}

/**
 * Reports findings of the safety checks of one cluster into the estate's diagnostics, located at
 * a construct or at a rendered manifest, the same way the validation gate does.
 */
export class Reporter {
  private readonly d: Diagnostics;

  constructor(public readonly cluster: HomelabCluster) {
    this.d = Diagnostics.of(cluster);
  }

  public error(at: Site, field: string, message: string, fix: string): void {
    if (!isManifest(at)) {
      this.d.error(at, field, message, fix);
      return;
    }
    const p = { cluster: this.cluster.name, path: sitePath(at), field, message, fix };
    if (!this.d.problems.some((x) => x.cluster === p.cluster && x.path === p.path && x.field === p.field && x.message === p.message)) this.d.problems.push(p);
  }

  public warn(at: Site, code: string, message: string): void {
    if (!isManifest(at)) {
      this.d.warn(at, code, message);
      return;
    }
    const w = { cluster: this.cluster.name, path: sitePath(at), code, message };
    if (!this.d.warnings.some((x) => x.cluster === w.cluster && x.path === w.path && x.code === code)) this.d.warnings.push(w);
  }

  /** True when a problem was already reported at construct path `path` or below it. */
  public hasProblemUnder(path: string): boolean {
    return this.d.problems.some((p) => p.path === path || p.path.startsWith(`${path}/`) || p.path.startsWith(`${path} (`));
  }
}
