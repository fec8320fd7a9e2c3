import { CertManager, Cloudflared, INGRESS_NGINX_RETIRED, IngressNginx } from '../../../../src/lib/platform/ingress/index.js';
import { clusterProps, configMap, rawComponent, testCluster } from '../../../helpers.js';
import { LOAD_BALANCER } from '../../../../src/lib/estate/capabilities.js';
import { MONITORING } from '../../../../src/lib/estate/services.js';
import { HomelabCluster } from '../../../../src/lib/estate/cluster.js';
import { Diagnostics } from '../../../../src/lib/estate/diagnostics.js';
import { AGE_RECIPIENT, ENCRYPTED_SOPS, Synthesized, problemsOf, tinyApp } from './support.js';

const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

describe('IngressNginx', () => {
  test('without a load balancer in the cluster the controller Service is NodePort; a LoadBalancer asked for anyway is an error', () => {
    const { estate, cluster } = testCluster();
    new IngressNginx(cluster, 'ingress-nginx');
    expect(new Synthesized(estate).one('HelmRelease', 'ingress-nginx').spec.values.controller.service).toEqual({ type: 'NodePort' });
    const forced = testCluster();
    new IngressNginx(forced.cluster, 'ingress-nginx', { serviceType: 'LoadBalancer' });
    const p = problemsOf(forced.estate).find((x) => x.field === 'spec.values.controller.service.type');
    expect(p?.message).toContain("asks for a LoadBalancer, but nothing in cluster 'test' (talos) assigns LoadBalancer addresses");
    expect(p?.fix).toContain('give Cilium loadBalancerPools');
    const declared = testCluster({ builtins: [LOAD_BALANCER] });
    new IngressNginx(declared.cluster, 'ingress-nginx', { serviceType: 'LoadBalancer' });
    expect(() => new Synthesized(declared.estate)).not.toThrow();
  });

  test('controller values: IngressClass nginx (default), replicas from the node count, requests, restricted security context, LB IP', () => {
    const { estate, cluster } = testCluster();
    rawComponent(cluster, { name: 'lb', namespace: 'kube-system' }, [configMap('lb')]).provide(LOAD_BALANCER);
    const nginx = new IngressNginx(cluster, 'ingress-nginx', { loadBalancerIp: '10.0.50.120' });
    const s = new Synthesized(estate);
    const hr = s.one('HelmRelease', 'ingress-nginx');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'ingress-nginx', version: '4.15.1', sourceRef: { kind: 'HelmRepository', name: 'ingress-nginx' } });
    const c = hr.spec.values.controller;
    expect(c.ingressClassResource).toEqual({ name: 'nginx', enabled: true, default: true, controllerValue: 'k8s.io/ingress-nginx' });
    expect(c.ingressClass).toBe('nginx');
    expect(c.replicaCount).toBe(2);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '90Mi' } });
    expect(c.service).toEqual({ type: 'LoadBalancer', loadBalancerIP: '10.0.50.120' });
    expect(c.containerSecurityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.allowSnippetAnnotations).toBe(false);
    expect(c.extraArgs).toEqual({});
    expect(c.metrics).toEqual({ enabled: false });
    const ns = s.one('Namespace', 'ingress-nginx');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(s.fileOf('HelmRelease', 'ingress-nginx')).toBe('clusters/test/ingress/ingress-nginx/app/helmrelease.yaml');
    expect(nginx.serviceName).toBe('ingress-nginx-controller');
    expect(nginx.workloads).toEqual([{ name: 'ingress-nginx-controller', replicas: 2, cpuRequest: '100m', memoryRequest: '90Mi' }]);
  });

  test('the metrics port opens when the cluster collects metrics', () => {
    const { estate, cluster } = testCluster();
    const prometheus = rawComponent(cluster, { name: 'prometheus', namespace: 'monitoring' });
    cluster.registerService(MONITORING, { component: prometheus, selectorLabels: {} }, prometheus);
    new IngressNginx(cluster, 'ingress-nginx');
    expect(new Synthesized(estate).values('ingress-nginx').controller.metrics).toEqual({ enabled: true });
  });

  test('one replica on a single-node cluster; a release name without the chart name gets the chart suffix', () => {
    const { estate, cluster } = testCluster({ nodes: [{ name: 'n1', role: 'control-plane', cpu: 4, memory: '8Gi' }] });
    const nginx = new IngressNginx(cluster, 'edge', { ingressClassName: 'edge', defaultClass: false });
    const s = new Synthesized(estate);
    const c = s.values('edge').controller;
    expect(c.replicaCount).toBe(1);
    expect(c.ingressClassResource).toEqual({ name: 'edge', enabled: true, default: false, controllerValue: 'k8s.io/ingress-nginx-edge' });
    expect(nginx.serviceName).toBe('edge-ingress-nginx-controller');
  });

  test('with cert-manager: a wildcard Certificate is the default certificate and routes get TLS', () => {
    const { estate, cluster } = testCluster({ sops: { ageRecipients: [AGE_RECIPIENT] } });
    new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'acme-cloudflare', email: 'ops@example.com', apiToken: { name: 'cloudflare-api-token', sopsFile: 'cloudflare-api-token.sops.yaml' } }] });
    new IngressNginx(cluster, 'ingress-nginx');
    tinyApp(cluster, 'paperless', {});
    const s = new Synthesized(estate, { 'clusters/test/certs/cert-manager/app/cloudflare-api-token.sops.yaml': ENCRYPTED_SOPS });
    const cert = s.one('Certificate', 'wildcard');
    expect(cert.metadata.namespace).toBe('ingress-nginx');
    expect(cert.spec).toMatchObject({ secretName: 'wildcard-tls', dnsNames: ['*.example.com', 'example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } });
    expect(s.values('ingress-nginx').controller.extraArgs).toEqual({ 'default-ssl-certificate': 'ingress-nginx/wildcard-tls' });
    expect(s.one('Ingress', 'paperless').spec.tls).toEqual([{ hosts: ['paperless.example.com'] }]);
    expect(s.dependsOn('ingress-nginx')).toEqual(['cert-manager-config']);
  });

  test('behind a TLS controller the tunnel speaks HTTPS to it with the public hostname as SNI', () => {
    const { estate, cluster } = testCluster();
    new CertManager(cluster, 'cert-manager', { issuers: [{ type: 'internal-ca' }] });
    new IngressNginx(cluster, 'ingress-nginx');
    new Cloudflared(cluster, 'cloudflared', { tunnel: { mode: 'local', tunnelId: TUNNEL_ID, credentials: { name: 'tunnel-credentials' } } });
    tinyApp(cluster, 'blog', { expose: 'public' });
    const s = new Synthesized(estate);
    expect(s.values('cloudflared').ingress[0]).toEqual({
      hostname: 'blog.example.com',
      service: 'https://ingress-nginx-controller.ingress-nginx.svc.cluster.local:443',
      // The internal CA is not publicly trusted: the in-cluster hop skips verification.
      originRequest: { originServerName: 'blog.example.com', noTLSVerify: true },
    });
    expect(s.one('Ingress', 'blog').metadata.annotations).toEqual({
      'external-dns.alpha.kubernetes.io/target': `${TUNNEL_ID}.cfargotunnel.com`,
      'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true',
    });
  });

  test('the retirement warning names the replacements and is printed once per cluster', () => {
    const { estate, cluster } = testCluster();
    new IngressNginx(cluster, 'ingress-nginx');
    new IngressNginx(cluster, 'nginx-public', { namespace: 'nginx-public', ingressClassName: 'public', defaultClass: false });
    const other = new HomelabCluster(estate, clusterProps({ name: 'other' }));
    new IngressNginx(other, 'ingress-nginx');
    // Two ingress providers in one cluster are an error of their own (checked); the warnings are collected anyway.
    expect(problemsOf(estate).map((p) => [p.path, p.field])).toEqual([['test/nginx-public', 'service']]);
    const warnings = Diagnostics.of(estate).warnings.filter((w) => w.code.includes('nginx'));
    expect(warnings.map((w) => [w.cluster, w.code])).toEqual([['test', INGRESS_NGINX_RETIRED], ['other', INGRESS_NGINX_RETIRED]]);
    expect(warnings[0].message).toMatch(/retired upstream.*Traefik.*Gateway API/);
  });

  test('a misspelt values key is a synth error naming the key and the construct', () => {
    const { estate, cluster } = testCluster();
    new IngressNginx(cluster, 'ingress-nginx', { values: { controller: { replicaCont: 3 } } });
    const problems = problemsOf(estate);
    expect(problems).toEqual([expect.objectContaining({ path: 'test/ingress-nginx/chart', field: 'values.controller.replicaCont' })]);
    expect(problems[0].message).toContain('controller.replicaCount');
  });

  test('an invalid LoadBalancer IP is an error', () => {
    const { estate, cluster } = testCluster({ builtins: [LOAD_BALANCER] });
    new IngressNginx(cluster, 'ingress-nginx', { loadBalancerIp: '10.0.50' });
    expect(problemsOf(estate).map((p) => [p.path, p.field])).toEqual([['test/ingress-nginx', 'loadBalancerIp']]);
  });
});
