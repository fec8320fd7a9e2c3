import { validateHelmValues } from '../../../src/lib/validation/values-validator.js';

describe('validateHelmValues with a chart values schema', () => {
  test('accepts valid traefik values', () => {
    expect(validateHelmValues('traefik', { deployment: { replicas: 2, podAnnotations: { 'prometheus.io/scrape': 'true' } }, service: { type: 'LoadBalancer' } })).toEqual([]);
  });

  test('catches an unknown traefik key and suggests the one meant', () => {
    expect(validateHelmValues('traefik', { deploymnt: { replicas: 2 } })).toEqual([
      { field: 'deploymnt', message: "unknown values key 'deploymnt' (did you mean 'deployment'?)" },
    ]);
  });

  test('catches a wrong type in traefik values', () => {
    expect(validateHelmValues('traefik', { deployment: { replicas: 'two' } })).toEqual([
      { field: 'deployment.replicas', message: expect.stringMatching(/^must be an integer/) },
    ]);
  });

  test('catches unknown cilium keys (its published schema closes no object; the import closes them)', () => {
    expect(validateHelmValues('cilium', { kubeProxyReplacement: true, hubble: { relay: { enabled: true, enabeld: true } } })).toEqual([
      { field: 'hubble.relay.enabeld', message: "unknown values key 'hubble.relay.enabeld' (did you mean 'hubble.relay.enabled'?)" },
    ]);
  });

  test('accepts free-form maps of a schema chart', () => {
    expect(validateHelmValues('cilium', { podAnnotations: { a: 'b' }, operator: { podAnnotations: { c: 'd' } } })).toEqual([]);
  });

  test('checks app-template values against the bundled common library schema', () => {
    const values = {
      controllers: { main: { containers: { main: { image: { repository: 'nginx', tag: '1.27' } } } } },
      service: { main: { controller: 'main', ports: { http: { port: 80 } } } },
    };
    expect(validateHelmValues('app-template', values)).toEqual([]);
    const typo = { controllers: { main: { containers: { main: { image: { repository: 'nginx', tagg: '1.27' } } } } } };
    expect(validateHelmValues('app-template', typo).map((i) => i.field)).toContain('controllers.main.containers.main.image.tagg');
  });

  test('validates values merged over the chart defaults, as Helm does (required keys with defaults)', () => {
    expect(validateHelmValues('cloudflared', { tunnelConfig: { name: 'home' }, replica: { allNodes: false, count: 2 } })).toEqual([]);
    expect(validateHelmValues('cloudflared', { tunnelConfig: { name: 'home' }, replica: { count: 'two' } })).toEqual([
      { field: 'replica.count', message: expect.stringMatching(/^must be an integer/) },
    ]);
  });

  test('null removes a default, so a required key can go missing', () => {
    const issues = validateHelmValues('cloudflared', { tunnelConfig: null });
    expect(issues).toContainEqual({ field: 'tunnelConfig', message: "required values key 'tunnelConfig' is missing" });
  });
});

describe('validateHelmValues with the values.yaml key tree', () => {
  test('accepts valid ingress-nginx values', () => {
    expect(validateHelmValues('ingress-nginx', { controller: { replicaCount: 2, service: { type: 'LoadBalancer', nodePorts: { http: 30080 } } } })).toEqual([]);
  });

  test('catches an unknown key with the key probably meant', () => {
    expect(validateHelmValues('ingress-nginx', { controller: { replicaCout: 2 } })).toEqual([
      { field: 'controller.replicaCout', message: "unknown values key 'controller.replicaCout' (did you mean 'controller.replicaCount'?)" },
    ]);
  });

  test('suggests where a misplaced key belongs', () => {
    expect(validateHelmValues('longhorn', { defaultClassReplicaCount: 2 })).toEqual([
      { field: 'defaultClassReplicaCount', message: "unknown values key 'defaultClassReplicaCount' (did you mean 'persistence.defaultClassReplicaCount'?)" },
    ]);
  });

  test('accepts anything below free-form maps and lists', () => {
    expect(validateHelmValues('ingress-nginx', {
      controller: { podAnnotations: { 'prometheus.io/scrape': 'true', anything: { nested: 1 } }, tolerations: [{ key: 'x', operator: 'Exists' }] },
    })).toEqual([]);
    expect(validateHelmValues('longhorn', { longhornManager: { nodeSelector: { 'kubernetes.io/os': 'linux' } } })).toEqual([]);
  });

  test('catches scalars of the wrong type', () => {
    expect(validateHelmValues('ingress-nginx', { controller: { replicaCount: 'two' } })).toEqual([
      { field: 'controller.replicaCount', message: expect.stringContaining("'controller.replicaCount' must be a number") },
    ]);
    expect(validateHelmValues('longhorn', { persistence: { defaultClass: 'yes' } })).toEqual([
      { field: 'persistence.defaultClass', message: expect.stringContaining('must be a boolean') },
    ]);
  });

  test('catches a scalar where values.yaml has a map', () => {
    expect(validateHelmValues('longhorn', { persistence: 'longhorn' })).toEqual([
      { field: 'persistence', message: expect.stringContaining('must be a map') },
    ]);
  });

  test('accepts keys values.yaml documents only as commented-out YAML', () => {
    // ingress-nginx values.yaml: "# nameOverride:" / "# fullnameOverride:"
    expect(validateHelmValues('ingress-nginx', { fullnameOverride: 'ingress-nginx', nameOverride: 'x' })).toEqual([]);
  });

  test('leaves Kubernetes structures the chart passes through free-form', () => {
    // values.yaml sets podSecurityContext to runAsNonRoot/runAsUser only.
    expect(validateHelmValues('cloudflare-tunnel-remote', { podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } } })).toEqual([]);
  });

  test('lets through keys below a subchart it has no values.yaml for, but checks the parent chart', () => {
    expect(validateHelmValues('kube-prometheus-stack', { grafana: { adminPassword: 'x', persistence: { enabled: true } } })).toEqual([]);
    expect(validateHelmValues('kube-prometheus-stack', { prometheus: { prometheusSpec: { retention: '30d', retentionn: '1d' } } })).toEqual([
      { field: 'prometheus.prometheusSpec.retentionn', message: "unknown values key 'prometheus.prometheusSpec.retentionn' (did you mean 'prometheus.prometheusSpec.retention'?)" },
    ]);
  });

  test('null unsets a key and is always accepted', () => {
    expect(validateHelmValues('ingress-nginx', { controller: { replicaCount: null } })).toEqual([]);
  });
});

test('an unknown chart is an issue', () => {
  expect(validateHelmValues('no-such-chart', {})).toEqual([
    { field: '', message: "no values data for chart 'no-such-chart'; add the chart to import.config.mjs and run npm run import" },
  ]);
});
