import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { prepareValidation, validateManifest } from '../../../src/lib/validation/schema-validator.js';

const cnpgCluster = (spec: Record<string, unknown> = {}): Record<string, any> => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'pg', namespace: 'db', labels: { app: 'pg' } },
  spec: {
    instances: 3,
    imageName: 'ghcr.io/cloudnative-pg/postgresql:16',
    storage: { size: '10Gi', storageClass: 'longhorn' },
    bootstrap: { initdb: { database: 'app', owner: 'app' } },
    postgresql: { parameters: { max_connections: '200' } },
    plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }],
    ...spec,
  },
});

const helmRelease = (): Record<string, any> =>
  new HelmRelease({
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: {
      interval: '1h',
      chart: { spec: { chart: 'cilium', version: '1.20.0', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
      install: { crds: 'CreateReplace', remediation: { retries: 3 } },
      values: { anything: { goes: ['here'] } },
    },
  }).toJSON() as Record<string, any>;

const deployment = (spec: Record<string, unknown> = {}): Record<string, any> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', annotations: { 'example.com/owner': 'me' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }], resources: { limits: { memory: '128Mi', cpu: 1 } } }],
      },
    },
    ...spec,
  },
});

describe('validateManifest accepts valid objects', () => {
  test('a CloudNativePG Cluster', () => {
    expect(validateManifest(cnpgCluster())).toEqual([]);
  });

  test('a Flux HelmRelease v2 built with @kubernetes-models/flux-cd', () => {
    expect(validateManifest(helmRelease())).toEqual([]);
  });

  test('a Flux Kustomization v1 and an OCIRepository v1', () => {
    const ks = new Kustomization({
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { interval: '10m', path: './clusters/home/apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, dependsOn: [{ name: 'infra' }] },
    }).toJSON() as Record<string, any>;
    const oci = new OCIRepository({
      metadata: { name: 'kube-prometheus-stack', namespace: 'monitoring' },
      spec: { interval: '12h', url: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack', ref: { tag: '88.5.3' }, layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar.gz', operation: 'copy' } },
    }).toJSON() as Record<string, any>;
    expect(validateManifest(ks)).toEqual([]);
    expect(validateManifest(oci)).toEqual([]);
  });

  test('a Deployment and a Namespace', () => {
    expect(validateManifest(deployment())).toEqual([]);
    expect(validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } })).toEqual([]);
  });

  test('a kustomize Kustomization', () => {
    expect(validateManifest({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'apps',
      resources: ['namespace.yaml', 'web'],
      components: ['../../components/common'],
      patches: [{ path: 'patch.yaml', target: { kind: 'Deployment', name: 'web' } }],
      configMapGenerator: [{ name: 'settings', literals: ['A=1'], options: { disableNameSuffixHash: true } }],
      labels: [{ pairs: { app: 'web' }, includeSelectors: false }],
      images: [{ name: 'nginx', newTag: '1.27' }],
    })).toEqual([]);
  });
});

describe('validateManifest catches mistakes', () => {
  test('a misspelt field on a CNPG Cluster, with the field meant', () => {
    const c = cnpgCluster();
    c.spec.instnces = c.spec.instances;
    delete c.spec.instances;
    expect(validateManifest(c)).toEqual([
      { field: 'spec.instances', message: "required field 'spec.instances' is missing" },
      { field: 'spec.instnces', message: "unknown field 'spec.instnces' (did you mean 'spec.instances'?)" },
    ]);
  });

  test('a misspelt field deep in a CNPG Cluster', () => {
    const issues = validateManifest(cnpgCluster({ storage: { size: '10Gi', storageClas: 'longhorn' } }));
    expect(issues).toEqual([{ field: 'spec.storage.storageClas', message: expect.stringContaining("did you mean 'spec.storage.storageClass'") }]);
  });

  test('a value of the wrong type', () => {
    const issues = validateManifest(cnpgCluster({ instances: 'three' }));
    expect(issues).toEqual([{ field: 'spec.instances', message: expect.stringMatching(/must be an integer/) }]);
  });

  test('a misspelt field on a HelmRelease spec', () => {
    const hr = helmRelease();
    hr.spec.intervall = hr.spec.interval;
    delete hr.spec.interval;
    const issues = validateManifest(hr);
    expect(issues).toContainEqual({ field: 'spec.intervall', message: "unknown field 'spec.intervall' (did you mean 'spec.interval'?)" });
    expect(issues).toContainEqual({ field: 'spec.interval', message: "required field 'spec.interval' is missing" });
  });

  test('a value outside an enum and a bad pattern on a HelmRelease', () => {
    const hr = helmRelease();
    hr.spec.install.crds = 'Always';
    hr.spec.interval = 'hourly';
    const fields = validateManifest(hr).map((i) => i.field).sort();
    expect(fields).toEqual(['spec.install.crds', 'spec.interval']);
  });

  test('metadata labels must be strings', () => {
    const c = cnpgCluster();
    c.metadata.labels.replicas = 3;
    expect(validateManifest(c)).toEqual([{ field: 'metadata.labels.replicas', message: expect.stringContaining('must be a string') }]);
  });

  test('apiVersion and kind are pinned', () => {
    const c = cnpgCluster();
    c.apiVersion = 'postgresql.cnpg.io/v2';
    expect(validateManifest(c)[0].message).toMatch(/no schema for postgresql.cnpg.io\/v2 Cluster \(known: postgresql.cnpg.io\/v1\)/);
  });

  test('a misspelt field, a wrong type and a non-integer on a Deployment', () => {
    const d = deployment({ replica: 2 });
    d.spec.template.spec.containers[0].imagePullPolicy = 5;
    const issues = validateManifest(d);
    expect(issues).toHaveLength(2);
    expect(issues).toContainEqual({ field: 'spec.replica', message: "unknown field 'spec.replica' (did you mean 'spec.replicas'?)" });
    expect(issues).toContainEqual({ field: 'spec.template.spec.containers[0].imagePullPolicy', message: 'must be a string, not the integer 5' });
    // 1.5 is a number but not an integer: only kubernetes-models' validator knows that.
    expect(validateManifest(deployment({ replicas: 1.5 }))).toEqual([{ field: 'spec.replicas', message: 'must be an integer' }]);
  });

  test('a missing required field on a Deployment', () => {
    const d = deployment();
    delete d.spec.selector;
    expect(validateManifest(d)).toContainEqual({ field: 'spec.selector', message: "required field 'spec.selector' is missing" });
  });

  test('an unknown top-level field of a kustomize Kustomization', () => {
    expect(validateManifest({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resource: ['a.yaml'] })).toEqual([
      { field: 'resource', message: "unknown field 'resource' (did you mean 'resources'?)" },
    ]);
  });

  test('duplicate keys in a Kubernetes list-map (x-kubernetes-list-type: map)', () => {
    const c = cnpgCluster({ postgresql: { extensions: [{ name: 'pgvector', image: { reference: 'a' } }, { name: 'pgvector', image: { reference: 'b' } }] } });
    expect(validateManifest(c)).toEqual([{ field: 'spec.postgresql.extensions[1]', message: 'duplicates item [0] (same name: "pgvector")' }]);
  });

  test('an unknown kind is an issue, not silently accepted', () => {
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      { field: 'apiVersion', message: 'no schema for example.com/v1 Widget; add its CRD to import.config.mjs and run npm run import' },
    ]);
  });

  test('a retired API version names the served one', () => {
    const issues = validateManifest({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', metadata: { name: 'x' } });
    expect(issues[0].message).toContain('known: helm.toolkit.fluxcd.io/v2');
  });

  test('a manifest without apiVersion', () => {
    expect(validateManifest({ kind: 'ConfigMap' })).toEqual([{ field: 'apiVersion', message: expect.any(String) }]);
  });
});

describe('validateManifest for other kinds', () => {
  test('every CRD kind of the index can be validated (CNPG Pooler, cert-manager, Gateway API, ...)', () => {
    const pooler = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'p' }, spec: { cluster: { name: 'pg' }, pgbouncer: { poolMode: 'session' } } };
    expect(validateManifest(pooler)).toEqual([]);
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: { acme: { server: 'https://acme-v02.api.letsencrypt.org/directory', privateKeySecretRef: { name: 'le' }, solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 'cf', key: 'token' } } } }] } } };
    expect(validateManifest(issuer)).toEqual([]);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } };
    expect(validateManifest(route)).toEqual([]);
  });

  test('a core kind outside the preloaded set, before and after prepareValidation', async () => {
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'apps' }, spec: { hard: { pods: '10' }, scopes: ['BestEffort'], typo: 1 } };
    expect(validateManifest(quota)).toEqual([{ field: 'spec.typo', message: "unknown field 'spec.typo'" }]);
    await prepareValidation([quota]);
    expect(validateManifest(quota)).toEqual([{ field: 'spec.typo', message: "unknown field 'spec.typo'" }]);
  });

  test('is fast once warm', () => {
    const c = cnpgCluster();
    const d = deployment();
    const start = performance.now();
    for (let i = 0; i < 1000; i++) {
      validateManifest(c);
      validateManifest(d);
    }
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
