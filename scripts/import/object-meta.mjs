/**
 * The ObjectMeta schema put in place of every CRD's (untyped) `metadata`: the fields a
 * manifest author writes are typed, other server-side meta fields are allowed.
 */
const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const timeOrNull = { type: ['string', 'null'] };

/** Returns a fresh permissive ObjectMeta JSON schema. */
export function objectMetaSchema() {
  return {
    type: 'object',
    properties: {
      name: str,
      generateName: str,
      namespace: str,
      labels: strMap,
      annotations: strMap,
      finalizers: { type: 'array', items: str },
      ownerReferences: {
        type: 'array',
        items: {
          type: 'object',
          required: ['apiVersion', 'kind', 'name', 'uid'],
          properties: {
            apiVersion: str,
            kind: str,
            name: str,
            uid: str,
            controller: { type: 'boolean' },
            blockOwnerDeletion: { type: 'boolean' },
          },
          additionalProperties: false,
        },
      },
      uid: str,
      resourceVersion: str,
      generation: { type: 'integer' },
      creationTimestamp: timeOrNull,
      deletionTimestamp: timeOrNull,
      deletionGracePeriodSeconds: { type: 'integer' },
      managedFields: { type: 'array' },
      selfLink: str,
    },
    additionalProperties: true,
  };
}
