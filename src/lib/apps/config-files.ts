import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';

/**
 * Files an App writes itself (a `configuration.yaml`, a `mosquitto.conf`): one generated ConfigMap
 * `<app>-files`, each file mounted read-only by subPath at its path, so the rest of its directory
 * stays the image's (or a volume's). A subPath mount never sees a ConfigMap change, so the pod
 * template carries a hash of the files: a changed file is a new template, and the pods roll — no
 * Reloader needed.
 */

/** One file of an App, from text given in the estate. */
export interface AppFile {
  /** Absolute path of the file in the containers, e.g. `/config/configuration.yaml`. */
  readonly path: string;
  /** The file's text. Secrets do not belong here (the ConfigMap is committed in plain text): mount a Secret volume. */
  readonly content: string;
  /** File mode. @default 0o444 — read-only for everyone, as the library's other ConfigMap volumes */
  readonly mode?: number;
}

/** The volume the files are mounted from; sidecars name it in `volumes` to get them. */
export const FILES_VOLUME = 'config-files';

/** Pod-template annotation holding the hash of the files (a change rolls the pods). */
export const FILES_HASH_ANNOTATION = 'homelab.arpa/config-hash';

/** A ConfigMap holds at most 1 MiB (the API server's limit on its data). */
const CONFIGMAP_LIMIT = 1024 * 1024;

/** The ConfigMap key of each file: its base name, made a valid key, numbered when two share one. */
export function fileKeys(files: readonly AppFile[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const base = (f.path.split('/').pop() || 'file').replace(/[^-._a-zA-Z0-9]/g, '_');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${n + 1}-${base}`;
  });
}

/** Hash of the files' paths, modes and contents (16 hex digits of SHA-256): what the pods roll on. */
export function filesHash(files: readonly AppFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.mode ?? 0o444}\0${f.content}\0`);
  return h.digest('hex').slice(0, 16);
}

/** What the pod gets from the files: the volume, one subPath mount each, and the hash annotation. */
export interface RenderedFiles {
  readonly volume: k8s.Volume;
  readonly mounts: k8s.VolumeMount[];
  readonly podAnnotations: Record<string, string>;
}

/** Renders the ConfigMap `<app>-files` into `app` and returns what the pod mounts; undefined without files. */
export function renderFiles(app: Component, files: readonly AppFile[] | undefined): RenderedFiles | undefined {
  if (!files || files.length === 0) return undefined;
  const keys = fileKeys(files);
  const name = `${app.name}-files`;
  new k8s.KubeConfigMap(app, 'files', {
    metadata: { name, namespace: app.namespace },
    data: Object.fromEntries(files.map((f, i) => [keys[i], f.content])),
  });
  return {
    volume: { name: FILES_VOLUME, configMap: { name, defaultMode: 0o444, items: files.map((f, i) => ({ key: keys[i], path: keys[i], mode: f.mode })) } },
    mounts: files.map((f, i) => ({ name: FILES_VOLUME, mountPath: f.path, subPath: keys[i], readOnly: true })),
    podAnnotations: { [FILES_HASH_ANNOTATION]: filesHash(files) },
  };
}

/** Paths absolute and distinct from each other and from the volumes' mount paths; modes valid; the total within a ConfigMap. */
export function checkFiles(scope: IConstruct, files: readonly AppFile[] | undefined, volumeNames: readonly string[], mountPaths: readonly string[]): void {
  if (!files || files.length === 0) return;
  const d = Diagnostics.of(scope);
  const seen = new Set<string>();
  files.forEach((f, i) => {
    const at = `files[${i}]`;
    if (!f.path?.startsWith('/') || f.path.endsWith('/')) d.error(scope, `${at}.path`, `file path '${f.path}' is not an absolute file path`, "write the file's full path, e.g. '/config/configuration.yaml'");
    if (seen.has(f.path)) d.error(scope, `${at}.path`, `'${f.path}' is given twice`, 'give each file once');
    seen.add(f.path);
    if (mountPaths.includes(f.path)) d.error(scope, `${at}.path`, `'${f.path}' is also the mount path of a volume`, 'mount the file inside the volume\'s directory, or elsewhere');
    if (f.mode !== undefined && (!Number.isInteger(f.mode) || f.mode < 0 || f.mode > 0o777)) d.error(scope, `${at}.mode`, `mode ${f.mode} is not a file mode`, 'use an octal mode like 0o444 or 0o555');
  });
  const size = files.reduce((n, f) => n + Buffer.byteLength(f.content ?? '', 'utf8'), 0);
  if (size > CONFIGMAP_LIMIT) d.error(scope, 'files', `the files hold ${size} bytes, more than a ConfigMap's 1 MiB`, 'put large files in the image or on a volume');
  if (volumeNames.includes(FILES_VOLUME)) d.error(scope, `persistence.${FILES_VOLUME}`, `'${FILES_VOLUME}' is the volume the files are mounted from`, 'rename the volume');
}
