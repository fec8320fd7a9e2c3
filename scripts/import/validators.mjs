/**
 * Step 1e: precompiled Ajv validators (standalone CommonJS modules) for the chart values
 * schemas, imports/validators/charts/<chart>.cjs. Compiling these schemas at runtime costs
 * 5–250 ms each (≈0.75 s for all), loading the precompiled module a few milliseconds.
 * CRD and Kubernetes schemas need no compilation: src/lib/validation interprets them.
 */
import { standaloneValidator } from './ajv.mjs';
import { tsHeader, writeImport } from './util.mjs';

/**
 * Writes one validator module per chart that has a values schema.
 * @param {{ name: string, schema?: object, sources?: string[] }[]} chartValues
 */
export function writeChartValidators(chartValues) {
  const written = [];
  for (const { name, schema, sources } of chartValues) {
    if (!schema) continue;
    const code = standaloneValidator(schema);
    const header = tsHeader(sources ?? []).replace(/\. Do not edit by hand\.\n$/, ` (via imports/charts/${name}/values.schema.json). Do not edit by hand.\n`);
    writeImport(`validators/charts/${name}.cjs`, header + code + '\n');
    written.push(name);
  }
  return written;
}
