/**
 * The first-reconcile simulation's needs: what each object (and each Kustomization's build) needs
 * before it can be applied and become healthy, when it needs it, and who could produce it.
 */
import { BUILTIN_GROUPS, gateway, ingressClass, service } from '../../estate/capabilities.js';
import { SYNC_SOURCE } from '../../flux/kustomization.js';
import { apiGroup, claimedStorageClasses, isPvc, Manifest } from '../../tree/manifests.js';
import type { RenderedManifest } from '../../tree/tree.js';
import { kindScope } from '../../validation/kind-scope.js';
import { FluxGraph, FluxKs, hrId, isFluxKs, isHelmRelease, str } from './graph.js';
import { Producer, Producers } from './producers.js';

/** When a prerequisite is needed: before the build, for the dry-run, or for the object to become healthy. */
export type Stage = 'build' | 'apply' | 'runtime';

/** One prerequisite of an object, with its possible producers. */
export interface Need {
  readonly stage: Stage;
  /** Human wording: `the CRDs of API group 'cert-manager.io'`. */
  readonly what: string;
  readonly field: string;
  readonly producers: Producer[];
  /**
   * The object waits for it and converges once it appears, so a producer that is merely not waited
   * for costs time (a Kustomization timeout, a retry), not the cluster: a warning. A claim for a
   * StorageClass that does not exist yet stays Pending and binds when it appears (the PV controller
   * retries; a claim without a class gets the default retroactively since Kubernetes 1.28).
   */
  readonly eventual?: boolean;
}

/** The needs of objects and Kustomizations of one graph. */
export class Needs {
  constructor(private readonly graph: FluxGraph, private readonly producers: Producers) {}

  /** What a Kustomization needs before it builds: its decryption Secret, the sources it substitutes from. */
  public kustomizationInputs(ks: FluxKs): Need[] {
    const out: Need[] = [];
    const ns = ks.namespace;
    const dec = ks.spec.decryption?.secretRef?.name;
    if (str(dec)) {
      out.push({ stage: 'build', what: `the decryption Secret '${ns}/${dec}'`, field: 'spec.decryption.secretRef', producers: this.producers.secretProducers(ns, dec, 'Secret') });
    }
    (ks.spec.postBuild?.substituteFrom ?? []).forEach((s: Manifest, i: number) => {
      if (s?.optional === true || !str(s?.name)) return;
      const kind = s.kind === 'ConfigMap' ? 'ConfigMap' : 'Secret';
      out.push({ stage: 'build', what: `the ${kind} '${ns}/${s.name}' it substitutes variables from`, field: `spec.postBuild.substituteFrom[${i}]`, producers: this.producers.secretProducers(ns, s.name, kind) });
    });
    return out;
  }

  /** What one object needs before it can be applied and become healthy. */
  public needsOf(ks: FluxKs, m: RenderedManifest): Need[] {
    const o = m.object;
    const out: Need[] = [];
    const group = apiGroup(o);
    const ns: string | undefined = str(ks.spec.targetNamespace) ? ks.spec.targetNamespace : o.metadata?.namespace;
    if (!BUILTIN_GROUPS.has(group)) {
      out.push({ stage: 'apply', what: `the CRDs of API group '${group}' (kind ${o.kind})`, field: 'apiVersion', producers: this.producers.crdProducers(group, String(o.kind)) });
    }
    if (str(ns) && kindScope(String(o.apiVersion), String(o.kind)) !== 'Cluster') {
      out.push(this.namespaceNeed(ns, 'metadata.namespace'));
    }
    if (isHelmRelease(o)) out.push(...this.helmReleaseNeeds(o, ns ?? 'default'));
    if (isFluxKs(o) && o.spec?.sourceRef && !(o.spec.sourceRef.kind === SYNC_SOURCE.kind && o.spec.sourceRef.name === SYNC_SOURCE.name)) {
      const ref = o.spec.sourceRef;
      out.push({ stage: 'runtime', what: `its source ${ref.kind} '${ref.namespace ?? ns}/${ref.name}'`, field: 'spec.sourceRef', producers: this.producers.objectProducers(ref.kind, (x) => x.metadata?.name === ref.name && x.metadata?.namespace === (ref.namespace ?? ns)) });
    }
    // A claim bound to a named volume needs no class; one with class '' asks for none.
    if (!(isPvc(o) && o.spec?.volumeName)) {
      for (const sc of claimedStorageClasses(o)) {
        if (sc === '') continue;
        out.push({ stage: 'runtime', what: sc === undefined ? 'a default StorageClass' : `StorageClass '${sc}'`, field: isPvc(o) ? 'spec.storageClassName' : 'storageClass', producers: this.producers.storageClassProducers(sc), eventual: true });
      }
    }
    if (o.kind === 'Ingress' && group === 'networking.k8s.io') {
      const cls = o.spec?.ingressClassName ?? o.metadata?.annotations?.['kubernetes.io/ingress.class'];
      if (str(cls)) out.push({ stage: 'runtime', what: `IngressClass '${cls}'`, field: 'spec.ingressClassName', producers: [...this.producers.objectProducers('IngressClass', (x) => x.metadata?.name === cls), ...this.producers.capabilityProducers(ingressClass(cls))] });
    }
    if (o.kind === 'Gateway' && group === 'gateway.networking.k8s.io' && str(o.spec?.gatewayClassName)) {
      const cls = o.spec.gatewayClassName;
      out.push({ stage: 'runtime', what: `GatewayClass '${cls}'`, field: 'spec.gatewayClassName', producers: [...this.producers.objectProducers('GatewayClass', (x) => x.metadata?.name === cls), ...this.producers.capabilityProducers(service('gateway-class', cls))] });
    }
    if (group === 'gateway.networking.k8s.io' && /Route$/.test(String(o.kind))) {
      (o.spec?.parentRefs ?? []).forEach((p: Manifest, i: number) => {
        if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || !str(p.name)) return;
        const gns = String(p.namespace ?? ns ?? 'default');
        out.push({ stage: 'runtime', what: `Gateway '${gns}/${p.name}'`, field: `spec.parentRefs[${i}]`, producers: [...this.producers.objectProducers('Gateway', (x) => x.metadata?.name === p.name && x.metadata?.namespace === gns), ...this.producers.capabilityProducers(gateway(gns, p.name))] });
      });
    }
    out.push(...this.issuerNeeds(o, ns));
    if (o.kind === 'ExternalSecret' && group === 'external-secrets.io') {
      const ref = o.spec?.secretStoreRef ?? {};
      const kind = ref.kind ?? 'SecretStore';
      if (str(ref.name)) {
        const where = kind === 'ClusterSecretStore' ? `${kind} '${ref.name}'` : `${kind} '${ns}/${ref.name}'`;
        out.push({
          stage: 'runtime', what: where, field: 'spec.secretStoreRef',
          producers: [
            ...this.producers.objectProducers(kind, (x) => apiGroup(x) === 'external-secrets.io' && x.metadata?.name === ref.name && (kind === 'ClusterSecretStore' || x.metadata?.namespace === ns)),
            ...(kind === 'ClusterSecretStore' ? this.producers.capabilityProducers(service('secret-store', ref.name)) : []),
          ],
        });
      }
    }
    return out;
  }

  private namespaceNeed(ns: string, field: string): Need {
    return { stage: 'apply', what: `namespace '${ns}'`, field, producers: this.producers.namespaceProducers(ns) };
  }

  private helmReleaseNeeds(o: Manifest, ns: string): Need[] {
    const out: Need[] = [];
    const spec = o.spec ?? {};
    if (str(spec.targetNamespace) && spec.install?.createNamespace !== true) out.push(this.namespaceNeed(spec.targetNamespace, 'spec.targetNamespace'));
    const ref = spec.chartRef ?? spec.chart?.spec?.sourceRef;
    if (ref && str(ref.name)) {
      const sns = String(ref.namespace ?? ns);
      out.push({ stage: 'runtime', what: `its chart source ${ref.kind} '${sns}/${ref.name}'`, field: spec.chartRef ? 'spec.chartRef' : 'spec.chart.spec.sourceRef', producers: this.producers.objectProducers(ref.kind, (x) => x.metadata?.name === ref.name && x.metadata?.namespace === sns) });
    }
    (spec.dependsOn ?? []).forEach((d: Manifest, i: number) => {
      if (!str(d?.name)) return;
      const dns = String(d.namespace ?? ns);
      const target = this.graph.hrs.get(hrId(dns, d.name));
      // The HelmRelease it waits for must exist; whether it is installed in time is its own Kustomization's business.
      out.push({ stage: 'runtime', what: `HelmRelease '${dns}/${d.name}' (its dependsOn)`, field: `spec.dependsOn[${i}]`, producers: target ? [{ kind: 'object', ks: target.container, by: `HelmRelease '${dns}/${d.name}'` }] : [] });
    });
    return out;
  }

  private issuerNeeds(o: Manifest, ns: string | undefined): Need[] {
    const out: Need[] = [];
    const issuer = (kind: string, name: string, field: string): void => {
      const where = kind === 'ClusterIssuer' ? `ClusterIssuer '${name}'` : `Issuer '${ns}/${name}'`;
      out.push({ stage: 'runtime', what: where, field, producers: this.producers.objectProducers(kind, (x) => apiGroup(x) === 'cert-manager.io' && x.metadata?.name === name && (kind === 'ClusterIssuer' || x.metadata?.namespace === ns)) });
    };
    if (o.kind === 'Certificate' && apiGroup(o) === 'cert-manager.io') {
      const ref = o.spec?.issuerRef ?? {};
      if (str(ref.name) && (ref.group ?? 'cert-manager.io') === 'cert-manager.io') issuer(ref.kind === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer', ref.name, 'spec.issuerRef');
    }
    if (o.kind === 'Ingress' || o.kind === 'Gateway') {
      const a = o.metadata?.annotations ?? {};
      if (str(a['cert-manager.io/cluster-issuer'])) issuer('ClusterIssuer', a['cert-manager.io/cluster-issuer'], 'metadata.annotations.cert-manager.io/cluster-issuer');
      if (str(a['cert-manager.io/issuer'])) issuer('Issuer', a['cert-manager.io/issuer'], 'metadata.annotations.cert-manager.io/issuer');
    }
    return out;
  }
}
