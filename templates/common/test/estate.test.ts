import { after, describe, test } from 'node:test';
import { defineEstateTests } from 'cdk8s-homelab/testing';
import { clusters } from '../src/main.js';

// The library's generic checks, one group per cluster: synth validates, the committed clusters/
// is up to date, every Flux folder builds with kustomize, no plaintext Secret, pinned images,
// Renovate markers on your pins, generated README. A broken cluster fails only its own group.
defineEstateTests({ describe, test, after }, { clusters });
