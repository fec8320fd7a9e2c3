export * from './versions.js';
export * from './settings.js';
export * from './talconfig.js';
export * from './files.js';
export { validateMachinePatch, validateTalconfig } from './schema.js';
