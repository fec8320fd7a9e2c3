import { BUILTIN_GROUPS, DEFAULT_STORAGE_CLASS, crdGroup, gateway, groupOf, ingressClass, namespaceCap, storageClass } from './capabilities.js';
import { Component } from './component.js';

type Manifest = Record<string, any>;

/**
 * Derives what a component needs from the objects it renders, so nobody declares it twice:
 * custom resources need their CRDs, claims need their StorageClass, Ingresses their class,
 * routes their Gateway, and every namespaced object its namespace.
 */
export function deriveRequirements(component: Component, objects: readonly Manifest[]): void {
  for (const obj of objects) {
    const kind = String(obj.kind);
    const group = groupOf(String(obj.apiVersion));
    const what = `${kind} '${obj.metadata?.name}'`;
    if (!BUILTIN_GROUPS.has(group)) component.require(crdGroup(group), `${what} is a ${group} custom resource`);
    const ns = obj.metadata?.namespace;
    if (typeof ns === 'string' && ns !== component.namespace) component.require(namespaceCap(ns), `${what} is in namespace '${ns}'`);
    for (const sc of storageClassesOf(obj)) if (sc !== '') component.require(sc === undefined ? DEFAULT_STORAGE_CLASS : storageClass(sc), `${what} claims storage`);
    if (kind === 'Ingress' && group === 'networking.k8s.io' && obj.spec?.ingressClassName) {
      component.require(ingressClass(obj.spec.ingressClassName), `${what} uses it`);
    }
    for (const ref of obj.spec?.parentRefs ?? []) {
      if ((ref.kind ?? 'Gateway') === 'Gateway') component.require(gateway(ref.namespace ?? obj.metadata?.namespace, ref.name), `${what} attaches to it`);
    }
  }
}

/** StorageClass names claimed by an object (`undefined` = the cluster default). */
function storageClassesOf(obj: Manifest): (string | undefined)[] {
  if (obj.kind === 'PersistentVolumeClaim' && obj.apiVersion === 'v1') return [claimClass(obj.spec)];
  if (obj.kind === 'StatefulSet') return (obj.spec?.volumeClaimTemplates ?? []).map((t: Manifest) => claimClass(t.spec));
  return [];
}

function claimClass(spec: Manifest | undefined): string | undefined {
  if (spec?.volumeName) return spec.storageClassName ?? '';
  return spec?.storageClassName;
}
