// The component class lives in cluster-model.ts beside HomelabCluster (the two refer to each other).
export { Component } from './cluster-model.js';
export type { ComponentProps } from './cluster-model.js';
export type { HealthCheck, Layer, NamespaceOptions, PodSecurityLevel, SopsFile } from './component-props.js';
