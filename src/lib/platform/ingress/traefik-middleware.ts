import { Construct } from 'constructs';
import { Middleware, MiddlewareSpec } from '../../../../imports/traefik.io.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsLabel } from '../../estate/names.js';

export interface TraefikMiddlewareProps {
  /** Middleware name. @default - the construct id */
  readonly name?: string;
  /** What the middleware does (headers, redirects, rate limits, forward auth…), as the Middleware CRD spells it. */
  readonly spec: MiddlewareSpec;
}

/**
 * A Traefik HTTP `Middleware` (traefik.io/v1alpha1) in a component's namespace. Any component may hold
 * one: it then depends on Traefik (derived from the object's API group); in Traefik's own component
 * synth applies it after the chart's CRDs.
 */
export class TraefikMiddleware extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Component, id: string, props: TraefikMiddlewareProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = scope.namespace;
    if (!isDnsLabel(this.name)) {
      Diagnostics.of(this).error(this, 'name', `'${this.name}' is not a valid Middleware name`, "use lowercase letters, digits and '-'");
    }
    if (Object.keys(props.spec).length === 0) {
      Diagnostics.of(this).error(this, 'spec', `middleware '${this.name}' does nothing: its spec is empty`, 'set one middleware type, e.g. headers or redirectScheme');
    }
    new Middleware(this, 'middleware', { metadata: { name: this.name, namespace: this.namespace }, spec: props.spec });
  }

  /** How an entry point or a route in another namespace names it: `<namespace>-<name>@kubernetescrd`. */
  public get providerReference(): string {
    return `${this.namespace}-${this.name}@kubernetescrd`;
  }
}

/** Security headers most homelab apps want behind Traefik (HSTS, no sniffing, no framing by others). */
export const SECURITY_HEADERS: MiddlewareSpec = {
  headers: {
    stsSeconds: 31536000,
    stsIncludeSubdomains: true,
    contentTypeNosniff: true,
    browserXssFilter: true,
    frameDeny: true,
    referrerPolicy: 'strict-origin-when-cross-origin',
  },
};
