import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../../../../imports/cert-manager.io.js';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { hostnamesOf, RouteSpec, ServiceKey } from '../../estate/services.js';

/** A ClusterIssuer the cluster's cert-manager offers. */
export interface IssuerInfo {
  readonly name: string;
  /** Whether browsers (and cloudflared) trust what it issues (ACME production), or it is a private CA. */
  readonly publiclyTrusted: boolean;
}

/** cert-manager and its ClusterIssuers, as other constructs see them. */
export interface CertIssuerProvider {
  /** The component holding the ClusterIssuers. */
  readonly component: Component;
  /** Issuer used when a construct asks for a certificate without naming one. */
  readonly defaultIssuer: IssuerInfo;
  readonly issuers: readonly IssuerInfo[];
}

/** The cluster's certificate issuer service, registered by {@link CertManager} when it has issuers. */
export const CERT_ISSUER = new ServiceKey<CertIssuerProvider>('cert-issuer', 'cert-manager with ClusterIssuers (CertManager)');

/**
 * Where an ingress controller's or Gateway's default certificate (`*.<domain>` and `<domain>`) comes from:
 * a cert-manager ClusterIssuer (`{ issuer }`, or `{}` for the cluster's default issuer), an existing
 * `kubernetes.io/tls` Secret in the controller's namespace (`{ secretName }`), or `false` for plain HTTP
 * (TLS terminated elsewhere, e.g. at Cloudflare's edge).
 */
export type DefaultCertificate = { readonly issuer?: string } | { readonly secretName: string; readonly publiclyTrusted?: boolean } | false;

/** The TLS a controller ended up with. */
export interface ResolvedTls {
  /** Secret holding the certificate, in the controller's namespace. */
  readonly secretName: string;
  /** Whether the certificate is publicly trusted (decides whether a tunnel verifies it). */
  readonly publiclyTrusted: boolean;
  /** Whether it is the wildcard certificate issued here (`*.<domain>` and `<domain>`), so which hostnames it covers is known. @default false */
  readonly issuedWildcard?: boolean;
}

/** Name of the wildcard Certificate and of its Secret (`<name>-tls`). */
export const WILDCARD_CERTIFICATE = 'wildcard';

/** Where a default certificate comes from, decided without side effects. */
interface CertificateChoice {
  /** The TLS the component ends up with. @default - none: plain HTTP */
  readonly tls?: ResolvedTls;
  /** The ClusterIssuer issuing it, when cert-manager does. @default - none */
  readonly issuer?: IssuerInfo;
  /** The provider of that issuer. @default - none */
  readonly certs?: CertIssuerProvider;
  /** What is wrong with the prop, reported when the certificate is rendered. @default - nothing */
  readonly problem?: { readonly field: string; readonly message: string; readonly fix: string };
}

/**
 * The TLS a {@link DefaultCertificate} gives `component`, without reporting or rendering anything:
 * what routes and tunnels need to know before the certificate is rendered. Valid once every
 * component is declared (it asks for the cluster's {@link CERT_ISSUER}).
 */
export function defaultTls(component: Component, prop: DefaultCertificate | undefined): ResolvedTls | undefined {
  return chooseCertificate(component, '', prop).tls;
}

/**
 * Resolves a {@link DefaultCertificate} for `component` and renders what it needs (call it once, in
 * the wire phase). `undefined` (the prop left out) means: a wildcard certificate from the cluster's
 * default issuer when the cluster has cert-manager, otherwise no TLS. An issuer is turned into a
 * cert-manager `Certificate` for `*.<domain>` and `<domain>` rendered into `component`.
 */
export function resolveDefaultCertificate(component: Component, field: string, prop: DefaultCertificate | undefined): ResolvedTls | undefined {
  const choice = chooseCertificate(component, field, prop);
  if (choice.problem) Diagnostics.of(component).error(component, choice.problem.field, choice.problem.message, choice.problem.fix);
  if (choice.issuer && choice.certs) renderWildcardCertificate(component, choice.certs, choice.issuer);
  return choice.tls;
}

function chooseCertificate(component: Component, field: string, prop: DefaultCertificate | undefined): CertificateChoice {
  if (prop === false) return {};
  if (prop && 'secretName' in prop) return { tls: { secretName: prop.secretName, publiclyTrusted: prop.publiclyTrusted ?? true } };
  const certs = component.cluster.service(CERT_ISSUER);
  if (!certs) {
    if (prop === undefined) return {};
    return { problem: { field, message: `a certificate from cert-manager was asked for, but cluster '${component.cluster.name}' has no CertManager with issuers`, fix: 'add CertManager with an issuer to the cluster, give an existing TLS Secret (secretName), or set false for plain HTTP' } };
  }
  const wanted = prop?.issuer;
  const issuer = wanted === undefined ? certs.defaultIssuer : certs.issuers.find((i) => i.name === wanted);
  if (!issuer) {
    return { problem: { field: `${field}.issuer`, message: `ClusterIssuer '${wanted}' is not one of cert-manager's issuers (${certs.issuers.map((i) => i.name).join(', ')})`, fix: 'name an issuer declared on CertManager, or leave issuer out for the default one' } };
  }
  return { tls: { secretName: `${WILDCARD_CERTIFICATE}-tls`, publiclyTrusted: issuer.publiclyTrusted, issuedWildcard: true }, issuer, certs };
}

/** The wildcard `Certificate` of `component`, issued by `issuer`; the component then depends on cert-manager. */
function renderWildcardCertificate(component: Component, certs: CertIssuerProvider, issuer: IssuerInfo): void {
  // Without its issuer the certificate never becomes Ready, and this component's health check waits for it.
  if (certs.component !== component) component.addDependsOn(certs.component, `its certificate is issued by ClusterIssuer '${issuer.name}'`);
  const domain = component.cluster.domain;
  new Certificate(component, 'wildcard-certificate', {
    metadata: { name: WILDCARD_CERTIFICATE, namespace: component.namespace },
    spec: {
      secretName: `${WILDCARD_CERTIFICATE}-tls`,
      commonName: `*.${domain}`,
      dnsNames: [`*.${domain}`, domain],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer.name },
      duration: '2160h',
      renewBefore: '720h',
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
    },
  });
}

/**
 * Warns for each hostname of `route` the issued wildcard certificate does not cover: a wildcard
 * stands for exactly one label, so `a.b.<domain>` matches neither `*.<domain>` nor `<domain>` and
 * clients refuse the certificate served for it.
 */
export function warnUncoveredHostnames(route: RouteSpec, tls: ResolvedTls | undefined): void {
  if (!tls?.issuedWildcard) return;
  const domain = route.component.cluster.domain;
  for (const h of hostnamesOf(route)) {
    if (h === domain || !h.endsWith(`.${domain}`) || !h.slice(0, -domain.length - 1).includes('.')) continue;
    Diagnostics.of(route.component).warn(route.component, 'hostname-outside-certificate', `hostname '${h}' of route '${route.name}' is not covered by the wildcard certificate (*.${domain}, ${domain}): a wildcard matches one label only, so clients will refuse the certificate; use a name one label under '${domain}'`);
  }
}
