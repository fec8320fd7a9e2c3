// Runs the specs directly in test/ (repository-level checks) in one module registry (see test/specs.ts).
import { loadSpecs } from './specs.js';

await loadSpecs('.', false);
