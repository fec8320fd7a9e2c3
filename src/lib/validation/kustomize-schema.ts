import { Schema } from './structural-schema.js';

const str: Schema = { type: 'string' };
const strList: Schema = { type: 'array', items: str };
const strMap: Schema = { type: 'object', additionalProperties: str };
const free: Schema = {};
const freeMap: Schema = { type: 'object' };

/** The target selector of patches and replacements. */
const selector: Schema = {
  type: 'object',
  properties: { group: str, version: str, kind: str, name: str, namespace: str, labelSelector: str, annotationSelector: str },
  additionalProperties: false,
};

/** Shared fields of configMapGenerator and secretGenerator entries. */
const generatorArgs = (extra: Record<string, Schema>): Schema => ({
  type: 'object',
  properties: {
    name: str, namespace: str, behavior: { type: 'string', enum: ['create', 'replace', 'merge'] },
    files: strList, literals: strList, envs: strList, env: str,
    options: { type: 'object', properties: { labels: strMap, annotations: strMap, disableNameSuffixHash: { type: 'boolean' }, immutable: { type: 'boolean' } }, additionalProperties: false },
    ...extra,
  },
  additionalProperties: false,
});

/**
 * kustomize's `kustomize.config.k8s.io/v1beta1` Kustomization (kustomization.yaml): every
 * top-level field kustomize 5 reads, strict at the top level and in the common entries
 * (resources, patches, images, generators, labels); rarely used parts are left free-form.
 */
export const KUSTOMIZATION_SCHEMA: Schema = {
  type: 'object',
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { type: 'string', enum: ['kustomize.config.k8s.io/v1beta1'] },
    kind: { type: 'string', enum: ['Kustomization'] },
    metadata: { type: 'object', properties: { name: str, namespace: str, labels: strMap, annotations: strMap }, additionalProperties: true },
    resources: strList,
    components: strList,
    bases: strList,
    crds: strList,
    namespace: str,
    namePrefix: str,
    nameSuffix: str,
    commonLabels: strMap,
    commonAnnotations: strMap,
    labels: {
      type: 'array',
      items: {
        type: 'object',
        properties: { pairs: strMap, includeSelectors: { type: 'boolean' }, includeTemplates: { type: 'boolean' }, fields: { type: 'array' } },
        additionalProperties: false,
      },
    },
    patches: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: str, patch: str, target: selector, options: { type: 'object', properties: { allowNameChange: { type: 'boolean' }, allowKindChange: { type: 'boolean' } }, additionalProperties: false } },
        additionalProperties: false,
      },
    },
    patchesStrategicMerge: strList,
    patchesJson6902: { type: 'array', items: { type: 'object', properties: { path: str, patch: str, target: selector }, additionalProperties: false } },
    images: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: str, newName: str, newTag: str, digest: str, tagSuffix: str }, additionalProperties: false },
    },
    replicas: { type: 'array', items: { type: 'object', required: ['name', 'count'], properties: { name: str, count: { type: 'integer' } }, additionalProperties: false } },
    replacements: { type: 'array', items: freeMap },
    configMapGenerator: { type: 'array', items: generatorArgs({}) },
    secretGenerator: { type: 'array', items: generatorArgs({ type: str }) },
    generatorOptions: {
      type: 'object',
      properties: { labels: strMap, annotations: strMap, disableNameSuffixHash: { type: 'boolean' }, immutable: { type: 'boolean' } },
      additionalProperties: false,
    },
    generators: strList,
    transformers: strList,
    validators: strList,
    configurations: strList,
    openapi: strMap,
    vars: { type: 'array', items: freeMap },
    helmCharts: { type: 'array', items: freeMap },
    helmGlobals: freeMap,
    helmChartInflationGenerator: { type: 'array', items: freeMap },
    sortOptions: freeMap,
    buildMetadata: strList,
    inventory: free,
  },
  additionalProperties: false,
};
