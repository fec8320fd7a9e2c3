// Runs every spec under test/lib/model/ in one module registry (see test/specs.ts).
import { loadSpecs } from '../specs.js';

await loadSpecs('lib/model');
