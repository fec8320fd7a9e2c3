// Runs every spec under test/import/ in one module registry (see test/specs.ts).
import { loadSpecs } from './specs.js';

await loadSpecs('import');
