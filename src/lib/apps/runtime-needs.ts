/**
 * What an image needs at run time, as types: the facts table (image-facts.ts), the image reference
 * (image.ts) and the check (image-runtime.ts) all speak them, so they live apart from all three.
 */

/** Why an image needs something: one sentence naming what in the image does it. */
export interface RuntimeNeed {
  readonly reason: string;
}

/** A port the image's process listens on. */
export interface ImagePort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Variable moving the port: when the app sets it to a number, that number is the port. @default - no variable */
  readonly env?: string;
  /** Command-line flag moving the port (`--port 8080` or `--port=8080` in command or args). @default - no flag */
  readonly flag?: string;
}

/** A directory (or file) the image writes at start or while it runs. */
export interface WritablePath {
  readonly path: string;
  /** Variable moving it (Vaultwarden's `DATA_FOLDER`): when the app sets it, its value is the path. @default - the path is fixed */
  readonly env?: string;
}

/**
 * What an image needs at run time, read from its Dockerfile and entrypoint at a pinned tag. The App
 * construct compares its rendered securityContext, volume mounts and container ports with these
 * facts and reports a contradiction before the pod crash-loops on a cluster.
 */
export interface ImageRuntime {
  /** Where the facts were read (Dockerfile / entrypoint at a tag), for whoever updates them. */
  readonly source: string;
  /** The user the image runs as when the pod sets none (the Dockerfile's `USER`; 0:0 when it has none). */
  readonly user: { readonly uid: number; readonly gid: number };
  /** The entrypoint must start as uid 0 (it chowns or writes root-owned files, then drops privileges itself). @default - any uid works */
  readonly startsAsRoot?: RuntimeNeed;
  /**
   * Files and directories the image ships and its entrypoint changes in place (`sed -i`, `chmod`,
   * `ln -sf`, new files in a shipped directory). Only a writable root filesystem works: a volume
   * mounted over them hides what the image ships.
   * @default - none
   */
  readonly changesImageFiles?: RuntimeNeed & { readonly paths: readonly string[] };
  /** Paths the image writes that a writable volume (an emptyDir, a claim) may cover under a read-only root filesystem. @default [] */
  readonly writablePaths?: readonly WritablePath[];
  /** Capabilities the process needs added back after `drop: [ALL]`. @default - none */
  readonly capabilities?: RuntimeNeed & {
    readonly names: readonly string[];
    /** Needed only when the container starts as root (the image also runs unprivileged). @default false */
    readonly onlyAsRoot?: boolean;
  };
  /** Ports the image listens on. @default - unknown: container ports are not checked */
  readonly ports?: readonly ImagePort[];
}
