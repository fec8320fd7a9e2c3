import { ApiObject } from 'cdk8s';
import { HomelabCluster } from '../estate/cluster.js';
import { App } from './app.js';
import { declareSecretInput, SecretInput } from './env.js';
import { ImageRef } from './image.js';
import { AppOptions, ConfigStorage, configVolume, withOptions } from './options.js';

/**
 * Bitnami's OpenLDAP image (non-root, amd64/arm64). Bitnami stopped publishing versioned tags under
 * `bitnami/` in 2025; the last ones live on, frozen, under `bitnamilegacy/`. Mirror it, or point
 * `image` at a rebuild, for security updates.
 */
// renovate: datasource=docker depName=bitnamilegacy/openldap
export const OPENLDAP_IMAGE: ImageRef = { repository: 'bitnamilegacy/openldap', tag: '2.6.10-debian-12-r4', archs: ['amd64', 'arm64'] };

export interface OpenLdapProps extends AppOptions {
  /** Directory suffix. @default - from the cluster domain: `example.com` → `dc=example,dc=com` */
  readonly baseDn?: string;
  /** Password of `cn=admin,<baseDn>` (the bind user of Keycloak's federation). */
  readonly adminPassword: SecretInput;
  /** `/bitnami/openldap`: the database and cn=config. @default 1Gi claim */
  readonly storage?: ConfigStorage;
}

/**
 * OpenLDAP (the user directory) as uid/gid 1001, LDAP on pod port 1389 behind Service port 389,
 * never exposed outside the cluster. The directory tree (`ou=users`, `ou=groups` under the base DN
 * derived from the cluster domain) is loaded from a ConfigMap instead of the image's demo users;
 * anonymous binds are off. The image generates its LDIF into `/opt/bitnami/openldap/share` and its pid
 * into `…/var/run`, both emptyDirs, so the root filesystem stays read-only. `slapd` carries the file
 * capability `cap_net_bind_service`, which must stay in the bounding set or exec fails: that one
 * capability is added back (still `restricted`).
 */
export class OpenLdap extends App {
  public readonly baseDn: string;
  public readonly adminDn: string;
  public readonly usersDn: string;
  public readonly groupsDn: string;
  public readonly adminPassword: SecretInput;

  constructor(cluster: HomelabCluster, id: string, props: OpenLdapProps) {
    const baseDn = props.baseDn ?? cluster.domain.split('.').map((p) => `dc=${p}`).join(',');
    const treeConfigMap = `${id}-tree`;
    super(cluster, id, withOptions({
      namespace: 'identity',
      image: OPENLDAP_IMAGE,
      ports: [{ name: 'ldap', port: 1389, servicePort: 389 }],
      env: {
        LDAP_ROOT: baseDn,
        LDAP_ADMIN_USERNAME: 'admin',
        LDAP_ADMIN_PASSWORD: props.adminPassword,
        LDAP_SKIP_DEFAULT_TREE: 'yes',
        LDAP_CUSTOM_LDIF_DIR: '/ldifs',
        LDAP_ALLOW_ANON_BINDING: 'no',
        LDAP_PORT_NUMBER: '1389',
        LDAP_LOGLEVEL: '256',
      },
      persistence: {
        data: configVolume('/bitnami/openldap', '1Gi', props.storage),
        tree: { type: 'configMap', name: treeConfigMap, mountPath: '/ldifs' },
        share: { type: 'emptyDir', mountPath: '/opt/bitnami/openldap/share' },
        run: { type: 'emptyDir', mountPath: '/opt/bitnami/openldap/var/run' },
      },
      expose: 'none',
      resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
      security: {
        runAsUser: 1001,
        runAsGroup: 1001,
        fsGroup: 1001,
        addCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: 'slapd carries the file capability cap_net_bind_service; exec fails if it is not in the bounding set' },
      },
    }, props));
    this.baseDn = baseDn;
    this.adminDn = `cn=admin,${baseDn}`;
    this.usersDn = `ou=users,${baseDn}`;
    this.groupsDn = `ou=groups,${baseDn}`;
    this.adminPassword = props.adminPassword;
    declareSecretInput(this, props.adminPassword, `password of ${this.adminDn}`);
    const org = cluster.domain;
    const dc = baseDn.split(',')[0].replace(/^dc=/, '');
    new ApiObject(this, 'tree', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: treeConfigMap, namespace: this.namespace },
      data: {
        '00-tree.ldif': [
          `dn: ${baseDn}`, 'objectClass: dcObject', 'objectClass: organization', `dc: ${dc}`, `o: ${org}`, '',
          `dn: ${this.usersDn}`, 'objectClass: organizationalUnit', 'ou: users', '',
          `dn: ${this.groupsDn}`, 'objectClass: organizationalUnit', 'ou: groups', '',
        ].join('\n'),
      },
    });
  }

  /** In-cluster LDAP URL (Service port 389). */
  public get ldapUrl(): string {
    return `ldap://${this.serviceHost}:${this.servicePort('ldap')}`;
  }
}
