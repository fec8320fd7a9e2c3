import { Grafana, GRAFANA_IMAGE } from '../../../src/lib/apps/grafana.js';
import { imageName } from '../../../src/lib/apps/image.js';
import { Keycloak, KEYCLOAK_IMAGE } from '../../../src/lib/apps/keycloak.js';
import { NON_PUBLIC_RANGES } from '../../../src/lib/apps/network.js';
import { Nextcloud, NEXTCLOUD_IMAGE } from '../../../src/lib/apps/nextcloud.js';
import { OpenLdap, OPENLDAP_IMAGE } from '../../../src/lib/apps/openldap.js';
import { Postfix } from '../../../src/lib/apps/postfix.js';
import { RELAXATIONS_ANNOTATION } from '../../../src/lib/apps/security.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, mountsOf, policyLines, problemAt, problems, synth } from './harness.js';
import { parse } from 'yaml';

const DNS = 'out kube-system/k8s-app=kube-dns :53/UDP,53/TCP';
const PG = 'out databases/cnpg.io/cluster=pg :5432/TCP';
const REDIS = 'out databases/app.kubernetes.io/name=redis :6379/TCP';
const WEB = `out 0.0.0.0/0 except ${NON_PUBLIC_RANGES.join(',')} :443/TCP,80/TCP`;
const secret = (key: string) => ({ secretKeyRef: { name: 'app-secrets', key } });

describe('Nextcloud', () => {
  const s = synth((c) => {
    withPlatform(c);
    const postfix = new Postfix(c, 'postfix');
    new Nextcloud(c, 'nextcloud', { subdomain: 'cloud', data: { nfs: { server: 'nas.lan', path: '/volume1/nextcloud' } }, admin: { password: secret('nc-admin') }, smtp: postfix.relay });
  }, { defaultDenyNetworkPolicies: true });
  const d = s.get('Deployment', 'nextcloud', 'nextcloud');
  const main = mainContainer(d);

  test('pinned Apache image on port 80, html claim and NFS data', () => {
    expect(main.image).toBe(imageName(NEXTCLOUD_IMAGE));
    expect(main.image).toMatch(/^nextcloud:\d+\.\d+\.\d+-apache$/);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 80, protocol: 'TCP' }]);
    expect(mountsOf(main)).toEqual({ '/var/www/html': 'html', '/var/www/html/data': 'data', '/tmp': 'tmp' });
    expect(s.get('PersistentVolume', 'nextcloud-nextcloud-data').spec.nfs).toEqual({ server: 'nas.lan', path: '/volume1/nextcloud', readOnly: false });
    expect(s.get('PersistentVolumeClaim', 'nextcloud-html').spec.resources.requests.storage).toBe('10Gi');
  });

  test('Postgres and Redis env from their Secrets; trusted domain, overwrite URL and proxies derived', () => {
    expect(envOf(main)).toMatchObject({
      POSTGRES_HOST: 'pg-rw.databases.svc.cluster.local:5432', POSTGRES_DB: 'nextcloud',
      POSTGRES_USER: 'secret:nextcloud-db/username', POSTGRES_PASSWORD: 'secret:nextcloud-db/password',
      REDIS_HOST: 'redis.databases.svc.cluster.local', REDIS_HOST_PORT: '6379', REDIS_HOST_PASSWORD: 'secret:redis-auth/password',
      NEXTCLOUD_TRUSTED_DOMAINS: 'cloud.example.com', OVERWRITECLIURL: 'https://cloud.example.com', OVERWRITEPROTOCOL: 'https', TRUSTED_PROXIES: '10.42.0.0/16',
      NEXTCLOUD_ADMIN_USER: 'admin', NEXTCLOUD_ADMIN_PASSWORD: 'secret:app-secrets/nc-admin',
      SMTP_HOST: 'postfix.mail.svc.cluster.local', SMTP_PORT: '587', MAIL_DOMAIN: 'example.com',
    });
    expect(s.dependsOn('nextcloud')).toEqual(['ingress', 'postgres', 'redis', 'storage']);
  });

  test('explicit relaxations: root, capabilities, writable root — recorded with reasons; namespace baseline', () => {
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0, fsGroup: 33 });
    expect(main.securityContext).toMatchObject({ readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'] } });
    expect(d.metadata.annotations[RELAXATIONS_ANNOTATION].split('\n').map((l: string) => l.split(':')[0])).toEqual(['runAsRoot', 'writableRootFilesystem', 'addCapabilities']);
    expect(s.get('Namespace', 'nextcloud').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('probes send the trusted Host; a cron sidecar shares the volumes and env', () => {
    expect(main.startupProbe.httpGet).toEqual({ path: '/status.php', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'Host', value: 'cloud.example.com' }] });
    const cron = d.spec.template.spec.containers.find((c: any) => c.name === 'cron');
    expect(cron.command).toEqual(['/cron.sh']);
    expect(cron.image).toBe(main.image);
    expect(mountsOf(cron)).toEqual({ '/var/www/html': 'html', '/var/www/html/data': 'data', '/tmp': 'tmp' });
    expect(envOf(cron).POSTGRES_PASSWORD).toBe('secret:nextcloud-db/password');
    expect(s.cluster.component('nextcloud')!.workloads[0]).toMatchObject({ heavy: true, cpuRequest: '110m', memoryRequest: '544Mi', memoryLimit: '2176Mi' });
  });

  test('NetworkPolicy: ingress in; DNS, web, Postfix, Postgres and Redis out — nothing else', () => {
    expect(policyLines(s.get('NetworkPolicy', 'nextcloud'))).toEqual([
      'in ingress/app.kubernetes.io/name=fake-proxy :80/TCP', DNS, WEB, 'out mail/app.kubernetes.io/name=postfix :587/TCP', PG, REDIS,
    ]);
  });

  test('Nextcloud on a cluster without Redis or Postgres: one problem each', () => {
    const p = problems((c) => { withPlatform(c, { postgres: false, redis: false }); new Nextcloud(c, 'nextcloud'); });
    problemAt(p, 'database', "PostgreSQL database 'nextcloud'");
    problemAt(p, 'redis', 'no Redis service');
  });
});

describe('OpenLDAP and Keycloak', () => {
  const s = synth((c) => {
    withPlatform(c);
    const postfix = new Postfix(c, 'postfix');
    const ldap = new OpenLdap(c, 'openldap', { adminPassword: secret('ldap-admin') });
    new Keycloak(c, 'keycloak', { subdomain: 'auth', bootstrapAdminPassword: secret('kc-admin'), realm: { name: 'homelab', displayName: 'Homelab', ldap }, smtp: postfix.relay });
  }, { defaultDenyNetworkPolicies: true });

  describe('OpenLDAP', () => {
    const d = s.get('Deployment', 'openldap', 'identity');
    const main = mainContainer(d);

    test('non-root on 1389 behind Service port 389, never exposed', () => {
      expect(main.image).toBe(imageName(OPENLDAP_IMAGE));
      expect(main.ports).toEqual([{ name: 'ldap', containerPort: 1389, protocol: 'TCP' }]);
      expect(s.get('Service', 'openldap').spec.ports).toEqual([{ name: 'ldap', port: 389, targetPort: 'ldap', protocol: 'TCP' }]);
      expect(s.find('Ingress', 'openldap')).toBeUndefined();
      expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001 });
      expect(main.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    });

    test('base DN derived from the domain; admin password from a Secret; the demo tree replaced by ours', () => {
      expect(envOf(main)).toMatchObject({ LDAP_ROOT: 'dc=example,dc=com', LDAP_ADMIN_PASSWORD: 'secret:app-secrets/ldap-admin', LDAP_SKIP_DEFAULT_TREE: 'yes', LDAP_ALLOW_ANON_BINDING: 'no' });
      expect(s.get('ConfigMap', 'openldap-tree').data['00-tree.ldif']).toContain('dn: ou=users,dc=example,dc=com\nobjectClass: organizationalUnit');
      expect(mountsOf(main)).toEqual({
        '/bitnami/openldap': 'data', '/ldifs': 'tree', '/opt/bitnami/openldap/share': 'share', '/opt/bitnami/openldap/var/run': 'run', '/tmp': 'tmp',
      });
    });

    test('only Keycloak may bind, on the pod port', () => {
      expect(policyLines(s.get('NetworkPolicy', 'openldap'))).toEqual(['in identity/app.kubernetes.io/name=keycloak :1389/TCP', DNS]);
    });
  });

  describe('Keycloak', () => {
    const d = s.get('Deployment', 'keycloak', 'identity');
    const main = mainContainer(d);
    const init = d.spec.template.spec.initContainers[0];

    test('optimized start from an init-container build: read-only root with no relaxation', () => {
      expect(main.image).toBe(imageName(KEYCLOAK_IMAGE));
      expect(main.args).toEqual(['start', '--optimized', '--import-realm']);
      expect(init).toMatchObject({ name: 'build', args: ['build'], image: main.image });
      expect(mountsOf(init)).toEqual({ '/opt/keycloak/lib/quarkus': 'quarkus', '/opt/keycloak/data': 'data', '/tmp': 'tmp' });
      expect(envOf(init)).toMatchObject({ KC_DB: 'postgres', KC_HEALTH_ENABLED: 'true', KC_METRICS_ENABLED: 'true' });
      expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(d.metadata.annotations).toBeUndefined();
      expect(mountsOf(main)['/opt/keycloak/data/import']).toBe('realm');
    });

    test('database, hostname and bootstrap admin from the cluster and Secrets', () => {
      expect(envOf(main)).toMatchObject({
        KC_DB_URL_HOST: 'pg-rw.databases.svc.cluster.local', KC_DB_URL_PORT: '5432', KC_DB_URL_DATABASE: 'keycloak',
        KC_DB_USERNAME: 'secret:keycloak-db/username', KC_DB_PASSWORD: 'secret:keycloak-db/password',
        KC_HOSTNAME: 'https://auth.example.com', KC_PROXY_HEADERS: 'xforwarded', KC_HTTP_ENABLED: 'true',
        KC_BOOTSTRAP_ADMIN_PASSWORD: 'secret:app-secrets/kc-admin', LDAP_BIND_PASSWORD: 'secret:app-secrets/ldap-admin',
      });
      expect(main.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'management', containerPort: 9000, protocol: 'TCP' }]);
      expect(s.get('Service', 'keycloak').spec.ports.map((p: any) => p.port)).toEqual([8080, 9000]);
      // Only the HTTP port is routed; management (health, metrics) stays in the cluster.
      expect(s.get('Ingress', 'keycloak').spec.rules[0].http.paths[0].backend.service.port.number).toBe(8080);
      expect(main.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'management', scheme: 'HTTP' });
      expect(main.startupProbe.failureThreshold).toBe(60);
    });

    test('the realm import federates OpenLDAP with a placeholder, never the password', () => {
      const json = JSON.parse(s.get('ConfigMap', 'keycloak-realm').data['homelab.json']);
      expect(json).toMatchObject({ realm: 'homelab', displayName: 'Homelab', registrationAllowed: false, resetPasswordAllowed: true });
      expect(json.smtpServer).toMatchObject({ host: 'postfix.mail.svc.cluster.local', port: '587', from: 'keycloak@example.com' });
      const [ldap] = json.components['org.keycloak.storage.UserStorageProvider'];
      expect(ldap.config).toMatchObject({
        connectionUrl: ['ldap://openldap.identity.svc.cluster.local:389'], bindDn: ['cn=admin,dc=example,dc=com'],
        bindCredential: ['${LDAP_BIND_PASSWORD}'], usersDn: ['ou=users,dc=example,dc=com'], editMode: ['READ_ONLY'],
      });
      expect(ldap.subComponents['org.keycloak.storage.ldap.mappers.LDAPStorageMapper'].map((m: any) => m.name)).toEqual(['username', 'email', 'first name', 'last name']);
    });

    test('NetworkPolicy: ingress in; DNS, OpenLDAP, Postfix, Postgres out', () => {
      expect(policyLines(s.get('NetworkPolicy', 'keycloak'))).toEqual([
        'in ingress/app.kubernetes.io/name=fake-proxy :8080/TCP', DNS, 'out identity/app.kubernetes.io/name=openldap :1389/TCP',
        'out mail/app.kubernetes.io/name=postfix :587/TCP', PG,
      ]);
    });

    test('two replicas: JGroups between the pods, PDB, and no shared writable claim', () => {
      const ha = synth((c) => { withPlatform(c); new Keycloak(c, 'keycloak', { bootstrapAdminPassword: secret('kc'), replicas: 2 }); }, { defaultDenyNetworkPolicies: true });
      expect(ha.get('Deployment', 'keycloak').spec.replicas).toBe(2);
      expect(ha.get('PodDisruptionBudget', 'keycloak')).toBeDefined();
      const lines = policyLines(ha.get('NetworkPolicy', 'keycloak'));
      expect(lines).toContain('in identity/app.kubernetes.io/name=keycloak :7800/TCP,57800/TCP');
      expect(lines).toContain('out identity/app.kubernetes.io/name=keycloak :7800/TCP,57800/TCP');
    });

    test('Keycloak on a cluster without Postgres is a problem', () => {
      const p = problems((c) => { withPlatform(c, { postgres: false }); new Keycloak(c, 'keycloak', { bootstrapAdminPassword: secret('kc') }); });
      problemAt(p, 'database', "PostgreSQL database 'keycloak'");
    });
  });
});

describe('Grafana', () => {
  const s = synth((c) => {
    withPlatform(c);
    new Grafana(c, 'grafana', {
      adminPassword: secret('grafana-admin'),
      postgres: true,
      datasources: [
        { name: 'Prometheus', type: 'prometheus', url: 'http://prometheus.monitoring.svc:9090', peer: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ port: 9090 }] } },
        { name: 'InfluxDB', type: 'influxdb', url: 'http://influxdb.monitoring.svc:8086', jsonData: { version: 'Flux', organization: 'homelab' }, peer: { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'influxdb' }, ports: [{ port: 8086 }] } },
      ],
    });
  }, { defaultDenyNetworkPolicies: true });
  const d = s.get('Deployment', 'grafana', 'grafana');
  const main = mainContainer(d);

  test('uid 472, port 3000, /var/lib/grafana claim, logs and tmp emptyDirs, provisioning mounted', () => {
    expect(main.image).toBe(imageName(GRAFANA_IMAGE));
    expect(main.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 472, runAsGroup: 472, fsGroup: 472 });
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountsOf(main)).toEqual({ '/var/lib/grafana': 'data', '/var/log/grafana': 'logs', '/etc/grafana/provisioning/datasources': 'datasources', '/tmp': 'tmp' });
    expect(main.livenessProbe.httpGet.path).toBe('/api/health');
  });

  test('env: root URL, admin from a Secret, Postgres from its Secret, telemetry off', () => {
    expect(envOf(main)).toMatchObject({
      GF_SERVER_ROOT_URL: 'https://grafana.example.com', GF_SECURITY_ADMIN_PASSWORD: 'secret:app-secrets/grafana-admin',
      GF_DATABASE_TYPE: 'postgres', GF_DATABASE_HOST: 'pg-rw.databases.svc.cluster.local:5432', GF_DATABASE_NAME: 'grafana',
      GF_DATABASE_USER: 'secret:grafana-db/username', GF_DATABASE_PASSWORD: 'secret:grafana-db/password', GF_ANALYTICS_REPORTING_ENABLED: 'false',
    });
  });

  test('datasources are provisioned, the first is the default', () => {
    const file = parse(s.get('ConfigMap', 'grafana-datasources').data['datasources.yaml']);
    expect(file.datasources).toEqual([
      { name: 'Prometheus', type: 'prometheus', access: 'proxy', url: 'http://prometheus.monitoring.svc:9090', isDefault: true, editable: false },
      { name: 'InfluxDB', type: 'influxdb', access: 'proxy', url: 'http://influxdb.monitoring.svc:8086', isDefault: false, editable: false, jsonData: { version: 'Flux', organization: 'homelab' } },
    ]);
  });

  test('NetworkPolicy: egress only to its datasources and database; no internet', () => {
    const lines = policyLines(s.get('NetworkPolicy', 'grafana'));
    expect(lines).toEqual([
      'in ingress/app.kubernetes.io/name=fake-proxy :3000/TCP', DNS,
      'out monitoring/app.kubernetes.io/name=prometheus :9090/TCP', 'out monitoring/app.kubernetes.io/name=influxdb :8086/TCP', PG,
    ]);
    expect(lines.some((l) => l.includes('0.0.0.0/0'))).toBe(false);
  });
});
