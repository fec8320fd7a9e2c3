import { parse } from 'yaml';
import { DEFAULT_STORAGE_CLASS, crdGroup, storageClass } from '../../../src/lib/estate/capabilities.js';
import { HomelabCluster, ClusterProps } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { addNodeRequirements } from '../../../src/lib/estate/node-requirements.js';
import { isGenerated, toYaml } from '../../../src/lib/output/yaml.js';
import { ChartRelease, UnvalidatedChartInfo } from '../../../src/lib/flux/helm-release.js';
import { FLUX_OPERATOR_CHART, FluxOperator } from '../../../src/lib/bootstrap/flux-operator.js';
import { Cilium } from '../../../src/lib/platform/network/cilium.js';
import { GATEWAY_API_VERSION } from '../../../src/lib/platform/network/gateway-api-crds.js';
import { LOAD_BALANCER_IPAM } from '../../../src/lib/platform/network/lb-ips.js';
import { IngressNginx } from '../../../src/lib/platform/ingress/ingress-nginx.js';
import { configureTalos } from '../../../src/lib/talos/settings.js';
import { clusterProps, rawComponent } from '../../helpers.js';
import { CNI_VALUES, fakeCni, filler, synthProblems, synthTree, yamlOf } from '../talos/support.js';

const AGE = 'age1replacemereplacemereplacemereplacemereplacemereplacq6pn0et';

function cluster(estate: Estate, overrides: Partial<ClusterProps> = {}): HomelabCluster {
  return new HomelabCluster(estate, clusterProps({
    nodes: [
      { name: 'cp', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1', nic: { mac: '02:00:00:00:50:01' } },
      { name: 'w1', role: 'worker', cpu: 4, memory: '8Gi', ip: '10.0.50.10' },
    ],
    sops: { ageRecipients: [AGE] },
    ...overrides,
  }));
}

/** A Gateway API CRD provider as the GatewayApiCrds construct renders it (Git source at a tag). */
function gatewayCrds(c: HomelabCluster): Component {
  const g = rawComponent(c, { name: 'gateway-api-crds', namespace: 'flux-system', group: 'network' }, [{
    apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'gateway-api' },
    spec: { interval: '12h', url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.6.1' } },
  }]);
  g.provide(crdGroup('gateway.networking.k8s.io'));
  return g;
}

const helmfilePath = (name: string) => `clusters/${name}/bootstrap/helmfile.yaml`;
const readmePath = (name: string) => `clusters/${name}/bootstrap/README.md`;
const bootstrapFilesOf = (tree: Map<string, string>) => [...tree].filter(([p]) => /^clusters\/[^/]+\/(bootstrap|k3s|talos)\//.test(p));

describe('bootstrap helmfile', () => {
  test('Talos + own CNI: CNI first, then flux-operator needing it; versions and values exactly those of the Flux HelmReleases', () => {
    const estate = new Estate();
    const c = cluster(estate);
    fakeCni(c);
    new FluxOperator(c, 'flux-operator', { values: { logLevel: 'debug' } });
    const tree = synthTree(estate);
    const hf = yamlOf(tree, helmfilePath('test'));
    expect(hf.releases.map((r: any) => `${r.namespace}/${r.name}`)).toEqual(['kube-system/cilium', 'flux-system/flux-operator']);
    expect(hf.releases[0].needs).toBeUndefined();
    expect(hf.releases[1].needs).toEqual(['kube-system/cilium']);
    expect(hf.helmDefaults).toMatchObject({ wait: true, timeout: 600 });

    const cilium = yamlOf(tree, 'clusters/test/network/cilium/app/helmrelease.yaml');
    const ciliumRepo = yamlOf(tree, 'clusters/test/network/cilium/app/helmrepository.yaml');
    expect(hf.repositories).toEqual([{ name: 'cilium', url: ciliumRepo.spec.url }]);
    expect(hf.releases[0]).toMatchObject({ chart: `cilium/${cilium.spec.chart.spec.chart}`, version: cilium.spec.chart.spec.version });
    expect(hf.releases[0].values).toHaveLength(1);
    // Byte for byte: same keys, same order, same scalars.
    expect(JSON.stringify(hf.releases[0].values[0])).toBe(JSON.stringify(cilium.spec.values));
    expect(toYaml(hf.releases[0].values[0])).toBe(toYaml(cilium.spec.values));
    expect(cilium.spec.values).toEqual(CNI_VALUES);

    const op = yamlOf(tree, 'clusters/test/flux/flux-operator/app/helmrelease.yaml');
    const opSource = yamlOf(tree, 'clusters/test/flux/flux-operator/app/ocirepository.yaml');
    expect(hf.releases[1]).toMatchObject({ chart: opSource.spec.url, version: opSource.spec.ref.tag });
    expect(opSource.spec.ref.tag).toBe(FLUX_OPERATOR_CHART.version);
    expect(JSON.stringify(hf.releases[1].values[0])).toBe(JSON.stringify(op.spec.values));
    expect(op.spec.values).toEqual({ logLevel: 'debug' });
    expect(op.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });

  test('with the real Cilium construct: Gateway API CRDs of the same tag applied before it, values equal to its HelmRelease', () => {
    const estate = new Estate();
    const c = cluster(estate, { network: { vip: '10.0.50.50' } });
    new Cilium(c, 'cilium');
    const tree = synthTree(estate);
    const hf = yamlOf(tree, helmfilePath('test'));
    const cilium = yamlOf(tree, 'clusters/test/network/cilium/app/helmrelease.yaml');
    expect(hf.releases[0].name).toBe('cilium');
    expect(toYaml(hf.releases[0].values[0])).toBe(toYaml(cilium.spec.values));
    expect(hf.releases[0].values[0].k8sServiceHost).toBe('localhost');
    expect(hf.releases[0].hooks).toEqual([{
      events: ['presync'], showlogs: true, command: 'kubectl',
      args: ['apply', '--server-side', '-f', `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`],
    }]);
    // The Talos side agrees: no default CNI, kube-proxy off.
    const tal = yamlOf(tree, 'clusters/test/talos/talconfig.yaml');
    expect(tal.cniConfig).toEqual({ name: 'none' });
    expect(tal.patches.some((p: string) => parse(p).cluster?.proxy?.disabled === true)).toBe(true);
  });

  test('a dependency of the CNI: Gateway CRDs by hook; a chart it needs is installed before it', () => {
    const estate = new Estate();
    const c = cluster(estate);
    const cni = fakeCni(c);
    const crds = gatewayCrds(c);
    cni.require(crdGroup('gateway.networking.k8s.io'), 'gateway controller starts with the CRDs');
    const certs = new Component(c, { name: 'certs', namespace: 'cert-manager' });
    new ChartRelease(certs, 'chart', { chart: 'cert-manager', values: { crds: { enabled: true } } });
    certs.provide(crdGroup('cert-manager.io'));
    cni.require(crdGroup('cert-manager.io'), 'hubble TLS certificates');
    expect(crds.name).toBe('gateway-api-crds');
    const tree = synthTree(estate);
    const hf = yamlOf(tree, helmfilePath('test'));
    expect(hf.releases.map((r: any) => `${r.namespace}/${r.name}`)).toEqual(['cert-manager/certs', 'kube-system/cilium', 'flux-system/flux-operator']);
    expect(hf.releases[1].needs).toEqual(['cert-manager/certs']);
    expect(hf.releases[2].needs).toEqual(['cert-manager/certs', 'kube-system/cilium']);
    expect(hf.releases[1].hooks[0].args[3]).toBe('https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml');
    expect(hf.releases[0]).toMatchObject({ chart: expect.stringMatching(/^oci:\/\/.+\/cert-manager$/), values: [{ crds: { enabled: true } }] });
  });

  test('flux-operator without a FluxOperator component: the hand pin, no values; hooks create sops-age from the key file, then apply the FluxInstance', () => {
    const estate = new Estate();
    filler(cluster(estate));
    const tree = synthTree(estate);
    const hf = yamlOf(tree, helmfilePath('test'));
    expect(hf.releases).toHaveLength(1);
    const op = hf.releases[0];
    expect(op).toMatchObject({ name: 'flux-operator', namespace: 'flux-system', chart: 'oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator', version: FLUX_OPERATOR_CHART.version, values: [{}] });
    expect(op.needs).toBeUndefined();
    expect(op.hooks.map((h: any) => h.events)).toEqual([['postsync'], ['postsync']]);
    const [sops, instance] = op.hooks.map((h: any) => h.args[1] as string);
    expect(sops).toContain('kubectl -n flux-system create secret generic sops-age --from-file=age.agekey="${SOPS_AGE_KEY_FILE:-$HOME/.config/sops/age/keys.txt}" --dry-run=client -o yaml | kubectl apply -f -');
    expect(instance).toContain('kubectl apply --server-side -f "$(git rev-parse --show-toplevel)/clusters/test/flux-system/flux-instance.yaml"');
    expect(tree.has('clusters/test/flux-system/flux-instance.yaml')).toBe(true);
    expect(instance).toContain('kubectl -n flux-system wait fluxinstance/flux --for=condition=Ready');
    expect(tree.get(readmePath('test'))).toContain('flux-operator itself stays at the version installed here');
  });

  test('CoreDNS: installed after the CNI when a Talos patch disables the distribution\'s; a problem when nobody deploys it', () => {
    const coreDnsChart: UnvalidatedChartInfo = { ...FLUX_OPERATOR_CHART, name: 'coredns', version: '1.45.0', repository: 'https://coredns.github.io/helm', type: 'https', notes: undefined };
    const build = (withCoreDns: boolean) => {
      const estate = new Estate();
      const c = cluster(estate);
      fakeCni(c);
      configureTalos(c, { patches: [{ cluster: { coreDNS: { disabled: true } } }] });
      if (withCoreDns) {
        const dns = new Component(c, { name: 'coredns', namespace: 'kube-system', group: 'network' });
        new ChartRelease(dns, 'chart', { chart: coreDnsChart, values: { replicaCount: 2 } });
      } else {
        filler(c);
      }
      return estate;
    };
    const hf = yamlOf(synthTree(build(true)), helmfilePath('test'));
    expect(hf.releases.map((r: any) => r.name)).toEqual(['cilium', 'coredns', 'flux-operator']);
    expect(hf.releases[1]).toMatchObject({ chart: 'coredns/coredns', version: '1.45.0', needs: ['kube-system/cilium'], values: [{ replicaCount: 2 }] });
    expect(hf.releases[2].needs).toEqual(['kube-system/cilium', 'kube-system/coredns']);
    const problem = synthProblems(build(false)).find((p) => p.field === 'bootstrap.coredns');
    expect(problem).toMatchObject({ cluster: 'test', path: 'test' });
    expect(problem!.message).toContain('no component deploys the coredns chart');
  });

  test('FluxOperator on a classic-bootstrap cluster is a problem', () => {
    const estate = new Estate();
    new FluxOperator(cluster(estate, { flux: { bootstrap: 'classic' } }), 'flux-operator');
    const p = synthProblems(estate).find((x) => x.field === 'flux.bootstrap');
    expect(p).toMatchObject({ cluster: 'test', path: 'test/flux-operator' });
    expect(p!.message).toContain("bootstraps Flux with 'flux bootstrap' (classic)");
  });

  test('a CNI whose values come from a Secret at reconcile time cannot be bootstrapped: problem on valuesFrom', () => {
    const estate = new Estate();
    fakeCni(cluster(estate), { valuesFrom: true });
    const problems = synthProblems(estate);
    const p = problems.find((x) => x.field === 'valuesFrom');
    expect(p).toMatchObject({ cluster: 'test', path: 'test/cilium' });
    expect(p!.message).toContain("HelmRelease 'cilium' must be installed before Flux runs");
  });

  test('no secret value in any bootstrap, k3s or Talos file', () => {
    const estate = new Estate();
    const t = cluster(estate, { git: { url: 'https://github.com/example/private', secretRef: 'git-credentials' } });
    fakeCni(t);
    const k = cluster(estate, { name: 'edge', distribution: 'k3s' });
    filler(k);
    const tree = synthTree(estate);
    const files = bootstrapFilesOf(tree);
    expect(files.length).toBeGreaterThan(5);
    for (const [path, content] of files) {
      expect({ path, secret: /AGE-SECRET-KEY-|-----BEGIN|ghp_|glpat-|K10[0-9a-f]{20}/.test(content) }).toEqual({ path, secret: false });
      if (path.endsWith('.yaml')) {
        const keys = JSON.stringify(parse(content)).match(/"(token|password|secret|key|privateKey)":/g) ?? [];
        expect({ path, keys }).toEqual({ path, keys: [] });
      }
    }
    const readme = tree.get(readmePath('test'))!;
    expect(readme).toContain('--from-file=age.agekey=');
    expect(readme).toContain('kubectl -n flux-system create secret generic git-credentials --from-literal=username=git --from-file=password=<path to a file holding the access token>');
    for (const [path, content] of files.filter(([p]) => p.includes('/k3s/'))) {
      const cfg = parse(content);
      expect({ path, tokenFile: cfg['token-file'], token: cfg.token }).toEqual({ path, tokenFile: '/run/secrets/k3s-token', token: undefined });
    }
  });

  test('every file is owned by synth (generated header first)', () => {
    const estate = new Estate();
    fakeCni(cluster(estate));
    filler(cluster(estate, { name: 'edge', distribution: 'k3s' }));
    for (const [path, content] of bootstrapFilesOf(synthTree(estate))) expect({ path, generated: isGenerated(content) }).toEqual({ path, generated: true });
  });
});

describe('runbooks', () => {
  const order = (text: string, steps: string[]) => steps.map((s) => {
    const i = text.indexOf(s);
    if (i < 0) throw new Error(`runbook lacks '${s}'`);
    return i;
  });

  test('Talos: image, genconfig, apply-config --insecure, bootstrap, kubeconfig, SOPS key, then the helmfile', () => {
    const estate = new Estate();
    fakeCni(cluster(estate));
    const readme = synthTree(estate).get(readmePath('test'))!;
    expect(readme.split('\n')[0]).toMatch(/^<!-- Generated by cdk8s-homelab from src\/clusters\/test\.ts\. .* -->$/);
    const at = order(readme, [
      'clusters/test/talos/schematic.yaml https://factory.talos.dev/schematics',
      'talhelper gensecret > talsecret.sops.yaml',
      'talhelper genconfig --secret-file talsecret.sops.yaml',
      'talosctl apply-config --insecure --nodes 10.0.50.1 --file clusterconfig/test-cp.yaml',
      'talosctl apply-config --insecure --nodes 10.0.50.10 --file clusterconfig/test-w1.yaml',
      'talosctl bootstrap --nodes 10.0.50.1',
      'talosctl kubeconfig --nodes 10.0.50.1',
      'create secret generic sops-age',
      'helmfile --file clusters/test/bootstrap/helmfile.yaml sync',
      'kubectl -n flux-system get fluxinstance flux',
    ]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(readme).toContain('| 1 | `kube-system/cilium` | `cilium/cilium` |');
    expect(readme).toContain('`clusters/test/network/cilium/app/helmrelease.yaml`');
  });

  test('classic bootstrap (layered): flux bootstrap git with the layered sync path, no flux-operator', () => {
    const estate = new Estate();
    const c = cluster(estate, { name: 'prox', flux: { bootstrap: 'classic', layout: 'layered' }, sops: undefined });
    filler(c);
    const tree = synthTree(estate);
    expect(yamlOf(tree, helmfilePath('prox')).releases).toEqual([]);
    const readme = tree.get(readmePath('prox'))!;
    expect(readme).toContain('flux bootstrap git --url=https://github.com/example/homelab --branch=main --path=clusters/prox/flux');
    expect(readme).not.toContain('flux-operator');
    expect(readme).not.toContain('sops-age');
    expect(readme).toContain('talhelper gensecret > talsecret.yaml');
  });

  test('OKE: kubeconfig from the OCI CLI, then the helmfile; only flux-operator is installed', () => {
    const estate = new Estate();
    const c = cluster(estate, { name: 'cloud', distribution: 'oke', nodes: [{ name: 'a1', role: 'worker', cpu: 2, memory: '12Gi', arch: 'arm64' }] });
    filler(c);
    const tree = synthTree(estate);
    expect(yamlOf(tree, helmfilePath('cloud')).releases.map((r: any) => r.name)).toEqual(['flux-operator']);
    const readme = tree.get(readmePath('cloud'))!;
    const a = readme.indexOf('oci ce cluster create-kubeconfig');
    const b = readme.indexOf('helmfile --file clusters/cloud/bootstrap/helmfile.yaml sync');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect([...tree.keys()].some((p) => p.startsWith('clusters/cloud/talos/') || p.startsWith('clusters/cloud/k3s/'))).toBe(false);
  });
});

describe('k3s node configuration', () => {
  const arm = (extra: (c: HomelabCluster) => void) => {
    const estate = new Estate();
    const c = cluster(estate, {
      name: 'arm',
      distribution: 'k3s',
      nodes: [
        { name: 'rpi4-1', role: 'control-plane', cpu: 4, memory: '8Gi', arch: 'arm64', labels: { 'homelab.arpa/vlan': 'infra' } },
        { name: 'rpi4-2', role: 'worker', cpu: 4, memory: '8Gi', arch: 'arm64', ip: '10.0.10.12', labels: { 'homelab.arpa/vlan': 'infra' } },
        { name: 'phone-1', role: 'worker', cpu: 8, memory: '4Gi', arch: 'arm64', labels: { 'homelab.arpa/vlan': 'iot' }, taints: [{ key: 'homelab.arpa/phone', value: 'true', effect: 'NoSchedule' }] },
      ],
    });
    extra(c);
    return synthTree(estate);
  };

  test('Traefik stays without another ingress and is disabled once the estate deploys its own', () => {
    const plain = parse(arm((c) => filler(c)).get('clusters/arm/k3s/rpi4-1.yaml')!);
    expect(plain.disable).toEqual([]);
    expect(plain['flannel-backend']).toBe('vxlan');
    const tree = arm((c) => new IngressNginx(c, 'ingress-nginx'));
    const withIngress = parse(tree.get('clusters/arm/k3s/rpi4-1.yaml')!);
    expect(withIngress.disable).toEqual(['traefik']);
    expect(tree.get(readmePath('arm'))).toContain("- traefik (`--disable=traefik`): the cluster's ingress is 'ingress-nginx'");
  });

  test('CNI, LB IPAM and a default StorageClass: flannel, network policy, kube-proxy, servicelb and local-storage off', () => {
    const tree = arm((c) => {
      fakeCni(c, { requirements: { cni: 'none', disableKubeProxy: true } });
      const lb = filler(c, 'pools');
      lb.provide(LOAD_BALANCER_IPAM);
      const storage = filler(c, 'storage');
      storage.provide(DEFAULT_STORAGE_CLASS);
      storage.provide(storageClass('fast'));
    });
    const server = parse(tree.get('clusters/arm/k3s/rpi4-1.yaml')!);
    expect(server).toMatchObject({
      'token-file': '/run/secrets/k3s-token',
      'node-name': 'rpi4-1',
      'cluster-cidr': '10.42.0.0/16',
      'service-cidr': '10.43.0.0/16',
      disable: ['servicelb', 'local-storage'],
      'flannel-backend': 'none',
      'disable-network-policy': true,
      'disable-kube-proxy': true,
    });
    expect(server.server).toBeUndefined();
    expect(server['cluster-init']).toBeUndefined();
    const readme = tree.get(readmePath('arm'))!;
    expect(readme).toContain("- local-storage (`--disable=local-storage`): 'storage' provides the default StorageClass");
  });

  test('labels (VLAN, arch), phone taints, control-plane taint, agents join the first server by token file', () => {
    const tree = arm((c) => filler(c));
    const server = parse(tree.get('clusters/arm/k3s/rpi4-1.yaml')!);
    const worker = parse(tree.get('clusters/arm/k3s/rpi4-2.yaml')!);
    const phone = parse(tree.get('clusters/arm/k3s/phone-1.yaml')!);
    expect(server['node-label']).toEqual(['homelab.arpa/vlan=infra', 'kubernetes.io/arch=arm64']);
    expect(server['node-taint']).toEqual(['node-role.kubernetes.io/control-plane:NoSchedule']);
    expect(worker).toEqual({ server: 'https://rpi4-1:6443', 'token-file': '/run/secrets/k3s-token', 'node-name': 'rpi4-2', 'node-ip': '10.0.10.12', 'node-label': ['homelab.arpa/vlan=infra', 'kubernetes.io/arch=arm64'], 'node-taint': [] });
    expect(phone['node-label']).toEqual(['homelab.arpa/vlan=iot', 'kubernetes.io/arch=arm64']);
    expect(phone['node-taint']).toEqual(['homelab.arpa/phone=true:NoSchedule']);
    expect(phone.disable).toBeUndefined();
    expect(tree.get('clusters/arm/k3s/rpi4-2.yaml')).toContain('# NixOS: services.k3s = { enable = true; role = "agent"; configPath = ./clusters/arm/k3s/rpi4-2.yaml; };');
    const readme = tree.get(readmePath('arm'))!;
    expect(readme.indexOf('services.k3s = { enable = true; role = "server"')).toBeLessThan(readme.indexOf('helmfile --file clusters/arm/bootstrap/helmfile.yaml sync'));
    expect(readme).toContain("ssh rpi4-1 sudo cat /etc/rancher/k3s/k3s.yaml | sed 's/127.0.0.1/rpi4-1/'");
  });

  test('two servers: the first initialises etcd, the second joins through the VIP; host packages from node requirements', () => {
    const estate = new Estate();
    const c = cluster(estate, {
      name: 'duo',
      distribution: 'k3s',
      network: { vip: '10.0.50.50' },
      nodes: [
        { name: 's1', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.1' },
        { name: 's2', role: 'control-plane', cpu: 4, memory: '8Gi', ip: '10.0.50.2' },
      ],
    });
    const storage = filler(c, 'storage');
    addNodeRequirements(storage, { hostPackages: ['open-iscsi'], hostServices: ['iscsid'] });
    const tree = synthTree(estate);
    const s1 = parse(tree.get('clusters/duo/k3s/s1.yaml')!);
    const s2 = parse(tree.get('clusters/duo/k3s/s2.yaml')!);
    expect(s1['cluster-init']).toBe(true);
    expect(s1.server).toBeUndefined();
    expect(s2.server).toBe('https://10.0.50.50:6443');
    expect(s2['cluster-init']).toBeUndefined();
    expect([s1['tls-san'], s2['tls-san']]).toEqual([['10.0.50.50'], ['10.0.50.50']]);
    // Single control-plane-only cluster: workloads run on the servers, so no control-plane taint.
    expect(s1['node-taint']).toEqual([]);
    expect(tree.get('clusters/duo/k3s/s1.yaml')).toContain('# Host prerequisites: packages openiscsi (NixOS names); services iscsid.');
  });
});
