// Runs every spec under test/clusters/ in one module registry (see test/specs.ts).
import { loadSpecs } from './specs.js';

await loadSpecs('clusters');
