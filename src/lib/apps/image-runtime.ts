import { IConstruct } from 'constructs';
import { Diagnostics } from '../estate/diagnostics.js';
import type { EnvValue } from './env.js';
import { IMAGE_FACTS } from './image-facts.js';
import type { ImagePort, ImageRuntime } from './runtime-needs.js';
import type { ImageRef } from './image.js';
import type { ResolvedSecurity } from './security.js';
import type { AppVolume } from './volumes.js';

export type { ImagePort, ImageRuntime, RuntimeNeed, WritablePath } from './runtime-needs.js';

/** What a construct renders for a container, compared with the image's facts (App passes its main container). */
export interface RenderedRuntime {
  readonly image: ImageRef;
  readonly security: Pick<ResolvedSecurity, 'root' | 'runAsUser' | 'readOnlyRootFilesystem' | 'capabilities' | 'privileged'>;
  readonly volumes: Readonly<Record<string, AppVolume>>;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
  readonly env: Readonly<Record<string, EnvValue>>;
  /** The container's command; when set, the image's entrypoint does not run and nothing is checked. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
}

/**
 * The repository as the table keys it: without `docker.io/` (or `index.docker.io/`) and `library/`,
 * so `docker.io/library/redis` and `redis` are the same image. Tags and digests play no part.
 */
export function runtimeKey(repository: string): string {
  return repository.toLowerCase().replace(/^(index\.)?docker\.io\//, '').replace(/^library\//, '');
}

/** The facts of an image: its own `runtime`, else the library's table entry for its repository. */
export function imageRuntime(image: ImageRef): ImageRuntime | undefined {
  return image.runtime ?? IMAGE_FACTS[runtimeKey(image.repository ?? '')];
}

/**
 * Reports where the main container contradicts its image's facts (see {@link ImageRuntime}): a
 * non-root pod for an image that must start as root, a read-only root filesystem for an image
 * changing its own files or writing where no writable volume is mounted, a volume hiding files the
 * entrypoint changes, a capability it needs left dropped (errors); a container port the image does
 * not listen on (a warning). Images without facts are not checked, and neither is a container whose
 * `command` replaces the image's entrypoint (the facts describe that entrypoint).
 */
export function checkImageRuntime(scope: IConstruct, r: RenderedRuntime): void {
  const facts = imageRuntime(r.image);
  if (!facts || r.command) return;
  const d = Diagnostics.of(scope);
  const name = r.image.repository;
  const s = r.security;

  if (s.runAsUser === undefined && !s.root && facts.user.uid === 0) {
    d.error(scope, 'security.runAsImageUser',
      `image '${name}' runs as root when the pod sets no user (its Dockerfile has no non-root USER), so runAsNonRoot: true keeps it from starting`,
      "give a uid instead (security: { runAsUser: 1000 }), or, if it must start as root, security: { runAsRoot: { reason: '…' } }");
  }
  if (facts.startsAsRoot && !s.root) {
    d.error(scope, 'security.runAsRoot',
      `image '${name}' must start as root (${facts.startsAsRoot.reason}), but the pod runs as ${s.runAsUser === undefined ? "the image's user" : `uid ${s.runAsUser}`} with runAsNonRoot: true, so it fails at start`,
      `relax it: security: { runAsRoot: { reason: '${facts.startsAsRoot.reason}' } } (the image drops privileges itself), or use an image built to run unprivileged`);
  }

  const mounts = Object.entries(r.volumes).map(([volume, v]) => ({ volume, path: trimSlash(v.mountPath ?? ''), writable: isWritable(v) }));
  for (const file of facts.changesImageFiles?.paths ?? []) {
    const over = mounts.find((m) => m.path !== '' && within(file, m.path));
    if (over) {
      d.error(scope, `persistence.${over.volume}.mountPath`,
        `volume '${over.volume}' at ${over.path} hides ${file}, which image '${name}' ships and changes at start (${facts.changesImageFiles!.reason})`,
        `mount the volume elsewhere or drop it: the image needs its own ${file}`);
    }
  }
  if (s.readOnlyRootFilesystem && facts.changesImageFiles && facts.changesImageFiles.paths.length > 0) {
    d.error(scope, 'security.writableRootFilesystem',
      `image '${name}' changes files it ships (${facts.changesImageFiles.paths.join(', ')}: ${facts.changesImageFiles.reason}); with a read-only root filesystem it fails at start, and no volume can stand in for them`,
      `relax it: security: { writableRootFilesystem: { reason: '${facts.changesImageFiles.reason}' } }`);
  }
  if (s.readOnlyRootFilesystem && !(facts.changesImageFiles && facts.changesImageFiles.paths.length > 0)) {
    for (const w of facts.writablePaths ?? []) {
      const moved = w.env ? r.env[w.env] : undefined;
      const path = trimSlash(typeof moved === 'string' && moved.startsWith('/') ? moved : w.path);
      if (mounts.some((m) => m.writable && m.path !== '' && within(path, m.path))) continue;
      d.error(scope, 'persistence',
        `image '${name}' writes ${path}, but the root filesystem is read-only and no writable volume is mounted there`,
        `mount one: persistence: { '${volumeNameFor(path)}': { type: 'emptyDir', mountPath: '${path}' } } (a claim to keep the data), or relax writableRootFilesystem with a reason`);
    }
  }

  const caps = facts.capabilities;
  if (caps && !s.privileged && (!caps.onlyAsRoot || s.root)) {
    const missing = caps.names.filter((c) => !s.capabilities.includes(c));
    if (missing.length > 0) {
      d.error(scope, 'security.addCapabilities',
        `image '${name}' needs the capabilities ${missing.join(', ')} (${caps.reason}), but the container drops them`,
        `add them back: security: { addCapabilities: { capabilities: [${caps.names.map((c) => `'${c}'`).join(', ')}], reason: '${caps.reason}' } }`);
    }
  }

  if (facts.ports) {
    const listening = facts.ports.map((p) => ({ port: listeningPort(p, r), protocol: p.protocol ?? 'TCP' }));
    for (const port of r.ports) {
      const protocol = port.protocol ?? 'TCP';
      if (listening.some((l) => l.protocol === protocol && (l.port === undefined || l.port === port.port))) continue;
      const known = listening.map((l) => `${l.port}/${l.protocol}`).join(', ');
      const movers = facts.ports.filter((p) => (p.protocol ?? 'TCP') === protocol)
        .flatMap((p) => [...(p.flag ? [`flag ${p.flag}`] : []), ...(p.env ? [`env ${p.env}`] : [])]);
      d.warn(scope, 'image-port',
        `port '${port.name}' (${port.port}/${protocol}) is not one image '${name}' listens on (${known}): the Service and probes would reach nothing${movers.length > 0 ? `; move the image's port with ${movers.join(' or ')}` : ''}`);
    }
  }
}

/** The port the image listens on given the app's env and arguments; undefined when set from a Secret (unknown). */
function listeningPort(p: ImagePort, r: RenderedRuntime): number | undefined {
  if (p.flag) {
    const argv = [...(r.command ?? []), ...(r.args ?? [])];
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === p.flag && i + 1 < argv.length) return toPort(argv[i + 1]) ?? p.port;
      if (argv[i].startsWith(`${p.flag}=`)) return toPort(argv[i].slice(p.flag.length + 1)) ?? p.port;
    }
  }
  if (p.env && p.env in r.env) {
    const v = r.env[p.env];
    return typeof v === 'string' ? toPort(v) ?? p.port : undefined;
  }
  return p.port;
}

function toPort(s: string): number | undefined {
  return /^\d{1,5}$/.test(s) ? Number(s) : undefined;
}

/** configMap and secret volumes are read-only whatever the mount says. */
function isWritable(v: AppVolume): boolean {
  return v.type !== 'configMap' && v.type !== 'secret' && !v.readOnly;
}

/** Whether `path` is `dir` or lies under it. */
function within(path: string, dir: string): boolean {
  const p = trimSlash(path);
  return p === dir || dir === '/' || p.startsWith(`${dir}/`);
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** A volume name suggestion for a path (`/var/lib/postfix` → `var-lib-postfix`). */
function volumeNameFor(path: string): string {
  return path.replace(/^\/+/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-+|-+$/g, '').slice(0, 63) || 'scratch';
}
