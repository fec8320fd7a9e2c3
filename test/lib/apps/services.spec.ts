import { Blog, NGINX_UNPRIVILEGED_IMAGE } from '../../../src/lib/apps/blog.js';
import { imageName } from '../../../src/lib/apps/image.js';
import { N8n, N8N_IMAGE } from '../../../src/lib/apps/n8n.js';
import { NON_PUBLIC_RANGES } from '../../../src/lib/apps/network.js';
import { Postfix, POSTFIX_IMAGE } from '../../../src/lib/apps/postfix.js';
import { RELAXATIONS_ANNOTATION } from '../../../src/lib/apps/security.js';
import { Vaultwarden, VAULTWARDEN_IMAGE } from '../../../src/lib/apps/vaultwarden.js';
import { Whoami, WHOAMI_IMAGE } from '../../../src/lib/apps/whoami.js';
import { withPlatform } from './fakes.js';
import { envOf, mainContainer, mountsOf, policyLines, problemAt, problems, synth } from './harness.js';

const DNS = 'out kube-system/k8s-app=kube-dns :53/UDP,53/TCP';
const PG = 'out databases/cnpg.io/cluster=pg :5432/TCP';
const WEB = `out 0.0.0.0/0 except ${NON_PUBLIC_RANGES.join(',')} :443/TCP,80/TCP`;
const secret = (key: string) => ({ secretKeyRef: { name: 'app-secrets', key } });

describe('Vaultwarden', () => {
  const s = synth((c) => {
    withPlatform(c);
    const postfix = new Postfix(c, 'postfix');
    new Vaultwarden(c, 'vaultwarden', { expose: 'public', subdomain: 'vault', adminToken: secret('admin-token'), smtp: postfix.relay });
  }, { defaultDenyNetworkPolicies: true });
  const d = s.get('Deployment', 'vaultwarden', 'vaultwarden');
  const main = mainContainer(d);

  test('pinned image, port 8080 (non-root cannot bind 80), uid 1000, /data claim, read-only root', () => {
    expect(main.image).toBe(imageName(VAULTWARDEN_IMAGE));
    expect(main.image).toMatch(/^vaultwarden\/server:\d+\.\d+\.\d+$/);
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountsOf(main)).toEqual({ '/data': 'data', '/tmp': 'tmp' });
    expect(main.livenessProbe.httpGet.path).toBe('/alive');
  });

  test('env: domain from the hostname, signups closed, admin token from a Secret, mail through Postfix', () => {
    expect(envOf(main)).toEqual({
      TZ: 'Etc/UTC', DOMAIN: 'https://vault.example.com', ROCKET_PORT: '8080', DATA_FOLDER: '/data', SIGNUPS_ALLOWED: 'false',
      INVITATIONS_ALLOWED: 'true', SHOW_PASSWORD_HINT: 'false', DISABLE_ICON_DOWNLOAD: 'false', ADMIN_TOKEN: 'secret:app-secrets/admin-token',
      SMTP_HOST: 'postfix.mail.svc.cluster.local', SMTP_PORT: '587', SMTP_SECURITY: 'off', SMTP_FROM: 'vaultwarden@example.com', SMTP_FROM_NAME: 'Vaultwarden',
    });
    expect(s.get('Ingress', 'vaultwarden').spec.rules[0].host).toBe('vault.example.com');
    expect(s.get('ConfigMap', 'tunnel').data.hostnames).toBe('vault.example.com');
  });

  test('NetworkPolicy: ingress and tunnel in; DNS, icons over HTTPS and Postfix out; Postfix admits it', () => {
    expect(policyLines(s.get('NetworkPolicy', 'vaultwarden'))).toEqual([
      'in ingress/app.kubernetes.io/name=fake-proxy :8080/TCP', 'in tunnel/app.kubernetes.io/name=fake-tunnel :8080/TCP',
      DNS, WEB, 'out mail/app.kubernetes.io/name=postfix :587/TCP',
    ]);
    expect(policyLines(s.get('NetworkPolicy', 'postfix', 'mail'))).toContain('in vaultwarden/app.kubernetes.io/name=vaultwarden :587/TCP');
  });

  test('on Postgres: DATABASE_URL composed from the database Secret, dependsOn derived', () => {
    const p = synth((c) => {
      withPlatform(c);
      new Vaultwarden(c, 'vaultwarden', { database: 'postgres', iconDownloads: false });
    }, { defaultDenyNetworkPolicies: true });
    const env = envOf(mainContainer(p.get('Deployment', 'vaultwarden')));
    expect(env).toMatchObject({
      DATABASE_USER: 'secret:vaultwarden-db/username', DATABASE_PASSWORD: 'secret:vaultwarden-db/password',
      DATABASE_URL: 'postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@pg-rw.databases.svc.cluster.local:5432/vaultwarden',
      DISABLE_ICON_DOWNLOAD: 'true',
    });
    expect(p.dependsOn('vaultwarden')).toEqual(['ingress', 'postgres', 'storage']);
    expect(policyLines(p.get('NetworkPolicy', 'vaultwarden'))).toEqual(['in ingress/app.kubernetes.io/name=fake-proxy :8080/TCP', DNS, PG]);
  });

  test('Postgres on a cluster without it is a problem', () => {
    const p = problems((c) => {
      withPlatform(c, { postgres: false });
      new Vaultwarden(c, 'vaultwarden', { database: 'postgres' });
    });
    problemAt(p, 'database', 'no PostgreSQL service');
  });

  test('an admin token written in plaintext is refused', () => {
    const p = problems((c) => {
      withPlatform(c);
      new Vaultwarden(c, 'vaultwarden', { env: { ADMIN_TOKEN: 'letmein' } });
    });
    problemAt(p, 'env.ADMIN_TOKEN', 'plaintext');
  });
});

describe('n8n', () => {
  const s = synth((c) => {
    withPlatform(c);
    new N8n(c, 'n8n', { encryptionKey: { fromStore: { key: 'apps/n8n', property: 'encryption-key' } }, timezone: 'Europe/Paris' });
  }, { defaultDenyNetworkPolicies: true });
  const d = s.get('Deployment', 'n8n', 'automation');
  const main = mainContainer(d);

  test('pinned image, port 5678, node user, writable home on a claim and an emptyDir cache', () => {
    expect(main.image).toBe(imageName(N8N_IMAGE));
    expect(main.ports).toEqual([{ name: 'http', containerPort: 5678, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(mountsOf(main)).toEqual({ '/home/node/.n8n': 'data', '/home/node/.cache': 'cache', '/tmp': 'tmp' });
    expect(s.get('PersistentVolumeClaim', 'n8n-data').spec.resources.requests.storage).toBe('5Gi');
    expect(main.readinessProbe.httpGet.path).toBe('/healthz');
  });

  test('Postgres env from the database Secret; URLs from the hostname; encryption key from the store', () => {
    expect(envOf(main)).toMatchObject({
      DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: 'pg-rw.databases.svc.cluster.local', DB_POSTGRESDB_PORT: '5432', DB_POSTGRESDB_DATABASE: 'n8n',
      DB_POSTGRESDB_USER: 'secret:n8n-db/username', DB_POSTGRESDB_PASSWORD: 'secret:n8n-db/password',
      N8N_HOST: 'n8n.example.com', WEBHOOK_URL: 'https://n8n.example.com/', GENERIC_TIMEZONE: 'Europe/Paris', TZ: 'Europe/Paris',
      N8N_ENCRYPTION_KEY: 'secret:n8n-env/N8N_ENCRYPTION_KEY', N8N_DIAGNOSTICS_ENABLED: 'false',
    });
    expect(s.get('ExternalSecret', 'n8n-env', 'automation').spec.data).toEqual([{ secretKey: 'N8N_ENCRYPTION_KEY', remoteRef: { key: 'apps/n8n', property: 'encryption-key' } }]);
    expect(s.dependsOn('n8n')).toEqual(['ingress', 'postgres', 'secrets', 'storage']);
  });

  test('heavy in gaming mode', () => {
    const g = synth((c) => { withPlatform(c); new N8n(c, 'n8n'); }, { scaleDown: { name: 'gaming mode', active: true } });
    expect(g.get('Deployment', 'n8n').spec.replicas).toBe(0);
  });

  test('NetworkPolicy: ingress in; DNS, its database and the web out; no Redis, no other app', () => {
    expect(policyLines(s.get('NetworkPolicy', 'n8n'))).toEqual(['in ingress/app.kubernetes.io/name=fake-proxy :5678/TCP', DNS, WEB, PG]);
  });

  test('n8n on a cluster without Postgres is a problem', () => {
    const p = problems((c) => { withPlatform(c, { postgres: false }); new N8n(c, 'n8n'); });
    problemAt(p, 'database', "PostgreSQL database 'n8n'");
  });
});

describe('Postfix', () => {
  const s = synth((c) => {
    withPlatform(c);
    new Postfix(c, 'postfix', { relay: { host: 'smtp.fastmail.com', username: 'me@example.com', password: secret('relay-password') } });
  }, { defaultDenyNetworkPolicies: true, network: { podCidr: '10.244.0.0/16' } });
  const d = s.get('Deployment', 'postfix', 'mail');
  const main = mainContainer(d);

  test('pinned image, submission port, relay from props, mynetworks from the pod CIDR', () => {
    expect(main.image).toBe(imageName(POSTFIX_IMAGE));
    expect(main.ports).toEqual([{ name: 'smtp', containerPort: 587, protocol: 'TCP' }]);
    expect(envOf(main)).toMatchObject({
      ALLOWED_SENDER_DOMAINS: 'example.com', POSTFIX_mynetworks: '127.0.0.0/8,10.244.0.0/16', POSTFIX_myhostname: 'postfix.example.com',
      RELAYHOST: '[smtp.fastmail.com]:587', RELAYHOST_USERNAME: 'me@example.com', RELAYHOST_PASSWORD: 'secret:app-secrets/relay-password',
    });
  });

  test("as boky/postfix's run.sh needs: root, writable root filesystem, its capabilities (no SYS_CHROOT), each with a reason; namespace baseline", () => {
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    expect(main.securityContext).toMatchObject({
      runAsNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'] },
    });
    expect(d.metadata.annotations[RELAXATIONS_ANNOTATION]).toMatch(/^runAsRoot: .*\nwritableRootFilesystem: .*\/etc\/rsyslog\.conf.*\naddCapabilities: /);
    expect(s.get('Namespace', 'mail').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('only the queue is a claim: no emptyDir hides /etc/opendkim/opendkim.conf or /etc/postfix from run.sh', () => {
    expect(mountsOf(main)).toEqual({ '/var/spool/postfix': 'spool', '/tmp': 'tmp' });
    expect(s.get('PersistentVolumeClaim', 'postfix-spool', 'mail').spec.resources.requests.storage).toBe('1Gi');
  });

  test('never exposed; reached by nobody undeclared; reaches only the relay port on the internet', () => {
    expect(s.find('Ingress', 'postfix')).toBeUndefined();
    expect(policyLines(s.get('NetworkPolicy', 'postfix'))).toEqual([DNS, `out 0.0.0.0/0 except ${NON_PUBLIC_RANGES.join(',')} :587/TCP`]);
  });
});

describe('Whoami and Blog', () => {
  const s = synth((c) => {
    withPlatform(c);
    new Whoami(c, 'whoami');
    new Blog(c, 'blog');
  }, { defaultDenyNetworkPolicies: true });

  test('whoami: no volume at all, port 8080 by flag, /health probes, internal', () => {
    const main = mainContainer(s.get('Deployment', 'whoami'));
    expect(main.image).toBe(imageName(WHOAMI_IMAGE));
    expect(main.args).toEqual(['--port', '8080', '--name', 'whoami']);
    expect(main.volumeMounts).toBeUndefined();
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(main.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(s.get('Ingress', 'whoami').metadata.labels['homelab/exposure']).toBe('internal');
    expect(policyLines(s.get('NetworkPolicy', 'whoami'))).toEqual(['in ingress/app.kubernetes.io/name=fake-proxy :8080/TCP', DNS]);
  });

  test('blog: unprivileged NGINX as uid 101, public, two replicas spread with a PDB on a multi-node cluster', () => {
    const d = s.get('Deployment', 'blog');
    const main = mainContainer(d);
    expect(main.image).toBe(imageName(NGINX_UNPRIVILEGED_IMAGE));
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 101 });
    expect(mountsOf(main)).toEqual({ '/tmp': 'tmp' });
    expect(d.spec.replicas).toBe(2);
    expect(s.get('PodDisruptionBudget', 'blog').spec.maxUnavailable).toBe(1);
    expect(s.get('ConfigMap', 'tunnel').data.hostnames).toBe('blog.example.com');
    expect(policyLines(s.get('NetworkPolicy', 'blog'))).toEqual([
      'in ingress/app.kubernetes.io/name=fake-proxy :8080/TCP', 'in tunnel/app.kubernetes.io/name=fake-tunnel :8080/TCP', DNS,
    ]);
  });

  test('blog: the site image replaces NGINX; one replica on a single node', () => {
    const one = synth((c) => { withPlatform(c); new Blog(c, 'blog', { site: { repository: 'ghcr.io/me/blog', tag: '2026.11.1' } }); }, {
      nodes: [{ name: 'solo', role: 'control-plane', cpu: 4, memory: '8Gi' }],
    });
    const d = one.get('Deployment', 'blog');
    expect(mainContainer(d).image).toBe('ghcr.io/me/blog:2026.11.1');
    expect(d.spec.replicas).toBe(1);
  });

  test('a blog on a cluster without ingress or tunnel is a problem', () => {
    const p = problems((c) => { withPlatform(c, { ingress: false, tunnel: false }); new Blog(c, 'blog'); });
    problemAt(p, 'expose', 'has no ingress and no tunnel');
  });

  test('whoami and blog on the same hostname is a problem', () => {
    const p = problems((c) => { withPlatform(c); new Whoami(c, 'whoami', { subdomain: 'www' }); new Blog(c, 'blog', { subdomain: 'www' }); });
    problemAt(p, 'hostname', "'www.example.com' is already exposed by 'whoami'");
  });
});
