import { Capability, crdGroup, DEFAULT_STORAGE_CLASS, gateway, ingressClass, namespaceCap, service, storageClass } from '../../../src/lib/estate/capabilities.js';

describe('Capability', () => {
  test('one value per kind and name, so Sets and Maps of capabilities work', () => {
    expect(storageClass('longhorn')).toBe(storageClass('longhorn'));
    expect(Capability.of('crd', 'cert-manager.io')).toBe(crdGroup('cert-manager.io'));
    expect(storageClass('longhorn')).not.toBe(ingressClass('longhorn'));
    expect(new Set([storageClass('a'), storageClass('a'), storageClass('b')]).size).toBe(2);
  });

  test('prints as kind:value, as the messages always did', () => {
    expect(`${gateway('network', 'internal')}`).toBe('gateway:network/internal');
    expect(String(service('postgres', 'main'))).toBe('service:postgres/main');
    expect(DEFAULT_STORAGE_CLASS.key).toBe('storage-class:(default)');
  });

  test('describes itself and says how to fix its absence', () => {
    expect(crdGroup('postgresql.cnpg.io').describe()).toBe("the CRDs of API group 'postgresql.cnpg.io'");
    expect(DEFAULT_STORAGE_CLASS.describe()).toBe('a default StorageClass');
    expect(namespaceCap('media').describe()).toBe("namespace 'media'");
    expect(storageClass('nfs').fixWhenMissing()).toContain('add a storage component');
    expect(ingressClass('nginx').fixWhenMissing()).toContain('ingress controller');
    expect(DEFAULT_STORAGE_CLASS.fixWhenAmbiguous()).toContain('exactly one StorageClass as the default');
    expect(storageClass('nfs').fixWhenAmbiguous()).toBe('keep exactly one provider, or name the one you mean explicitly');
  });
});
