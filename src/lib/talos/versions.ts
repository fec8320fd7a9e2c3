/**
 * Versions the Talos side of the estate pins. Renovate bumps them through the markers; after a
 * Talos minor bump, point the talos URLs of import.config.mjs at the new tag and rerun `npm run import`
 * so the schemas match.
 */

/** Talos Linux release every Talos node installs (the installer image tag). */
// renovate: datasource=docker depName=ghcr.io/siderolabs/installer
export const TALOS_VERSION = 'v1.13.9';

/** Kubernetes release Talos runs (the kubelet image tag; within what TALOS_VERSION supports). */
// renovate: datasource=docker depName=ghcr.io/siderolabs/kubelet
export const KUBERNETES_VERSION = 'v1.36.1';

/** Schema editors use for talconfig.yaml (the file the import step copies into imports/schemas/talos/). */
export const TALCONFIG_SCHEMA_URL = 'https://raw.githubusercontent.com/budimanjojo/talhelper/master/pkg/config/schemas/talconfig.json';

/** Talos Image Factory: turns a schematic (list of system extensions) into installer images and ISOs. */
export const IMAGE_FACTORY_URL = 'https://factory.talos.dev';

/** The Kubernetes DNS domain (Talos's default; the FluxInstance assumes it too). */
export const CLUSTER_DNS_DOMAIN = 'cluster.local';
