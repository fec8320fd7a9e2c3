import { ApiObject } from 'cdk8s';
import { Component } from '../../estate/component.js';

/** A StorageClass a storage component renders: its name, whether it is the default, and the rest of the object. */
export interface StorageClassSpec {
  readonly name: string;
  /** Whether it is the cluster's default StorageClass (the `is-default-class` annotation). */
  readonly default: boolean;
  readonly provisioner: string;
  /** Everything after `provisioner` (parameters, reclaimPolicy, volumeBindingMode…), in the order written. */
  readonly spec: Record<string, unknown>;
}

/** Renders `sc` as the component's `storage-class` object (storage.k8s.io/v1). */
export function renderStorageClass(component: Component, sc: StorageClassSpec): ApiObject {
  return new ApiObject(component, 'storage-class', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: sc.name, annotations: { 'storageclass.kubernetes.io/is-default-class': String(sc.default) } },
    provisioner: sc.provisioner,
    ...sc.spec,
  });
}
