import { SERVICES_S3 } from '../../src/clusters/settings.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const c = s.cluster('services');
const tree = s.result.trees.find((t) => t.cluster.name === 'services')!;
const deps = (name: string) => tree.dependencies.get(c.model.component(name)!)!.map((e) => e.to.name);

/** Seed 002's LXC containers and what replaces each one (the README's mapping table). */
const LXC = [
  // LXC, component, namespace, kind of the object doing the job, its name
  ['PostgreSQL', 'postgres', 'databases', 'Cluster', 'postgres'],
  ['OpenLDAP', 'openldap', 'openldap', 'Deployment', 'openldap'],
  ['Keycloak', 'keycloak', 'keycloak', 'Deployment', 'keycloak'],
  ['Nextcloud', 'nextcloud', 'nextcloud', 'Deployment', 'nextcloud'],
  ['Postfix', 'postfix', 'mail', 'Deployment', 'postfix'],
  ['Prometheus + Grafana', 'kube-prometheus-stack', 'monitoring', 'HelmRelease', 'kube-prometheus-stack'],
  ['InfluxDB', 'influxdb', 'influxdb', 'StatefulSet', 'influxdb'],
  ['reverse proxy (VPS)', 'traefik', 'traefik', 'HelmRelease', 'traefik'],
  ['Tailscale', 'tailscale', 'tailscale', 'HelmRelease', 'tailscale'],
] as const;

/** Apps isolated in their own namespace behind a default deny, and the flows they declare. */
const FLOWS = [
  // namespace, pods, allowed from (namespace/pod name label), port
  ['openldap', 'openldap', 'keycloak', 1389],
  ['mail', 'postfix', 'keycloak', 587],
  ['mail', 'postfix', 'nextcloud', 587],
] as const;

describe('services (seed 002, Proxmox LXC → Kubernetes)', () => {
  test('implements seed 002, from its own source file', () => {
    expect(s.cluster('services').model.seed).toBe('002-proxmox-lxc-services.md');
    expect(s.cluster('services').model.sourceFile).toBe('src/clusters/services.ts');
  });
  test('one node on one hypervisor, no HA (the seed assumes it)', () => {
    expect(c.model.nodes.map((n) => [n.name, n.role])).toEqual([['pve-k8s-1', 'control-plane']]);
    expect(c.model.singleNode).toBe(true);
  });

  test.each(LXC)('LXC %s → component %s in namespace %s (%s %s)', (_lxc, component, ns, kind, name) => {
    expect(c.kustomizations.has(component)).toBe(true);
    expect(c.model.component(component)!.namespace).toBe(ns);
    expect(c.has(kind, name, ns)).toBe(true);
  });

  test('strict isolation: every service has its own namespace', () => {
    const namespaces = LXC.map((l) => l[2]);
    expect(new Set(namespaces).size).toBe(namespaces.length);
  });

  test('default-deny NetworkPolicy in every app namespace', () => {
    const appNamespaces = c.model.components.filter((x) => x.layer === 'apps' && 'archs' in x).map((x) => x.namespace);
    expect(appNamespaces.sort()).toEqual(['keycloak', 'mail', 'nextcloud', 'openldap']);
    for (const ns of appNamespaces) {
      const deny = c.objects('NetworkPolicy').find((p) => p.metadata.namespace === ns && Object.keys(p.spec.podSelector ?? {}).length === 0)!;
      expect(deny.spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'] });
      expect(deny.spec.ingress ?? []).toEqual([]);
    }
  });

  test.each(FLOWS)('only declared flows: %s/%s accepts %s on %d', (ns, pod, from, port) => {
    const policy = c.get('NetworkPolicy', pod, ns);
    const rule = policy.spec.ingress.find((r: any) => r.from.some((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === from));
    expect(rule).toBeDefined();
    expect(rule.ports.map((p: any) => p.port)).toContain(port);
  });

  test('an undeclared peer is not allowed: nothing but Keycloak may reach OpenLDAP', () => {
    const policy = c.get('NetworkPolicy', 'openldap', 'openldap');
    const sources = policy.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']));
    expect(sources).toEqual(['keycloak']);
  });

  test('one central PostgreSQL with one database (and role) per consuming service', () => {
    const dbs = c.objects('Database').map((d) => [d.spec.name, d.spec.owner]).sort();
    expect(dbs).toEqual([['keycloak', 'keycloak'], ['nextcloud', 'nextcloud']]);
    const roles = c.get('Cluster', 'postgres', 'databases').spec.managed.roles.map((r: any) => r.name).sort();
    expect(roles).toEqual(['keycloak', 'nextcloud']);
    expect(c.objects('Cluster', 'postgresql.cnpg.io/').filter((x) => !x.metadata.name.endsWith('-restore'))).toHaveLength(1);
    expect(deps('keycloak')).toContain('postgres');
    expect(deps('nextcloud')).toContain('postgres');
  });

  test('centralised authentication: Keycloak imports a realm federating users from OpenLDAP', () => {
    const realm = JSON.parse(Object.values(c.objects('ConfigMap').find((m) => m.metadata.namespace === 'keycloak')!.data)[0] as string);
    const ldap = realm.components['org.keycloak.storage.UserStorageProvider'][0];
    expect(ldap.providerId).toBe('ldap');
    expect(ldap.config.connectionUrl[0]).toMatch(/^ldap:\/\/openldap\.openldap\.svc\.cluster\.local:\d+$/);
  });

  test('automated backups to S3 and an independent restore drill (its own suspended Kustomization)', () => {
    expect(c.get('ObjectStore', 'postgres-backup', 'databases').spec.configuration).toMatchObject({ destinationPath: `s3://${SERVICES_S3.bucket}/services`, endpointURL: SERVICES_S3.endpoint });
    expect(c.objects('ScheduledBackup')).toHaveLength(1);
    const drill = c.kustomizations.get('postgres-restore')!;
    expect(drill.spec.suspend).toBe(true);
    const restored = c.get('Cluster', 'postgres-restore', 'databases');
    expect(restored.spec.bootstrap.recovery).toBeDefined();
    // independent: no service consumes the restored cluster
    expect(c.model.components.filter((x) => deps(x.name).includes('postgres-restore'))).toEqual([]);
  });

  test('public access only through the reverse proxy: Traefik is the only LoadBalancer, the apps only routes', () => {
    const lbServices = c.objects('HelmRelease').filter((h) => h.spec.values?.service?.spec?.type === 'LoadBalancer' || h.spec.values?.service?.type === 'LoadBalancer');
    expect(lbServices.map((h) => h.metadata.name)).toEqual(['traefik']);
    expect(c.objects('Service').filter((x) => x.spec.type === 'LoadBalancer' || x.spec.type === 'NodePort')).toEqual([]);
    expect(c.hostnames).toEqual(['nextcloud.services.example.org', 'sso.services.example.org']);
  });

  test('administration over Tailscale: the operator, its API server proxy, admin UIs on the tailnet only', () => {
    const values = c.helmReleases.get('tailscale/tailscale')!.spec.values;
    expect(values.apiServerProxyConfig.mode).toBe('true');
    expect(values.oauth).toBeUndefined();
    const admin = c.objects('Ingress').filter((i) => i.spec.ingressClassName === 'tailscale');
    expect(admin.map((i) => [i.metadata.namespace, i.spec.defaultBackend.service.name])).toEqual([['monitoring', 'kube-prometheus-stack-grafana'], ['longhorn-system', 'longhorn-frontend']]);
    // Grafana is not on the public proxy
    expect(c.hostnames.some((h) => h.startsWith('grafana.'))).toBe(false);
    expect(c.namespaceLabels('tailscale')['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('Postfix relays everyone\'s mail to the smarthost, with the password by Secret reference', () => {
    const env = Object.fromEntries(c.get('Deployment', 'postfix', 'mail').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.RELAYHOST).toBe('[smtp.example.org]:587');
    expect(env.RELAYHOST_PASSWORD).toEqual({ secretKeyRef: { name: 'smtp-relay', key: 'password', optional: false } });
  });

  test('supervision: Prometheus + Grafana and InfluxDB', () => {
    expect(c.helmReleases.get('monitoring/kube-prometheus-stack')!.spec.values.grafana.enabled ?? true).toBe(true);
    expect(c.has('StatefulSet', 'influxdb', 'influxdb')).toBe(true);
  });
});
