import { Component } from '../../../src/lib/estate/component.js';
import { Diagnostics } from '../../../src/lib/estate/diagnostics.js';
import { componentSecretDeclarations, declareSecretSource, declareSecretUse, declareUserSecret, userSecrets } from '../../../src/lib/estate/user-secrets.js';
import { testCluster } from '../../helpers.js';

describe('user-provided Secrets registry', () => {
  test('a declaration takes the component namespace by default and is listed with its reader', () => {
    const { cluster } = testCluster();
    const app = new Component(cluster, { name: 'app', namespace: 'apps' });
    declareUserSecret(app, { name: 'app-token', keys: ['token'], reason: 'API token of the upstream', howTo: 'the upstream console' });
    expect(userSecrets(cluster)).toEqual([{ name: 'app-token', namespace: 'apps', keys: ['token'], readers: [{ component: app, reason: 'API token of the upstream', howTo: 'the upstream console' }] }]);
    expect(componentSecretDeclarations(app).secrets[0].namespace).toBe('apps');
  });

  test('the same Secret declared by several components merges keys and readers; the list is sorted by namespace then name', () => {
    const { cluster } = testCluster();
    const b = new Component(cluster, { name: 'b', namespace: 'zeta' });
    const a = new Component(cluster, { name: 'a', namespace: 'alpha' });
    declareUserSecret(b, { name: 'shared', namespace: 'alpha', keys: ['user', 'password'], reason: 'reads it too' });
    declareUserSecret(a, { name: 'shared', keys: ['password', 'ca.crt'], reason: 'owns it' });
    declareUserSecret(b, { name: 'own', keys: ['x'], reason: 'its own' });
    declareUserSecret(a, { name: 'zz', keys: ['k'], reason: 'last in alpha' });
    const list = userSecrets(cluster);
    expect(list.map((s) => `${s.namespace}/${s.name}`)).toEqual(['alpha/shared', 'alpha/zz', 'zeta/own']);
    expect(list[0].keys).toEqual(['ca.crt', 'password', 'user']);
    expect(list[0].readers.map((r) => [r.component.name, r.reason])).toEqual([['a', 'owns it'], ['b', 'reads it too']]);
  });

  test('component.declareUserSecret delegates to the registry', () => {
    const { cluster } = testCluster();
    const app = new Component(cluster, { name: 'app', namespace: 'apps' });
    app.declareUserSecret({ name: 'creds', keys: ['password'], reason: 'database password' });
    expect(userSecrets(cluster).map((s) => s.name)).toEqual(['creds']);
  });

  test.each([
    ['a bad name', { name: 'Bad_Name', keys: ['k'], reason: 'r' }, 'userSecrets.Bad_Name.name', "'Bad_Name' is not a valid Secret name"],
    ['a bad namespace', { name: 'ok', namespace: 'Not OK', keys: ['k'], reason: 'r' }, 'userSecrets.ok.namespace', "'Not OK' is not a valid namespace"],
    ['no key', { name: 'ok', keys: [], reason: 'r' }, 'userSecrets.ok.keys', 'lists no key'],
    ['a bad key', { name: 'ok', keys: ['good', 'no/slash'], reason: 'r' }, 'userSecrets.ok.keys', "'no/slash' is not a valid Secret key"],
    ['no reason', { name: 'ok', keys: ['k'], reason: '  ' }, 'userSecrets.ok.reason', 'gives no reason'],
  ])('%s is a problem at the field, and nothing is declared', (_what, secret, field, message) => {
    const { estate, cluster } = testCluster();
    const app = new Component(cluster, { name: 'app', namespace: 'apps' });
    declareUserSecret(app, secret);
    expect(Diagnostics.of(estate).problems).toEqual([expect.objectContaining({ cluster: 'test', path: 'test/app', field, message: expect.stringContaining(message) })]);
    expect(userSecrets(cluster)).toEqual([]);
  });

  test('uses and sources are kept per component with their namespace; bad names are problems', () => {
    const { estate, cluster } = testCluster();
    const app = new Component(cluster, { name: 'app', namespace: 'apps' });
    declareSecretUse(app, { name: 'chart-admin', field: 'spec.values.admin.existingSecret', keys: ['password'] });
    declareSecretSource(app, { name: 'made-by-operator', namespace: 'ops', by: 'the operator' });
    declareSecretUse(app, { name: 'UPPER', field: 'spec.values.x' });
    const d = componentSecretDeclarations(app);
    expect(d.uses).toEqual([expect.objectContaining({ name: 'chart-admin', namespace: 'apps', keys: ['password'], field: 'spec.values.admin.existingSecret' })]);
    expect(d.sources).toEqual([expect.objectContaining({ name: 'made-by-operator', namespace: 'ops', by: 'the operator' })]);
    expect(Diagnostics.of(estate).problems).toEqual([expect.objectContaining({ field: 'spec.values.x.name', message: "'UPPER' is not a valid Secret name" })]);
  });
});
