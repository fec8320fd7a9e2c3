// Runs every spec under test/package/ (the npm package, offline: pack → init → install → synth →
// the scaffold's tests) in one module registry (see test/specs.ts). Slow; its own runner so it runs
// beside the others.
import { loadSpecs } from './specs.js';

await loadSpecs('package');
