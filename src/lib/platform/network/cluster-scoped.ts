import { ApiObject } from 'cdk8s';

/**
 * Marks an object as cluster-scoped: drops the namespace cdk8s copies from the enclosing
 * Component (a chart with a namespace) onto every object it creates. StorageClasses, IP pools and
 * announcement policies live outside namespaces; the validation gate rejects them with one.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  (obj.metadata as unknown as { namespace?: string }).namespace = undefined;
  return obj;
}
