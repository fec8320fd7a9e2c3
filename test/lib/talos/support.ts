import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { crdGroup } from '../../../src/lib/estate/capabilities.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { Component } from '../../../src/lib/estate/component.js';
import { Estate } from '../../../src/lib/estate/estate.js';
import { NodeRequirements, addNodeRequirements } from '../../../src/lib/estate/node-requirements.js';
import { SynthError } from '../../../src/lib/estate/problems.js';
import { ChartRelease } from '../../../src/lib/flux/helm-release.js';
import { synthesize } from '../../../src/lib/synth/synth.js';
import { findRepoRoot } from '../../../src/lib/validation/repo-files.js';
import { readTree, tempRoot } from '../../helpers.js';

/** Values of the stand-in CNI: a few real Cilium chart keys (validated against its schema). */
export const CNI_VALUES = { kubeProxyReplacement: true, k8sServiceHost: 'localhost', k8sServicePort: 7445, ipam: { mode: 'kubernetes' }, routingMode: 'native', ipv4NativeRoutingCIDR: '10.42.0.0/16' };

/**
 * A CNI component the way the Cilium construct declares itself (chart `cilium`, node requirements
 * `cni: none`, kube-proxy off, KubePrism patch), kept independent of that construct so these tests
 * pin down the generators' own derivation.
 */
export function fakeCni(cluster: HomelabCluster, opts: { values?: Record<string, unknown>; requirements?: NodeRequirements; valuesFrom?: boolean } = {}): Component {
  const c = new Component(cluster, { name: 'cilium', namespace: { name: 'kube-system', podSecurity: 'privileged' }, group: 'network' });
  new ChartRelease(c, 'chart', {
    chart: 'cilium',
    releaseName: 'cilium',
    values: opts.values ?? CNI_VALUES,
    ...(opts.valuesFrom ? { valuesFrom: [{ kind: 'Secret' as const, name: 'cilium-extra' }] } : {}),
  });
  addNodeRequirements(c, opts.requirements ?? { cni: 'none', disableKubeProxy: true, talosPatches: [{ machine: { features: { kubePrism: { enabled: true, port: 7445 } } } }] });
  c.provide(crdGroup('cilium.io'));
  return c;
}

/** Something to deploy so a cluster is not empty (synth refuses clusters without components). */
export function filler(cluster: HomelabCluster, name = 'whoami'): Component {
  const c = new Component(cluster, { name, namespace: name });
  return c;
}

/** Synthesizes into a temporary root and returns the written files. */
export function synthTree(estate: Estate): Map<string, string> {
  const root = tempRoot('talos-');
  synthesize(estate, { root });
  return readTree(root);
}

/** The problems of a synth expected to fail. */
export function synthProblems(estate: Estate): SynthError['problems'] {
  try {
    synthesize(estate, { root: tempRoot('talos-bad-') });
  } catch (e) {
    if (e instanceof SynthError) return e.problems;
    throw e;
  }
  throw new Error('synth succeeded but problems were expected');
}

/** A YAML file of the tree, parsed. */
export function yamlOf(tree: Map<string, string>, path: string): any {
  const content = tree.get(path);
  if (content === undefined) throw new Error(`${path} was not written; files: ${[...tree.keys()].filter((k) => !k.includes('/app/')).join(', ')}`);
  return parse(content);
}

const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
const talconfigSchema = JSON.parse(readFileSync(join(findRepoRoot(), 'imports/schemas/talos/talconfig.json'), 'utf8'));
const validateTalconfigDoc = ajv.compile(talconfigSchema);
const validateSchematicDoc = ajv.compile({ ...talconfigSchema, $id: `${talconfigSchema.$id}/schematic`, $ref: '#/$defs/Schematic' });

/** Ajv errors of a talconfig.yaml document against talhelper's schema (imports/schemas/talos). */
export function talconfigErrors(doc: unknown): unknown[] {
  return validateTalconfigDoc(doc) ? [] : [...(validateTalconfigDoc.errors ?? [])];
}

/** Ajv errors of an Image Factory schematic against talhelper's `Schematic` definition. */
export function schematicErrors(doc: unknown): unknown[] {
  return validateSchematicDoc(doc) ? [] : [...(validateSchematicDoc.errors ?? [])];
}
