import { Certificate, CertificateSpecPrivateKeyAlgorithm, ClusterIssuer } from '../../../../imports/cert-manager.io.js';
import { crdGroup } from '../../estate/capabilities.js';
import { HomelabCluster } from '../../estate/cluster.js';
import { Component } from '../../estate/component.js';
import { HelmComponent, HelmComponentProps, Placement } from '../helm-component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { isDnsSubdomain } from '../../estate/names.js';
import { MONITORING } from '../../estate/services.js';
import { SecretReference, useSecret } from './secrets.js';
import { CERT_ISSUER, CertIssuerProvider, IssuerInfo } from './tls.js';

/** Let's Encrypt ACME directories. */
export const LETSENCRYPT = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** Public resolvers cert-manager checks DNS-01 records with, so split-horizon DNS at home cannot hide them. */
export const DNS01_RESOLVERS = ['1.1.1.1:53', '1.0.0.1:53'] as const;

/** Let's Encrypt certificates, proving control of the domain with DNS-01 TXT records in Cloudflare. */
export interface AcmeCloudflareIssuer {
  readonly type: 'acme-cloudflare';
  /** ClusterIssuer name. @default 'letsencrypt' ('letsencrypt-staging' when staging) */
  readonly name?: string;
  /** Account e-mail Let's Encrypt sends expiry notices to. */
  readonly email: string;
  /** Use the staging directory (untrusted certificates, generous rate limits). @default false */
  readonly staging?: boolean;
  /** Cloudflare API token (Zone:DNS:Edit) by reference, in cert-manager's namespace. Key @default 'api-token' */
  readonly apiToken: SecretReference;
  /** DNS zones this solver answers for. @default - [the cluster's domain] */
  readonly dnsZones?: readonly string[];
}

/** A private CA: a self-signed root kept in cert-manager's namespace signs every certificate. */
export interface InternalCaIssuer {
  readonly type: 'internal-ca';
  /** ClusterIssuer name (also the CA certificate's and Secret's). @default 'internal-ca' */
  readonly name?: string;
  /** Subject of the root certificate. @default '<cluster> internal CA' */
  readonly commonName?: string;
}

/** Each certificate signs itself (tests, throwaway clusters). */
export interface SelfSignedIssuer {
  readonly type: 'self-signed';
  /** ClusterIssuer name. @default 'self-signed' */
  readonly name?: string;
}

export type IssuerSpec = AcmeCloudflareIssuer | InternalCaIssuer | SelfSignedIssuer;

/** Props of {@link CertManager}; namespace, group and layer default to {@link CertManager.placement}. */
export interface CertManagerProps extends HelmComponentProps {
  /** ClusterIssuers (synth applies them after the chart's CRDs, as `<id>-config`). @default [] */
  readonly issuers?: readonly IssuerSpec[];
  /** Issuer used by constructs asking for a certificate without naming one. @default - the first issuer */
  readonly defaultIssuer?: string;
  /** Render a ServiceMonitor for cert-manager. @default - true when the cluster has metrics collection (MONITORING) */
  readonly serviceMonitor?: boolean;
}

/** Requests set on cert-manager's three Deployments. */
export const CERT_MANAGER_RESOURCES = {
  controller: { cpu: '10m', memory: '64Mi' },
  webhook: { cpu: '10m', memory: '32Mi' },
  cainjector: { cpu: '10m', memory: '64Mi' },
} as const;

/**
 * cert-manager (OCI chart `cert-manager`, CRDs included) and its ClusterIssuers: ACME DNS-01 via
 * Cloudflare (token by Secret reference), an internal CA, or self-signed. With at least one issuer the cluster gets a certificate issuer service other constructs (ingress
 * controllers, Gateways) take their wildcard certificate from.
 */
export class CertManager extends HelmComponent implements CertIssuerProvider {
  /** Namespace 'cert-manager' (Pod Security 'restricted'; also where issuer Secrets live), group 'certs' (seed 004: platform/certs/), layer 'platform'. */
  public static readonly placement: Placement = { namespace: { name: 'cert-manager', podSecurity: 'restricted' }, group: 'certs' };
  /** The component holding the ClusterIssuers: this one. */
  public readonly component: Component = this;
  public readonly issuers: readonly IssuerInfo[];
  public readonly defaultIssuer: IssuerInfo;

  constructor(cluster: HomelabCluster, id: string, props: CertManagerProps = {}) {
    super(cluster, id, props, CertManager.placement);
    this.provide(crdGroup('cert-manager.io'));
    this.provide(crdGroup('acme.cert-manager.io'));
    const specs = props.issuers ?? [];
    this.issuers = this.renderIssuers(specs);
    const wanted = props.defaultIssuer;
    const found = wanted === undefined ? this.issuers[0] : this.issuers.find((i) => i.name === wanted);
    if (wanted !== undefined && !found) {
      Diagnostics.of(this).error(this, 'defaultIssuer', `'${wanted}' is not one of the issuers (${this.issuers.map((i) => i.name).join(', ') || 'none'})`, 'name one of the issuers, or leave defaultIssuer out to use the first');
    }
    this.defaultIssuer = found ?? this.issuers[0] ?? { name: '', publiclyTrusted: false };
    if (this.issuers.length > 0) cluster.registerService(CERT_ISSUER, this, this);
    const acme = specs.some((s) => s.type === 'acme-cloudflare');
    for (const [name, r] of Object.entries(CERT_MANAGER_RESOURCES)) {
      this.addWorkload({ name: name === 'controller' ? id : `${id}-${name}`, replicas: 1, cpuRequest: r.cpu, memoryRequest: r.memory });
    }
    // Whether to render a ServiceMonitor depends on the cluster's monitoring: decided once all are declared.
    cluster.onPhase('wire', () => {
      const monitoring = cluster.service(MONITORING);
      const serviceMonitor = props.serviceMonitor ?? monitoring !== undefined;
      if (serviceMonitor) this.require(crdGroup('monitoring.coreos.com'), 'the chart renders a ServiceMonitor');
      const req = (r: { cpu: string; memory: string }) => ({ requests: { cpu: r.cpu, memory: r.memory } });
      const values = {
        crds: { enabled: true, keep: true },
        replicaCount: 1,
        resources: req(CERT_MANAGER_RESOURCES.controller),
        webhook: { replicaCount: 1, resources: req(CERT_MANAGER_RESOURCES.webhook) },
        cainjector: { replicaCount: 1, resources: req(CERT_MANAGER_RESOURCES.cainjector) },
        dns01RecursiveNameservers: acme ? DNS01_RESOLVERS.join(',') : '',
        dns01RecursiveNameserversOnly: acme,
        prometheus: { enabled: true, servicemonitor: { enabled: serviceMonitor, labels: { ...(serviceMonitor ? monitoring?.selectorLabels : {}) } } },
      };
      this.renderChart('cert-manager', values, props.values);
    });
  }

  private renderIssuer(spec: IssuerSpec, i: number): IssuerInfo {
    const at = `issuers[${i}]`;
    switch (spec.type) {
      case 'acme-cloudflare': return this.acmeIssuer(spec, at, i);
      case 'internal-ca': return this.internalCa(spec, i);
      case 'self-signed': {
        const name = issuerName(spec);
        new ClusterIssuer(this.component, `issuer-${i}`, { metadata: { name }, spec: { selfSigned: {} } });
        return { name, publiclyTrusted: false };
      }
    }
  }

  private acmeIssuer(spec: AcmeCloudflareIssuer, at: string, i: number): IssuerInfo {
    const staging = spec.staging ?? false;
    const name = issuerName(spec);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(spec.email)) {
      Diagnostics.of(this).error(this, `${at}.email`, `'${spec.email}' is not an e-mail address`, "give the address Let's Encrypt sends expiry notices to");
    }
    const token = useSecret(this.component, `${at}.apiToken`, spec.apiToken, 'api-token');
    new ClusterIssuer(this.component, `issuer-${i}`, {
      metadata: { name },
      spec: {
        acme: {
          email: spec.email,
          server: staging ? LETSENCRYPT.staging : LETSENCRYPT.production,
          privateKeySecretRef: { name: `${name}-account-key` },
          solvers: [{
            dns01: { cloudflare: { apiTokenSecretRef: { name: token.name, key: token.key } } },
            selector: { dnsZones: [...(spec.dnsZones ?? [this.cluster.domain])] },
          }],
        },
      },
    });
    return { name, publiclyTrusted: !staging };
  }

  private internalCa(spec: InternalCaIssuer, i: number): IssuerInfo {
    const name = issuerName(spec);
    const bootstrap = `${name}-bootstrap`;
    new ClusterIssuer(this.component, `issuer-${i}-bootstrap`, { metadata: { name: bootstrap }, spec: { selfSigned: {} } });
    new Certificate(this.component, `issuer-${i}-ca`, {
      metadata: { name, namespace: this.namespace },
      spec: {
        isCa: true,
        commonName: spec.commonName ?? `${this.cluster.name} internal CA`,
        secretName: name,
        duration: '87600h',
        renewBefore: '720h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: bootstrap },
      },
    });
    new ClusterIssuer(this.component, `issuer-${i}`, { metadata: { name }, spec: { ca: { secretName: name } } });
    return { name, publiclyTrusted: false };
  }

  /** Renders each issuer once; an invalid or repeated name is reported and the issuer skipped. */
  private renderIssuers(specs: readonly IssuerSpec[]): IssuerInfo[] {
    const out: IssuerInfo[] = [];
    specs.forEach((spec, i) => {
      const name = issuerName(spec);
      if (!isDnsSubdomain(name)) {
        Diagnostics.of(this).error(this, `issuers[${i}].name`, `'${name}' is not a valid ClusterIssuer name`, "use lowercase letters, digits, '-' and '.'");
      } else if (out.some((o) => o.name === name)) {
        Diagnostics.of(this).error(this, `issuers[${i}].name`, `two issuers are named '${name}'`, 'give each issuer its own name');
      } else {
        out.push(this.renderIssuer(spec, i));
      }
    });
    return out;
  }
}

/** The ClusterIssuer name an issuer spec gets. */
function issuerName(spec: IssuerSpec): string {
  switch (spec.type) {
    case 'acme-cloudflare': return spec.name ?? (spec.staging ? 'letsencrypt-staging' : 'letsencrypt');
    case 'internal-ca': return spec.name ?? 'internal-ca';
    case 'self-signed': return spec.name ?? 'self-signed';
  }
}
