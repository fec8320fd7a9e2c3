import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../estate/cluster.js';
import { App, PostgresRequest } from './app.js';
import { declareSecretInput, EnvValue, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { NetworkPeer } from './network.js';
import { OpenLdap } from './openldap.js';
import { AppOptions, expectedHostname, postgresDatabase, withOptions } from './options.js';
import { SmtpRelay, smtpPeer } from './smtp.js';
import { AppVolume } from './volumes.js';

/** Keycloak's upstream image (Quarkus distribution; amd64/arm64). */
// renovate: datasource=docker depName=quay.io/keycloak/keycloak
export const KEYCLOAK_IMAGE: ImageRef = { repository: 'quay.io/keycloak/keycloak', tag: '26.7.4', archs: ['amd64', 'arm64'] };

/** A realm imported at startup (created if missing, left alone if it exists). */
export interface KeycloakRealm {
  /** Realm name, e.g. `homelab`. */
  readonly name: string;
  /** @default - the name */
  readonly displayName?: string;
  /** Federate users from this OpenLDAP (read-only, imported on login). @default - no federation */
  readonly ldap?: OpenLdap;
  /** Realm mail (password resets, verification) through this relay. @default - the Keycloak's `smtp` */
  readonly smtp?: SmtpRelay;
}

export interface KeycloakProps extends AppOptions {
  /** Database on the cluster's PostgreSQL. @default { database: 'keycloak' } */
  readonly postgres?: Pick<PostgresRequest, 'database' | 'owner'>;
  /** Password of the temporary bootstrap admin `admin` (replace it after the first login). */
  readonly bootstrapAdminPassword: SecretInput;
  /** Realm imported at startup. @default - none (master realm only) */
  readonly realm?: KeycloakRealm;
  /** Mail relay for realms. @default - no mail */
  readonly smtp?: SmtpRelay;
  /** Replicas (Infinispan clusters them through the database's JDBC_PING). @default 1 */
  readonly replicas?: number;
}

/** Build options baked by `kc.sh build`; the init container and the server must agree on them. */
const BUILD_ENV: Record<string, string> = { KC_DB: 'postgres', KC_HEALTH_ENABLED: 'true', KC_METRICS_ENABLED: 'true' };

/**
 * Keycloak (single sign-on) on 8080 (management/health on 9000) as uid 1000, Postgres-backed, with an
 * optional realm imported at startup that federates users from OpenLDAP (bind password read from the
 * environment by the import's `${LDAP_BIND_PASSWORD}` placeholder, never written into the ConfigMap).
 *
 * Read-only root filesystem without a relaxation: an init container runs `kc.sh build` into an
 * emptyDir mounted at `/opt/keycloak/lib/quarkus` (the only place the build writes), and the server
 * starts `--optimized` from it; `/opt/keycloak/data` and `/tmp` are emptyDirs (nothing there needs
 * to persist with Postgres). Hostname, proxy headers (`xforwarded`) and HTTP behind the ingress are derived.
 */
export class Keycloak extends App {
  constructor(cluster: HomelabCluster, id: string, props: KeycloakProps) {
    const host = expectedHostname(id, cluster.domain, props);
    const realm = props.realm;
    const realmSmtp = realm?.smtp ?? props.smtp;
    const configMap = `${id}-realm`;
    const env: Record<string, EnvValue> = {
      ...BUILD_ENV,
      KC_HOSTNAME: `https://${host}`,
      KC_HTTP_ENABLED: 'true',
      KC_HTTP_PORT: '8080',
      KC_HTTP_MANAGEMENT_PORT: '9000',
      KC_PROXY_HEADERS: 'xforwarded',
      KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
      KC_BOOTSTRAP_ADMIN_PASSWORD: props.bootstrapAdminPassword,
      KC_LOG_CONSOLE_OUTPUT: 'json',
    };
    if (realm?.ldap) env.LDAP_BIND_PASSWORD = realm.ldap.adminPassword;
    const persistence: Record<string, AppVolume> = {
      quarkus: { type: 'emptyDir', mountPath: '/opt/keycloak/lib/quarkus' },
      data: { type: 'emptyDir', mountPath: '/opt/keycloak/data' },
    };
    if (realm) persistence.realm = { type: 'configMap', name: configMap, mountPath: '/opt/keycloak/data/import' };
    const egress: NetworkPeer[] = [];
    if (realm?.ldap) egress.push({ app: realm.ldap, ports: ['ldap'] });
    if (realmSmtp) egress.push(smtpPeer(realmSmtp));
    // Several replicas form an Infinispan cluster over JGroups (7800, failure detection 57800).
    const clusterPeers: NetworkPeer[] = (props.replicas ?? 1) > 1
      ? [{ namespace: typeof props.namespace === 'string' ? props.namespace : props.namespace?.name ?? 'identity', podLabels: { 'app.kubernetes.io/name': id }, ports: [{ port: 7800 }, { port: 57800 }] }]
      : [];
    egress.push(...clusterPeers);
    super(cluster, id, withOptions({
      namespace: 'identity',
      image: KEYCLOAK_IMAGE,
      args: ['start', '--optimized', ...(realm ? ['--import-realm'] : [])],
      ports: [{ name: 'http', port: 8080 }, { name: 'management', port: 9000 }],
      metrics: { port: 'management' },
      env,
      database: postgresDatabase(props.postgres, 'keycloak', { host: 'KC_DB_URL_HOST', port: 'KC_DB_URL_PORT', database: 'KC_DB_URL_DATABASE', username: 'KC_DB_USERNAME', password: 'KC_DB_PASSWORD' }),
      persistence,
      expose: 'internal',
      replicas: props.replicas ?? 1,
      initContainers: [{ name: 'build', args: ['build'], volumes: ['quarkus', 'data', 'tmp'], resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '1Gi' } }],
      probes: {
        startup: { http: { path: '/health/started', port: 'management' }, failureThreshold: 60 },
        liveness: { http: { path: '/health/live', port: 'management' } },
        readiness: { http: { path: '/health/ready', port: 'management' } },
      },
      resources: { cpuRequest: '100m', memoryRequest: '768Mi', memoryLimit: '1536Mi' },
      security: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      network: { egress, ingress: clusterPeers },
    }, props));
    declareSecretInput(this, props.bootstrapAdminPassword, "password of Keycloak's temporary bootstrap admin 'admin' (replace it after the first login)");
    if (realm?.ldap) declareSecretInput(this, realm.ldap.adminPassword, `bind password of ${realm.ldap.adminDn} for the realm's LDAP federation (the same value as OpenLDAP's, in Keycloak's namespace)`);
    if (realm) {
      new ApiObject(this, 'realm', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMap, namespace: this.namespace },
        data: { [`${realm.name}.json`]: JSON.stringify(realmJson(realm, realmSmtp), null, 2) + '\n' },
      });
    }
  }
}

/** The realm representation Keycloak imports. */
export function realmJson(realm: KeycloakRealm, smtp: SmtpRelay | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = {
    realm: realm.name,
    displayName: realm.displayName ?? realm.name,
    enabled: true,
    sslRequired: 'external',
    registrationAllowed: false,
    resetPasswordAllowed: smtp !== undefined,
    bruteForceProtected: true,
  };
  if (smtp) {
    json.smtpServer = { host: smtp.host, port: String(smtp.port), from: `keycloak@${smtp.fromDomain}`, fromDisplayName: realm.displayName ?? realm.name, starttls: 'false', ssl: 'false', auth: 'false' };
  }
  if (realm.ldap) {
    const ldap = realm.ldap;
    const mapper = (name: string, ldapAttribute: string, modelAttribute: string) => ({
      name,
      providerId: 'user-attribute-ldap-mapper',
      subComponents: {},
      config: {
        'ldap.attribute': [ldapAttribute], 'user.model.attribute': [modelAttribute], 'read.only': ['true'],
        'always.read.value.from.ldap': ['true'], 'is.mandatory.in.ldap': [modelAttribute === 'username' ? 'true' : 'false'],
      },
    });
    json.components = {
      'org.keycloak.storage.UserStorageProvider': [{
        name: ldap.name,
        providerId: 'ldap',
        subComponents: {
          'org.keycloak.storage.ldap.mappers.LDAPStorageMapper': [
            mapper('username', 'uid', 'username'),
            mapper('email', 'mail', 'email'),
            mapper('first name', 'givenName', 'firstName'),
            mapper('last name', 'sn', 'lastName'),
          ],
        },
        config: {
          enabled: ['true'],
          vendor: ['other'],
          connectionUrl: [ldap.ldapUrl],
          bindDn: [ldap.adminDn],
          // Resolved from the container environment at import; the password is never in the ConfigMap.
          bindCredential: ['${LDAP_BIND_PASSWORD}'],
          authType: ['simple'],
          usersDn: [ldap.usersDn],
          usernameLDAPAttribute: ['uid'],
          rdnLDAPAttribute: ['uid'],
          uuidLDAPAttribute: ['entryUUID'],
          userObjectClasses: ['inetOrgPerson, organizationalPerson'],
          searchScope: ['2'],
          editMode: ['READ_ONLY'],
          importEnabled: ['true'],
          syncRegistrations: ['false'],
          pagination: ['true'],
          trustEmail: ['true'],
          fullSyncPeriod: ['-1'],
          changedSyncPeriod: ['-1'],
        },
      }],
    };
  }
  return json;
}
