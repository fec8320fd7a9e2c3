import { celIssues, celNotEvaluated, withFieldPath } from '../../../src/lib/validation/cel-validator.js';
import { celRulesFor } from '../../../src/lib/validation/cel-rules.js';
import { crdSchema } from '../../../src/lib/validation/crd-schemas.js';
import { validateManifest } from '../../../src/lib/validation/schema-validator.js';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';

const gateway = (listener: Record<string, unknown>): Record<string, any> => ({
  apiVersion: GATEWAY_API,
  kind: 'Gateway',
  metadata: { name: 'web', namespace: 'gateway' },
  spec: { gatewayClassName: 'cilium', listeners: [{ name: 'http', port: 80, ...listener }] },
});

const route = (spec: Record<string, unknown>): Record<string, any> => ({
  apiVersion: GATEWAY_API,
  kind: 'HTTPRoute',
  metadata: { name: 'app', namespace: 'apps' },
  spec: { hostnames: ['app.example.org'], ...spec },
});

const backend = { name: 'app', port: 8080 };

describe('CEL rules of the CRDs, evaluated on generated objects', () => {
  test('a Gateway listener with protocol HTTP that sets tls passes the JSON schema but not its CEL rule', () => {
    const bad = gateway({ protocol: 'HTTP', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } });
    expect(crdSchema(GATEWAY_API, 'Gateway')).toBeDefined();
    expect(validateManifest(bad)).toEqual([
      {
        field: 'spec.listeners',
        message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP'] (CEL rule `self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)`)",
      },
    ]);
  });

  test('the fixed Gateways pass: HTTP without tls, HTTPS with it', () => {
    expect(validateManifest(gateway({ protocol: 'HTTP' }))).toEqual([]);
    expect(validateManifest(gateway({ protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } }))).toEqual([]);
  });

  test('a rule on list items runs once per item and names the item', () => {
    const issues = validateManifest(route({ rules: [{ backendRefs: [backend] }, { matches: [{ path: { type: 'PathPrefix', value: 'api' } }], backendRefs: [backend] }] }));
    expect(issues).toEqual([
      {
        field: 'spec.rules[1].matches[0].path',
        message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix'] (CEL rule `(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true`)",
      },
    ]);
  });

  test('rules see schema defaults: a path match without type is a PathPrefix on the API server', () => {
    const issues = validateManifest(route({ rules: [{ matches: [{ path: { value: 'api' } }], backendRefs: [backend] }] }));
    expect(issues.map((i) => i.field)).toEqual(['spec.rules[0].matches[0].path']);
    expect(validateManifest(route({ rules: [{ matches: [{ path: { value: '/api' } }], backendRefs: [backend] }] }))).toEqual([]);
  });

  test('properties named like CEL keywords are read escaped (parentRef namespace as __namespace__)', () => {
    const ref = { group: GATEWAY_API.split('/')[0], kind: 'Gateway', name: 'web' };
    const sameParent = route({ parentRefs: [{ ...ref, namespace: 'gateway' }, { ...ref, namespace: 'gateway', sectionName: 'https' }] });
    expect(validateManifest(sameParent).map((i) => i.message.split(' (CEL')[0])).toEqual([
      'sectionName must be specified when parentRefs includes 2 or more references to the same parent',
    ]);
    const twoParents = route({ parentRefs: [{ ...ref, namespace: 'gateway' }, { ...ref, namespace: 'other', sectionName: 'https' }] });
    expect(validateManifest(twoParents)).toEqual([]);
  });

  test('a transition rule (oldSelf) is listed but not applied to a create', () => {
    const rules = celRulesFor(GATEWAY_API, 'GatewayClass');
    expect(rules).toContainEqual(expect.objectContaining({ field: 'spec.controllerName', rule: 'self == oldSelf', transition: true }));
    const gc = { apiVersion: GATEWAY_API, kind: 'GatewayClass', metadata: { name: 'cilium' }, spec: { controllerName: 'io.cilium/gateway-controller' } };
    expect(validateManifest(gc)).toEqual([]);
  });

  test('a rule that selects an absent field fails as on the API server (no such key)', () => {
    // CNPG ImageCatalog images: the rule reads e.major of every image; synth's schema check would
    // refuse the missing field first, so the CEL step is called directly.
    const obj = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ImageCatalog', metadata: { name: 'pg', namespace: 'db' }, spec: { images: [{ image: 'pg:16' }] } };
    const issues = celIssues(obj, crdSchema('postgresql.cnpg.io/v1', 'ImageCatalog'));
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe('spec.images');
    expect(issues[0].message).toMatch(/^rule cannot be evaluated on this object: (no such key|field not found)/);
  });

  test('a rule the evaluator cannot finish raises no error and is recorded instead', () => {
    const before = celNotEvaluated().length;
    // `duration('soon')` is an evaluation error of the value, not of the object's shape.
    const obj = route({ rules: [{ backendRefs: [backend], timeouts: { request: 'soon', backendRequest: '1s' } }] });
    expect(celIssues(obj, crdSchema(GATEWAY_API, 'HTTPRoute'))).toEqual([]);
    const added = celNotEvaluated().slice(before);
    expect(added).toEqual([expect.objectContaining({ object: "HTTPRoute 'apps/app'", field: 'spec.rules[0].timeouts' })]);
  });

  test('a rule with fieldPath reports at that field, with its reason', () => {
    const store = {
      apiVersion: 'barmancloud.cnpg.io/v1', kind: 'ObjectStore', metadata: { name: 's', namespace: 'db' },
      spec: { configuration: { destinationPath: 's3://b/', serverName: 'pg' } },
    };
    const issues = celIssues(store, crdSchema('barmancloud.cnpg.io/v1', 'ObjectStore'));
    expect(issues).toEqual([expect.objectContaining({ field: 'spec.configuration.serverName' })]);
    expect(issues[0].message).toContain("use the 'serverName' plugin parameter in the Cluster resource");
    expect(issues[0].message).toContain('reason FieldValueForbidden');
    expect(withFieldPath(['spec'], ".a['b.c'][2]")).toEqual(['spec', 'a', 'b.c', 2]);
  });

  test('a rule at the root reads metadata (FluxInstance must be named flux)', () => {
    const fi = (name: string) => ({ apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name, namespace: 'flux-system' }, spec: { distribution: { version: '2.x', registry: 'ghcr.io/fluxcd' } } });
    const schema = crdSchema('fluxcd.controlplane.io/v1', 'FluxInstance');
    expect(celIssues(fi('flux'), schema)).toEqual([]);
    expect(celIssues(fi('other'), schema).map((i) => i.field)).toEqual(['']);
  });
});
