// Runs every spec under test/lib/output/ in one module registry (see test/specs.ts).
import { loadSpecs } from '../specs.js';

await loadSpecs('lib/output');
