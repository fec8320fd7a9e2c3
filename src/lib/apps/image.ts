import { IConstruct } from 'constructs';
import { Diagnostics } from '../estate/diagnostics.js';
import { Arch } from '../estate/node.js';
import type { ImageRuntime } from './runtime-needs.js';

/**
 * A container image pinned to a version. Each app construct exports its default as a const preceded
 * by a `// renovate: datasource=docker depName=<repository>` comment, so Renovate proposes updates.
 */
export interface ImageRef {
  /** Registry and repository, e.g. `ghcr.io/home-operations/sonarr` or `vaultwarden/server`. */
  readonly repository: string;
  /** A fixed tag, e.g. `1.34.3`. Never `latest` (or another moving tag). */
  readonly tag: string;
  /** Optional content digest (`sha256:…`) pinned next to the tag. @default - tag only */
  readonly digest?: string;
  /**
   * CPU architectures the image is published for; the pod is restricted to nodes of these.
   * @default ['amd64', 'arm64']
   */
  readonly archs?: readonly Arch[];
  /**
   * What the image needs at run time (user, writable paths, capabilities, ports), checked against
   * the app's securityContext, mounts and ports. Replaces the library's facts for this repository.
   * @default - the library's facts for the repository (IMAGE_FACTS), or no check for an unknown image
   */
  readonly runtime?: ImageRuntime;
}

/** Tags that move: an image using one is not pinned. */
const MOVING_TAGS = new Set(['latest', 'stable', 'edge', 'main', 'master', 'nightly', 'rolling', 'develop', 'dev']);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Architectures an image is assumed to support when its construct does not say. */
export const DEFAULT_ARCHS: readonly Arch[] = ['amd64', 'arm64'];

/** `repository:tag` (or `repository:tag@digest`), as the pod spec references it. */
export function imageName(image: ImageRef): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

/**
 * Reports an image that is not pinned (no tag, a moving tag such as `latest`, a tag written into the
 * repository) or malformed. Returns whether the image is usable.
 */
export function checkImage(scope: IConstruct, field: string, image: ImageRef): boolean {
  const d = Diagnostics.of(scope);
  const fix = `pin a released version, e.g. image: { repository: '${image.repository?.split(':')[0] || 'registry/name'}', tag: '1.2.3' }, and let Renovate bump it`;
  if (!image.repository || /\s/.test(image.repository)) {
    d.error(scope, `${field}.repository`, `image repository ${JSON.stringify(image.repository)} is empty or contains spaces`, "set the repository, e.g. 'ghcr.io/owner/name'");
    return false;
  }
  if (/[A-Z]/.test(image.repository)) {
    d.error(scope, `${field}.repository`, `image repository '${image.repository}' has uppercase letters: the container runtime refuses it ("repository name must be lowercase")`, `write it in lowercase: '${image.repository.toLowerCase()}'`);
    return false;
  }
  const lastSegment = image.repository.split('/').pop() ?? '';
  if (lastSegment.includes(':') || image.repository.includes('@')) {
    d.error(scope, `${field}.repository`, `image repository '${image.repository}' carries a tag or digest`, 'put the version in image.tag (and a digest in image.digest), not in the repository');
    return false;
  }
  if (!image.tag) {
    d.error(scope, `${field}.tag`, `image '${image.repository}' has no tag, so the version running is whatever the registry serves today`, fix);
    return false;
  }
  if (MOVING_TAGS.has(image.tag.toLowerCase())) {
    d.error(scope, `${field}.tag`, `image '${image.repository}:${image.tag}' uses the moving tag '${image.tag}', so the version running is not pinned`, fix);
    return false;
  }
  if (!TAG.test(image.tag)) {
    d.error(scope, `${field}.tag`, `'${image.tag}' is not a valid image tag`, 'use letters, digits, ".", "_" and "-" (at most 128 characters)');
    return false;
  }
  if (image.digest !== undefined && !DIGEST.test(image.digest)) {
    d.error(scope, `${field}.digest`, `'${image.digest}' is not a sha256 digest`, "write it as 'sha256:' followed by 64 lowercase hex digits, or drop it");
    return false;
  }
  if (image.archs !== undefined && image.archs.length === 0) {
    d.error(scope, `${field}.archs`, 'the image lists no CPU architecture', "list the architectures the image is published for, e.g. ['amd64', 'arm64']");
    return false;
  }
  return true;
}
