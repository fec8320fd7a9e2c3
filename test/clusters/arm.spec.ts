import { DEFAULT_STORAGE_CLASS } from '../../src/lib/estate/capabilities.js';
import { ARM_BASE, ARM_ENVIRONMENTS, ArmBase, LABELS, PHONE_TAINT } from '../../src/clusters/arm-base.js';
import { ARM_PROD, armProd } from '../../src/clusters/arm-prod.js';
import { ARM_REVIEW, armReview } from '../../src/clusters/arm-review.js';
import { ARM_STAGING, armStaging } from '../../src/clusters/arm-staging.js';
import { PLACEHOLDER_AGE_RECIPIENT } from '../../src/clusters/settings.js';
import { App } from '../../src/lib/apps/app.js';
import { Estate } from '../../src/lib/estate/estate.js';
import { SynthError } from '../../src/lib/estate/problems.js';
import { synthesize } from '../../src/lib/synth/synth.js';
import { tempRoot } from '../helpers.js';
import { encryptedSecret } from '../lib/platform/secrets/sops-fixtures.js';
import { SynthesizedEstate } from './support.js';

const s = SynthesizedEstate.reference();
const envs = Object.fromEntries(ARM_ENVIRONMENTS.map((e) => [e, s.cluster(`arm-${e}`)]));

/** Seed 001's machines. */
const NODES = [
  // name, role, link, VLAN zone, VLAN id, phone (tainted)
  ['rpi4-1', 'control-plane', 'ethernet', 'infra', '10', false],
  ['rpi4-2', 'worker', 'ethernet', 'infra', '10', false],
  ['rpi3a-ctl', 'worker', 'wifi', 'infra', '10', false],
  ['phone-1', 'worker', 'wifi', 'iot', '40', true],
  ['phone-2', 'worker', 'wifi', 'iot', '40', true],
] as const;

/** Per-environment facts: the deltas. */
const ENVS = [
  // env, branch, interval, domain, replicas, cpu request, apps
  ['review', 'main', '5m', 'review.arm.example.net', 1, '25m', ['blog', 'vaultwarden', 'whoami']],
  ['staging', 'staging', '10m', 'staging.arm.example.net', 2, '100m', ['blog', 'vaultwarden', 'whoami']],
  ['prod', 'prod', '30m', 'arm.example.net', 2, '100m', ['blog', 'vaultwarden']],
] as const;

/** App namespaces and the VLAN zone each sits in. */
const ZONES = [
  ['vaultwarden', 'perso', '30'],
  ['blog', 'pro', '20'],
  ['whoami', 'iot', '40'],
] as const;

function estateWith(base: ArmBase, deltas = { review: ARM_REVIEW, staging: ARM_STAGING, prod: ARM_PROD }): Estate {
  const estate = new Estate();
  armReview(estate, base, deltas.review);
  armStaging(estate, base, deltas.staging);
  armProd(estate, base, deltas.prod);
  return estate;
}

describe('arm-* (seed 001): k3s on ARM, review → staging → prod', () => {
  test('the three environments implement seed 001, each built by the shared base and named after its own file in the headers', () => {
    for (const name of ['arm-review', 'arm-staging', 'arm-prod']) {
      expect(s.cluster(name).model.seed).toBe('001-nixos-k3s-arm.md');
      expect(s.cluster(name).model.sourceFile).toBe(`src/clusters/${name}.ts`);
    }
  });
  describe.each(ENVS)('arm-%s', (env, branch, interval, domain, replicas, cpu, apps) => {
    const c = envs[env];

    test.each(NODES)('node %s: %s on %s, VLAN %s (%s), phone=%s', (name, role, link, zone, id, phone) => {
      const n = c.model.nodes.find((x) => x.name === name)!;
      expect(n).toMatchObject({ role, arch: 'arm64' });
      expect(n.labels).toMatchObject({ [LABELS.link]: link, [LABELS.vlan]: zone, [LABELS.vlanId]: id });
      expect(n.taints ?? []).toEqual(phone ? [PHONE_TAINT] : []);
      // the labels and taints reach k3s through its per-node config
      const k3s = c.file(`k3s/${name}.yaml`);
      expect(k3s['node-label']).toEqual(expect.arrayContaining([`${LABELS.vlan}=${zone}`, `${LABELS.vlanId}=${id}`]));
      if (phone) expect(k3s['node-taint']).toContain(`${PHONE_TAINT.key}=${PHONE_TAINT.value}:${PHONE_TAINT.effect}`);
    });

    test(`k3s, Flux following branch ${branch} every ${interval}, hostnames under ${domain}`, () => {
      expect(c.model.distribution).toBe('k3s');
      expect(c.model.git.branch).toBe(branch);
      expect(c.get('FluxInstance', 'flux', 'flux-system').spec.sync).toMatchObject({ ref: `refs/heads/${branch}`, path: `clusters/arm-${env}`, interval });
      expect(c.model.domain).toBe(domain);
      for (const h of c.hostnames) expect(h.endsWith(`.${domain}`)).toBe(true);
      expect(c.hostnames).toContain(`vault.${domain}`);
    });

    test(`apps ${apps.join(', ')}; ${replicas} replica(s) of the stateless ones at ${cpu} CPU`, () => {
      const running = c.objects('Deployment').filter((d) => (ZONES as readonly (readonly string[])[]).some((z) => z[0] === d.metadata.namespace)).map((d) => d.metadata.name).sort();
      expect(running).toEqual([...apps]);
      for (const name of ['blog', 'whoami'].filter((a) => (apps as readonly string[]).includes(a))) {
        const d = c.get('Deployment', name, name);
        expect(d.spec.replicas).toBe(replicas);
        expect(d.spec.template.spec.containers[0].resources.requests.cpu).toBe(cpu);
      }
    });

    test.each(ZONES.filter(([app]) => (apps as readonly string[]).includes(app)))('namespace %s carries VLAN zone %s (%s)', (ns, zone, id) => {
      expect(c.namespaceLabels(ns)).toMatchObject({ [LABELS.vlan]: zone, [LABELS.vlanId]: id });
    });

    test('only workloads tolerating the phone taint may land on the phones', () => {
      for (const d of c.objects('Deployment')) {
        const tolerates = (d.spec.template.spec.tolerations ?? []).some((t: any) => t.key === PHONE_TAINT.key);
        expect(tolerates).toBe(d.metadata.name === 'whoami');
      }
    });

    test('images run on arm64: every app image is published for arm64 and pods require it', () => {
      expect([...c.model.architectures]).toEqual(['arm64']);
      const appComponents = c.model.components.filter((comp) => 'archs' in comp) as unknown as { archs: readonly string[] }[];
      expect(appComponents.length).toBe(apps.length);
      for (const a of appComponents) expect(a.archs).toContain('arm64');
    });

    test("k3s's bundled Traefik is disabled because the estate deploys its own; local-path stays the default StorageClass", () => {
      expect(c.file('k3s/rpi4-1.yaml').disable).toContain('traefik');
      expect(c.helmReleases.has('traefik/traefik')).toBe(true);
      expect(c.model.builtins.has(DEFAULT_STORAGE_CLASS)).toBe(true);
      for (const pvc of c.objects('PersistentVolumeClaim')) expect(pvc.spec.storageClassName).toBeUndefined();
    });

    test('secrets chain: OpenBao → External Secrets (ClusterSecretStore openbao) → app Secrets, in that Flux order', () => {
      const store = c.get('ClusterSecretStore', 'openbao');
      expect(store.spec.provider.vault).toMatchObject({ version: 'v2', auth: { kubernetes: expect.any(Object) } });
      expect(c.dependsOn('external-secrets-store')).toEqual(['external-secrets', 'openbao']);
      const vw = c.objects('ExternalSecret').find((e) => e.metadata.namespace === 'vaultwarden')!;
      expect(vw.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'openbao' });
      expect(vw.spec.data.map((d: any) => d.remoteRef)).toEqual([expect.objectContaining({ key: 'apps/vaultwarden', property: 'admin-token' })]);
      expect(c.dependsOn('vaultwarden')).toContain('external-secrets-store');
      // cert-manager's Cloudflare token comes through the same chain
      const cf = c.objects('ExternalSecret').find((e) => e.metadata.namespace === 'cert-manager')!;
      expect(cf.spec.target?.name ?? cf.metadata.name).toBe('cloudflare-api-token');
      expect(c.dependsOn('cert-manager')).toContain('external-secrets-store');
      // no plaintext Secret object at all
      expect(c.objects('Secret')).toEqual([]);
    });
  });

  test('one base, three environments: changing the base changes all three trees', () => {
    const base: ArmBase = { ...ARM_BASE, nodes: ARM_BASE.nodes.map((n) => (n.name === 'rpi4-2' ? { ...n, labels: { ...n.labels, 'homelab.arpa/usb-ssd': 'true' } } : n)) };
    const changed = new SynthesizedEstate(estateWith(base));
    for (const env of ARM_ENVIRONMENTS) {
      const prefix = `clusters/arm-${env}/`;
      const diff = [...changed.files].filter(([p, content]) => p.startsWith(prefix) && s.files.get(p) !== content).map(([p]) => p);
      expect(diff).toContain(`${prefix}k3s/rpi4-2.yaml`);
    }
  });

  test('an environment delta changes that environment only', () => {
    const changed = new SynthesizedEstate(estateWith(ARM_BASE, { review: { ...ARM_REVIEW, replicas: 3 }, staging: ARM_STAGING, prod: ARM_PROD }));
    const differs = (env: string) => [...changed.files].some(([p, content]) => p.startsWith(`clusters/arm-${env}/`) && s.files.get(p) !== content);
    expect(ARM_ENVIRONMENTS.filter(differs)).toEqual(['review']);
    expect(changed.cluster('arm-review').get('Deployment', 'blog', 'blog').spec.replicas).toBe(3);
  });

  test('an image published for amd64 only is refused on the ARM clusters, naming the app and field', () => {
    const estate = new Estate();
    const cluster = armReview(estate);
    new App(cluster, 'legacy', { namespace: 'legacy', image: { repository: 'example/legacy', tag: '1.0.0', archs: ['amd64'] }, ports: [{ name: 'http', port: 8080 }] });
    let error: unknown;
    try {
      synthesize(estate, { root: tempRoot('arm-amd64-') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    const problem = (error as SynthError).problems.find((p) => p.field === 'image.archs')!;
    expect(problem).toMatchObject({ cluster: 'arm-review', path: expect.stringContaining('legacy') });
    expect(problem.message).toMatch(/amd64 only.*arm64/);
  });

  test('promotion is Git: review follows main, staging and prod follow their own branches', () => {
    expect(ARM_ENVIRONMENTS.map((e) => envs[e].model.git.branch)).toEqual(['main', 'staging', 'prod']);
    expect(new Set(ARM_ENVIRONMENTS.map((e) => envs[e].model.git.url)).size).toBe(1);
  });

  test('with the SOPS layer (bootstrap token file), Flux decrypts it in OpenBao\'s folder and OpenBao configures itself: SOPS → OpenBao → ESO → apps', () => {
    const file = 'bootstrap-token.sops.yaml';
    const userFiles = Object.fromEntries(ARM_ENVIRONMENTS.map((e) => [`clusters/arm-${e}/secrets/openbao/app/${file}`, encryptedSecret('openbao-bootstrap-token', 'openbao', [PLACEHOLDER_AGE_RECIPIENT])]));
    const withSops = new SynthesizedEstate(estateWith({ ...ARM_BASE, openbaoBootstrapSopsFile: file }), userFiles);
    for (const env of ARM_ENVIRONMENTS) {
      const c = withSops.cluster(`arm-${env}`);
      const openbao = c.kustomizations.get('openbao')!;
      expect(openbao.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
      expect(c.file('secrets/openbao/app/kustomization.yaml').resources).toContain(file);
      expect(c.objects('Job').some((j) => j.metadata.namespace === 'openbao')).toBe(true);
      expect(c.dependsOn('external-secrets-store')).toContain('openbao');
      expect(c.dependsOn('vaultwarden')).toContain('external-secrets-store');
      expect(c.file('.sops.yaml').creation_rules[0].age).toContain(PLACEHOLDER_AGE_RECIPIENT);
    }
  });
});
