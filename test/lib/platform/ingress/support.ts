import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crdGroup, LOAD_BALANCER, service } from '../../../../src/lib/estate/capabilities.js';
import { HomelabCluster } from '../../../../src/lib/estate/cluster.js';
import { Component } from '../../../../src/lib/estate/component.js';
import { Estate } from '../../../../src/lib/estate/estate.js';
import { Problem, SynthError } from '../../../../src/lib/estate/problems.js';
import { ExposeOptions, exposeService } from '../../../../src/lib/platform/ingress/exposure.js';
import { synthesize, SynthResult } from '../../../../src/lib/synth/synth.js';
import { configMap, rawComponent, readTree, tempRoot } from '../../../helpers.js';

type Manifest = Record<string, any>;

/** A tiny app: a Service, exposed with the helper. Nothing in it names an ingress implementation. */
export function tinyApp(cluster: HomelabCluster, name: string, expose: Partial<ExposeOptions> = {}): Component {
  const app = rawComponent(cluster, { name, namespace: name, layer: 'apps' }, [
    { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] } },
  ]);
  exposeService(app, { expose: 'internal', serviceName: name, port: 8080, ...expose });
  return app;
}

/** Stands in for Cilium: a component providing the Gateway API CRDs, a GatewayClass and LoadBalancer addresses. */
export function gatewayApiCrds(cluster: HomelabCluster, gatewayClass = 'cilium'): Component {
  // One object so the component has a Kustomization of its own that dependents wait for.
  const c = rawComponent(cluster, { name: 'gateway-api-crds', namespace: 'kube-system' }, [configMap('gateway-api-crds')]);
  c.provide(crdGroup('gateway.networking.k8s.io'));
  c.provide(service('gateway-class', gatewayClass));
  // Cilium with LB IPAM pools: the Gateways' Services get addresses.
  c.provide(LOAD_BALANCER);
  return c;
}

/** The age recipient test clusters and {@link ENCRYPTED_SOPS} use. */
export const AGE_RECIPIENT = 'age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';

/** A file that passes the SOPS checks (encrypted-looking values, MAC, an age recipient) holding Secret `name`. */
export function encryptedSecret(name: string): string {
  return ENCRYPTED_SOPS.replace('  name: token\n', `  name: ${name}\n`);
}

/** A file that passes the SOPS checks (encrypted-looking values, MAC, an age recipient). */
export const ENCRYPTED_SOPS = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: token',
  'stringData:',
  '  token: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]',
  'sops:',
  '  age:',
  `    - recipient: ${AGE_RECIPIENT}`,
  '      enc: x',
  '  mac: ENC[AES256_GCM,data:mac=,iv:iv=,tag:tag=,type:str]',
  '',
].join('\n');

/** One synthesized estate: files and parsed objects. */
export class Synthesized {
  public readonly result: SynthResult;
  public readonly files: Map<string, string>;
  public readonly root: string;

  constructor(estate: Estate, userFiles: Record<string, string> = {}) {
    const root = tempRoot('ingress-');
    this.root = root;
    for (const [path, content] of Object.entries(userFiles)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    this.result = synthesize(estate, { root });
    this.files = readTree(root);
  }

  /** Every object of the tree with its file. */
  public get objects(): { file: string; object: Manifest }[] {
    return [...this.files].flatMap(([file, c]) => parseAllDocuments(c).map((d) => ({ file, object: d.toJSON() as Manifest })));
  }

  /** The one object of a kind (and name), failing the test when there is not exactly one. */
  public one(kind: string, name?: string): Manifest {
    const found = this.objects.filter((o) => o.object?.kind === kind && (name === undefined || o.object.metadata?.name === name));
    if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}: ${found.map((f) => f.file).join(', ')}`);
    return found[0].object;
  }

  /** The file an object is in. */
  public fileOf(kind: string, name: string): string {
    const found = this.objects.find((o) => o.object?.kind === kind && o.object.metadata?.name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found.file;
  }

  /** dependsOn names of a component's Flux Kustomization. */
  public dependsOn(componentName: string): string[] {
    const ks = this.objects.find((o) => o.object?.kind === 'Kustomization' && o.object.apiVersion === 'kustomize.toolkit.fluxcd.io/v1' && o.object.metadata.name === componentName);
    if (!ks) throw new Error(`no Flux Kustomization ${componentName}`);
    return (ks.object.spec.dependsOn ?? []).map((d: { name: string }) => d.name);
  }

  /** Values of the HelmRelease named `name`. */
  public values(name: string): Manifest {
    return this.one('HelmRelease', name).spec.values;
  }
}

/** The problems a synth reports (empty if it succeeds). */
export function problemsOf(estate: Estate, userFiles: Record<string, string> = {}): Problem[] {
  try {
    new Synthesized(estate, userFiles);
    return [];
  } catch (e) {
    if (e instanceof SynthError) return [...e.problems];
    throw e;
  }
}
