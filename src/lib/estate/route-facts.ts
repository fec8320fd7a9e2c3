/**
 * Routes as ledger facts: every route an ingress provider renders (an Ingress, a Traefik
 * IngressRoute, a Gateway API HTTPRoute) is recorded with what it serves, so checks and docs read
 * the hostname and the exposure from the model instead of parsing them back out of the rendered
 * object. Declared here, in the model, so the tree readers (tree/routes.ts) can read it without
 * knowing the ingress constructs that record it (platform/ingress/exposure.ts).
 */
import { FactKind } from '../model/ledger.js';
import type { RouteSpec } from './services.js';

/** A route rendered by the cluster's ingress: the route object `name` of kind `kind` in `component`'s namespace. */
export interface RouteFact extends RouteSpec {
  /** Kind of the route object rendered: `Ingress`, `IngressRoute` or `HTTPRoute`. */
  readonly kind: string;
}

/** Label every route object carries: how the app is exposed (`internal` or `public`). external-dns filters on it. */
export const EXPOSURE_LABEL = 'homelab/exposure';

/** Routes the ingress providers render, owned by the component the route object is rendered into. */
export const ROUTE = new FactKind<RouteFact>('route');
