import type { Component, Layer, NamespaceOptions } from '../estate/component.js';
import type { SpreadConstraint, Toleration } from '../estate/scheduling.js';
import type { Exposure } from '../estate/services.js';
import type { EnvValue } from './env.js';
import type { ImageRef } from './image.js';
import type { NetworkPeer } from './network.js';
import type { AppSecurity } from './security.js';
import type { AppVolume } from './volumes.js';
import type { AppWorkload } from './workload-props.js';
import type { AppFile } from './config-files.js';
import type { PostgresRequest, RedisRequest } from './binding-props.js';
import type { AppService } from './service-props.js';
import type { AppRoute } from './route-props.js';

/**
 * What an App is given: its props and the types they nest (ports, resources, probes, extra
 * containers, database and Redis requests), apart from the construct so the input checks, the
 * shape table and the options of the named apps can speak them without importing the construct.
 * Two derivations every reader needs sit here too: the pod's ports and the volumes it mounts.
 */

export type { Toleration } from '../estate/scheduling.js';
export * from './binding-props.js';

/** A port the app listens on. */
export interface AppPort {
  /** IANA service name: lowercase, at most 15 characters, e.g. `http`. */
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Publish the port on the app's Service. @default true */
  readonly service?: boolean;
  /** Port number on the Service (LDAP's 389 in front of an unprivileged 1389). @default - the container port */
  readonly servicePort?: number;
  /**
   * The application protocol on the Service port (`kubernetes.io/h2c`, `kubernetes.io/ws`, or a
   * `domain/name` such as `example.com/grpc`): ingress controllers and Gateways read it to speak
   * HTTP/2 cleartext or WebSocket to the app. @default - none (HTTP/1.1)
   */
  readonly appProtocol?: string;
}

/** A further hostname of an app (see {@link AppProps.aliases}). */
export type HostnameAlias = string | { readonly hostname: string; readonly expose: 'internal' | 'public' };

/**
 * Every key of a Secret or ConfigMap as environment variables (`envFrom`). The Secret must have a
 * provider in the cluster (SOPS file, ExternalSecret, user-declared…), as for `secretKeyRef`.
 */
export type EnvSource =
  | { readonly secret: string; readonly prefix?: string; readonly optional?: boolean }
  | { readonly configMap: string; readonly prefix?: string; readonly optional?: boolean };

/** How an App's replicas spread (see {@link AppProps.spread}). */
export type AppSpread = SpreadConstraint;

/** Extra resolver settings of an App's pods (see {@link AppProps.dnsConfig}). */
export interface AppDnsConfig {
  /** @default [] */
  readonly nameservers?: readonly string[];
  /** @default [] */
  readonly searches?: readonly string[];
  /** @default [] */
  readonly options?: readonly { readonly name: string; readonly value?: string }[];
}

/** CPU and memory of one container. */
export interface Resources {
  /** @default '50m' */
  readonly cpuRequest?: string;
  /**
   * @default '128Mi' (32Mi for a sidecar), or the memoryLimit when that is lower: a limit given
   * alone is accepted, as the API server accepts it (it sets the request to the limit)
   */
  readonly memoryRequest?: string;
  /** @default - no CPU limit (CPU is shared fairly; limits only throttle) */
  readonly cpuLimit?: string;
  /** @default '512Mi' */
  readonly memoryLimit?: string;
  /** Extended resources (device plugins), requested and limited alike, e.g. `{ 'gpu.intel.com/i915': '1' }`. @default {} */
  readonly extended?: Record<string, string>;
}

/**
 * One probe, with exactly one handler: `http`, `tcp`, `grpc` or `exec`. A spec naming none keeps the
 * main container's derived handler (HTTP on `healthCheck`, else TCP on its first port) with the
 * timings given here; sidecars derive nothing.
 */
export interface ProbeSpec {
  /** HTTP GET on a path of one of this container's ports (by name). `port` @default - the container's first port */
  readonly http?: { readonly path: string; readonly port?: string; readonly scheme?: 'HTTP' | 'HTTPS'; readonly headers?: Record<string, string> };
  /** TCP connect to one of this container's ports (by name). `port` @default - the container's first port */
  readonly tcp?: { readonly port?: string };
  /**
   * The gRPC health-checking protocol (grpc.health.v1) on a port *number* (the API takes no name
   * here). `service` @default - the server's overall health ('')
   */
  readonly grpc?: { readonly port: number; readonly service?: string };
  /** A command run in the container; exit 0 is healthy. */
  readonly exec?: readonly string[];
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 (the Kubernetes default) */
  readonly periodSeconds?: number;
  /** @default 3 (Kubernetes' is 1: a loaded homelab node answers slower) */
  readonly timeoutSeconds?: number;
  /** @default 3 (the Kubernetes default; 30 for the startup probe: five minutes to start) */
  readonly failureThreshold?: number;
  /** Consecutive successes to count as healthy again; readiness only (the API server requires 1 elsewhere). @default - not written (Kubernetes: 1) */
  readonly successThreshold?: number;
}

/**
 * The container's probes, each kind on its own: one given does not change the others, and `false`
 * switches one off. Main container: an absent kind gets the derived handler; a sidecar gets none.
 */
export interface Probes {
  /** @default - the derived handler (main container), none (sidecar) */
  readonly liveness?: ProbeSpec | false;
  /** @default - the derived handler (main container), none (sidecar) */
  readonly readiness?: ProbeSpec | false;
  /** @default - the derived handler with failureThreshold 30 (main container), none (sidecar) */
  readonly startup?: ProbeSpec | false;
}

/** An init container or sidecar sharing the app's pod. */
export interface ExtraContainer {
  /** A DNS-1123 label, unique in the pod. */
  readonly name: string;
  /** @default - the app's image */
  readonly image?: ImageRef;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** Extra variables, after the app's own when `inheritEnv`. @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Receive the app's variables (database, secrets…). @default true */
  readonly inheritEnv?: boolean;
  /** Secrets and ConfigMaps whose every key becomes a variable. @default [] */
  readonly envFrom?: readonly EnvSource[];
  /** Names of the app's volumes to mount at the same paths. @default - every volume */
  readonly volumes?: readonly string[];
  /** @default - cpu 10m, memory 32Mi requested, memory limited to 128Mi */
  readonly resources?: Resources;
  /**
   * Ports this container listens on (a sidecar's metrics or admin port). They share the pod's
   * network, so their names and numbers are unique across the pod; published on the app's Service
   * like the main container's unless `service: false`. Sidecars only: init containers listen on
   * nothing anyone reaches. @default []
   */
  readonly ports?: readonly AppPort[];
  /** Probes of this container (sidecars and native sidecars only); no default probe, unlike the main container. @default - none */
  readonly probes?: Probes;
  /**
   * Init containers only: `'Always'` makes it a native sidecar — started before the main container
   * (after the init containers listed before it) and kept running beside it, stopped after it; it
   * may have ports and probes like a sidecar, and in a Job it does not keep the pod from completing.
   * Kubernetes 1.29+ (SidecarContainers, on by default since; stable in 1.33).
   * @default - a plain init container, run to completion before the app starts
   */
  readonly restartPolicy?: 'Always';
}

/** A character device of one node, mounted into the app's containers. */
export interface AppDevice {
  /**
   * Path on the node. Prefer the stable `/dev/serial/by-id/usb-…` link over `/dev/ttyUSB0`, whose
   * number changes with the order sticks are plugged in.
   */
  readonly path: string;
  /** Path in the container. @default - the node's path */
  readonly mountPath?: string;
  /** The node the device is plugged into; the pod is pinned there by `kubernetes.io/hostname`. Give this or `nodeLabel`. */
  readonly node?: string;
  /** A label of the node(s) that have the device (move the stick, move the label). Give this or `node`. */
  readonly nodeLabel?: Readonly<Record<string, string>>;
  /**
   * Group owning the device node on the host, added to the pod's supplementalGroups so the
   * non-root app may open it (`dialout` is 20 on Debian, Ubuntu and Alpine; `ls -ln <path>` says).
   * @default - none (the device must be readable by the app's uid)
   */
  readonly group?: number;
  /** What the app does with it (the relaxations annotation says why the pod is privileged). */
  readonly reason: string;
}

/** Extra peers the app talks to, beyond what is derived (DNS, its database, its routes). */
export interface AppNetwork {
  /** What the app connects to: other apps, pods, the internet (`internet(443)`), the NAS. @default [] */
  readonly egress?: readonly NetworkPeer[];
  /** Who may connect to the app beyond its ingress/tunnel route. @default [] */
  readonly ingress?: readonly NetworkPeer[];
}

/** Props of {@link App}: what the app runs, how it is reached, what it needs and how it is scheduled. */
export interface AppProps {
  /** Namespace. A string means `{ name }`; the Pod Security level is raised to what the app needs. @default - the app's name */
  readonly namespace?: string | NamespaceOptions;
  /** Folder grouping the component. @default - the namespace */
  readonly group?: string;
  /** @default 'apps' */
  readonly layer?: Layer;
  /** Components this one needs beyond the derived ones. @default [] */
  readonly dependsOn?: Component[];
  /** The pinned image. */
  readonly image: ImageRef;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Secrets and ConfigMaps whose every key becomes a variable of the main container. @default [] */
  readonly envFrom?: readonly EnvSource[];
  /** @default [] (no Service) */
  readonly ports?: readonly AppPort[];
  /** Volumes by name. @default {} */
  readonly persistence?: Record<string, AppVolume>;
  /**
   * Host character devices (a Zigbee / Z-Wave stick, a serial adapter), each mounted from the node it
   * is plugged into: the pod is pinned to that node, made privileged with the device's reason, and
   * its namespace raised to `privileged`. A device a device plugin advertises is asked for with
   * `resources.extended` instead, unprivileged. @default []
   */
  readonly devices?: readonly AppDevice[];
  /**
   * Files written from the estate (a config file the image reads), from one generated ConfigMap
   * `<app>-files`, each mounted read-only by subPath at its path; a hash of them on the pod template
   * rolls the pods when one changes. Sidecars get them unless their `volumes` leave out 'config-files'. @default []
   */
  readonly files?: readonly AppFile[];
  /** An emptyDir at /tmp (images write temp files there; the root filesystem is read-only). @default true */
  readonly tmp?: boolean;
  /** `internal` (LAN through the ingress), `public` (internet through the tunnel or ingress) or `none`. @default 'none' */
  readonly expose?: Exposure;
  /** Full hostname, inside the cluster's domain. @default - `<subdomain>.<cluster domain>` */
  readonly hostname?: string;
  /** @default - the app's name */
  readonly subdomain?: string;
  /**
   * More hostnames for the same port, each a full name inside the cluster's domain: a string takes
   * the app's `expose`, `{ hostname, expose }` its own (so one app can be internal under one name
   * and public under another). Each is a route object of its own, `<app>-alias-<n>`, checked like
   * the main hostname (domain, one app per hostname). Needs `expose` other than 'none'.
   * @default []
   */
  readonly aliases?: readonly HostnameAlias[];
  /** Port (by name) the route targets. @default - 'http' if present, else the first port */
  readonly exposePort?: string;
  /** Route objects of their own: several hostnames, path rules to other ports, header filters, labels and annotations (route-props.ts). @default [] */
  readonly routes?: readonly AppRoute[];
  /** Databases on the cluster's data services. @default - none */
  readonly database?: { readonly postgres?: PostgresRequest };
  /** A client of the cluster's Redis. @default - none */
  readonly redis?: RedisRequest;
  /** Identity and relaxations of the hardened defaults. @default - uid/gid 65534, every hardening on */
  readonly security?: AppSecurity;
  /** @default - 50m / 128Mi requested, 512Mi memory limit */
  readonly resources?: Resources;
  /** Shorthand for HTTP probes on a path. @default - TCP probes on the first port */
  readonly healthCheck?: { readonly path: string; readonly port?: string };
  /** @default - derived from healthCheck */
  readonly probes?: Probes;
  /** @default 1 (not for a DaemonSet, CronJob or Job) */
  readonly replicas?: number;
  /**
   * The controller: `'Deployment'`, `'StatefulSet'` (headless Service, one claim per pod),
   * `'DaemonSet'` (a pod per node), `{ kind: 'CronJob', schedule }` or `{ kind: 'Job' }`. Every kind
   * gets the same hardened pod template and checks. @default 'Deployment'
   */
  readonly workload?: AppWorkload;
  /** Node labels the pods require (e.g. `{ 'kubernetes.io/hostname': 'rpi4-2' }`). @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** Stopped (0 replicas) while the cluster's scale-down profile is active. @default false */
  readonly heavy?: boolean;
  /** @default - derived peers only */
  readonly network?: AppNetwork;
  /** @default [] */
  readonly initContainers?: readonly ExtraContainer[];
  /** @default [] */
  readonly sidecars?: readonly ExtraContainer[];
  /**
   * Seconds between SIGTERM and SIGKILL when a pod stops (preStop hooks included): raise it for an
   * app that flushes a database or finishes transcodes on shutdown.
   * @default 30 — the Kubernetes default, written out so a reviewer sees it
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Spreads the app's replicas over nodes (or zones) with a topologySpreadConstraint whose selector
   * is the app's own pod labels. `topologyKey` @default 'kubernetes.io/hostname'; `maxSkew` @default 1;
   * `whenUnsatisfiable` @default 'ScheduleAnyway' (a soft spread: a node down never blocks a rollout).
   * @default - no constraint (the scheduler's own spreading)
   */
  readonly spread?: AppSpread;
  /**
   * Resolver settings merged into the pod's DNS (Kubernetes appends nameservers and searches to the
   * cluster's, at most 3 nameservers and 32 search domains in all), e.g. `options: [{ name: 'ndots', value: '2' }]`
   * for an app resolving many external names. @default - the cluster DNS only
   */
  readonly dnsConfig?: AppDnsConfig;
  /** @default {} */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Annotations on the Deployment itself (a tool that reads controllers, e.g. a backup or update
   * operator). The relaxations annotation is the library's. @default {}
   */
  readonly annotations?: Record<string, string>;
  /**
   * Extra labels on the pods (and the Deployment), e.g. for a policy engine or a dashboard. The
   * labels the app selects its pods by (`app.kubernetes.io/name`, `app.kubernetes.io/instance`) are
   * the library's and cannot be set here. @default {}
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Prometheus metrics served on one of the app's Service ports. When the cluster has monitoring,
   * a ServiceMonitor is rendered and the monitoring namespace may reach that port.
   * @default - no metrics
   */
  readonly metrics?: { readonly port: string; /** @default '/metrics' */ readonly path?: string; /** @default '60s' */ readonly interval?: string };
  /** Services beside the ClusterIP one, `<app>-<name>`: a LAN LoadBalancer, a NodePort… (extra-services.ts). @default [] */
  readonly services?: readonly AppService[];
}

/** The containers that run beside the main one: native sidecars (init containers with `restartPolicy: 'Always'`), then sidecars. */
export function runningExtras(p: AppProps): ExtraContainer[] {
  return [...(p.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(p.sidecars ?? [])];
}

/** The ports of every container of the pod: the main container's, then each native sidecar's and sidecar's. */
export function allPodPorts(p: AppProps): AppPort[] {
  return [...(p.ports ?? []), ...runningExtras(p).flatMap((c) => c.ports ?? [])];
}

/** The volumes the pod mounts: `persistence`, plus an emptyDir at /tmp unless `tmp: false` or a volume is mounted there. */
export function appVolumes(p: AppProps): Record<string, AppVolume> {
  const v: Record<string, AppVolume> = { ...p.persistence };
  const tmpWanted = (p.tmp ?? true) && !Object.values(v).some((x) => x.mountPath === '/tmp');
  if (tmpWanted && !('tmp' in v)) v.tmp = { type: 'emptyDir', mountPath: '/tmp' };
  return v;
}
