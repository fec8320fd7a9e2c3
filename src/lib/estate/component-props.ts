/** Pod Security Admission level of a namespace. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Which of the layered layout's Flux Kustomizations applies a component. */
export type Layer = 'platform' | 'apps';

/** The namespace a component deploys into and, if it owns it, how the Namespace object looks. */
export interface NamespaceOptions {
  readonly name: string;
  /**
   * Pod Security Admission level enforced on the namespace.
   * @default 'restricted' (use 'privileged' only for components needing host access)
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Keep the namespace when Flux prunes (`kustomize.toolkit.fluxcd.io/prune: disabled`). Deleting a
   * namespace deletes everything in it, the objects and volumes of every other component sharing it
   * included, so removing the component that happens to create it must not take its neighbours down.
   * Set `false` only for a namespace nothing else uses and whose removal you want Flux to do.
   * @default true (unprotected only if every component in the namespace sets false)
   */
  readonly pruneProtected?: boolean;
  /** Extra labels on the Namespace (VLAN zones, policy selectors). @default {} */
  readonly labels?: Record<string, string>;
  /** Whether this component creates the Namespace object. @default - the first component using the namespace creates it */
  readonly owner?: boolean;
}

/** A Flux health check on an object this component's Kustomization applies. */
export interface HealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A user-provided SOPS-encrypted file the component's folder carries. */
export interface SopsFile {
  /** Path relative to the component's manifest folder, ending in `.sops.yaml`. */
  readonly path: string;
}
