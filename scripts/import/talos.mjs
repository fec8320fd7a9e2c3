/**
 * Step 1f: Talos schemas for the Talos side of synth (src/lib/talos):
 *
 *   imports/schemas/talos/talconfig.json          talhelper's talconfig.yaml schema, as published
 *                                                 (plus a "$comment" naming the source)
 *   imports/schemas/talos/machine-config.json     the schema of one Talos machine-config document
 *                                                 (v1alpha1.Config, or the document its `kind` names),
 *                                                 documentation keywords dropped
 *   imports/validators/talos/talconfig.cjs        the first one precompiled with Ajv
 *   imports/validators/talos/machine-config.cjs   the second one precompiled with Ajv
 *
 * A Talos machine-config patch (strategic merge) is a partial v1alpha1.Config document, or a
 * whole document of another kind; v1alpha1.Config requires no field and closes every object, so a
 * patch validates against it as is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { standaloneValidator } from './ajv.mjs';
import { clone, jsonComment, sharedRel, toJson, tsHeader, walkSchema, writeImport } from './util.mjs';

/** Documentation keywords of the Talos schema (it carries three renderings of every description). */
const DOCS = ['description', 'markdownDescription', 'x-intellij-html-description', 'title'];

/** Reads the two Talos schemas from the staged talos/ folder (stage.mjs). */
export function readTalosSchemas(shared) {
  const talconfigFile = path.join(shared, 'talos', 'talhelper', 'talconfig.json');
  const machineFile = path.join(shared, 'talos', 'siderolabs', 'config.schema.json');
  return {
    talconfig: { file: talconfigFile, schema: JSON.parse(fs.readFileSync(talconfigFile, 'utf8')) },
    machine: { file: machineFile, schema: JSON.parse(fs.readFileSync(machineFile, 'utf8')) },
  };
}

/**
 * The schema of one machine-config patch document: a document with a `kind` (Talos's multi-document
 * configs: TimeSyncConfig, UserVolumeConfig…) is checked against that kind's definition, a document
 * without one against v1alpha1.Config. Upstream $defs, documentation keywords dropped.
 */
export function machineConfigSchema(upstream) {
  const defs = clone(upstream.$defs);
  walkSchema({ $defs: defs }, (s) => {
    for (const k of DOCS) if (typeof s[k] === 'string') delete s[k];
  });
  const kinds = upstream.oneOf
    .map((alt) => alt.$ref.replace('#/$defs/', ''))
    .map((def) => ({ def, kind: defs[def]?.properties?.kind?.enum?.[0] }))
    .filter((k) => typeof k.kind === 'string')
    .sort((a, b) => a.kind.localeCompare(b.kind));
  return {
    $schema: upstream.$schema,
    $id: `${upstream.$id.replace(/\.json$/, '')}/machine-config-patch.json`,
    if: { required: ['kind'] },
    then: {
      properties: { kind: { enum: kinds.map((k) => k.kind) } },
      allOf: kinds.map((k) => ({ if: { properties: { kind: { const: k.kind } } }, then: { $ref: `#/$defs/${k.def}` } })),
    },
    else: { $ref: '#/$defs/v1alpha1.Config' },
    $defs: defs,
  };
}

/** Writes the Talos schemas and their precompiled validators; returns the files written. */
export function writeTalosSchemas(shared) {
  const { talconfig, machine } = readTalosSchemas(shared);
  const talconfigRel = sharedRel(talconfig.file);
  const machineRel = sharedRel(machine.file);
  const talconfigSchema = { $comment: jsonComment([talconfigRel]), ...talconfig.schema };
  const machineSchema = { $comment: jsonComment([machineRel]), ...machineConfigSchema(machine.schema) };
  const written = [
    writeImport('schemas/talos/talconfig.json', toJson(talconfigSchema)),
    writeImport('schemas/talos/machine-config.json', toJson(machineSchema)),
  ];
  for (const [name, schema, rel] of [['talconfig', talconfigSchema, talconfigRel], ['machine-config', machineSchema, machineRel]]) {
    const header = tsHeader([rel]).replace(/\. Do not edit by hand\.\n$/, ` (via imports/schemas/talos/${name}.json). Do not edit by hand.\n`);
    written.push(writeImport(`validators/talos/${name}.cjs`, header + standaloneValidator(schema) + '\n'));
  }
  return written;
}
