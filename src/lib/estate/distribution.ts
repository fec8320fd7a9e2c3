/** Kubernetes distribution of a cluster. */
export type Distribution = 'talos' | 'oke' | 'k3s';

/** Every {@link Distribution}, for checking input that bypassed the type checker. */
export const DISTRIBUTIONS: readonly Distribution[] = ['talos', 'oke', 'k3s'];
