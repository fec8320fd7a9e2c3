// Runs every spec under test/lib/tree/ in one module registry (see test/specs.ts).
import { loadSpecs } from '../specs.js';

await loadSpecs('lib/tree');
