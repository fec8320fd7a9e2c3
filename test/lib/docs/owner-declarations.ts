import { Component } from '../../../src/lib/estate/component.js';
import type { Estate } from '../../../src/lib/estate/estate.js';
import { declareSecretUse, declareUserSecret } from '../../../src/lib/estate/user-secrets.js';

/**
 * The user-provided Secrets the reference estate's constructs owned elsewhere (apps, observability)
 * must declare for the secret-reference check to pass on `services`. Declarations merge, so this
 * stays harmless once those constructs declare them themselves; until then it lets the docs and
 * safety tests synthesize the reference estate.
 */
export function withOwnerDeclarations(estate: Estate): Estate {
  const services = estate.clusters.find((c) => c.name === 'services');
  if (!services) return estate;
  const c = (name: string): Component => services.component(name)!;
  declareUserSecret(c('postfix'), { name: 'smtp-relay', keys: ['password'], reason: 'password of the relay account' });
  declareUserSecret(c('openldap'), { name: 'openldap-admin', keys: ['password'], reason: 'password of the LDAP admin' });
  declareUserSecret(c('keycloak'), { name: 'keycloak-bootstrap-admin', keys: ['password'], reason: 'password of the temporary admin' });
  declareUserSecret(c('keycloak'), { name: 'openldap-admin', keys: ['password'], reason: 'LDAP bind password' });
  declareUserSecret(c('influxdb'), { name: 'influxdb-admin', keys: ['password', 'token', 'username'], reason: 'InfluxDB admin' });
  declareSecretUse(c('kube-prometheus-stack'), { name: 'grafana-admin', field: 'spec.values.grafana.admin.existingSecret', keys: ['admin-user', 'admin-password'] });
  declareUserSecret(c('kube-prometheus-stack'), { name: 'grafana-admin', keys: ['admin-password', 'admin-user'], reason: 'Grafana admin' });
  return estate;
}
