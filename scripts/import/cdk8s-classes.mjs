/**
 * Step 1a: typed cdk8s classes for the CRDs the library builds objects of, one
 * TypeScript module per API group (imports/<group>.ts), made with `cdk8s import`.
 *
 * `cdk8s import` takes one spec and writes imports/<group>.ts, so importing two files of
 * one group one after the other keeps only the last. The files of a group are therefore
 * concatenated (as JSON documents) into one temporary multi-document YAML first.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, sharedRel, tsHeader, walkSchema, writeImport } from './util.mjs';

const run = promisify(execFile);

/**
 * The CRD files (below <stage>/crds/, as listed in import.config.mjs) imported as classes, by API group.
 * Flux's own kinds come from @kubernetes-models/flux-cd instead.
 */
export const CLASS_IMPORTS = {
  'barmancloud.cnpg.io': ['barman-cloud/barmancloud.cnpg.io_objectstores.yaml'],
  'cert-manager.io': [
    'cert-manager/cert-manager.io_certificates.yaml',
    'cert-manager/cert-manager.io_clusterissuers.yaml',
    'cert-manager/cert-manager.io_issuers.yaml',
  ],
  'cilium.io': [
    'cilium/ciliuml2announcementpolicies.yaml',
    'cilium/ciliumloadbalancerippools.yaml',
    'cilium/ciliumnetworkpolicies.yaml',
  ],
  'external-secrets.io': [
    'external-secrets/external-secrets.io_clustersecretstores.yaml',
    'external-secrets/external-secrets.io_externalsecrets.yaml',
    'external-secrets/external-secrets.io_secretstores.yaml',
  ],
  'fluxcd.controlplane.io': ['flux-operator/fluxcd.controlplane.io_fluxinstances.yaml'],
  'gateway.networking.k8s.io': [
    'gateway-api/gateway.networking.k8s.io_gatewayclasses.yaml',
    'gateway-api/gateway.networking.k8s.io_gateways.yaml',
    'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
    'gateway-api/gateway.networking.k8s.io_referencegrants.yaml',
  ],
  'k8s.keycloak.org': [
    'keycloak/keycloakrealmimports.k8s.keycloak.org-v1.yml',
    'keycloak/keycloaks.k8s.keycloak.org-v1.yml',
  ],
  'longhorn.io': [
    'longhorn/backuptargets.longhorn.io.yaml',
    'longhorn/recurringjobs.longhorn.io.yaml',
    'longhorn/settings.longhorn.io.yaml',
  ],
  'monitoring.coreos.com': [
    'prometheus-operator/monitoring.coreos.com_podmonitors.yaml',
    'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
    'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
  ],
  'postgresql.cnpg.io': [
    'cloudnative-pg/postgresql.cnpg.io_backups.yaml',
    'cloudnative-pg/postgresql.cnpg.io_clusters.yaml',
    'cloudnative-pg/postgresql.cnpg.io_databases.yaml',
    'cloudnative-pg/postgresql.cnpg.io_poolers.yaml',
    'cloudnative-pg/postgresql.cnpg.io_scheduledbackups.yaml',
  ],
  'tailscale.com': ['tailscale/tailscale.com_connectors.yaml', 'tailscale/tailscale.com_proxyclasses.yaml'],
  'traefik.io': [
    'traefik/traefik.io_ingressroutes.yaml',
    'traefik/traefik.io_middlewares.yaml',
    'traefik/traefik.io_tlsoptions.yaml',
    'traefik/traefik.io_tlsstores.yaml',
  ],
};

/**
 * Sources whose CRD text must not be copied into the generated code. flux-operator is
 * AGPL-3.0 (CRDs included), so its descriptions are dropped: the classes then carry only
 * the schema's structure (names and types), not upstream prose.
 */
const STRIP_DESCRIPTIONS = new Set(['flux-operator']);

/** Every shared CRD path (relative to the repo root) that gets classes, sorted. */
export function classImportPaths(shared) {
  return Object.values(CLASS_IMPORTS).flat().map((f) => relFromRepo(path.join(shared, 'crds', f))).sort();
}

/** Header/cdk8s.yaml name of a staged CRD file. */
const relFromRepo = sharedRel;

/** Writes the group's CRDs as one multi-document YAML (JSON documents) into dir. */
function concatGroup(shared, group, files, dir) {
  const docs = [];
  for (const f of files) {
    const source = f.split('/')[0];
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(shared, 'crds', f), 'utf8'))) {
      const crd = doc.toJS();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      if (crd.spec.group !== group) throw new Error(`${f}: group ${crd.spec.group}, expected ${group}`);
      if (STRIP_DESCRIPTIONS.has(source)) {
        for (const v of crd.spec.versions ?? []) walkSchema(v.schema?.openAPIV3Schema, (s) => delete s.description);
      }
      docs.push(JSON.stringify(crd));
    }
  }
  const file = path.join(dir, `${group}.yaml`);
  fs.writeFileSync(file, docs.join('\n---\n') + '\n');
  return file;
}

/** Runs `cdk8s import` for one group and returns the generated TypeScript. */
async function importGroup(shared, group, files, tmp) {
  const dir = fs.mkdtempSync(path.join(tmp, 'g-'));
  const input = concatGroup(shared, group, files, dir);
  const cli = path.join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s');
  await run(cli, ['import', path.basename(input), '--output', 'out', '--language', 'typescript', '--check-upgrade=false', '--no-save'], { cwd: dir });
  const out = path.join(dir, 'out', `${group}.ts`);
  if (!fs.existsSync(out)) throw new Error(`cdk8s import wrote no ${group}.ts (got ${fs.readdirSync(path.join(dir, 'out'))})`);
  return fs.readFileSync(out, 'utf8');
}

/**
 * Post-processes cdk8s output: our header replaces "// generated by cdk8s"; nothing else
 * needs changing (the output uses bare package specifiers and compiles under NodeNext).
 */
function finish(ts, sources) {
  const body = ts.replace(/^\/\/ generated by cdk8s\n/, '');
  return tsHeader(sources) + body;
}

/** Runs all group imports (a few at a time) and writes imports/<group>.ts. */
export async function writeClassImports(shared) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-import-'));
  try {
    const groups = Object.keys(CLASS_IMPORTS).sort();
    const width = Math.max(2, os.cpus().length);
    const queue = [...groups];
    const worker = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        const ts = await importGroup(shared, g, CLASS_IMPORTS[g], tmp);
        const sources = CLASS_IMPORTS[g].map((f) => relFromRepo(path.join(shared, 'crds', f)));
        writeImport(`${g}.ts`, finish(ts, sources));
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    return groups;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
