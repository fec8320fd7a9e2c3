import { Component } from '../estate/component.js';
import type { Shape } from '../estate/shape.js';
import type { AppProps } from './app-props.js';

/**
 * The shape of {@link AppProps} (and of what it nests), for input that bypassed the type checker.
 * `APP_FIELDS` is typed by AppProps' keys, so a new prop that is not described here does not compile.
 */

const STRING_LIST: Shape = { list: 'string' };
const STRING_MAP: Shape = { map: 'string' };
const RELAXATION: Shape = { fields: { reason: 'string' }, required: ['reason'] };

export const IMAGE_SHAPE: Shape = {
  fields: { repository: 'string', tag: 'string', digest: 'string', archs: { list: { enum: ['amd64', 'arm64', 'arm'] } } },
  required: ['repository'],
  // Named app constructs record image facts beside the reference (the image-runtime table).
  open: true,
};

const ENV_VALUE: Shape = {
  oneOf: [
    'string',
    { fields: { secretKeyRef: { fields: { name: 'string', key: 'string', optional: 'boolean' }, required: ['name', 'key'] } }, required: ['secretKeyRef'] },
    { fields: { fromStore: { fields: { key: 'string', property: 'string', store: 'string' }, required: ['key'] } }, required: ['fromStore'] },
    { fields: { fieldRef: 'string' }, required: ['fieldRef'] },
  ],
};

const ENV_FROM: Shape = {
  list: {
    oneOf: [
      { fields: { secret: 'string', prefix: 'string', optional: 'boolean' }, required: ['secret'] },
      { fields: { configMap: 'string', prefix: 'string', optional: 'boolean' }, required: ['configMap'] },
    ],
  },
};

const RESOURCES: Shape = { fields: { cpuRequest: 'string', memoryRequest: 'string', cpuLimit: 'string', memoryLimit: 'string', extended: STRING_MAP } };

const PORT: Shape = { fields: { name: 'string', port: 'integer', protocol: { enum: ['TCP', 'UDP'] }, service: 'boolean', servicePort: 'integer', appProtocol: 'string' }, required: ['name', 'port'] };

const VOLUME: Shape = {
  fields: {
    type: { enum: ['claim', 'existingClaim', 'nfs', 'emptyDir', 'configMap', 'secret', 'hostPath'] },
    mountPath: 'string', subPath: 'string', readOnly: 'boolean', size: 'string', storageClass: 'string', accessMode: 'string',
    claimName: 'string', server: 'string', path: 'string', mountOptions: STRING_LIST, medium: 'string', sizeLimit: 'string',
    name: 'string', secretName: 'string', defaultMode: 'integer', hostPathType: 'string',
  },
  required: ['type', 'mountPath'],
};

const PROBE: Shape = {
  oneOf: [
    { enum: [false] },
    {
      fields: {
        http: { fields: { path: 'string', port: 'string', scheme: { enum: ['HTTP', 'HTTPS'] }, headers: STRING_MAP }, required: ['path'] },
        tcp: { fields: { port: 'string' } },
        grpc: { fields: { port: 'integer', service: 'string' }, required: ['port'] },
        exec: STRING_LIST,
        initialDelaySeconds: 'number', periodSeconds: 'number', timeoutSeconds: 'number', failureThreshold: 'number', successThreshold: 'number',
      },
    },
  ],
};

const TOLERATION: Shape = { fields: { key: 'string', operator: 'string', value: 'string', effect: 'string' } };

const CONTAINER: Shape = {
  fields: { name: 'string', image: IMAGE_SHAPE, command: STRING_LIST, args: STRING_LIST, env: { map: ENV_VALUE }, inheritEnv: 'boolean', envFrom: ENV_FROM, volumes: STRING_LIST, resources: RESOURCES, ports: { list: PORT }, probes: { fields: { liveness: PROBE, readiness: PROBE, startup: PROBE } }, restartPolicy: { enum: ['Always'] } },
  required: ['name'],
};

const SECURITY: Shape = {
  fields: {
    runAsUser: 'integer', runAsGroup: 'integer', fsGroup: 'integer', supplementalGroups: { list: 'integer' },
    runAsRoot: RELAXATION, writableRootFilesystem: RELAXATION, privileged: RELAXATION, serviceAccountToken: RELAXATION, hostNetwork: RELAXATION,
    runAsImageUser: 'boolean', hostUsers: 'boolean',
    addCapabilities: { fields: { reason: 'string', capabilities: STRING_LIST }, required: ['reason', 'capabilities'] },
  },
};

const NAMESPACE: Shape = {
  oneOf: ['string', { fields: { name: 'string', podSecurity: { enum: ['privileged', 'baseline', 'restricted'] }, pruneProtected: 'boolean', labels: STRING_MAP, owner: 'boolean' }, required: ['name'] }],
};

const JOB_FIELDS: Record<string, Shape> = { backoffLimit: 'integer', activeDeadlineSeconds: 'integer', restartPolicy: { enum: ['Never', 'OnFailure'] } };

const HEADER_CHANGES: Shape = { fields: { set: STRING_MAP, add: STRING_MAP, remove: STRING_LIST } };
const HEADERS: Shape = { fields: { request: HEADER_CHANGES, response: HEADER_CHANGES } };
const ROUTE: Shape = {
  fields: {
    name: 'string', hostnames: STRING_LIST, expose: { enum: ['internal', 'public'] }, headers: HEADERS, annotations: STRING_MAP, labels: STRING_MAP,
    rules: { list: { fields: { path: 'string', match: { enum: ['PathPrefix', 'Exact'] }, port: 'string', headers: HEADERS }, required: ['path'] } },
  },
  required: ['hostnames', 'expose'],
};

const COMPONENT: Shape = { test: (v) => v instanceof Component, expected: 'a component of the cluster' };

/** AppProps, field by field (every key of AppProps, enforced by the type). */
const APP_FIELDS: { readonly [K in keyof Required<AppProps>]: Shape } = {
  namespace: NAMESPACE,
  group: 'string',
  layer: { enum: ['platform', 'apps'] },
  dependsOn: { list: COMPONENT },
  image: IMAGE_SHAPE,
  command: STRING_LIST,
  args: STRING_LIST,
  env: { map: ENV_VALUE },
  envFrom: ENV_FROM,
  ports: { list: PORT },
  persistence: { map: VOLUME },
  files: { list: { fields: { path: 'string', content: 'string', mode: 'integer' }, required: ['path', 'content'] } },
  devices: { list: { fields: { path: 'string', mountPath: 'string', node: 'string', nodeLabel: STRING_MAP, group: 'integer', reason: 'string' }, required: ['path', 'reason'] } },
  tmp: 'boolean',
  expose: { enum: ['none', 'internal', 'public'] },
  hostname: 'string',
  subdomain: 'string',
  aliases: { list: { oneOf: ['string', { fields: { hostname: 'string', expose: { enum: ['internal', 'public'] } }, required: ['hostname', 'expose'] }] } },
  exposePort: 'string',
  routes: { list: ROUTE },
  database: { fields: { postgres: { fields: { database: 'string', owner: 'string', cluster: 'string', extensions: { list: { fields: { name: 'string', version: 'string', schema: 'string', ensure: { enum: ['present', 'absent'] } }, required: ['name'] } }, env: STRING_MAP, urlScheme: 'string' } } } },
  redis: { fields: { env: STRING_MAP } },
  security: SECURITY,
  resources: RESOURCES,
  healthCheck: { fields: { path: 'string', port: 'string' }, required: ['path'] },
  probes: { fields: { liveness: PROBE, readiness: PROBE, startup: PROBE } },
  replicas: 'integer',
  workload: {
    oneOf: [
      { enum: ['Deployment', 'StatefulSet', 'DaemonSet'] },
      { fields: { kind: { enum: ['CronJob'] }, schedule: 'string', timeZone: 'string', concurrencyPolicy: { enum: ['Allow', 'Forbid', 'Replace'] }, startingDeadlineSeconds: 'integer', successfulJobsHistoryLimit: 'integer', failedJobsHistoryLimit: 'integer', ...JOB_FIELDS }, required: ['kind', 'schedule'] },
      { fields: { kind: { enum: ['Job'] }, ...JOB_FIELDS }, required: ['kind'] },
    ],
  },
  nodeSelector: STRING_MAP,
  tolerations: { list: TOLERATION },
  heavy: 'boolean',
  network: { fields: { egress: { list: 'object' }, ingress: { list: 'object' } } },
  initContainers: { list: CONTAINER },
  sidecars: { list: CONTAINER },
  terminationGracePeriodSeconds: 'integer',
  spread: { fields: { topologyKey: 'string', maxSkew: 'integer', whenUnsatisfiable: { enum: ['DoNotSchedule', 'ScheduleAnyway'] } } },
  dnsConfig: { fields: { nameservers: STRING_LIST, searches: STRING_LIST, options: { list: { fields: { name: 'string', value: 'string' }, required: ['name'] } } } },
  podAnnotations: STRING_MAP,
  podLabels: STRING_MAP,
  annotations: STRING_MAP,
  metrics: { fields: { port: 'string', path: 'string', interval: 'string' }, required: ['port'] },
  services: {
    list: {
      fields: {
        name: 'string', type: { enum: ['LoadBalancer', 'NodePort', 'ClusterIP'] }, ports: STRING_LIST, loadBalancerIp: 'string', sharingKey: 'string',
        externalTrafficPolicy: { enum: ['Cluster', 'Local'] }, allowFrom: STRING_LIST, annotations: STRING_MAP,
      },
      required: ['name', 'ports'],
    },
  },
};

export const APP_SHAPE: Shape = { fields: APP_FIELDS, required: ['image'] };
