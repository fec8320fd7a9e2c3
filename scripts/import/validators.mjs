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
 * @param {{ name: string, schema?: object }[]} chartValues
 */
export function writeChartValidators(chartValues) {
  const written = [];
  for (const { name, schema } of chartValues) {
    if (!schema) continue;
    const code = standaloneValidator(schema);
    writeImport(`validators/charts/${name}.cjs`, tsHeader([`imports/charts/${name}/values.schema.json`]) + code + '\n');
    written.push(name);
  }
  return written;
}
